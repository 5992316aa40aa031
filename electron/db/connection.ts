import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { ethnicCategories, professions, referenceDatasets } from '../../shared/common/reference';
import { syncShippedPay } from '../services/training/pay';
import { AppError } from '../services/common/errors';
import { keepKeyOutside, KeyStore } from '../services/common/keys';
import {
  flushFile,
  flushFolder,
  removeWithSidecars,
  renameDurably,
  sweepStaleTemps,
  tempBeside,
  writeCopy,
} from './files';
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
  /** Folder of pseudonymisation key files; defaults to the user's key store (location.ts `keyStoreDir`). */
  keyDir?: string;
  now?: () => Date;
}

/** What a file is being checked for: opening it as the database, or restoring it over the database. */
export type FileUse = 'open' | 'restore';

const UNCHANGED: Record<FileUse, string> = {
  open: 'It has not been changed.',
  restore: 'Nothing has been changed.',
};

const RECOVER =
  'move it out of the way, then restore your latest backup (Settings, "Restore from a backup", or ' +
  'npm run cli -- restore BACKUP-FILE); the app keeps copies in the "backups" folder beside the database.';

/**
 * SQLite's own check of a database's structure: every page of every table and index is read (`quick_check`),
 * or also every index compared with its table (`integrity_check`). Answers what is wrong, or null when nothing is.
 */
export function findDamage(db: DB, check: 'quick_check' | 'integrity_check' = 'quick_check'): string | null {
  try {
    const found = db.prepare(`PRAGMA ${check}(1)`).pluck().all() as string[];
    if (found.length === 1 && found[0] === 'ok') return null;
    // The first problem is enough to say the file is damaged; the heading line names only the schema.
    const lines = found.flatMap((row) => row.split('\n')).filter((line) => line && !line.startsWith('*** in database'));
    return lines[0] ?? found.join('; ');
  } catch (error) {
    return (error as Error).message;
  }
}

export function damagedMessage(name: string, damage: string, use: FileUse): string {
  return use === 'open'
    ? `${name} is damaged: SQLite's check of the file found "${damage}". The app does not use a damaged database, so that nothing is read wrongly or written into it, and the file has not been changed. Keep it (your IT team may recover more of it), ${RECOVER}`
    : `${name} is damaged: SQLite's check of the file found "${damage}", so it cannot be restored. ${UNCHANGED[use]}`;
}

/** A readable file whose first bytes say SQLite: opens it read-only, letting SQLite first undo a crashed write. */
function probe(file: string): DB {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return db;
  } catch (error) {
    // A hot rollback journal (a write cut short in rollback mode): only a writable connection may roll it back,
    // which restores the file to its last committed state, as any program opening it would.
    if ((error as { code?: string }).code !== 'SQLITE_READONLY_ROLLBACK') throw error;
    const writable = new Database(file, { fileMustExist: true });
    try {
      writable.prepare('SELECT count(*) FROM sqlite_schema').get();
    } finally {
      writable.close();
    }
    return new Database(file, { readonly: true, fileMustExist: true });
  }
}

/**
 * Checks a file without writing a single byte to it: it must be absent, or an undamaged SQLite database of ours
 * whose schema version this app understands. An existing file that is empty or cannot be read is never taken for
 * a new database. `name` is what messages call it (an upload has a random name).
 */
