import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';

/** Starts the real local web host (`npm run serve`) on a fresh database in a temporary folder. */
export interface TestHost {
  /** The printed address, with its one-off sign-in code. */
  url: string;
  origin: string;
  /** The one-off code from that address. */
  code: string;
  /**
   * Signs a request context in with the printed code, as the page does: pass `page.request` to share the session
   * with the page (whose own use of the address then finds the code used, and the cookie already there).
   */
  signIn(request: APIRequestContext): Promise<void>;
  dbPath: string;
  dir: string;
  stop(): Promise<void>;
}

export async function startTestHost(): Promise<TestHost> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ahp-e2e-'));
  const dbPath = path.join(dir, 'workforce.sqlite');
  const child: ChildProcess = spawn(
    process.execPath,
    ['build/scripts/run-node.mjs', 'serve', '--port', '0', '--db', dbPath, '--no-open'],
    { cwd: path.resolve(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The web host did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open:\s+(\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The web host exited with ${code}:\n${output}`));
    });
  });
  const parsed = new URL(url);
  const code = /^#code=([A-Za-z0-9_-]+)$/.exec(parsed.hash)?.[1];
  if (!code) throw new Error(`The web host printed no sign-in code:\n${output}`);
  return {
    url,
    origin: parsed.origin,
    code,
    async signIn(request) {
      const response = await request.post(`${parsed.origin}/sign-in`, { data: { code } });
      if (response.status() !== 200) throw new Error(`Sign-in refused: ${response.status()} ${await response.text()}`);
    },
    dbPath,
    dir,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
