import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, openDatabase, schemaVersion } from '../../electron/db/connection';
import { LATEST_SCHEMA_VERSION, migrations } from '../../electron/db/migrations';
import { DatabaseStore } from '../../electron/db/store';
import { dispatch } from '../../electron/router';
import { AppError } from '../../electron/services/common/errors';
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
      expect(db.prepare(`SELECT value FROM setting WHERE key = 'pseudonymisation-key'`).pluck().get()).toMatch(
        /^[0-9a-f]{64}$/,
      );
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
    expect(after).toEqual({ ok: true, value: { ...org, isDemo: false } });
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
