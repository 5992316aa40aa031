import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiError, Result } from '../../shared/common/api';
import { UPLOAD_CHUNK_BYTES } from '../../shared/common/upload';
import { dispatch } from '../../electron/router';
import { getUpload } from '../../electron/services/common/uploads';
import { frameworkCommands } from '../../electron/services/framework/commands';
import { fundingCommands } from '../../electron/services/funding/commands';
import { settingsCommands } from '../../electron/services/settings/commands';
import type { CliArgs } from '../../electron/transports/cli-command';
import { startHost } from '../../electron/transports/web-host';
import { sendBytes, tempStore, type TempStore } from './helpers';

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

async function failure(t: TempStore, channel: string, input: unknown): Promise<ApiError> {
  const r = await dispatch(t.ctx, channel, input);
  if (r.ok) throw new Error(`${channel} should have failed`);
  return r.error;
}

const ORG = {
  name: 'Northshire NHS Trust',
  odsCode: 'RX9',
  ics: 'Northshire ICS',
  ahpFaculty: 'Northshire AHP Faculty',
};
const LEDGER = [
  'Date,Cost Centre,Account Code,Description,Amount',
  '15/04/2021,CC100,4000,Bank staff April,"£1,234.56"',
].join('\r\n');

async function stream(t: TempStore): Promise<void> {
  const r = await dispatch(t.ctx, 'funding/stream-save', {
    source: 'hee-pump-prime',
    name: 'HEE pump prime 2021/22',
    financialYear: '2021/22',
    allocatedPence: 1_000_000,
    receipts: [],
  });
  if (!r.ok) throw new Error(r.error.message);
}

const cliArgs = (positional: string[], options: Record<string, string | true> = {}): CliArgs => {
  const map = new Map(Object.entries(options));
  return {
    positional,
    options: map,
    json: false,
    text: (name) => (typeof map.get(name) === 'string' ? (map.get(name) as string) : undefined),
  };
};

