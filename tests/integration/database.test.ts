import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, openDatabase, schemaVersion } from '../../electron/db/connection';
import { LATEST_SCHEMA_VERSION, migrations } from '../../electron/db/migrations';
import { DatabaseStore } from '../../electron/db/store';
import { dispatch } from '../../electron/router';
import { AppError } from '../../electron/services/common/errors';
import { KEY_OUTSIDE_FROM_VERSION, KeyStore } from '../../electron/services/common/keys';
import { referenceDatasets } from '../../shared/common/reference';
import { sendBytes, tempDir, tempStore, type TempStore } from './helpers';

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function dir(): string {
  const d = tempDir();
  cleanups.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}
async function store(): Promise<TempStore> {
  const t = await tempStore();
  cleanups.push(t.cleanup);
  return t;
}

describe('opening a database', () => {
  it('creates a new file at the latest schema with the pragmas the design asks for', async () => {
    const file = path.join(dir(), 'sub', 'new.sqlite');
    const db = await openDatabase(file);
    try {
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      const stored = db.prepare('SELECT dataset, version FROM reference_dataset ORDER BY dataset').all();
      expect(stored).toEqual(
        referenceDatasets
          .map((d) => ({ dataset: d.dataset, version: d.version }))
          .sort((a, b) => a.dataset.localeCompare(b.dataset)),
      );
      expect((db.prepare('SELECT count(*) AS n FROM profession').get() as { n: number }).n).toBe(16);
      // The pseudonymisation key is kept outside the file (electron/services/common/keys.ts).
      expect(db.prepare(`SELECT value FROM setting WHERE key = 'pseudonymisation-key'`).pluck().get()).toBeUndefined();
    } finally {
      db.close();
    }
  });

  it('numbers migrations 1, 2, 3... with no gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('refuses a database from a newer version and leaves it byte-for-byte untouched', async () => {
    const file = path.join(dir(), 'future.sqlite');
    const raw = new Database(file);
    raw.pragma(`application_id = ${APPLICATION_ID}`);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.exec('CREATE TABLE future_thing (x)');
    raw.close();
    const before = sha256(file);
    await expect(openDatabase(file)).rejects.toThrow(/newer version of this app/);
    expect(sha256(file)).toBe(before);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a file that is not SQLite, unchanged', async () => {
    const file = path.join(dir(), 'notes.sqlite');
    fs.writeFileSync(file, 'Employee Number,Band\n123,3\n'.repeat(50));
    const before = sha256(file);
    const err = await openDatabase(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('refused');
    expect((err as AppError).message).toMatch(/not a SQLite file/);
    expect(sha256(file)).toBe(before);
  });

  it("refuses another program's SQLite database, unchanged", async () => {
    const file = path.join(dir(), 'other.sqlite');
    const raw = new Database(file);
    raw.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount INTEGER); INSERT INTO invoices VALUES (1, 100)');
    raw.close();
    const before = sha256(file);
    await expect(openDatabase(file)).rejects.toThrow(/another program/);
    expect(sha256(file)).toBe(before);
  });

  it('refuses a corrupt file that starts like SQLite, unchanged', async () => {
    const file = path.join(dir(), 'corrupt.sqlite');
    fs.writeFileSync(file, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(200, 0xff)]));
    const before = sha256(file);
    await expect(openDatabase(file)).rejects.toBeInstanceOf(AppError);
    expect(sha256(file)).toBe(before);
  });

  it('backs up an existing database before migrating it', async () => {
    const d = dir();
    const file = path.join(d, 'old.sqlite');
    const old = await openDatabase(file, { targetVersion: 1 });
    old.prepare(`INSERT INTO service (name) VALUES ('Theatres')`).run();
    old.close();
    const db = await openDatabase(file, { now: () => new Date('2026-04-01T09:00:00Z') });
    db.close();
    const backups = fs.readdirSync(path.join(d, 'backups'));
    expect(backups).toEqual([`old-before-v${LATEST_SCHEMA_VERSION}-20260401-090000.sqlite`]);
    const copy = new Database(path.join(d, 'backups', backups[0]!), { readonly: true });
    expect(copy.pragma('user_version', { simple: true })).toBe(1);
    expect(copy.prepare('SELECT name FROM service').pluck().all()).toEqual(['Theatres']);
    copy.close();
  });

  it('rolls a failing migration back completely', async () => {
    const file = path.join(dir(), 'atomic.sqlite');
    const db = await openDatabase(file, { targetVersion: 1 });
    db.close();
    const broken = [
      ...migrations.slice(0, 1),
      { version: 2, name: 'broken', sql: 'CREATE TABLE half_done (x); SELECT * FROM no_such_table;' },
    ];
    const { runMigrations } = await import('../../electron/db/connection');
    const again = new Database(file);
    expect(() => runMigrations(again, broken.slice(1))).toThrow();
    expect(again.pragma('user_version', { simple: true })).toBe(1);
    expect(again.prepare(`SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'`).pluck().get()).toBe(0);
    again.close();
  });
});

