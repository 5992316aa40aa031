import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Result } from '../../shared/common/api';
import { CONTENT_SECURITY_POLICY } from '../../shared/common/security';
import { dispatch } from '../router';
import { MIME_TYPES, resolveStaticPath } from './static-files';
import type { HandlerContext } from '../handler';

/**
 * The local web host: the same handler table as Electron's IPC, over HTTP on 127.0.0.1, for machines without
 * Electron and for end-to-end tests. Every API call needs this start's random token; requests that name
 * another host or origin are refused (DNS rebinding).
 */

export interface HostOptions {
  context: HandlerContext;
  staticDir: string;
  port?: number;
  token?: string;
  maxBodyBytes?: number;
  log?: (message: string) => void;
}

export interface RunningHost {
  url: string;
  origin: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

function sameToken(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sendJson(res: http.ServerResponse, status: number, body: Result<unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

function refuse(
  res: http.ServerResponse,
  status: number,
  code: 'unauthorised' | 'invalid-input' | 'unknown-channel' | 'refused',
  message: string,
) {
  sendJson(res, status, { ok: false, error: { code, message } });
}

export function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const staticRoot = path.resolve(options.staticDir);
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();

  const server = http.createServer((req, res) => {
    const host = req.headers.host ?? '';
    if (!allowedHosts.has(host)) return refuse(res, 403, 'refused', 'This address is not allowed.');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin))
      return refuse(res, 403, 'refused', 'Requests from other sites are not allowed.');
    const url = new URL(req.url ?? '/', `http://${host}`);

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        return refuse(res, 405, 'invalid-input', 'Use POST for API requests.');
      }
      const auth = req.headers.authorization;
      const given = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
      if (!sameToken(given, token))
        return refuse(
          res,
          401,
          'unauthorised',
          'The access token is missing or wrong. Open the address printed when the app started.',
        );
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > maxBody) {
        res.setHeader('Connection', 'close');
        return refuse(res, 413, 'invalid-input', `The request is larger than ${Math.round(maxBody / 1048576)} MB.`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (tooLarge) return;
        if (size > maxBody) {
          tooLarge = true;
          chunks.length = 0;
          res.setHeader('Connection', 'close');
          refuse(res, 413, 'invalid-input', `The request is larger than ${Math.round(maxBody / 1048576)} MB.`);
          res.on('finish', () => req.socket.destroy());
          return;
        }
        chunks.push(chunk);
      });
      req.on('error', () => undefined);
      req.on('end', () => {
        if (tooLarge) return;
        let input: unknown = {};
        const text = Buffer.concat(chunks).toString('utf8');
        if (text.trim() !== '') {
          try {
            input = JSON.parse(text);
          } catch {
            return refuse(res, 400, 'invalid-input', 'The request body is not valid JSON.');
          }
        }
        const channelName = decodeURIComponent(url.pathname.slice('/api/'.length));
        dispatch(options.context, channelName, input, { warn: options.log }).then(
          (result) => sendJson(res, !result.ok && result.error.code === 'unknown-channel' ? 404 : 200, result),
          () => refuse(res, 500, 'invalid-input', 'Something went wrong.'),
        );
      });
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD')
      return refuse(res, 405, 'invalid-input', 'Only GET is allowed here.');
    serveStatic(staticRoot, url.pathname, res);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
      allowedOrigins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
      const origin = `http://127.0.0.1:${port}`;
      resolve({
        url: `${origin}/#token=${token}`,
        origin,
        token,
        port,
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
  fs.createReadStream(file).pipe(res);
}
