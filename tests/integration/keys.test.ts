import Database from 'better-sqlite3';
import { createHash, createHmac } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/db/connection';
import { keyStoreDir } from '../../electron/db/location';
import { DatabaseStore } from '../../electron/db/store';
import type { HandlerContext } from '../../electron/handler';
import { dispatch } from '../../electron/router';
import { KEY_OUTSIDE_FROM_VERSION, KeyStore } from '../../electron/services/common/keys';
import { pseudonymise } from '../../electron/services/common/pseudonym';
import type { Result } from '../../shared/common/api';
import { csvText, esrExtract } from '../fixtures/extracts';
import { FIXED_NOW, sendBytes, tempDir, tempStore, type TempStore } from './helpers';

/**
 * The pseudonymisation key lives outside the database (electron/services/common/keys.ts): these tests attack a
 * database and its backups as an auditor would, and follow a database to "another computer" (another key folder).
 */

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
async function store(): Promise<TempStore> {
  const t = await tempStore();
  cleanups.push(t.cleanup);
  return t;
}
function dir(): string {
  const d = tempDir();
  cleanups.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

async function ok<T>(promise: Promise<Result<T>>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(`Expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

const PEOPLE = 300;
const extract = (seed = 7) => esrExtract(PEOPLE, seed);

/** Imports a generated ESR-shaped extract through the same channels as the Import screen. */
async function importExtract(ctx: HandlerContext, rows = extract()) {
  const uploadId = await sendBytes(ctx, 'march.csv', csvText(rows), 'staff-extract');
  const inspected = await dispatch(ctx, 'import/inspect', { uploadId });
  if (!inspected.ok) return inspected;
  return dispatch(ctx, 'import/commit', {
    uploadId,
    mapping: inspected.value.guessedMapping,
    dateOrder: 'dmy',
    extractDate: '2026-03-31',
  });
}

/** "Back up now" in Settings: the bytes the user saves. */
async function backupFile(ctx: HandlerContext, to: string): Promise<string> {
  const file = await ok(dispatch(ctx, 'settings/backup', {}));
  fs.writeFileSync(to, Buffer.from(file.base64, 'base64'));
  return to;
}

// ---------- the attack ----------

const HEX_64 = /(?=([0-9a-fA-F]{64}))/g;

/**
 * Everything in the files that could be the key: every value of the `setting` table (as hex and as text) and every
 * 64 hex digits (32 bytes) in a row anywhere in the raw bytes of each file, at every offset (free pages, the WAL,
 * a key file, every text value of every table). Pseudonyms are left out: they are what is being attacked.
 */
function candidateKeys(files: string[], pseudonyms: Set<string>): Buffer[] {
  const hex = new Set<string>();
  const text = new Set<string>();
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    for (const m of bytes.toString('latin1').matchAll(HEX_64)) hex.add(m[1]!.toLowerCase());
    if (!bytes.subarray(0, 16).equals(Buffer.from('SQLite format 3\0', 'latin1'))) continue;
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      for (const value of db.prepare('SELECT value FROM setting').pluck().all() as string[]) {
        text.add(value);
        if (/^([0-9a-f]{2})+$/i.test(value) && !pseudonyms.has(value)) hex.add(value.toLowerCase());
      }
    } finally {
      db.close();
    }
  }
  return [...[...hex].map((h) => Buffer.from(h, 'hex')), ...[...text].map((t) => Buffer.from(t, 'utf8'))];
}

/** Person and assignment pseudonyms in every database file given. */
function pseudonymsIn(files: string[]): { people: Set<string>; all: Set<string> } {
  const people = new Set<string>();
  const all = new Set<string>();
  for (const file of files) {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      for (const p of db.prepare('SELECT pseudo_id FROM person').pluck().all() as string[]) people.add(p);
      for (const p of db.prepare('SELECT pseudo_id FROM assignment').pluck().all() as string[]) all.add(p);
    } finally {
      db.close();
    }
  }
  for (const p of people) all.add(p);
  return { people, all };
}

/**
 * Tries every 8-digit employee number in a range with every candidate key, hashed as the pseudonymiser does,
 * and answers the employee numbers whose pseudonym is in the files.
 */
function reidentify(
  databases: string[],
  otherFiles: string[],
  range = 100_000,
): { found: Set<string>; keysTried: number } {
  const pseudonyms = pseudonymsIn(databases);
  const keys = candidateKeys([...databases, ...otherFiles], pseudonyms.all);
  const found = new Set<string>();
  for (const key of keys) {
    for (let n = 10_000_000; n < 10_000_000 + range; n++) {
      const number = String(n);
      const pseudo = createHmac('sha256', key).update(`person:${number}`).digest('hex').slice(0, 32);
      if (pseudonyms.people.has(pseudo)) found.add(number);
    }
  }
  return { found, keysTried: keys.length };
}

const filesIn = (folder: string) =>
  fs.existsSync(folder) ? fs.readdirSync(folder).map((name) => path.join(folder, name)) : [];
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('re-identification from the files alone', () => {
  it('finds nobody in a database and its backup without the key store, and everybody with the key file', async () => {
    const t = await store();
    const imported = await ok(importExtract(t.ctx));
    expect(imported.added).toBeGreaterThan(200);
    const people = t.store.db.prepare('SELECT count(*) FROM person').pluck().get() as number;
    const backup = await backupFile(t.ctx, path.join(t.dir, 'settings-backup.sqlite'));
    const cliBackup = path.join(t.dir, 'cli-backup.sqlite');
    await t.store.backupTo(cliBackup);
    // The files as they are on disk while the app runs (database, WAL), then after it has closed.
    const live = filesIn(t.dir).filter((f) => fs.statSync(f).isFile());
    const snapshot = tempDir();
    cleanups.push(() => fs.rmSync(snapshot, { recursive: true, force: true }));
    for (const f of live) fs.copyFileSync(f, path.join(snapshot, path.basename(f)));
    t.store.close();
    const databases = [t.file, backup, cliBackup];
    const everything = [...filesIn(snapshot), ...filesIn(path.join(t.dir, 'backups'))];

    const started = Date.now();
    const attack = reidentify(databases, everything);
    const seconds = (Date.now() - started) / 1000;
    expect(attack.found.size).toBe(0);
    expect(attack.keysTried).toBeGreaterThan(0);

    // The same attack with the key file from the key store recovers every imported employee number: the attack
    // works, so finding nobody above means the key is not in the files.
    const keyFiles = filesIn(t.keyDir);
    expect(keyFiles).toHaveLength(1);
    const withKey = reidentify(databases, [...everything, ...keyFiles]).found;
    expect(withKey.size).toBe(people);
    const employees = new Set(
      extract()
        .slice(1)
        .map((r) => r[0]!),
    );
    for (const number of withKey) expect(employees.has(number)).toBe(true);
    console.log(
      `re-identification: ${people} people, ${databases.length} database files and ${everything.length} other files; ` +
        `${attack.keysTried} candidate keys, 100,000 employee numbers each: without the key store 0 found ` +
        `(${seconds.toFixed(1)} s), with the key file ${withKey.size} found`,
    );
  });

  it('an upgraded database moves its key out: no copy is left in the file, its WAL or the backups folder', async () => {
    // The database an earlier version left: schema 9, the key in the `setting` table, no id, its staff imported.
    const t = { dir: dir(), keyDir: '', file: '' };
    t.file = path.join(t.dir, 'workforce.sqlite');
    t.keyDir = path.join(t.dir, 'keys');
    const key = createHash('sha256').update('the old key').digest('hex');
    const hmac = (kind: string, clear: string) =>
      createHmac('sha256', Buffer.from(key, 'hex')).update(`${kind}:${clear}`).digest('hex').slice(0, 32);
    const db = await openDatabase(t.file, { targetVersion: KEY_OUTSIDE_FROM_VERSION - 1 });
    db.exec(`INSERT INTO profession (code, name, sort) VALUES ('PHY', 'Physiotherapy', 1);
      INSERT INTO ethnic_category (code, name, grp, bme, sort) VALUES ('99', 'Not known', 'Not known', NULL, 1);
      INSERT INTO service (id, name) VALUES (1, 'MSK');
      INSERT INTO role (id, title, service_id, profession_code, band) VALUES (1, 'Physio assistant', 1, 'PHY', '3');`);
    db.prepare(`INSERT INTO setting (key, value) VALUES ('pseudonymisation-key', ?)`).run(key);
    const person = db.prepare('INSERT INTO person (pseudo_id) VALUES (?)');
    const assignment = db.prepare(
      `INSERT INTO assignment (person_id, pseudo_id, role_id, hours_centi, start_date) VALUES (?, ?, 1, 3750, '2020-04-01')`,
    );
    for (let i = 1; i <= PEOPLE; i++) {
      const number = String(10_000_000 + i);
      const id = person.run(hmac('person', number)).lastInsertRowid;
      assignment.run(id, hmac('assignment', `${number}-1`));
    }
    const pseudoBefore = hmac('person', '10000001');
    // ...with a copy the old version made, holding the key too.
    const backups = path.join(t.dir, 'backups');
    fs.mkdirSync(backups, { recursive: true });
    await db.backup(path.join(backups, 'workforce-before-restore-20260101-090000.sqlite'));
    db.close();
    // ...last used by a process that was killed, so the key's page is in the WAL as well.
    const writer = new Database(t.file);
    writer.pragma('wal_autocheckpoint = 0');
    writer.prepare(`DELETE FROM setting WHERE key = 'pseudonymisation-key'`).run();
    writer.prepare(`INSERT INTO setting (key, value) VALUES ('pseudonymisation-key', ?)`).run(key);
    const killed = tempDir();
    cleanups.push(() => fs.rmSync(killed, { recursive: true, force: true }));
    for (const suffix of ['', '-wal']) fs.copyFileSync(t.file + suffix, path.join(killed, `db${suffix}`));
    writer.close();
    for (const suffix of ['', '-wal']) fs.copyFileSync(path.join(killed, `db${suffix}`), t.file + suffix);
    const hexKey = Buffer.from(key, 'latin1');
    const rawKey = Buffer.from(key, 'hex');
    const holdsKey = (file: string) => {
      const bytes = fs.readFileSync(file);
      return bytes.includes(hexKey) || bytes.includes(rawKey);
    };
    expect(holdsKey(t.file)).toBe(true);
    expect(holdsKey(`${t.file}-wal`)).toBe(true);
    expect(reidentify([t.file], []).found.size).toBeGreaterThan(200);

    const upgraded = await DatabaseStore.open(t.file, { keyDir: t.keyDir });
    try {
      expect(upgraded.db.prepare(`SELECT 1 FROM setting WHERE key = 'pseudonymisation-key'`).get()).toBeUndefined();
      expect(pseudonymise(upgraded.db, 'person', '10000001')).toBe(pseudoBefore);
      const keyFiles = filesIn(t.keyDir);
      expect(keyFiles).toHaveLength(1);
      expect(JSON.parse(fs.readFileSync(keyFiles[0]!, 'utf8')).key).toBe(key);
      // While it is open: the file and its WAL.
      for (const f of [t.file, `${t.file}-wal`].filter((f) => fs.existsSync(f))) expect(holdsKey(f)).toBe(false);
    } finally {
      upgraded.close();
    }
    const copies = filesIn(backups);
    expect(copies.length).toBeGreaterThanOrEqual(2); // the old copy and the one made before this upgrade
    for (const f of [t.file, ...copies]) expect(holdsKey(f), f).toBe(false);
    expect(reidentify([t.file, ...copies], []).found.size).toBe(0);

    // A copy from the backups folder, restored, still finds its key on this computer.
    const restoredFrom = copies.find((f) => f.includes('before-v'))!;
    const again = await DatabaseStore.open(t.file, { keyDir: t.keyDir });
    try {
      const uploadId = await sendBytes(
        { store: again, user: 'test-user', now: () => FIXED_NOW },
        path.basename(restoredFrom),
        fs.readFileSync(restoredFrom),
        'backup',
      );
      await ok(dispatch({ store: again, user: 'test-user', now: () => FIXED_NOW }, 'settings/restore', { uploadId }));
      expect(pseudonymise(again.db, 'person', '10000001')).toBe(pseudoBefore);
    } finally {
      again.close();
    }
  });
});

describe('the key store', () => {
  it('is one file per database, readable by its owner only, named by an id kept in the database', async () => {
    const t = await store();
    const id = t.store.db.prepare(`SELECT value FROM setting WHERE key = 'database-id'`).pluck().get() as string;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const file = path.join(t.keyDir, `${id}.key`);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ databaseId: id, key: expect.any(String) });
    if (process.platform !== 'win32') {
      expect(fs.statSync(t.keyDir).mode & 0o777).toBe(0o700);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    }
    // A moved and renamed database still finds its key on the same computer.
    const moved = path.join(t.dir, 'elsewhere', 'renamed.sqlite');
    t.store.close();
    fs.mkdirSync(path.dirname(moved));
    fs.renameSync(t.file, moved);
    const reopened = await DatabaseStore.open(moved, { keyDir: t.keyDir });
    cleanups.push(() => reopened.close());
    expect(await ok(dispatch({ ...t.ctx, store: reopened }, 'settings/key', {}))).toMatchObject({
      databaseId: id,
      present: true,
    });
  });

  it('is in the user config folder, or the folder AHP_KEY_DIR names', () => {
    expect(keyStoreDir({ XDG_CONFIG_HOME: '/home/a/.config' }, 'linux')).toBe(
      path.join('/home/a/.config', 'AHP Support Workforce Planner', 'keys'),
    );
    expect(keyStoreDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toContain('keys');
    expect(keyStoreDir({}, 'darwin')).toContain(path.join('Library', 'Application Support'));
    expect(keyStoreDir({ AHP_KEY_DIR: '/tmp/k' }, 'linux')).toBe(path.resolve('/tmp/k'));
  });

  it('refuses to upgrade, changing nothing, when the key cannot be saved outside the database', async () => {
    const folder = dir();
    const file = path.join(folder, 'old.sqlite');
    const old = await openDatabase(file, { targetVersion: KEY_OUTSIDE_FROM_VERSION - 1 });
    old.prepare(`INSERT INTO setting (key, value) VALUES ('pseudonymisation-key', ?)`).run('ab'.repeat(32));
    old.close();
    const before = sha256(file);
    const blocked = path.join(folder, 'not-a-folder');
    fs.writeFileSync(blocked, 'a file where the key folder should be');
    const error = await openDatabase(file, { keyDir: blocked }).then(
      () => new Error('opened'),
      (e: unknown) => e as Error,
    );
    expect(error.message).toMatch(/pseudonymisation key must move out of the database file/);
    expect(error.message).toMatch(/has not been changed/);
    expect(sha256(file)).toBe(before);
    const check = new Database(file, { readonly: true });
    expect(check.prepare(`SELECT value FROM setting WHERE key = 'pseudonymisation-key'`).pluck().get()).toBe(
      'ab'.repeat(32),
    );
    expect(check.pragma('user_version', { simple: true })).toBe(KEY_OUTSIDE_FROM_VERSION - 1);
    check.close();
    // Once the folder can be written, the same file opens and its key moves out.
    const db = await openDatabase(file, { keyDir: path.join(folder, 'keys') });
    expect(db.prepare(`SELECT 1 FROM setting WHERE key = 'pseudonymisation-key'`).get()).toBeUndefined();
    db.close();
  });

  it('an upgrade cut short after the key was saved is picked up again under the same id', async () => {
    const folder = dir();
    const file = path.join(folder, 'old.sqlite');
    const keyDir = path.join(folder, 'keys');
    const old = await openDatabase(file, { targetVersion: KEY_OUTSIDE_FROM_VERSION - 1 });
    old.prepare(`INSERT INTO setting (key, value) VALUES ('pseudonymisation-key', ?)`).run('cd'.repeat(32));
    old.close();
    // The process was killed after saving the key file and before the database's transaction committed.
    new KeyStore(keyDir).save('0'.repeat(32), Buffer.from('cd'.repeat(32), 'hex'), FIXED_NOW);
    const db = await openDatabase(file, { keyDir });
    try {
      expect(db.prepare(`SELECT value FROM setting WHERE key = 'database-id'`).pluck().get()).toBe('0'.repeat(32));
      expect(fs.readdirSync(keyDir)).toEqual([`${'0'.repeat(32)}.key`]);
    } finally {
      db.close();
    }
  });
});

describe('moving a database to another computer', () => {
  it('without its key: reading works, an import is refused saying how to import the key; with it, all works', async () => {
    const t = await store();
    await ok(importExtract(t.ctx));
    const summaryHere = await ok(dispatch(t.ctx, 'workforce/summary', { asAt: '2026-03-31' }));
    const exported = await ok(dispatch(t.ctx, 'settings/key-export', { acknowledged: true }));
    const audit = await ok(dispatch(t.ctx, 'settings/audit', { limit: 5 }));
    expect(audit.entries[0]).toMatchObject({ entity: 'pseudonymisation key', action: 'export' });
    const keyText = Buffer.from(exported.base64, 'base64').toString('utf8');
    expect(JSON.parse(keyText)).toMatchObject({ warning: expect.stringMatching(/re-identifies staff/) });
    t.store.close();

    // The other computer: the same database file, another user's (empty) key store.
    const there = dir();
    const copy = path.join(there, 'workforce.sqlite');
    fs.copyFileSync(t.file, copy);
    const other = await DatabaseStore.open(copy, { keyDir: path.join(there, 'keys') });
    cleanups.push(() => other.close());
    const ctx: HandlerContext = { store: other, user: 'other-user', now: () => FIXED_NOW };
    expect(await ok(dispatch(ctx, 'workforce/summary', { asAt: '2026-03-31' }))).toEqual(summaryHere);
    const status = await ok(dispatch(ctx, 'settings/key', {}));
    expect(status.present).toBe(false);
    expect(status.message).toMatch(/not on this computer/);
    const refused = await importExtract(ctx);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('refused');
      expect(refused.error.message).toMatch(/Pseudonymisation key/);
      expect(refused.error.message).toMatch(/key import FILE/);
    }
    expect(
      (await dispatch(ctx, 'settings/key-export', { acknowledged: true })).ok,
      'nothing to export without the key',
    ).toBe(false);

    // The wrong file, another database's key and an altered key are refused.
    const wrong = async (name: string, text: string) => {
      const uploadId = await sendBytes(ctx, name, text, 'key');
      const result = await dispatch(ctx, 'settings/key-import', { uploadId });
      expect(result.ok).toBe(false);
      return result.ok ? '' : result.error.message;
    };
    expect(await wrong('notes.json', '{"hello": 1}')).toMatch(/not a pseudonymisation key file/);
    const parsed = JSON.parse(keyText) as { databaseId: string; key: string };
    expect(await wrong('other.json', JSON.stringify({ ...parsed, databaseId: 'f'.repeat(32) }))).toMatch(
      /key of another database/,
    );
    expect(await wrong('altered.json', JSON.stringify({ ...parsed, key: 'c'.repeat(64) }))).toMatch(/does not fit/);
    expect((await ok(dispatch(ctx, 'settings/key', {}))).present).toBe(false);

    const uploadId = await sendBytes(ctx, 'workforce-pseudonymisation-key.json', keyText, 'key');
    const installed = await ok(dispatch(ctx, 'settings/key-import', { uploadId }));
    expect(installed).toMatchObject({ present: true, installed: true, message: null });
    // The same people are recognised: re-importing the extract adds nobody.
    const again = await ok(importExtract(ctx));
    expect(again.added).toBe(0);
    expect(again.unchanged).toBeGreaterThan(200);
  });

  it('a new empty database gets a fresh key of its own', async () => {
    const a = await store();
    const b = await store();
    const id = (t: TempStore) =>
      t.store.db.prepare(`SELECT value FROM setting WHERE key = 'database-id'`).pluck().get();
    expect(id(a)).not.toBe(id(b));
    expect(pseudonymise(a.store.db, 'person', '10000001')).not.toBe(pseudonymise(b.store.db, 'person', '10000001'));
  });

  it('the command line exports and imports the key, with the warning; the CLI backup holds no key', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const folder = dir();
    const here = { ...process.env, AHP_KEY_DIR: path.join(folder, 'keys-here') };
    const there = { ...process.env, AHP_KEY_DIR: path.join(folder, 'keys-there') };
    const cli = (env: NodeJS.ProcessEnv, ...args: string[]) => {
      const r = spawnSync(process.execPath, ['build/scripts/run-node.mjs', 'cli', ...args], {
        cwd: root,
        encoding: 'utf8',
        env,
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const db = path.join(folder, 'workforce.sqlite');
    const extractFile = path.join(folder, 'march.csv');
    fs.writeFileSync(extractFile, csvText(extract()));
    expect(cli(here, 'import', extractFile, '--db', db).code).toBe(0);
    const backup = path.join(folder, 'backup.sqlite');
    expect(cli(here, 'backup', '--to', backup, '--db', db).code).toBe(0);
    const keyFile = path.join(folder, 'key.json');
    const exported = cli(here, 'key', 'export', '--to', keyFile, '--db', db);
    expect(exported.code).toBe(0);
    expect(exported.out).toMatch(/WARNING: .*re-identifies staff/);
    if (process.platform !== 'win32') expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(cli(here, 'key', 'export', '--to', keyFile, '--db', db).err).toMatch(/already exists/);

    // "There": the backup file as the database, without the key, then with it.
    const moved = path.join(folder, 'there.sqlite');
    fs.copyFileSync(backup, moved);
    expect(cli(there, 'summary', '--db', moved).code).toBe(0);
    const missing = cli(there, 'key', 'status', '--db', moved);
    expect(missing.code).toBe(2);
    expect(missing.out).toMatch(/not on this computer/);
    const refused = cli(there, 'import', extractFile, '--db', moved);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/key import FILE/);
    const imported = cli(there, 'key', 'import', keyFile, '--db', moved);
    expect(imported.code).toBe(0);
    expect(imported.out).toMatch(/Installed the pseudonymisation key/);
    expect(cli(there, 'key', 'status', '--db', moved).code).toBe(0);
    const reimport = cli(there, 'import', extractFile, '--json', '--db', moved);
    expect(reimport.code).toBe(0);
    expect(JSON.parse(reimport.out)).toMatchObject({ added: 0 });
    expect(reidentify([db, backup], []).found.size).toBe(0);
  });
});