describe('migration 2: summary indexes', () => {
  it('keeps every row and adds the covering indexes', async () => {
    const file = path.join(dir(), 'm2.sqlite');
    const v1 = await openDatabase(file, { targetVersion: 1 });
    v1.exec(`
      INSERT INTO profession (code, name, sort) VALUES ('OTH', 'Other', 0);
      INSERT INTO ethnic_category (code, name, grp, bme, sort) VALUES ('99', 'Not known', 'Not known', NULL, 0);
      INSERT INTO service (id, name) VALUES (1, 'Imaging');
      INSERT INTO role (id, title, service_id, profession_code, band, establishment_fte_centi) VALUES (1, 'Imaging support worker', 1, 'OTH', '2', 300);
      INSERT INTO person (id, pseudo_id) VALUES (1, 'p1');
      INSERT INTO assignment (id, person_id, pseudo_id, role_id, hours_centi, start_date) VALUES (1, 1, 'a1', 1, 3750, '2021-04-01');`);
    const rowsBefore = v1.prepare('SELECT * FROM assignment').all();
    v1.close();
    const v2 = await openDatabase(file, { targetVersion: 2 });
    expect(v2.pragma('user_version', { simple: true })).toBe(2);
    expect(v2.prepare('SELECT * FROM assignment').all()).toEqual(rowsBefore);
    const indexes = v2
      .prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'assignment' ORDER BY name`)
      .pluck()
      .all();
    expect(indexes).toContain('assignment_role_cover');
    expect(indexes).toContain('assignment_person_cover');
    expect(indexes).not.toContain('assignment_role');
    v2.close();
  });
});

describe('backup and restore', () => {
  it('round-trips: back up, change, restore, and the change is gone', async () => {
    const t = await store();
    const org = {
      name: 'Northshire NHS Trust',
      odsCode: 'RX9',
      ics: 'Northshire ICS',
      ahpFaculty: 'Northshire AHP Faculty',
    };
    expect((await dispatch(t.ctx, 'settings/organisation-save', org)).ok).toBe(true);
    const backup = await dispatch(t.ctx, 'settings/backup', {});
    if (!backup.ok) throw new Error(backup.error.message);
    expect(backup.value.fileName).toMatch(/^workforce-backup-\d{8}-\d{6}\.sqlite$/);

    await dispatch(t.ctx, 'settings/organisation-save', { ...org, name: 'Renamed Trust' });
    const uploadId = await sendBytes(
      t.ctx,
      backup.value.fileName,
      Buffer.from(backup.value.base64, 'base64'),
      'backup',
    );
    const restored = await dispatch(t.ctx, 'settings/restore', { uploadId });
    expect(restored.ok).toBe(true);
    const after = await dispatch(t.ctx, 'settings/organisation', {});
    expect(after).toEqual({ ok: true, value: { ...org, kind: 'trust', isDemo: false } });
    // The database replaced by the restore is kept.
    expect(fs.readdirSync(path.join(t.dir, 'backups')).some((f) => f.includes('before-restore'))).toBe(true);
    const audit = t.store.db.prepare(`SELECT action FROM audit WHERE entity = 'database'`).pluck().all();
    expect(audit).toEqual(['restore']);
  });

  it('refuses to restore a file that is not a workforce database, and changes nothing', async () => {
    const t = await store();
    await dispatch(t.ctx, 'workforce/service-save', { name: 'Theatres', costCentre: '' });
    const before = t.store.db.prepare('SELECT * FROM service').all();
    const uploadId = await sendBytes(t.ctx, 'holiday.xlsx', Buffer.from('PK\u0003\u0004 not a database'), 'backup');
    const result = await dispatch(t.ctx, 'settings/restore', { uploadId });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'refused' });
    expect(t.store.db.prepare('SELECT * FROM service').all()).toEqual(before);
  });

  it('the command-line backup is a consistent copy of a database in use', async () => {
    const t = await store();
    await dispatch(t.ctx, 'settings/demo-load', { staff: 50 });
    const { backupToFile } = await import('../../electron/services/settings/database');
    const target = path.join(t.dir, 'copies', 'copy.sqlite');
    await backupToFile(t.store, t.ctx, target);
    const copy = await DatabaseStore.open(target);
    expect(copy.db.prepare('SELECT count(*) FROM person').pluck().get()).toBe(50);
    copy.close();
  });
});

// ---------- issue 10: faults ----------

/** Overwrites part of a leaf page of `table` in a closed database file, as a failing disk would. */
function damagePageOf(file: string, table: string): void {
  const db = new Database(file, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const page = db
    .prepare(`SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 1`)
    .pluck()
    .get(table) as number;
  db.close();
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(200, 0x5a), 0, 200, (page - 1) * pageSize + 8);
  fs.closeSync(fd);
}

/** Every row of every table, as text: equal before and after means the database says the same. */
function contents(db: Database.Database): string {
  const tables = db
    .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all() as string[];
  return tables.map((t) => `${t}:${JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).raw().all())}`).join('\n');
}

const leftovers = (d: string) =>
  fs.readdirSync(d).filter((f) => f.endsWith('.tmp') || /\.tmp-(wal|shm|journal)$/.test(f));
const isRoot = process.getuid?.() === 0;

describe('a file that is there is never taken for a new database (issue 10, item 1)', () => {
  it('rolls back a write cut short in rollback-journal mode, as any program opening it would, then opens it', async () => {
    const d = dir();
    const file = path.join(d, 'journal.sqlite');
    const db = await openDatabase(file);
    db.prepare(`INSERT INTO service (name) VALUES ('Theatres')`).run();
    db.pragma('journal_mode = DELETE');
    db.close();
    // A copy taken halfway through a large write: the file holds part of it, the journal what it replaced.
    const writer = new Database(file);
    writer.pragma('cache_size = 2');
    writer.exec('BEGIN');
    writer.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
      INSERT INTO service (name) SELECT 'Service ' || i FROM n`);
    const copy = path.join(d, 'cut-short.sqlite');
    fs.copyFileSync(file, copy);
    fs.copyFileSync(`${file}-journal`, `${copy}-journal`);
    writer.exec('ROLLBACK');
    writer.close();
    const opened = await openDatabase(copy);
    expect(opened.prepare('SELECT name FROM service').pluck().all()).toEqual(['Theatres']);
    expect(opened.pragma('quick_check', { simple: true })).toBe('ok');
    opened.close();
  });

  it('refuses an existing empty (0-byte) file, says what to do, and leaves it as it is', async () => {
    const d = dir();
    const file = path.join(d, 'workforce.sqlite');
    fs.writeFileSync(file, '');
    const err = (await openDatabase(file).catch((e: unknown) => e)) as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('refused');
    expect(err.message).toMatch(/workforce\.sqlite is empty \(0 bytes\)\. An existing file is never taken for a new/);
    expect(err.message).toMatch(/restore your latest backup/);
    expect(fs.statSync(file).size).toBe(0);
    expect(fs.readdirSync(d)).toEqual(['workforce.sqlite']);
  });

  it.skipIf(isRoot)('refuses a file it may not read, unchanged', async () => {
    const file = path.join(dir(), 'locked.sqlite');
    const db = await openDatabase(file);
    db.close();
    const before = sha256(file);
    fs.chmodSync(file, 0o000);
    try {
      await expect(openDatabase(file)).rejects.toThrow(/locked\.sqlite cannot be read .*not taken for a new database/);
    } finally {
      fs.chmodSync(file, 0o600);
    }
    expect(sha256(file)).toBe(before);
  });

  it('builds a new database beside its name and renames it into place, sweeping what a killed start left', async () => {
    const d = dir();
    const file = path.join(d, 'workforce.sqlite');
    // A temporary file of a process that no longer runs (pid beyond any real one).
    fs.writeFileSync(`${file}.2147483646.new.tmp`, 'half made');
    fs.writeFileSync(`${file}.2147483646.new.tmp-journal`, 'half made');
    const db = await openDatabase(file);
    db.close();
    expect(fs.readdirSync(d).sort()).toEqual(['workforce.sqlite']);
    expect(schemaVersion(new Database(file, { readonly: true }))).toBe(LATEST_SCHEMA_VERSION);
  });
});

