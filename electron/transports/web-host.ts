import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import type { Result } from '../../shared/common/api';
import { CONTENT_SECURITY_POLICY } from '../../shared/common/security';
import { UPLOAD_CHUNK_BYTES } from '../../shared/common/upload';
import { dispatch } from '../router';
import { MIME_TYPES, resolveStaticPath } from './static-files';
import { SIGN_IN_PATH, SignIns } from './web-sign-in';
import type { HandlerContext } from '../handler';

/**
 * The local web host: the same handler table as Electron's IPC, over HTTP on 127.0.0.1, for machines without
 * Electron and for end-to-end tests. The printed address carries a one-off sign-in code that the page exchanges
 * for a session cookie (web-sign-in.ts); every API call needs that cookie. Requests that name another host or
 * origin are refused (DNS rebinding). Whatever a request holds, it gets an answer (400 when it cannot be read),
 * never a crash of the host.
 */

export interface HostOptions {
  context: HandlerContext;
  staticDir: string;
  port?: number;
  /** The largest request body for every channel but `upload/chunk`. */
  maxBodyBytes?: number;
  /** The largest request body for `upload/chunk`, which carries up to UPLOAD_CHUNK_BYTES as base64. */
  maxUploadBodyBytes?: number;
  log?: (message: string) => void;
}

export interface RunningHost {
  /** The address to open: the host's origin with a one-off sign-in code in the fragment. */
  url: string;
  origin: string;
  port: number;
  /** The session cookie's name (it carries the port). */
  cookieName: string;
  /** Another address with a fresh one-off code, for another browser. */
  newSignInUrl(): string;
  close(): Promise<void>;
}

const MB = 1024 * 1024;
export const DEFAULT_MAX_BODY_BYTES = 1 * MB;
/** A chunk as base64 (4 characters for 3 bytes) plus room for the JSON around it. */
export const DEFAULT_MAX_UPLOAD_BODY_BYTES = Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4 + 1 * MB;
/** No channel's input nests deeper; a deeper body is refused before JSON.parse spends seconds on it. */
export const MAX_JSON_DEPTH = 64;
const MAX_SIGN_IN_BODY_BYTES = 1024;
const UPLOAD_CHANNEL = 'upload/chunk';

type RefusalCode = 'unauthorised' | 'invalid-input' | 'unknown-channel' | 'refused' | 'internal';

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: Result<unknown>,
  headers: http.OutgoingHttpHeaders = {},
) {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

function refuse(res: http.ServerResponse, status: number, code: RefusalCode, message: string): void {
  sendJson(res, status, { ok: false, error: { code, message } });
}

const badRequest = (res: http.ServerResponse) => refuse(res, 400, 'invalid-input', 'The request could not be read.');

/** Deepest nesting of arrays and objects in a JSON text, stopping as soon as it passes `limit`. */
export function jsonDepthExceeds(bytes: Buffer, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (b === 0x5c)
        i++; // a backslash escapes the next byte (UTF-8 continuation bytes are never ASCII)
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x5b || b === 0x7b) {
      if (++depth > limit) return true;
    } else if (b === 0x5d || b === 0x7d) depth--;
  }
  return false;
}

/**
 * Reads a request body up to `limit` bytes. Answers the bytes, or null once the request has been refused (413
 * for a body over the limit, whether declared in Content-Length or only found while reading).
 */
function readBody(req: http.IncomingMessage, res: http.ServerResponse, limit: number): Promise<Buffer | null> {
  const tooLarge = () => {
    // The rest of the body is not read: close the connection once the answer is out.
    res.setHeader('Connection', 'close');
    refuse(res, 413, 'invalid-input', `The request is larger than the ${formatLimit(limit)} the app accepts.`);
    res.on('finish', () => req.socket.destroy());
  };
  const declared = Number(req.headers['content-length'] ?? 0);
  if (!Number.isFinite(declared) || declared > limit) {
    tooLarge();
    return Promise.resolve(null);
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (value: Buffer | null) => {
      if (settled) return;
      settled = true;
      chunks.length = 0;
      resolve(value);
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge();
        settle(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => settle(null));
    req.on('end', () => settle(Buffer.concat(chunks)));
    // A client that goes away mid-body: 'close' without 'end'.
    req.on('close', () => settle(null));
  });
}

const formatLimit = (bytes: number) => (bytes >= MB ? `${Math.round(bytes / MB)} MB` : `${bytes} bytes`);

/** Parses a body as JSON (empty is `{}`), refusing with 400 what is not JSON or nests too deeply. */
function parseJsonBody(res: http.ServerResponse, body: Buffer): { value: unknown } | null {
  if (jsonDepthExceeds(body, MAX_JSON_DEPTH)) {
    refuse(res, 400, 'invalid-input', 'The request body nests too deeply.');
    return null;
  }
  const text = body.toString('utf8');
  if (text.trim() === '') return { value: {} };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    refuse(res, 400, 'invalid-input', 'The request body is not valid JSON.');
    return null;
  }
}