describe('the common upload', () => {
  it('keeps each file private (0700 folder, 0600 file), checks its SHA-256 and deletes it once used', async () => {
    const t = await store();
    await stream(t);
    const uploadId = await sendBytes(t.ctx, 'ledger.csv', LEDGER, 'ledger', 16);
    const upload = getUpload(t.store, uploadId, 'ledger');
    expect(upload.sha256).toBe((await import('node:crypto')).createHash('sha256').update(LEDGER).digest('hex'));
    if (process.platform !== 'win32') {
      expect(fs.statSync(path.dirname(upload.path)).mode & 0o777).toBe(0o700);
      expect(fs.statSync(upload.path).mode & 0o777).toBe(0o600);
    }
    expect(path.basename(upload.path)).toBe(`${uploadId}.csv`);
    expect((await dispatch(t.ctx, 'funding/import-preview', { uploadId })).ok).toBe(true);
    expect(fs.existsSync(upload.path)).toBe(true); // kept for the commit
    expect((await dispatch(t.ctx, 'funding/import-commit', { uploadId })).ok).toBe(true);
    expect(fs.existsSync(upload.path)).toBe(false);
    expect(await failure(t, 'funding/import-commit', { uploadId })).toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/no longer here.*Choose the file again/),
    });
  });

  it('deletes a descriptor template once adopted, a restored backup whatever the outcome, and a discarded file', async () => {
    const t = await store();
    await dispatch(t.ctx, 'framework/overview', {});
    const csv = [
      'domain,item,stage,text',
      '2,2.1,entry,Supports service users.',
      '2,2.1,intermediate,Supports and explains.',
      '2,2.1,assistant-practitioner,Leads support.',
    ].join('\r\n');
    const template = await sendBytes(t.ctx, 'descriptors.csv', csv, 'descriptors');
    const templatePath = getUpload(t.store, template, 'descriptors').path;
    const preview = await dispatch(t.ctx, 'framework/import-preview', { uploadId: template });
    expect(preview).toMatchObject({ ok: true, value: { ok: true, newVersion: 'hee-2021.2' } });
    expect((await dispatch(t.ctx, 'framework/import-adopt', { uploadId: template, base: 'hee-2021.1' })).ok).toBe(true);
    expect(fs.existsSync(templatePath)).toBe(false);

    const junk = await sendBytes(t.ctx, 'notes.sqlite', 'not a database', 'backup');
    const junkPath = getUpload(t.store, junk, 'backup').path;
    expect(await failure(t, 'settings/restore', { uploadId: junk })).toMatchObject({
      code: 'refused',
      message: expect.stringMatching(/^notes\.sqlite is not a workforce database/),
    });
    expect(fs.existsSync(junkPath)).toBe(false);

    const empty = await sendBytes(t.ctx, 'empty.sqlite', '', 'backup');
    expect(await failure(t, 'settings/restore', { uploadId: empty })).toMatchObject({
      code: 'refused',
      message: expect.stringMatching(/empty.sqlite is empty/),
    });

    const dropped = await sendBytes(t.ctx, 'ledger.csv', LEDGER, 'ledger');
    const droppedPath = getUpload(t.store, dropped, 'ledger').path;
    expect(await dispatch(t.ctx, 'upload/discard', { uploadId: dropped })).toEqual({
      ok: true,
      value: { discarded: true },
    });
    expect(fs.existsSync(droppedPath)).toBe(false);
    expect(await dispatch(t.ctx, 'upload/discard', { uploadId: dropped })).toEqual({
      ok: true,
      value: { discarded: false },
    });
  });

  it('gives a clear message for a bad, unknown, unfinished or wrong-kind upload reference, and changes nothing', async () => {
    const t = await store();
    await stream(t);
    const malformed = await failure(t, 'funding/import-preview', { uploadId: '../../etc/passwd' });
    expect(malformed).toMatchObject({ code: 'invalid-input', details: { uploadId: 'Not an upload reference' } });
    const unknown = await failure(t, 'settings/restore', { uploadId: 'ab'.repeat(16) });
    expect(unknown).toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/That file is no longer here.*Choose the file again/),
    });
    expect(await failure(t, 'framework/import-preview', { uploadId: 'ab'.repeat(16) })).toMatchObject({
      code: 'not-found',
    });

    const ledger = await sendBytes(t.ctx, 'ledger.csv', LEDGER, 'ledger');
    const wrongKind = await failure(t, 'settings/restore', { uploadId: ledger });
    expect(wrongKind).toMatchObject({
      code: 'invalid-input',
      message: 'ledger.csv was sent as a ledger file, not a database backup. Choose the file again.',
    });
    expect((await dispatch(t.ctx, 'settings/organisation', {})).ok).toBe(true);

    const partial = await dispatch(t.ctx, 'upload/chunk', {
      uploadId: null,
      kind: 'ledger',
      fileName: 'half.csv',
      offset: 0,
      base64: Buffer.from('Date,').toString('base64'),
      done: false,
    });
    if (!partial.ok) throw new Error(partial.error.message);
    expect(await failure(t, 'funding/import-preview', { uploadId: partial.value.uploadId })).toMatchObject({
      message: 'half.csv has not finished uploading. Choose the file again.',
    });
    const otherKind = await failure(t, 'upload/chunk', {
      uploadId: partial.value.uploadId,
      kind: 'backup',
      fileName: 'half.csv',
      offset: 5,
      base64: '',
      done: true,
    });
    expect(otherKind.message).toMatch(/Part of another file arrived for half.csv/);
  });

  it('refuses a file over its kind’s limit before it is sent: 200 MB for a ledger, 1 GB for a staff extract', async () => {
    const t = await store();
    const start = (kind: string, totalBytes: number) =>
      dispatch(t.ctx, 'upload/chunk', {
        uploadId: null,
        kind,
        fileName: 'big.csv',
        totalBytes,
        offset: 0,
        base64: '',
        done: false,
      });
    expect(await start('ledger', 200 * 1048576)).toMatchObject({ ok: true });
    expect(await start('ledger', 200 * 1048576 + 1)).toMatchObject({
      ok: false,
      error: {
        code: 'refused',
        message: expect.stringMatching(/big.csv is larger than 200 MB, which is more than any ledger file should be/),
      },
    });
    expect(await start('descriptors', 200 * 1048576)).toMatchObject({ ok: true });
    expect(await start('staff-extract', 1024 * 1048576)).toMatchObject({ ok: true });
    expect(await start('staff-extract', 1024 * 1048576 + 1)).toMatchObject({
      ok: false,
      error: { code: 'refused', message: expect.stringMatching(/larger than 1024 MB/) },
    });
    expect(await start('backup', 1024 * 1048576 + 1)).toMatchObject({ ok: false, error: { code: 'refused' } });
  });

  it('restores a database of more than 64 MB through the real web host, in chunks', { timeout: 120_000 }, async () => {
    const source = await store();
    expect((await dispatch(source.ctx, 'settings/organisation-save', ORG)).ok).toBe(true);
    // Incompressible padding makes the database far larger than any one request the host accepts.
    const pad = source.store.db.prepare(`INSERT INTO setting (key, value) VALUES (?, ?)`);
    for (let i = 0; i < 70; i++) pad.run(`padding-${i}`, randomBytes(512 * 1024).toString('hex'));
    const backupFile = path.join(source.dir, 'big-backup.sqlite');
    await source.store.backupTo(backupFile);
    const size = fs.statSync(backupFile).size;
    expect(size).toBeGreaterThan(64 * 1048576);

    const t = await store();
    const staticDir = path.join(t.dir, 'renderer');
    fs.mkdirSync(staticDir);
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>app</title>');
    const host = await startHost({ context: t.ctx, staticDir, log: () => undefined });
    try {
      // Signed in as the page is: the printed code, posted once, answers the session cookie.
      const signedIn = await fetch(`${host.origin}/sign-in`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code: new URL(host.url).hash.replace('#code=', '') }),
      });
      expect(signedIn.status).toBe(200);
      const cookie = signedIn.headers.getSetCookie()[0]!.split(';')[0]!;
      const post = async <T>(channel: string, body: unknown): Promise<Result<T>> => {
        const response = await fetch(`${host.origin}/api/${channel}`, {
          method: 'POST',
          headers: { Cookie: cookie, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(response.status).toBe(200);
        return (await response.json()) as Result<T>;
      };
      const handle = await fs.promises.open(backupFile, 'r');
      const buffer = Buffer.alloc(UPLOAD_CHUNK_BYTES);
      let uploadId: string | null = null;
      let offset = 0;
      let requests = 0;
      try {
        for (;;) {
          const { bytesRead } = await handle.read(buffer, 0, UPLOAD_CHUNK_BYTES, offset);
          const done = offset + bytesRead >= size;
          const sent: Result<{ uploadId: string; receivedBytes: number }> = await post('upload/chunk', {
            uploadId,
            kind: 'backup',
            fileName: 'big-backup.sqlite',
            totalBytes: size,
            offset,
            base64: buffer.subarray(0, bytesRead).toString('base64'),
            done,
          });
          if (!sent.ok) throw new Error(sent.error.message);
          requests++;
          uploadId = sent.value.uploadId;
          offset += bytesRead;
          if (done) break;
        }
      } finally {
        await handle.close();
      }
      expect(requests).toBeGreaterThan(8);
      const uploadPath = getUpload(t.store, uploadId!, 'backup').path;
      const restored = await post<{ sizeBytes: number }>('settings/restore', { uploadId });
      expect(restored).toMatchObject({ ok: true });
      if (restored.ok) expect(restored.value.sizeBytes).toBeGreaterThan(64 * 1048576);
      expect(await post('settings/organisation', {})).toEqual({
        ok: true,
        value: { ...ORG, kind: 'trust', isDemo: false },
      });
      expect(t.store.db.prepare(`SELECT count(*) FROM setting WHERE key LIKE 'padding-%'`).pluck().get()).toBe(70);
      expect(t.store.db.prepare(`SELECT action FROM audit WHERE entity = 'database'`).pluck().all()).toEqual([
        'restore',
      ]);
      expect(fs.existsSync(uploadPath)).toBe(false);
    } finally {
      await host.close();
    }
  });
});

