import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../electron/transports/web-host';
import { UPLOAD_CHUNK_BYTES } from '../../shared/common/upload';
import { tempStore, type TempStore } from './helpers';

let t: TempStore;
let host: RunningHost;
/** A second host with the default body limits. */
let plain: RunningHost;
let staticDir: string;
let cookie: string;
let plainCookie: string;

beforeAll(async () => {
  t = await tempStore();
  staticDir = path.join(t.dir, 'renderer');
  fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>app</title>');
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(t.dir, 'secret.txt'), 'do not serve');
  host = await startHost({ context: t.ctx, staticDir, maxBodyBytes: 1024, log: () => undefined });
  plain = await startHost({ context: t.ctx, staticDir, log: () => undefined });
  cookie = await signIn(host);
  plainCookie = await signIn(plain);
});
afterAll(async () => {
  await host.close();
  await plain.close();
  t.cleanup();
});

interface Answer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** Raw HTTP so that Host and Origin can be set freely (fetch forbids changing Host). */
function request(options: {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  to?: RunningHost;
}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: (options.to ?? host).port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
        setHost: !options.headers?.Host,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }),
        );
      },
    );
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

const codeOf = (url: string) => new URL(url).hash.replace(/^#code=/, '');

function postCode(to: RunningHost, code: string): Promise<Answer> {
  return request({
    to,
    method: 'POST',
    path: '/sign-in',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code }),
  });
}

/** Signs in with a fresh code, as the page does; answers the Cookie header to send. */
async function signIn(to: RunningHost): Promise<string> {
  const res = await postCode(to, codeOf(to.newSignInUrl()));
  expect(res.status).toBe(200);
  return res.headers['set-cookie']![0]!.split(';')[0]!;
}

const auth = (c = cookie) => ({ Cookie: c, 'Content-Type': 'application/json' });