describe('restore replaces the database whole or not at all (issue 10, item 1)', () => {
  const org = { name: 'Northshire NHS Trust', odsCode: 'RX9', ics: 'Northshire ICS', ahpFaculty: 'Northshire AHP' };

  async function backupBytes(t: TempStore): Promise<Buffer> {
    const backup = await dispatch(t.ctx, 'settings/backup', {});
    if (!backup.ok) throw new Error(backup.error.message);
    return Buffer.from(backup.value.base64, 'base64');
  }

  it('refuses a damaged backup after copying and checking it, and leaves the database and its folder as they were', async () => {
    const t = await store();
    await dispatch(t.ctx, 'settings/demo-load', { staff: 200 });
    const copy = path.join(t.dir, 'copy.sqlite');
    fs.writeFileSync(copy, await backupBytes(t));
    damagePageOf(copy, 'assignment');
    await dispatch(t.ctx, 'settings/organisation-save', org);
    const before = contents(t.store.db);
    const filesBefore = fs.readdirSync(t.dir).sort();
    const uploadId = await sendBytes(t.ctx, 'copy.sqlite', fs.readFileSync(copy), 'backup');
    const result = await dispatch(t.ctx, 'settings/restore', { uploadId });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('refused');
      expect(result.error.message).toMatch(
        /^copy\.sqlite is damaged: SQLite's check of the file found ".+", so it cannot be restored\. Nothing has been changed\.$/,
      );
    }
    expect(contents(t.store.db)).toBe(before);
    expect(fs.readdirSync(t.dir).sort()).toEqual(filesBefore);
    expect(leftovers(t.dir)).toEqual([]);
  });

  it('refuses an empty file as a backup', async () => {
    const t = await store();
    const uploadId = await sendBytes(t.ctx, 'empty.sqlite', Buffer.alloc(0), 'backup');
    const result = await dispatch(t.ctx, 'settings/restore', { uploadId });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'refused',
        message: 'empty.sqlite is empty (0 bytes), so it is not a backup. Nothing has been changed.',
      },
    });
  });

  it('refuses while another program has the database open, and the database stays usable', async () => {
    const t = await store();
    await dispatch(t.ctx, 'settings/organisation-save', org);
    const bytes = await backupBytes(t);
    await dispatch(t.ctx, 'settings/organisation-save', { ...org, name: 'Renamed Trust' });
    const other = new Database(t.file);
    cleanups.unshift(() => other.close());
    other.prepare('SELECT count(*) FROM setting').get();
    const uploadId = await sendBytes(t.ctx, 'backup.sqlite', bytes, 'backup');
    const result = await dispatch(t.ctx, 'settings/restore', { uploadId });
    expect(result).toMatchObject({ ok: false, error: { code: 'conflict' } });
    if (!result.ok) expect(result.error.message).toMatch(/open in another window or program/);
    expect(await dispatch(t.ctx, 'settings/organisation', {})).toMatchObject({
      ok: true,
      value: { name: 'Renamed Trust' },
    });
    expect(leftovers(t.dir)).toEqual([]);
  });

  it('installs the backup with the record of its restore in it, and sweeps temporary files a killed restore left', async () => {
    const t = await store();
    const stale = `${t.file}.2147483646.restore.tmp`;
    fs.writeFileSync(stale, 'a restore cut short');
    await dispatch(t.ctx, 'settings/organisation-save', org);
    const uploadId = await sendBytes(t.ctx, 'backup.sqlite', await backupBytes(t), 'backup');
    expect((await dispatch(t.ctx, 'settings/restore', { uploadId })).ok).toBe(true);
    expect(fs.existsSync(stale)).toBe(false);
    expect(leftovers(t.dir)).toEqual([]);
    // The restored file on disk already holds its audit entry: there is no moment when it is restored but unrecorded.
    const onDisk = new Database(t.file, { readonly: true });
    expect(onDisk.prepare(`SELECT action FROM audit WHERE entity = 'database'`).pluck().all()).toEqual(['restore']);
    expect(onDisk.pragma('quick_check', { simple: true })).toBe('ok');
    onDisk.close();
  });
  it('restores an old backup that still holds its pseudonymisation key: the key moves to the key store', async () => {
    const t = await store();
    const old = path.join(dir(), 'old-backup.sqlite');
    const db = await openDatabase(old, { targetVersion: KEY_OUTSIDE_FROM_VERSION - 1 });
    const key = 'ab'.repeat(32);
    const id = 'cd'.repeat(16);
    db.prepare(`INSERT INTO setting (key, value) VALUES ('pseudonymisation-key', ?), ('database-id', ?)`).run(key, id);
    db.close();
    const uploadId = await sendBytes(t.ctx, 'old-backup.sqlite', fs.readFileSync(old), 'backup');
    const restored = await dispatch(t.ctx, 'settings/restore', { uploadId });
    expect(restored).toMatchObject({ ok: true, value: { schemaVersion: LATEST_SCHEMA_VERSION } });
    expect(new KeyStore(t.keyDir).read(id)?.toString('hex')).toBe(key);
    const setting = (name: string) => t.store.db.prepare(`SELECT value FROM setting WHERE key = ?`).pluck().get(name);
    expect(setting('pseudonymisation-key')).toBeUndefined();
    expect(setting('database-id')).toBe(id);
  });
});

