import { createHash, randomBytes } from 'node:crypto';

/**
 * How a browser signs in to the local web host without a lasting secret in its address: the host prints an
 * address carrying a one-off code; the page posts that code once to `/sign-in` and gets back an HttpOnly,
 * SameSite=Strict session cookie for this host, which every API call then carries. A used code is worthless, so
 * the copy left in the browser's history or in a process list opens nothing.
 *
 * Codes and sessions are kept only as SHA-256 hashes, looked up by hash: comparing the hashes leaks nothing
 * useful about the secrets themselves.
 */

/** The path the page posts its code to. Not under /api/: it is not a channel and needs no session. */
export const SIGN_IN_PATH = '/sign-in';

/** Codes not yet used; the oldest is dropped past this many. */
const MAX_OPEN_CODES = 16;

const hash = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('base64');
const newSecret = () => randomBytes(24).toString('base64url');

export class SignIns {
  private readonly codes = new Set<string>();
  private readonly sessions = new Set<string>();

  /** The cookie's name carries the port: browsers share cookies between ports of one host name. */
  constructor(readonly cookieName: string) {}

  /** A new one-off code for an address to print. */
  issueCode(): string {
    const code = newSecret();
    this.codes.add(hash(code));
    if (this.codes.size > MAX_OPEN_CODES) this.codes.delete(this.codes.values().next().value!);
    return code;
  }

  /** Uses up a code: answers a new session's Set-Cookie header, or null for a wrong or already used code. */
  redeem(code: unknown): string | null {
    if (typeof code !== 'string' || code.length === 0 || code.length > 200) return null;
    if (!this.codes.delete(hash(code))) return null;
    const session = newSecret();
    this.sessions.add(hash(session));
    // No Domain (this host only), no Max-Age (gone when the browser closes), no Secure (plain http on 127.0.0.1).
    return `${this.cookieName}=${session}; Path=/; HttpOnly; SameSite=Strict`;
  }

  /** True when the request's Cookie header carries a session this host started. */
  isSignedIn(cookieHeader: string | undefined): boolean {
    if (!cookieHeader) return false;
    for (const part of cookieHeader.split(';')) {
      const at = part.indexOf('=');
      if (at < 0 || part.slice(0, at).trim() !== this.cookieName) continue;
      if (this.sessions.has(hash(part.slice(at + 1).trim()))) return true;
    }
    return false;
  }
}