/** The answer to a request the HTTP parser could not read (a malformed request line or header). */
function onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? '431 Request Header Fields Too Large'
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : '400 Bad Request';
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function startHost(options: HostOptions): Promise<RunningHost> {
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxUploadBody = options.maxUploadBodyBytes ?? DEFAULT_MAX_UPLOAD_BODY_BYTES;
  const staticRoot = path.resolve(options.staticDir);
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();
  let signIns = new SignIns('ahp-session');

  /**
   * The request's path as sent and decoded; null (after a 400) when the target is not a path on this host or
   * its percent-encoding is malformed.
   */
  function requestPath(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    host: string,
  ): { raw: string; decoded: string } | null {
    try {
      const url = new URL(req.url ?? '/', `http://${host}`);
      // An absolute-form target (`GET http://other/ HTTP/1.1`) must name this host too.
      if (url.host !== host) throw new Error('another host');
      return { raw: url.pathname, decoded: decodeURIComponent(url.pathname) };
    } catch {
      badRequest(res);
      return null;
    }
  }

  async function signIn(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req, res, MAX_SIGN_IN_BODY_BYTES);
    if (body === null) return;
    const parsed = parseJsonBody(res, body);
    if (parsed === null) return;
    const code = (parsed.value as { code?: unknown } | null)?.code;
    const cookie = signIns.redeem(code);
    if (cookie === null)
      return refuse(
        res,
        401,
        'unauthorised',
        'This address has already been used or is wrong. Stop the app (Ctrl+C) and start it again for a new one.',
      );
    sendJson(res, 200, { ok: true, value: { signedIn: true } }, { 'Set-Cookie': cookie });
  }

  async function callChannel(req: http.IncomingMessage, res: http.ServerResponse, channelName: string) {
    const body = await readBody(req, res, channelName === UPLOAD_CHANNEL ? maxUploadBody : maxBody);
    if (body === null) return;
    const parsed = parseJsonBody(res, body);
    if (parsed === null) return;
    const result = await dispatch(options.context, channelName, parsed.value, { warn: options.log });
    sendJson(res, !result.ok && result.error.code === 'unknown-channel' ? 404 : 200, result);
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse): void | Promise<void> {
    const host = req.headers.host ?? '';
    if (!allowedHosts.has(host)) return refuse(res, 403, 'refused', 'This address is not allowed.');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin))
      return refuse(res, 403, 'refused', 'Requests from other sites are not allowed.');
    const target = requestPath(req, res, host);
    if (target === null) return;
    const pathname = target.decoded;

    if (pathname === SIGN_IN_PATH || pathname.startsWith('/api/')) {
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        return refuse(res, 405, 'invalid-input', 'Use POST here.');
      }
      if (pathname === SIGN_IN_PATH) return signIn(req, res);
      if (!signIns.isSignedIn(req.headers.cookie))
        return refuse(
          res,
          401,
          'unauthorised',
          'This browser is not signed in to the app. Open the address printed when the app started; each address ' +
            'works once, so if it was used already, stop the app (Ctrl+C) and start it again.',
        );
      return callChannel(req, res, pathname.slice('/api/'.length));
    }

    if (req.method !== 'GET' && req.method !== 'HEAD')
      return refuse(res, 405, 'invalid-input', 'Only GET is allowed here.');
    serveStatic(staticRoot, target.raw, res);
  }

  /** Fails closed: whatever goes wrong in a handler, the request is answered (or its connection closed). */
  const failClosed = (res: http.ServerResponse, err: unknown) => {
    options.log?.(`web host: ${err instanceof Error ? err.message : String(err)}`);
    if (!res.headersSent) badRequest(res);
    else res.destroy();
  };

  const server = http.createServer((req, res) => {
    try {
      const pending = handle(req, res);
      if (pending) pending.catch((err: unknown) => failClosed(res, err));
    } catch (err) {
      failClosed(res, err);
    }
  });
  server.on('clientError', onClientError);

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
      allowedOrigins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
      signIns = new SignIns(`ahp-session-${port}`);
      const origin = `http://127.0.0.1:${port}`;
      const newSignInUrl = () => `${origin}/#code=${signIns.issueCode()}`;
      resolve({
        url: newSignInUrl(),
        origin,
        port,
        cookieName: signIns.cookieName,
        newSignInUrl,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

function serveStatic(root: string, pathname: string, res: http.ServerResponse): void {
  let file = resolveStaticPath(root, pathname);
  // Path containment: nothing outside the built renderer is ever served.
  if (file === null) {
    res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden');
    return;
  }
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    if (path.extname(pathname) !== '') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    file = path.join(root, 'index.html');
    if (!fs.existsSync(file)) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end('The app has not been built. Run npm run build.');
      return;
    }
  }
  res.writeHead(200, {
    'Content-Type': MIME_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  });
  fs.createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}