describe('Settings after a restore (issue 10, item 17)', () => {
  it('shows when the restored data was backed up, and the restore itself', async () => {
    const t = await store();
    const at = (iso: string) => ({ ...t.ctx, now: () => new Date(iso) });
    await dispatch(at('2026-04-01T09:00:00Z'), 'settings/organisation-save', {
      name: 'Northshire NHS Trust',
      odsCode: 'RX9',
      ics: 'Northshire ICS',
      ahpFaculty: 'Northshire AHP',
    });
    const backup = await dispatch(at('2026-04-02T10:00:00Z'), 'settings/backup', {});
    if (!backup.ok) throw new Error(backup.error.message);
    const info = await dispatch(t.ctx, 'settings/info', {});
    expect(info).toMatchObject({ ok: true, value: { lastBackup: '2026-04-02T10:00:00.000Z', lastRestore: null } });

    const uploadId = await sendBytes(
      t.ctx,
      backup.value.fileName,
      Buffer.from(backup.value.base64, 'base64'),
      'backup',
    );
    const restored = await dispatch(at('2026-04-05T15:30:00Z'), 'settings/restore', { uploadId });
    expect(restored).toMatchObject({
      ok: true,
      value: {
        lastBackup: '2026-04-02T10:00:00.000Z',
        lastRestore: { at: '2026-04-05T15:30:00.000Z', fileName: backup.value.fileName },
      },
    });
  });

  it('counts the write-ahead log in the size of the database', async () => {
    const t = await store();
    await dispatch(t.ctx, 'settings/demo-load', { staff: 100 });
    const wal = fs.statSync(`${t.file}-wal`).size;
    expect(wal).toBeGreaterThan(0);
    const info = await dispatch(t.ctx, 'settings/info', {});
    if (!info.ok) throw new Error(info.error.message);
    expect(info.value.walBytes).toBe(wal);
    expect(info.value.sizeBytes).toBe(fs.statSync(t.file).size + wal);
  });
});