/**
 * Sends bytes as they are over a plain socket (no HTTP client tidies them) and answers everything the host sent
 * back before closing the connection. Every request here asks for `Connection: close` or is one the host must
 * close on.
 */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${JSON.stringify(bytes.slice(0, 60))}`));
    }, 5000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.end(bytes);
  });
}

/**
 * Sends headers, then streams a large body in 256 KB pieces; answers the status line and how long it took to
 * arrive. The host may close the connection before the body is all sent: write errors are expected.
 */
function sendLargeBody(port: number, head: string, body: Buffer): Promise<{ statusLine: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ statusLine: received.split('\r\n')[0]!, ms: performance.now() - started });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer to a large body'));
    }, 10_000);
    socket.on('error', () => undefined);
    socket.on('data', (c: Buffer) => {
      received += c.toString('latin1');
      if (received.includes('\r\n')) finish();
    });
    socket.on('close', finish);
    socket.on('connect', () => {
      socket.write(head);
      let offset = 0;
      const pump = () => {
        while (!finished && offset < body.length) {
          const piece = body.subarray(offset, offset + 256 * 1024);
          offset += piece.length;
          if (!socket.write(piece)) return void socket.once('drain', pump);
        }
      };
      pump();
    });
  });
}

describe('local web host', () => {
  it('binds to 127.0.0.1 and prints a URL with a one-off sign-in code, no lasting token', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/#code=[A-Za-z0-9_-]{32}$`));
    expect(host.url).not.toContain('token');
    expect(host.newSignInUrl()).not.toBe(host.newSignInUrl());
  });

  it('a code works once only, and answers an HttpOnly, SameSite=Strict cookie for this host', async () => {
    const code = codeOf(host.newSignInUrl());
    const first = await postCode(host, code);
    expect(first.status).toBe(200);
    const setCookie = first.headers['set-cookie'];
    expect(setCookie).toHaveLength(1);
    const attributes = setCookie![0]!.split(';').map((a) => a.trim());
    expect(attributes[0]).toMatch(new RegExp(`^ahp-session-${host.port}=[A-Za-z0-9_-]{32}$`));
    expect(attributes).toContain('HttpOnly');
    expect(attributes).toContain('SameSite=Strict');
    expect(attributes).toContain('Path=/');
    expect(attributes.some((a) => /^(Domain|Max-Age|Expires)=/i.test(a))).toBe(false);
    const session = attributes[0]!;
    const ok = await request({ method: 'POST', path: '/api/workforce/summary', headers: auth(session), body: '{}' });
    expect(ok.status).toBe(200);

    const again = await postCode(host, code);
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(JSON.parse(again.body)).toMatchObject({ ok: false, error: { code: 'unauthorised' } });
    expect((await postCode(host, 'x'.repeat(32))).status).toBe(401);
    expect((await postCode(host, '')).status).toBe(401);
    expect((await request({ method: 'GET', path: '/sign-in' })).status).toBe(405);
    // A code of one host does not sign in to another.
    expect((await postCode(plain, codeOf(host.newSignInUrl()))).status).toBe(401);
  });

  it('answers a valid call through the handler table', async () => {
    const res = await request({
      method: 'POST',
      path: '/api/workforce/summary',
      headers: auth(),
      body: '{"asAt":"2026-03-31"}',
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { headcount: 0, asAt: '2026-03-31' } });
  });

  it('returns the same typed validation error as IPC', async () => {
    const res = await request({
      method: 'POST',
      path: '/api/workforce/role-save',
      headers: auth(),
      body: '{"title":""}',
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', details: { title: 'Enter the role title' } },
    });
  });

  it('401: no cookie, a wrong or foreign cookie, or a bearer token', async () => {
    const call = (headers?: Record<string, string>) =>
      request({ method: 'POST', path: '/api/workforce/summary', headers, body: '{}' });
    const value = cookie.split('=')[1]!;
    expect((await call()).status).toBe(401);
    expect((await call({ Cookie: `ahp-session-${host.port}=${'x'.repeat(32)}` })).status).toBe(401);
    // The other host's session, and this session under another port's name.
    expect((await call({ Cookie: plainCookie })).status).toBe(401);
    expect((await call({ Cookie: `ahp-session-${plain.port}=${value}` })).status).toBe(401);
    // The session value is a cookie, never a bearer token.
    expect((await call({ Authorization: `Bearer ${value}` })).status).toBe(401);
    const refused = await call();
    expect(JSON.parse(refused.body)).toMatchObject({ ok: false, error: { code: 'unauthorised' } });
    expect(refused.body).not.toContain(value);
  });

  it('403: a foreign Host header (DNS rebinding) or Origin', async () => {
    expect((await request({ path: '/', headers: { Host: 'attacker.example:80' } })).status).toBe(403);
    expect(
      (
        await request({
          method: 'POST',
          path: '/api/workforce/summary',
          headers: { ...auth(), Host: `evil.example:${host.port}` },
          body: '{}',
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await request({
          method: 'POST',
          path: '/api/workforce/summary',
          headers: { ...auth(), Origin: 'https://evil.example' },
          body: '{}',
        })
      ).status,
    ).toBe(403);
    const foreignSignIn = await request({
      method: 'POST',
      path: '/sign-in',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
      body: JSON.stringify({ code: codeOf(host.newSignInUrl()) }),
    });
    expect(foreignSignIn.status).toBe(403);
    expect(foreignSignIn.headers['set-cookie']).toBeUndefined();
    const sameOrigin = await request({
      method: 'POST',
      path: '/api/workforce/summary',
      headers: { ...auth(), Origin: `http://127.0.0.1:${host.port}` },
      body: '{}',
    });
    expect(sameOrigin.status).toBe(200);
  });

  it('413: a body over the size limit', async () => {
    const res = await request({
      method: 'POST',
      path: '/api/workforce/service-save',
      headers: auth(),
      body: JSON.stringify({ name: 'x'.repeat(5000) }),
    });
    expect(res.status).toBe(413);
  });

  it('400 for a body that is not JSON, 404 for an unknown channel, 405 for GET on the API', async () => {
    expect(
      (await request({ method: 'POST', path: '/api/workforce/services', headers: auth(), body: '{nope' })).status,
    ).toBe(400);
    expect((await request({ method: 'POST', path: '/api/no/such', headers: auth(), body: '{}' })).status).toBe(404);
    expect((await request({ method: 'GET', path: '/api/workforce/services', headers: auth() })).status).toBe(405);
  });

  it('serves the renderer with a CSP, and nothing outside it', async () => {
    const index = await request({ path: '/' });
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    expect((await request({ path: '/assets/app.js' })).body).toBe('console.log(1)');
    expect((await request({ path: '/workforce/summary' })).body).toContain('<title>app</title>'); // app routes fall back to the page
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const res = await request({ path: p });
      expect(res.body, p).not.toContain('do not serve');
    }
  });
});

