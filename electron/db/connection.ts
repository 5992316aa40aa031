import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ethnicCategories, professions, referenceDatasets } from '../../shared/common/reference';
import { syncShippedPay } from '../services/training/pay';
import { AppError } from '../services/common/errors';
import { LATEST_SCHEMA_VERSION, migrations, type Migration } from './migrations/index';

export type DB = Database.Database;

/** Marks a SQLite file as ours ("AHPS"), so that another program's database is never migrated. */
export const APPLICATION_ID = 0x41485053;
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export interface OpenOptions {
  /** Migrate only up to this version (tests build a database at N-1 this way). */
  targetVersion?: number;
  /** Folder for the automatic pre-migration backup; defaults to a "backups" folder beside the database. */
  backupDir?: string;
  now?: () => Date;
}

/**
 * Checks a file without writing a single byte to it: it must be empty/absent, or a SQLite database of ours
 * whose schema version this app understands. `name` is what messages call it (an upload has a random name).
 */
export function inspectDatabaseFile(
  file: string,
  name = path.basename(file),
): { exists: boolean; userVersion: number } {
  if (!fs.existsSync(file)) return { exists: false, userVersion: 0 };
  const stat = fs.statSync(file);
  if (stat.isDirectory()) throw new AppError('refused', `${file} is a folder, not a database file.`);
  if (stat.size === 0) return { exists: false, userVersion: 0 };
  const head = Buffer.alloc(16);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 16, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (!head.equals(SQLITE_HEADER)) {
    throw new AppError(
      'refused',
      `${name} is not a workforce database (it is not a SQLite file). It has not been changed.`,
    );
  }
  let probe: DB | undefined;
  try {
    probe = new Database(file, { readonly: true, fileMustExist: true });
    const userVersion = probe.pragma('user_version', { simple: true }) as number;
    const applicationId = probe.pragma('application_id', { simple: true }) as number;
    const tables = probe.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'`).get() as { n: number };
    if (applicationId !== APPLICATION_ID && (applicationId !== 0 || tables.n > 0)) {
      throw new AppError('refused', `${name} is a SQLite database from another program. It has not been changed.`);
    }
    if (userVersion > LATEST_SCHEMA_VERSION) {
      throw new AppError(
        'refused',
        `${name} was made by a newer version of this app (schema ${userVersion}; this app knows up to ${LATEST_SCHEMA_VERSION}). Install the newer app to open it. The file has not been changed.`,
      );
    }
    return { exists: true, userVersion };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(
      'refused',
      `${name} cannot be read as a database (${(err as Error).message}). It has not been changed.`,
    );
  } finally {
    probe?.close();
  }
}

function applyPragmas(db: DB): void {
  db.pragma('journal_mode = WAL');
  // "Saved" must mean on disk: sign-offs and returns depend on it.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

export function backupFileName(dbFile: string, reason: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `${path.basename(dbFile).replace(/\.[^.]*$/, '')}-${reason}-${stamp}.sqlite`;
}

export function runMigrations(db: DB, pending: Migration[]): void {
  const migrate = db.transaction(() => {
    for (const m of pending) {
      const current = db.pragma('user_version', { simple: true }) as number;
      if (m.version !== current + 1) throw new Error(`Migration ${m.version} cannot follow schema ${current}`);
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
    db.pragma(`application_id = ${APPLICATION_ID}`);
  });
  migrate();
}

/** Copies the shipped reference data into the database when its version differs from what is stored. */
export function syncReferenceData(db: DB, now: Date): void {
  const stored = new Map(
    (db.prepare('SELECT dataset, version FROM reference_dataset').all() as { dataset: string; version: string }[]).map(
      (r) => [r.dataset, r.version],
    ),
  );
  const stale = referenceDatasets.filter((d) => stored.get(d.dataset) !== d.version);
  const hasKey = db.prepare(`SELECT 1 FROM setting WHERE key = 'pseudonymisation-key'`).get();
  if (stale.length === 0 && hasKey) return;
  db.transaction(() => {
    if (!hasKey) {
      db.prepare(`INSERT INTO setting (key, value) VALUES ('pseudonymisation-key', ?)`).run(
        randomBytes(32).toString('hex'),
      );
    }
    const upsertProfession = db.prepare(
      `INSERT INTO profession (code, name, sort) VALUES (?, ?, ?) ON CONFLICT(code) DO UPDATE SET name = excluded.name, sort = excluded.sort`,
    );
    professions.items.forEach((p, i) => upsertProfession.run(p.code, p.name, i));
    const upsertEthnic = db.prepare(
      `INSERT INTO ethnic_category (code, name, grp, bme, sort) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(code) DO UPDATE SET name = excluded.name, grp = excluded.grp, bme = excluded.bme, sort = excluded.sort`,
    );
    ethnicCategories.items.forEach((e, i) =>
      upsertEthnic.run(e.code, e.name, e.group, e.bme === null ? null : Number(e.bme), i),
    );
    syncShippedPay(db);
    const record = db.prepare(
      `INSERT INTO reference_dataset (dataset, version, source, loaded_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(dataset) DO UPDATE SET version = excluded.version, source = excluded.source, loaded_at = excluded.loaded_at`,
    );
    for (const d of referenceDatasets) record.run(d.dataset, d.version, d.source, now.toISOString());
  })();
}

/**
 * Opens (creating if needed) a workforce database: refuses foreign or future files untouched, backs up before
 * migrating, runs every pending migration in one transaction, then loads reference data.
 */
export async function openDatabase(file: string, options: OpenOptions = {}): Promise<DB> {
  const now = options.now ?? (() => new Date());
  const target = options.targetVersion ?? LATEST_SCHEMA_VERSION;
  const { exists, userVersion } = inspectDatabaseFile(file);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  try {
    applyPragmas(db);
    const pending = migrations.filter((m) => m.version > userVersion && m.version <= target);
    if (pending.length > 0 && exists && userVersion > 0) {
      const dir = options.backupDir ?? path.join(path.dirname(path.resolve(file)), 'backups');
      fs.mkdirSync(dir, { recursive: true });
      await db.backup(path.join(dir, backupFileName(file, `before-v${pending[pending.length - 1]!.version}`, now())));
    }
    if (pending.length > 0) runMigrations(db, pending);
    if (target === LATEST_SCHEMA_VERSION) syncReferenceData(db, now());
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export function schemaVersion(db: DB): number {
  return db.pragma('user_version', { simple: true }) as number;
}