export function inspectDatabaseFile(
  file: string,
  name = path.basename(file),
  use: FileUse = 'open',
): { exists: boolean; userVersion: number } {
  const unchanged = UNCHANGED[use];
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, userVersion: 0 };
    throw new AppError('refused', `${name} cannot be read (${(error as Error).message}). ${unchanged}`);
  }
  if (stat.isDirectory()) throw new AppError('refused', `${file} is a folder, not a database file. ${unchanged}`);
  if (stat.size === 0) {
    throw new AppError(
      'refused',
      use === 'open'
        ? `${name} is empty (0 bytes). An existing file is never taken for a new database, since it may be one whose copy was cut short; it has not been changed. To start a new database, delete it; to get your data back, ${RECOVER}`
        : `${name} is empty (0 bytes), so it is not a backup. ${unchanged}`,
    );
  }
  const head = Buffer.alloc(16);
  try {
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, head, 0, 16, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    throw new AppError(
      'refused',
      `${name} cannot be read (${(error as Error).message}), so it is not taken for a new database either. ${unchanged} Check that you may read and write it.`,
    );
  }
  if (!head.equals(SQLITE_HEADER)) {
    throw new AppError('refused', `${name} is not a workforce database (it is not a SQLite file). ${unchanged}`);
  }
  let db: DB | undefined;
  try {
    db = probe(file);
    const userVersion = db.pragma('user_version', { simple: true }) as number;
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'`).get() as { n: number };
    if (applicationId !== APPLICATION_ID && (applicationId !== 0 || tables.n > 0)) {
      throw new AppError('refused', `${name} is a SQLite database from another program. ${unchanged}`);
    }
    if (userVersion > LATEST_SCHEMA_VERSION) {
      throw new AppError(
        'refused',
        `${name} was made by a newer version of this app (schema ${userVersion}; this app knows up to ${LATEST_SCHEMA_VERSION}). Install the newer app to open it. ${unchanged}`,
      );
    }
    const damage = findDamage(db);
    if (damage) throw new AppError('refused', damagedMessage(name, damage, use));
    return { exists: true, userVersion };
  } catch (err) {
    if (err instanceof AppError) throw err;
    const message = (err as Error).message;
    if ((err as { code?: string }).code?.startsWith('SQLITE_CORRUPT') || /malformed/.test(message))
      throw new AppError('refused', damagedMessage(name, message, use));
    throw new AppError('refused', `${name} cannot be read as a database (${message}). ${unchanged}`);
  } finally {
    db?.close();
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
  // SQLite's way to rebuild a table others refer to: foreign keys off (only possible outside a transaction),
  // then every reference checked before the transaction commits, so a broken one rolls the whole upgrade back.
  const rebuilds = pending.some((m) => m.rebuildsTables);
  if (rebuilds && db.inTransaction && db.pragma('foreign_keys', { simple: true }) === 1)
    throw new Error('A migration that rebuilds tables must start with foreign keys off, outside a transaction.');
  const migrate = db.transaction(() => {
    for (const m of pending) {
      const current = db.pragma('user_version', { simple: true }) as number;
      if (m.version !== current + 1) throw new Error(`Migration ${m.version} cannot follow schema ${current}`);
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
    if (rebuilds) {
      const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
      if (broken.length > 0)
        throw new Error(
          `The upgrade left ${broken.length} broken reference(s), e.g. ${broken[0]!.table} -> ${broken[0]!.parent}`,
        );
    }
    db.pragma(`application_id = ${APPLICATION_ID}`);
  });
  withForeignKeysOffFor(db, pending, migrate);
}

/**
 * Runs `work` with foreign keys off when a pending migration rebuilds tables. The pragma has no effect inside a
 * transaction, so this wraps the outermost one; the migration's own foreign_key_check guards the result.
 */
function withForeignKeysOffFor(db: DB, pending: Migration[], work: () => void): void {
  const off = pending.some((m) => m.rebuildsTables) && !db.inTransaction;
  if (off) db.pragma('foreign_keys = OFF');
  try {
    work();
  } finally {
    if (off) db.pragma('foreign_keys = ON');
  }
}

/** Copies the shipped reference data into the database when its version differs from what is stored. */
export function syncReferenceData(db: DB, now: Date): void {
  const stored = new Map(
    (db.prepare('SELECT dataset, version FROM reference_dataset').all() as { dataset: string; version: string }[]).map(
      (r) => [r.dataset, r.version],
    ),
  );
  const stale = referenceDatasets.filter((d) => stored.get(d.dataset) !== d.version);
  if (stale.length === 0) return;
  db.transaction(() => {
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
 * Opens (creating if needed) a workforce database: refuses a damaged, foreign or future file untouched; before a
 * migration, backs the file up (read-only) and changes nothing, not even the journal mode, until that copy is on
 * disk; then runs every pending migration and the reference data in one transaction.
 */
export async function openDatabase(file: string, options: OpenOptions = {}): Promise<DB> {
  const now = options.now ?? (() => new Date());
  const target = options.targetVersion ?? LATEST_SCHEMA_VERSION;
  const backupDir = backupFolder(file, options);
  // What a killed restore, upgrade backup or first start left beside the database: copies of it, never needed.
  sweepStaleTemps(path.dirname(path.resolve(file)));
  sweepStaleTemps(backupDir);
  const { exists, userVersion } = inspectDatabaseFile(file);
  if (!exists) {
    createBeside(file, (db) => bringUpToDate(db, file, options));
  } else if (userVersion > 0 && userVersion < target) {
    await backupBeforeMigration(file, path.join(backupDir, backupFileName(file, `before-v${target}`, now())));
  }
  const db = new Database(file, { fileMustExist: true });
  try {
    bringUpToDate(db, file, options);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

const backupFolder = (file: string, options: OpenOptions) =>
  options.backupDir ?? path.join(path.dirname(path.resolve(file)), 'backups');

/**
 * Pragmas, pending migrations and reference data, and the pseudonymisation key kept outside the file, on an open
 * connection to `file` (or to a copy that is to become `file`, such as a backup being restored).
 */
export function bringUpToDate(db: DB, file: string, options: OpenOptions = {}): void {
  const now = options.now ?? (() => new Date());
  const target = options.targetVersion ?? LATEST_SCHEMA_VERSION;
  applyPragmas(db);
  const pending = migrations.filter((m) => m.version > schemaVersion(db) && m.version <= target);
  // The pseudonymisation key stays outside the file: moved out on upgrade, made for a new database.
  withForeignKeysOffFor(db, pending, () =>
    keepKeyOutside(
      db,
      {
        store: new KeyStore(options.keyDir),
        targetVersion: target,
        backupDir: backupFolder(file, options),
        what: path.basename(file),
        now: now(),
      },
      () => {
        if (pending.length === 0) return;
        // Schema and reference data together: a migration cut short leaves the database as it was.
        db.transaction(() => {
          runMigrations(db, pending);
          if (target === LATEST_SCHEMA_VERSION) syncReferenceData(db, now());
        })();
      },
    ),
  );
  if (target === LATEST_SCHEMA_VERSION) syncReferenceData(db, now());
}

/**
 * The copy made before a migration, taken through a read-only connection and written beside its final name:
 * the database itself is not touched until the copy is on disk. If the copy cannot be made, nothing is changed.
 */
async function backupBeforeMigration(file: string, target: string): Promise<void> {
  const source = new Database(file, { readonly: true, fileMustExist: true });
  try {
    await writeCopy(source, target);
  } catch (error) {
    throw new AppError(
      'refused',
      `${path.basename(file)} needs updating to this version of the app, and the backup made first could not be written to ${target} (${(error as Error).message}). The database has not been changed. Free some disk space or make that folder writable, then open it again.`,
    );
  } finally {
    source.close();
  }
}

/**
 * A new database is built under a temporary name beside its final one and renamed into place complete, so that
 * a first start cut short leaves no empty or half-made file (an existing empty file is refused, never reused).
 */
function createBeside(file: string, build: (db: DB) => void): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const temp = tempBeside(file, 'new');
  removeWithSidecars(temp);
  try {
    const db = new Database(temp);
    try {
      build(db);
    } finally {
      db.close();
    }
    flushFile(temp);
    // A link never replaces a file another process created meanwhile; where links are not supported, a rename
    // does, after a last look.
    try {
      fs.linkSync(temp, file);
      flushFolder(path.dirname(path.resolve(file)));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && !fs.existsSync(file)) renameDurably(temp, file);
    }
  } finally {
    removeWithSidecars(temp);
  }
}

export function schemaVersion(db: DB): number {
  return db.pragma('user_version', { simple: true }) as number;
}