describe('local web host: requests it cannot read', () => {
  const hostHeader = () => `Host: 127.0.0.1:${host.port}\r\n`;
  const crashInputs: [string, () => string][] = [
    ['a port out of range in the request line', () => `GET http://x:99999/ HTTP/1.1\r\n${hostHeader()}\r\n`],
    [
      'another host in the request line',
      () => `GET http://evil.example/ HTTP/1.1\r\n${hostHeader()}Connection: close\r\n\r\n`,
    ],
    [
      'a malformed percent-encoded page path',
      () => `GET /%E0%A4%A HTTP/1.1\r\n${hostHeader()}Connection: close\r\n\r\n`,
    ],
    ['a lone percent sign', () => `GET /assets/% HTTP/1.1\r\n${hostHeader()}Connection: close\r\n\r\n`],
    [
      'a malformed percent-encoded channel, signed in',
      () =>
        `POST /api/%E0%A4%A HTTP/1.1\r\n${hostHeader()}Cookie: ${cookie}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
    ],
    [
      'a malformed percent-encoded channel, not signed in',
      () => `POST /api/%zz HTTP/1.1\r\n${hostHeader()}Content-Length: 2\r\nConnection: close\r\n\r\n{}`,
    ],
    ['a request line that is not HTTP', () => `\u0000\u0001 nonsense\r\n\r\n`],
    ['a header without a colon', () => `GET / HTTP/1.1\r\n${hostHeader()}no colon here\r\n\r\n`],
    [
      'a Content-Length that is not a number',
      () => `POST /api/workforce/summary HTTP/1.1\r\n${hostHeader()}Content-Length: abc\r\n\r\n{}`,
    ],
  ];

  for (const [what, bytes] of crashInputs) {
    it(`400 for ${what}, and the host stays up`, async () => {
      const answer = await rawExchange(host.port, bytes());
      expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
      const index = await request({ path: '/' });
      expect(index.status).toBe(200);
      const call = await request({ method: 'POST', path: '/api/workforce/summary', headers: auth(), body: '{}' });
      expect(call.status).toBe(200);
    });
  }
});

describe('local web host: request sizes', () => {
  const nested = (bytes: number) => Buffer.from('['.repeat(bytes / 2) + ']'.repeat(bytes / 2));
  const head = (channel: string, extra: string) =>
    `POST /api/${channel} HTTP/1.1\r\nHost: 127.0.0.1:${plain.port}\r\nCookie: ${plainCookie}\r\n` +
    `Content-Type: application/json\r\nConnection: close\r\n${extra}\r\n`;

  it('refuses a 20 MB nested JSON body to an ordinary channel in under a second', async () => {
    const body = nested(20 * 1024 * 1024);
    const declared = await sendLargeBody(
      plain.port,
      head('workforce/summary', `Content-Length: ${body.length}\r\n`),
      body,
    );
    expect(declared.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(declared.ms).toBeLessThan(1000);
    // Without a declared length the host stops reading at its limit (1 MB).
    const chunked = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
    const streamed = await sendLargeBody(
      plain.port,
      head('workforce/summary', 'Transfer-Encoding: chunked\r\n'),
      chunked,
    );
    expect(streamed.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(streamed.ms).toBeLessThan(1000);
    expect((await request({ to: plain, path: '/' })).status).toBe(200);
  });

  it('refuses an ordinary channel a body over 1 MB, and a deeply nested one under it', async () => {
    const big = await request({
      to: plain,
      method: 'POST',
      path: '/api/workforce/service-save',
      headers: auth(plainCookie),
      body: JSON.stringify({ name: 'x'.repeat(1024 * 1024) }),
    });
    expect(big.status).toBe(413);
    const deep = await request({
      to: plain,
      method: 'POST',
      path: '/api/workforce/summary',
      headers: auth(plainCookie),
      body: '['.repeat(100) + ']'.repeat(100),
    });
    expect(deep.status).toBe(400);
    expect(JSON.parse(deep.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    // Brackets inside strings are text, not nesting.
    const inText = await request({
      to: plain,
      method: 'POST',
      path: '/api/workforce/summary',
      headers: auth(plainCookie),
      body: JSON.stringify({ asAt: '2026-03-31', note: '['.repeat(1000) }),
    });
    expect(inText.status).toBe(200);
  });

  it('takes a full upload chunk, but not a deeply nested body of that size', async () => {
    const bytes = Buffer.alloc(UPLOAD_CHUNK_BYTES, 7);
    const chunk = JSON.stringify({
      uploadId: null,
      kind: 'ledger',
      fileName: 'ledger.csv',
      totalBytes: bytes.length + 1,
      offset: 0,
      base64: bytes.toString('base64'),
      done: false,
    });
    const sent = await request({
      to: plain,
      method: 'POST',
      path: '/api/upload/chunk',
      headers: auth(plainCookie),
      body: chunk,
    });
    expect(sent.status).toBe(200);
    const { value } = JSON.parse(sent.body) as { value: { uploadId: string } };
    await request({
      to: plain,
      method: 'POST',
      path: '/api/upload/discard',
      headers: auth(plainCookie),
      body: JSON.stringify({ uploadId: value.uploadId }),
    });

    const body = nested(11 * 1024 * 1024);
    const deep = await sendLargeBody(plain.port, head('upload/chunk', `Content-Length: ${body.length}\r\n`), body);
    expect(deep.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(deep.ms).toBeLessThan(1000);
  });
});