describe('a damaged database (issue 10, item 7)', () => {
  it('is refused at open with a clear message, and the file is left byte-for-byte untouched', async () => {
    const t = await store();
    await dispatch(t.ctx, 'settings/demo-load', { staff: 200 });
    t.store.close();
    damagePageOf(t.file, 'person');
    const before = sha256(t.file);
    const err = (await DatabaseStore.open(t.file).catch((e: unknown) => e)) as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('refused');
    expect(err.message).toMatch(
      /^workforce\.sqlite is damaged: SQLite's check of the file found ".+"\. The app does not use a damaged database/,
    );
    expect(err.message).toMatch(/has not been changed\. Keep it .* restore your latest backup/);
    expect(sha256(t.file)).toBe(before);
  });

  it('is not backed up when the damage appears while it is open', async () => {
    const t = await store();
    await dispatch(t.ctx, 'settings/demo-load', { staff: 200 });
    t.store.db.pragma('wal_checkpoint(TRUNCATE)');
    damagePageOf(t.file, 'assignment');
    t.store.db.pragma('cache_size = 0'); // read from disk, not from what was cached before the damage
    const result = await dispatch(t.ctx, 'settings/backup', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'refused' } });
    if (!result.ok) expect(result.error.message).toMatch(/^The database is damaged: .* No backup was written\./);
    expect(leftovers(t.dir)).toEqual([]);
  });
});

