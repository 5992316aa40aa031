import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/router';
import { getUpload, sweepStaleUploads } from '../../electron/services/common/uploads';
import { guessMapping } from '../../shared/import/fields';
import { staffCsv } from '../fixtures/bad-inputs';
import { ESR_HEADERS, esrRows, writeLargeCsv } from '../fixtures/extracts';
import { sendBytes, tempDir, tempStore, type TempStore } from './helpers';

/**
 * No clear-text extract stays on disk longer than it must (issue 10, item 5): Ctrl+C or a kill of the command line
 * removes its upload; a folder left by a process killed outright goes at the next start of the command line or
 * the web host; an import deletes the file as soon as a commit has read it, and after a read that fails.
 */

const root = path.resolve(import.meta.dirname, '../..');
const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let stores: TempStore[] = [];
afterEach(() => {
  for (const s of stores) s.cleanup();
  stores = [];
});
async function store(): Promise<TempStore> {
  const s = await tempStore();
  stores.push(s);
  return s;
}

/** A temporary folder of its own for each child, so that what it leaves there can be seen. */
function privateTmp(name: string): string {
  const tmp = path.join(dir, name);
  fs.mkdirSync(tmp, { recursive: true });
  return tmp;
}

const uploadFolders = (tmp: string) => fs.readdirSync(tmp).filter((n) => n.startsWith('ahp-upload-'));
/** Files under the upload folders in `tmp` (not the folder's own marker). */
const uploadFiles = (tmp: string) =>
  uploadFolders(tmp).flatMap((f) => {
    try {
      return fs.readdirSync(path.join(tmp, f)).filter((n) => !n.startsWith('.'));
    } catch {
      return [];
    }
  });

