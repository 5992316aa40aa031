import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../electron/transports/web-host';
import { tempStore, type TempStore } from './helpers';

let t: TempStore;
let host: RunningHost;
let staticDir: string;

beforeAll(async () => {
  t = await tempStore();
  staticDir = path.join(t.dir, 'renderer');
  fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>app</title>');
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(t.dir, 'secret.txt'), 'do not serve');
  host = await startHost({ context: t.ctx, staticDir, maxBodyBytes: 1024, log: () => undefined });
});
afterAll(async () => {
  await host.close();
  t.cleanup();
});

/** Raw HTTP so that Host and Origin can be set freely (fetch forbids changing Host). */
function request(options: {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: host.port,
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
const auth = () => ({ Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' });

describe('local web host', () => {
  it('binds to 127.0.0.1 and prints a URL carrying the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
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

  it('401: no token or a wrong token', async () => {
    expect((await request({ method: 'POST', path: '/api/workforce/summary', body: '{}' })).status).toBe(401);
    expect(
      (
        await request({
          method: 'POST',
          path: '/api/workforce/summary',
          headers: { Authorization: 'Bearer nope' },
          body: '{}',
        })
      ).status,
    ).toBe(401);
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
