import Database from 'better-sqlite3';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { KEY_EXPORT_WARNING } from '../../../shared/settings/channels';
import type { DB } from '../../db/connection';
import { keyStoreDir } from '../../db/location';
import { migration as keyOutsideMigration } from '../../db/migrations/010-key-outside-database';
import { AppError } from './errors';

/**
 * The pseudonymisation key of each database lives outside it, in a per-user key store: one file per database in
 * the user's config folder (electron/db/location.ts `keyStoreDir`), readable by its owner only and named by a
 * random id stored in the database. A copy of the database file or of a backup therefore holds pseudonyms and
 * the id, never the key: the staff numbers behind the pseudonyms cannot be recovered from it. The desktop app,
 * the web host and the command line all open databases through `openDatabase`, which calls `keepKeyOutside` once.
 */

export const KEY_BYTES = 32;
const KEY_FILE_FORMAT = 'ahp-support-workforce-planner/pseudonymisation-key';
const ID_PATTERN = /^[0-9a-f]{32}$/;

/** The settings involved. Before the key-outside migration the key itself was stored under LEGACY_KEY. */
const LEGACY_KEY = 'pseudonymisation-key';
const DATABASE_ID = 'database-id';
/** A keyed hash of the id: tells whether a key file fits this database, and gives nothing away about the key. */
const KEY_CHECK = 'pseudonymisation-key-check';
/** Left while old bytes of a moved key may remain in the file's free space, the WAL or the backups folder. */
const SCRUB_PENDING = 'pseudonymisation-key-scrub';

/** The schema from which the key is kept outside the database (its migration deletes the row). */
export const KEY_OUTSIDE_FROM_VERSION = keyOutsideMigration.version;

export const keyFileSchema = z.object({
  format: z.literal(KEY_FILE_FORMAT),
  databaseId: z.string().regex(ID_PATTERN),
  key: z.string().regex(/^[0-9a-f]{64}$/),
  warning: z.string().optional(),
  createdAt: z.string().optional(),
});
export type KeyFile = z.infer<typeof keyFileSchema>;

export function keyFileText(databaseId: string, key: Buffer, createdAt: Date): string {
  const file: KeyFile = {
    format: KEY_FILE_FORMAT,
    warning: KEY_EXPORT_WARNING,
    databaseId,
    key: key.toString('hex'),
    createdAt: createdAt.toISOString(),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export function keyCheck(key: Buffer, databaseId: string): string {
  return createHmac('sha256', key).update(`key-check:${databaseId}`).digest('hex').slice(0, 32);
}

const newDatabaseId = () => randomBytes(16).toString('hex');
const sameBytes = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));
const isPosix = process.platform !== 'win32';