describe('the backup before an upgrade comes first (issue 10, item 8)', () => {
  async function oldDatabase(d: string): Promise<string> {
    const file = path.join(d, 'old.sqlite');
    const old = await openDatabase(file, { targetVersion: 1 });
    old.prepare(`INSERT INTO service (name) VALUES ('Theatres')`).run();
    // As a file copied with another tool may be: in rollback-journal mode, which opening switches to WAL.
    old.pragma('journal_mode = DELETE');
    old.close();
    return file;
  }

  it('leaves the file byte-for-byte as it was when the backup cannot be written', async () => {
    const d = dir();
    const file = await oldDatabase(d);
    const before = sha256(file);
    fs.writeFileSync(path.join(d, 'not-a-folder'), '');
    const err = (await openDatabase(file, { backupDir: path.join(d, 'not-a-folder', 'backups') }).catch(
      (e: unknown) => e,
    )) as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err.message).toMatch(
      /^old\.sqlite needs updating .* the backup made first could not be written .* The database has not been changed\./,
    );
    expect(sha256(file)).toBe(before);
    expect(fs.readdirSync(d).sort()).toEqual(['not-a-folder', 'old.sqlite']);
  });

  it('writes the backup whole before the migration, and leaves no temporary file', async () => {
    const d = dir();
    const file = await oldDatabase(d);
    const before = sha256(file);
    const db = await openDatabase(file, { now: () => new Date('2026-04-01T09:00:00Z') });
    db.close();
    const backups = fs.readdirSync(path.join(d, 'backups'));
    expect(backups).toEqual([`old-before-v${LATEST_SCHEMA_VERSION}-20260401-090000.sqlite`]);
    // The copy is the file as it was, page for page: same schema version, same rows, nothing of the upgrade.
    const copy = new Database(path.join(d, 'backups', backups[0]!), { readonly: true });
    expect(copy.pragma('user_version', { simple: true })).toBe(1);
    expect(copy.pragma('quick_check', { simple: true })).toBe('ok');
    expect(copy.prepare('SELECT name FROM service').pluck().all()).toEqual(['Theatres']);
    copy.close();
    expect(sha256(file)).not.toBe(before);
  });
});