function start(args: string[], tmp: string): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ['build/scripts/run-node.mjs', ...args], {
    cwd: root,
    env: { ...process.env, TMPDIR: tmp },
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return Object.assign(child, { output: () => output });
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

async function until(condition: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The number of a process that has just ended. */
function deadPid(): number {
  const done = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(done.stdout);
}

describe('the command line, interrupted', () => {
  const db = path.join(dir, 'interrupted.sqlite');
  const big = path.join(dir, 'big.csv');

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} while an import reads its file leaves no upload, and exits with ${code}`, async () => {
      if (!fs.existsSync(big)) await writeLargeCsv(big, { rows: 150_000 });
      if (!fs.existsSync(db))
        expect(
          spawnSync(process.execPath, ['build/scripts/run-node.mjs', 'cli', 'init', '--db', db], { cwd: root }).status,
        ).toBe(0);
      const tmp = privateTmp(`interrupted-${signal}`);
      const child = start(['cli', 'import', big, '--db', db], tmp);
      const ended = exited(child);
      // As soon as the clear-text copy is on disk, and while it is being read, stop the command.
      await until(() => uploadFiles(tmp).some((f) => f.endsWith('.stage.sqlite')), 'the import to start reading');
      expect(uploadFiles(tmp).some((f) => f.endsWith('.csv'))).toBe(true);
      child.kill(signal);
      const { code: exitCode } = await ended;
      expect(exitCode).toBe(code);
      expect(uploadFolders(tmp)).toEqual([]);
      // Nothing was imported: the database is as it was.
      const check = spawnSync(
        process.execPath,
        ['build/scripts/run-node.mjs', 'cli', 'summary', '--json', '--db', db],
        {
          cwd: root,
          encoding: 'utf8',
        },
      );
      expect(JSON.parse(check.stdout)).toMatchObject({ headcount: 0 });
    }, 120_000);
  }
});

describe('folders left by a process killed outright', () => {
  it('are removed at the next start of the command line, and of the web host', async () => {
    for (const program of ['cli', 'serve'] as const) {
      const tmp = privateTmp(`stale-${program}`);
      const stale = path.join(tmp, `ahp-upload-${deadPid()}-Xy12ab`);
      fs.mkdirSync(stale, { mode: 0o700 });
      fs.writeFileSync(
        path.join(stale, '0123456789abcdef0123456789abcdef.csv'),
        'Employee Number,Name\n10000001,A Person\n',
      );
      const alive = path.join(tmp, `ahp-upload-${process.pid}-Live01`); // this test process: still running
      fs.mkdirSync(alive, { mode: 0o700 });
      const db = path.join(dir, `stale-${program}.sqlite`);
      if (program === 'cli') {
        const child = start(['cli', 'summary', '--db', db], tmp);
        expect((await exited(child)).code).toBe(0);
      } else {
        const child = start(['serve', '--port', '0', '--no-open', '--db', db], tmp);
        const ended = exited(child);
        await until(() => /is running/.test(child.output()), 'the web host to start');
        expect(fs.existsSync(stale)).toBe(false);
        child.kill('SIGTERM');
        expect((await ended).code).toBe(143);
      }
      expect(fs.existsSync(stale)).toBe(false);
      expect(fs.existsSync(alive)).toBe(true);
    }
  }, 120_000);

  it('a folder whose process seems alive but has not marked it for a day is taken as abandoned', () => {
    const tmp = privateTmp('abandoned');
    const marked = path.join(tmp, `ahp-upload-${process.ppid}-Recent`);
    const old = path.join(tmp, `ahp-upload-${process.ppid}-Old123`);
    for (const folder of [marked, old]) {
      fs.mkdirSync(folder, { mode: 0o700 });
      fs.writeFileSync(path.join(folder, '.alive'), '');
    }
    const twoDaysAgo = (Date.now() - 2 * 24 * 3600 * 1000) / 1000;
    fs.utimesSync(path.join(old, '.alive'), twoDaysAgo, twoDaysAgo);
    expect(sweepStaleUploads(tmp)).toBe(1);
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(marked)).toBe(true);
  });
});

describe('an import keeps the clear text no longer than the read', () => {
  const mapping = guessMapping([...ESR_HEADERS]);

  it('a commit deletes the file once read, keeping only the pseudonymised stage for a retry', async () => {
    const t = await store();
    const rows = esrRows(8, 2);
    rows[3]![7] = '31/02/2021'; // a rejected row: the first commit stops and asks
    const csv = [ESR_HEADERS, ...rows]
      .map((r) => r.map((v) => (v.includes(',') ? `"${v}"` : v)).join(','))
      .join('\r\n');
    const uploadId = await sendBytes(t.ctx, 'march.csv', csv, 'staff-extract');
    const file = getUpload(t.store, uploadId, 'staff-extract').path;
    const stopped = await dispatch(t.ctx, 'import/commit', { uploadId, mapping });
    expect(stopped).toMatchObject({ ok: false, error: { code: 'conflict' } });
    if (!stopped.ok)
      expect(stopped.error.details).toMatchObject({ 'line 5, Hire Date': expect.stringMatching(/not a/) });
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(`${file}.stage.sqlite`)).toBe(true);
    const done = await dispatch(t.ctx, 'import/commit', { uploadId, mapping, acceptRejected: true });
    expect(done).toMatchObject({ ok: true, value: { rowsRead: 8, rejected: 1 } });
    expect(fs.existsSync(`${file}.stage.sqlite`)).toBe(false);
    // Other columns need the file again, which is gone: said plainly.
    const again = await sendBytes(t.ctx, 'march.csv', csv, 'staff-extract');
    await dispatch(t.ctx, 'import/commit', { uploadId: again, mapping });
    const remapped = await dispatch(t.ctx, 'import/commit', {
      uploadId: again,
      mapping: { ...mapping, service: null },
      acceptRejected: true,
    });
    expect(remapped).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: expect.stringMatching(/was deleted as soon as it had been read/) },
    });
  });

  it('a preview or inspection that cannot read the file deletes it at once', async () => {
    const t = await store();
    const mixed = Buffer.concat([Buffer.from(staffCsv(5)), Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x0d, 0x0a])]);
    const uploadId = await sendBytes(t.ctx, 'mixed.csv', mixed, 'staff-extract');
    const file = getUpload(t.store, uploadId, 'staff-extract').path;
    const preview = await dispatch(t.ctx, 'import/preview', { uploadId, mapping });
    expect(preview).toMatchObject({
      ok: false,
      error: { code: 'refused', message: expect.stringMatching(/mixes two text encodings/) },
    });
    expect(fs.existsSync(file)).toBe(false);
    expect(() => getUpload(t.store, uploadId, 'staff-extract')).toThrow(/no longer here/);

    const empty = await sendBytes(t.ctx, 'empty.csv', '', 'staff-extract');
    const emptyPath = getUpload(t.store, empty, 'staff-extract').path;
    expect(await dispatch(t.ctx, 'import/inspect', { uploadId: empty })).toMatchObject({ ok: false });
    expect(fs.existsSync(emptyPath)).toBe(false);

    const ledger = await sendBytes(t.ctx, 'gl.csv', Buffer.from('SQLite format 3\u0000 and more'), 'ledger');
    const ledgerPath = getUpload(t.store, ledger, 'ledger').path;
    expect(await dispatch(t.ctx, 'funding/import-preview', { uploadId: ledger })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^gl\.csv: This is a SQLite database file/) },
    });
    expect(fs.existsSync(ledgerPath)).toBe(false);
  });
});