/** Writes a file and its folder entry to disk before returning: "saved" means it survives a power cut. */
function writeDurably(file: string, text: string): void {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = fs.openSync(temp, 'wx', 0o600);
    try {
      fs.writeFileSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  if (isPosix) {
    const dir = fs.openSync(path.dirname(file), 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
  }
}

/** The key files of one user: `<database id>.key`, JSON, 0600 in a 0700 folder (Windows: the profile's own ACL). */
export class KeyStore {
  constructor(readonly dir: string = keyStoreDir()) {}

  fileFor(databaseId: string): string {
    if (!ID_PATTERN.test(databaseId)) throw new AppError('refused', 'The database id is not in the expected form.');
    return path.join(this.dir, `${databaseId}.key`);
  }

  /** The key of a database, or null when this computer has none. A file that cannot be read or parsed throws. */
  read(databaseId: string): Buffer | null {
    const file = this.fileFor(databaseId);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const parsed = keyFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success || parsed.data.databaseId !== databaseId)
      throw new Error(`${file} is not this database's key file`);
    if (isPosix && (fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
    return Buffer.from(parsed.data.key, 'hex');
  }

  /**
   * Saves a key, fsynced, and reads it back. Saving the key a file already holds does nothing; a file holding
   * another key for the same id is never overwritten unless `replace` (a key import that proved the new one fits).
   */
  save(databaseId: string, key: Buffer, now: Date, replace = false): void {
    const file = this.fileFor(databaseId);
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    if (isPosix && (fs.statSync(this.dir).mode & 0o077) !== 0) fs.chmodSync(this.dir, 0o700);
    const existing = this.readQuietly(databaseId);
    if (existing && sameBytes(existing, key)) return;
    if (existing && !replace) {
      throw new Error(`${file} already holds a different key for this database; it has been left as it is`);
    }
    writeDurably(file, keyFileText(databaseId, key, now));
    const back = this.read(databaseId);
    if (!back || !sameBytes(back, key)) throw new Error(`${file} did not read back as written`);
  }

  /**
   * The id a key is already saved under, if any: a move cut short (the key saved, the database not yet changed)
   * is picked up again under the same id, and copies of one database share one key file.
   */
  idOf(key: Buffer): string | null {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return null;
    }
    for (const name of names.sort()) {
      const id = /^([0-9a-f]{32})\.key$/.exec(name)?.[1];
      const saved = id ? this.readQuietly(id) : null;
      if (id && saved && sameBytes(saved, key)) return id;
    }
    return null;
  }

  private readQuietly(databaseId: string): Buffer | null {
    try {
      return this.read(databaseId);
    } catch {
      return null;
    }
  }
}

// ---------- the key of each open database ----------

export type KeyProblem = 'missing' | 'mismatch' | 'unreadable';

export interface KeyState {
  databaseId: string;
  store: KeyStore;
  /** null when this computer has no usable key for the database: reading works, pseudonymising does not. */
  key: Buffer | null;
  problem: KeyProblem | null;
  /** Why the key file could not be read, when it could not. */
  detail: string | null;
}

const states = new WeakMap<DB, KeyState>();

export function keyStateOf(db: DB): KeyState | undefined {
  return states.get(db);
}

function setting(db: DB, key: string): string | null {
  const row = db.prepare('SELECT value FROM setting WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

function setSetting(db: DB, key: string, value: string): void {
  db.prepare(
    'INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

function hasSettingTable(db: DB): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'setting'`).get() !== undefined;
}

function legacyKey(db: DB, what: string): Buffer | null {
  const hex = setting(db, LEGACY_KEY);
  if (hex === null) return null;
  if (!/^[0-9a-f]{64}$/i.test(hex)) {
    throw new AppError('refused', `The pseudonymisation key stored in ${what} is damaged. It has not been changed.`);
  }
  return Buffer.from(hex, 'hex');
}

function cannotSave(what: string, store: KeyStore, error: unknown): AppError {
  return new AppError(
    'refused',
    `${what} cannot be opened: its pseudonymisation key must move out of the database file into the key folder ` +
      `${store.dir}, and saving it there failed (${reason(error)}). Make that folder writable by you (or set ` +
      `AHP_KEY_DIR to another private folder) and open the database again. The database has not been changed.`,
  );
}

/**
 * Opens the key side of a database, around its migrations (`migrate`), in one write transaction:
 * - a database that still holds its key (made before that migration, or an old backup restored) has the key
 *   saved in the key store (written, fsynced and read back) first; then the migrations run, the row is deleted
 *   and the database id recorded, all committed together. If the key cannot be saved, nothing in the database
 *   changes.
 * - a database without an id (a new one) gets a new id and a fresh key, saved before the id is committed.
 * Afterwards old bytes of a moved key are wiped (VACUUM and a WAL truncate, and the same for the app's own copies
 * in the backups folder), and the key found in the store is attached to this connection for `requireKey`.
 */
export function keepKeyOutside(
  db: DB,
  options: { store: KeyStore; targetVersion: number; backupDir: string; what: string; now: Date },
  migrate: () => void,
): void {
  const { store, what, now } = options;
  if (options.targetVersion < KEY_OUTSIDE_FROM_VERSION) {
    migrate();
    return;
  }
  const settle = () => {
    const existing = hasSettingTable(db);
    const legacy = existing ? legacyKey(db, what) : null;
    let id = existing ? setting(db, DATABASE_ID) : null;
    let created: Buffer | null = null;
    if (legacy) {
      id ??= store.idOf(legacy) ?? newDatabaseId();
      try {
        store.save(id, legacy, now);
      } catch (error) {
        throw cannotSave(what, store, error);
      }
    }
    migrate();
    if (legacy) {
      db.prepare('DELETE FROM setting WHERE key = ?').run(LEGACY_KEY);
      setSetting(db, SCRUB_PENDING, now.toISOString());
    } else if (id === null) {
      id = newDatabaseId();
      created = randomBytes(KEY_BYTES);
      try {
        store.save(id, created, now);
      } catch (error) {
        throw cannotSave(what, store, error);
      }
    }
    const key = legacy ?? created;
    if (key) {
      setSetting(db, DATABASE_ID, id!);
      setSetting(db, KEY_CHECK, keyCheck(key, id!));
    }
  };
  // The write lock is taken only when there is something to write: opening must not wait for another process's
  // long import just to find that nothing needs doing.
  const needsWrite =
    !hasSettingTable(db) ||
    setting(db, LEGACY_KEY) !== null ||
    setting(db, DATABASE_ID) === null ||
    (db.pragma('user_version', { simple: true }) as number) < options.targetVersion;
  const secureDelete = db.pragma('secure_delete', { simple: true }) as number;
  db.pragma('secure_delete = ON');
  try {
    if (needsWrite) db.transaction(settle).immediate();
    if (setting(db, SCRUB_PENDING) !== null) scrub(db, store, options.backupDir, now);
  } finally {
    db.pragma(`secure_delete = ${secureDelete}`);
  }
  attach(db, store);
}

/** Reads the key file for the open database and remembers it (or why there is none) for this connection. */
function attach(db: DB, store: KeyStore): KeyState {
  const databaseId = setting(db, DATABASE_ID);
  if (!databaseId) throw new AppError('internal', 'The database has no id, so its key cannot be found.');
  const check = setting(db, KEY_CHECK);
  let state: KeyState;
  try {
    const key = store.read(databaseId);
    if (!key) state = { databaseId, store, key: null, problem: 'missing', detail: null };
    else if (check !== null && keyCheck(key, databaseId) !== check)
      state = { databaseId, store, key: null, problem: 'mismatch', detail: null };
    else state = { databaseId, store, key, problem: null, detail: null };
  } catch (error) {
    state = { databaseId, store, key: null, problem: 'unreadable', detail: reason(error) };
  }
  states.set(db, state);
  return state;
}

/**
 * Wipes what may remain of a key after its row was deleted: the free space of the file (VACUUM rewrites every
 * page), the WAL (truncated once checkpointed), and the app's own earlier copies in the backups folder, which are
 * given the key store treatment too. Left marked to run again at the next open if anything could not be done.
 */
function scrub(db: DB, store: KeyStore, backupDir: string, now: Date): void {
  const databaseId = setting(db, DATABASE_ID)!;
  let key: Buffer | null = null;
  try {
    key = store.read(databaseId);
  } catch {
    // attach() says why; the database itself is still wiped.
  }
  let complete = true;
  try {
    db.exec('VACUUM');
    complete = walTruncated(db);
  } catch {
    complete = false;
  }
  if (key) complete = moveKeysOutOfCopies(backupDir, store, { databaseId, key }, now) && complete;
  if (!complete) return;
  db.prepare('DELETE FROM setting WHERE key = ?').run(SCRUB_PENDING);
  walTruncated(db);
}

function walTruncated(db: DB): boolean {
  const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
  return !result || (result.busy === 0 && result.log === result.checkpointed);
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

function isSqliteFile(file: string): boolean {
  const head = Buffer.alloc(16);
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    return fs.readSync(fd, head, 0, 16, 0) === 16 && head.equals(SQLITE_HEADER);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Gives every copy of ours in `dir` that still holds a key (the automatic pre-upgrade and before-restore copies)
 * the same treatment as the database: key saved in the store (under the database's id when it is the same key,
 * else under a new id of its own), row deleted, id recorded, file vacuumed. A file that cannot be read as one of
 * ours is left alone. Answers whether every key found was moved out.
 */
export function moveKeysOutOfCopies(
  dir: string,
  store: KeyStore,
  known: { databaseId: string; key: Buffer },
  now: Date,
): boolean {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return true;
  }
  let ok = true;
  for (const name of names) {
    const file = path.join(dir, name);
    if (/\.(sqlite|db)$/i.test(name) && isSqliteFile(file) && !moveKeyOutOfCopy(file, store, known, now)) ok = false;
  }
  return ok;
}

function moveKeyOutOfCopy(
  file: string,
  store: KeyStore,
  known: { databaseId: string; key: Buffer },
  now: Date,
): boolean {
  let copy: DB;
  try {
    copy = new Database(file, { fileMustExist: true });
  } catch {
    return true;
  }
  try {
    let key: Buffer | null;
    try {
      key = hasSettingTable(copy) ? legacyKey(copy, path.basename(file)) : null;
    } catch {
      return true;
    }
    if (key) moveCopyKey(copy, key, store, known, now);
    return true;
  } catch {
    return false;
  } finally {
    copy.close();
  }
}

function moveCopyKey(copy: DB, key: Buffer, store: KeyStore, known: { databaseId: string; key: Buffer }, now: Date) {
  const id = sameBytes(key, known.key)
    ? known.databaseId
    : (setting(copy, DATABASE_ID) ?? store.idOf(key) ?? newDatabaseId());
  store.save(id, key, now);
  copy.pragma('secure_delete = ON');
  copy.transaction(() => {
    copy.prepare('DELETE FROM setting WHERE key = ?').run(LEGACY_KEY);
    setSetting(copy, DATABASE_ID, id);
    setSetting(copy, KEY_CHECK, keyCheck(key, id));
  })();
  copy.exec('VACUUM');
  if (copy.pragma('journal_mode', { simple: true }) === 'wal' && !walTruncated(copy))
    throw new Error('The copy is in use');
}

// ---------- using the key ----------

const HOW_TO_IMPORT =
  'Import the key file exported with the database on the computer it came from: in Settings, under ' +
  '"Pseudonymisation key", or on the command line: npm run cli -- key import FILE --db DATABASE.';

export function missingKeyMessage(state: KeyState | undefined): string {
  if (!state) return 'This database has no pseudonymisation key open.';
  const file = state.store.fileFor(state.databaseId);
  const why =
    state.problem === 'mismatch'
      ? `The key file ${file} does not fit this database.`
      : state.problem === 'unreadable'
        ? `The key file ${file} cannot be read (${state.detail}).`
        : `This database's pseudonymisation key is not on this computer (it would be ${file}).`;
  return `${why} Without it, staff and assignment numbers cannot be matched to the people already recorded, so nothing that needs them can be saved. ${HOW_TO_IMPORT} Nothing has been changed.`;
}

/** The key of the open database, or a refusal that says how to import it. */
export function requireKey(db: DB): Buffer {
  const state = states.get(db);
  if (!state?.key) throw new AppError('refused', missingKeyMessage(state));
  return state.key;
}

/**
 * Installs a key file for the open database: it must name this database and fit it (its key check). Answers
 * whether a key was written (false: the same key was already there).
 */
export function installKey(db: DB, text: string, fileName: string, now: Date): boolean {
  const state = states.get(db);
  if (!state) throw new AppError('internal', 'This database has no key store open.');
  let parsed: KeyFile;
  try {
    parsed = keyFileSchema.parse(JSON.parse(text));
  } catch {
    throw new AppError(
      'refused',
      `${fileName} is not a pseudonymisation key file (export one with "Export key" or \`key export\`). Nothing has been changed.`,
    );
  }
  if (parsed.databaseId !== state.databaseId) {
    throw new AppError(
      'refused',
      `${fileName} is the key of another database (id ${parsed.databaseId}); this database's id is ${state.databaseId}. Nothing has been changed.`,
    );
  }
  const key = Buffer.from(parsed.key, 'hex');
  const check = setting(db, KEY_CHECK);
  if (check !== null && keyCheck(key, state.databaseId) !== check) {
    throw new AppError(
      'refused',
      `${fileName} names this database but its key does not fit it (the file has been altered). Nothing has been changed.`,
    );
  }
  if (state.key && sameBytes(state.key, key)) return false;
  try {
    state.store.save(state.databaseId, key, now, true);
  } catch (error) {
    throw new AppError('refused', `The key could not be saved in ${state.store.dir} (${reason(error)}).`);
  }
  attach(db, state.store);
  return true;
}