describe('readable by the SQLite tools people inspect it with (issue 10, item 12)', () => {
  /** A version 8 database with people whose records were entered out of id order. */
  async function withQualifications(file: string, targetVersion?: number): Promise<Database.Database> {
    const db = await openDatabase(file, targetVersion === undefined ? {} : { targetVersion });
    db.exec(`
      INSERT OR IGNORE INTO ethnic_category (code, name, grp, bme, sort) VALUES ('99', 'Not known', 'Not known', NULL, 0);
      INSERT INTO person (id, pseudo_id) VALUES (1, 'p1'), (2, 'p2');
      INSERT INTO qualification (id, person_id, kind, status, details) VALUES
        (5, 1, 'other', 'completed', '{"kind":"other","title":"Second"}'),
        (3, 1, 'other', 'completed', '{"kind":"other","title":"First"}'),
        (4, 2, 'care-certificate', 'completed', '{"kind":"care-certificate"}');`);
    return db;
  }
  const signatures = (db: Database.Database) =>
    db
      .prepare(
        `SELECT p.id, e.signature FROM person p JOIN person_education pe ON pe.person_id = p.id JOIN education_set e ON e.id = pe.set_id ORDER BY p.id`,
      )
      .raw()
      .all();

  it('migration 9 rewrites the education triggers without ORDER BY inside an aggregate, with the same results', async () => {
    const d = dir();
    const v8 = await withQualifications(path.join(d, 'v8.sqlite'), 8);
    const before = signatures(v8);
    expect(before).toEqual([
      [1, '{"kind":"other","title":"First"}\n{"kind":"other","title":"Second"}'],
      [2, '{"kind":"care-certificate"}'],
    ]);
    v8.close();
    const db = await openDatabase(path.join(d, 'v8.sqlite'));
    expect(signatures(db)).toEqual(before);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    const triggers = db
      .prepare(`SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'qualification_%'`)
      .pluck()
      .all() as string[];
    expect(triggers).toHaveLength(3);
    for (const sql of triggers) expect(sql).not.toMatch(/group_concat\s*\((?:[^()]|\([^()]*\))*\bORDER\s+BY\b/i);
    // The triggers still keep the sets: a record added, changed and deleted, each in id order.
    db.prepare(
      `INSERT INTO qualification (id, person_id, kind, status, details) VALUES (1, 2, 'other', 'completed', '{"kind":"other","title":"Zero"}')`,
    ).run();
    db.prepare(`UPDATE qualification SET details = '{"kind":"other","title":"Premier"}' WHERE id = 3`).run();
    db.prepare(`DELETE FROM qualification WHERE id = 5`).run();
    expect(signatures(db)).toEqual([
      [1, '{"kind":"other","title":"Premier"}'],
      [2, '{"kind":"other","title":"Zero"}\n{"kind":"care-certificate"}'],
    ]);
    db.close();
  });

  it('uses no SQL newer than SQLite 3.37 in its schema', async () => {
    const db = await withQualifications(path.join(dir(), 'new.sqlite'));
    const schema = (db.prepare(`SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL`).pluck().all() as string[])
      .join('\n')
      .replace(/--[^\n]*/g, '')
      .replace(/\/\*[\s\S]*?\*\//g, '');
    db.close();
    // 3.38: ->, ->>, unixepoch(), format(); 3.39: RIGHT and FULL joins, IS [NOT] DISTINCT FROM; 3.43: octet_length(),
    // timediff(); 3.44: ORDER BY inside an aggregate, concat(), concat_ws(), string_agg(); 3.45: jsonb; 3.46+.
    const newer = [
      /->/,
      /\bunixepoch\s*\(/i,
      /\bformat\s*\(/i,
      /\b(RIGHT|FULL)\s+(OUTER\s+)?JOIN\b/i,
      /\bDISTINCT\s+FROM\b/i,
      /\boctet_length\s*\(/i,
      /\btimediff\s*\(/i,
      /\bconcat(_ws)?\s*\(/i,
      /\bstring_agg\s*\(/i,
      /\bjsonb/i,
      /\b(group_concat|json_group_array|json_group_object|sum|count|min|max|avg|total)\s*\((?:[^()]|\([^()]*\))*\bORDER\s+BY\b/i,
    ];
    expect(newer.filter((pattern) => pattern.test(schema)).map(String)).toEqual([]);
  });

  const sqlite3 = '/usr/bin/sqlite3';
  const hasSqlite3 = fs.existsSync(sqlite3);
  if (!hasSqlite3)
    console.warn(`Skipped: ${sqlite3} is not installed (apt-get install sqlite3), so the file is not opened with it.`);

  it.skipIf(!hasSqlite3)(
    `opens, checks and changes a migrated database with ${sqlite3} (Debian 12: 3.40)`,
    async () => {
      const d = dir();
      const file = path.join(d, 'inspect.sqlite');
      (await withQualifications(file, 8)).close();
      (await DatabaseStore.open(file)).close(); // migrated to the latest schema, reference data loaded
      const run = (sql: string) => {
        const r = spawnSync(sqlite3, ['-batch', '-bail', file], { input: sql, encoding: 'utf8' });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        return r.stdout.trim();
      };
      expect(run("SELECT sqlite_version() >= '3.37';")).toBe('1');
      expect(run('PRAGMA integrity_check;')).toBe('ok');
      expect(run('SELECT count(*) FROM person WHERE id IN (1, 2);')).toBe('2');
      expect(
        run(`SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'qualification_%' ORDER BY name;`),
      ).toBe('qualification_education_delete\nqualification_education_insert\nqualification_education_update');
      expect(Number(run('SELECT count(*) FROM reference_dataset;'))).toBeGreaterThan(0);
      // The triggers run in that SQLite too, with the same result as in the app's.
      run(
        `INSERT INTO qualification (id, person_id, kind, status, details) VALUES (2, 1, 'other', 'completed', '{"kind":"other","title":"Before"}');`,
      );
      expect(
        run(
          'SELECT e.signature FROM person_education pe JOIN education_set e ON e.id = pe.set_id WHERE pe.person_id = 1;',
        ),
      ).toBe('{"kind":"other","title":"Before"}\n{"kind":"other","title":"First"}\n{"kind":"other","title":"Second"}');
      expect(run('PRAGMA integrity_check;')).toBe('ok');
      const again = await openDatabase(file);
      expect(again.pragma('quick_check', { simple: true })).toBe('ok');
      again.close();
    },
  );
});