describe('the command line sends files through the same upload', () => {
  it('funding import-ledger, framework import and restore', async () => {
    const t = await store();
    await stream(t);
    const out: string[] = [];
    const print = (s: string) => out.push(s);
    const ledger = path.join(t.dir, 'gl.csv');
    fs.writeFileSync(ledger, LEDGER);
    expect(
      await fundingCommands['funding import-ledger']!.run(t.ctx, cliArgs([ledger], { year: '2021/22' }), print),
    ).toBe(0);
    expect(out.pop()).toMatch(/^Imported 1 rows \(£1,234\.56\)/);

    const template = path.join(t.dir, 'descriptors.csv');
    fs.writeFileSync(
      template,
      [
        'domain,item,stage,text',
        '2,2.1,entry,Supports.',
        '2,2.1,intermediate,Explains.',
        '2,2.1,assistant-practitioner,Leads.',
      ].join('\n'),
    );
    expect(
      await frameworkCommands['framework import']!.run(t.ctx, cliArgs([template], { 'dry-run': true }), print),
    ).toBe(0);
    expect(out.pop()).toMatch(/adopting would make hee-2021.2 current \(3 descriptor\(s\) added.*dry run/);
    expect(await frameworkCommands['framework import']!.run(t.ctx, cliArgs([template]), print)).toBe(0);
    expect(out.pop()).toMatch(/Framework version hee-2021.2 is now current/);

    const backup = path.join(t.dir, 'copy.sqlite');
    expect((await dispatch(t.ctx, 'settings/organisation-save', ORG)).ok).toBe(true);
    await t.store.backupTo(backup);
    expect((await dispatch(t.ctx, 'settings/organisation-save', { ...ORG, name: 'Renamed Trust' })).ok).toBe(true);
    expect(await settingsCommands.restore!.run(t.ctx, cliArgs([backup]), print)).toBe(0);
    expect(out.pop()).toMatch(/^Restored .* from .*copy\.sqlite/);
    expect(await dispatch(t.ctx, 'settings/organisation', {})).toEqual({
      ok: true,
      value: { ...ORG, kind: 'trust', isDemo: false },
    });
    await expect(
      settingsCommands.restore!.run(t.ctx, cliArgs([path.join(t.dir, 'missing.sqlite')]), print),
    ).rejects.toThrow(/Cannot open/);
  });
});
