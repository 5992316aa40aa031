import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../services/common/errors';
import {
  backupFileName,
  bringUpToDate,
  damagedMessage,
  findDamage,
  inspectDatabaseFile,
  openDatabase,
  type DB,
  type OpenOptions,
} from './connection';
import { flushFile, removeWithSidecars, renameDurably, sweepStaleTemps, tempBeside, writeCopy } from './files';

/** Holds the open database file, so that a restore can swap the file underneath every service. */
export class DatabaseStore {
  private constructor(
    readonly path: string,
    private current: DB | null,
    private readonly options: OpenOptions,
  ) {}

  static async open(file: string, options: OpenOptions = {}): Promise<DatabaseStore> {
    const resolved = path.resolve(file);
    return new DatabaseStore(resolved, await openDatabase(resolved, options), options);
  }

  get db(): DB {
    if (!this.current) throw new AppError('internal', 'The database is being replaced. Try again in a moment.');
    return this.current;
  }

  get backupDir(): string {
    return this.options.backupDir ?? path.join(path.dirname(this.path), 'backups');
  }

  /**
   * A consistent copy of the live database (SQLite online backup), safe while the app is in use, written beside
   * its final name and renamed into place complete. A damaged database is refused, not copied. `prepare` may
   * change the copy (never the database), e.g. to record in it when it was made.
   */
  async backupTo(file: string, prepare?: (copy: DB) => void): Promise<void> {
    const damage = findDamage(this.db);
    if (damage) {
      throw new AppError(
        'refused',
        `The database is damaged: SQLite's check found "${damage}", so a copy of it would be damaged too. No backup was written. Restore your latest good backup (Settings, "Restore from a backup").`,
      );
    }
    await writeCopy(this.db, path.resolve(file), prepare);
  }

  /**
   * Replaces the database with a backup of ours, so that the file is the old database or the new one at every
   * moment, whatever stops the process: the backup is copied beside the database and checked (a workforce
   * database this app can read, passing SQLite's integrity check), brought up to this app's schema and given
   * `record` (the restore's own audit entry), and flushed to disk; the current database is backed up; then the
   * copy is renamed over the database.
   * Answers the path of that backup of the replaced database.
   */
  async restoreFrom(
    source: string,
    now: Date = new Date(),
    name = path.basename(source),
    record?: (restored: DB, previousCopy: string) => void,
  ): Promise<string> {
    const safety = path.join(this.backupDir, backupFileName(this.path, 'before-restore', now));
    sweepStaleTemps(path.dirname(this.path));
    const temp = tempBeside(this.path, 'restore');
    try {
      removeWithSidecars(temp);
      fs.copyFileSync(source, temp);
      // The copy, not the source, is what is checked: it is what will become the database.
      const { userVersion } = inspectDatabaseFile(temp, name, 'restore');
      if (userVersion === 0) {
        throw new AppError(
          'refused',
          `${name} is an empty SQLite database, not a backup of this app. Nothing has been changed.`,
        );
      }
      prepareRestored(temp, name, this.path, this.options, (restored) => record?.(restored, safety));
      flushFile(temp);
      await this.backupTo(safety);
      this.close();
      // SQLite removes the write-ahead log when the last connection closes; one left means another program or
      // window has the database open, and replacing the file under it would lose what it writes.
      if (fs.existsSync(`${this.path}-wal`)) {
        throw new AppError(
          'conflict',
          'The database is open in another window or program (the app, its web host or a command). Close it there, then restore again. Nothing has been changed.',
        );
      }
      fs.rmSync(`${this.path}-shm`, { force: true });
      renameDurably(temp, this.path);
    } catch (err) {
      removeWithSidecars(temp);
      if (!this.current) this.current = await openDatabase(this.path, this.options);
      throw err;
    }
    try {
      this.current = await openDatabase(this.path, this.options);
    } catch (err) {
      // The copy passed every check above, so this is unexpected: put the previous database back the same way.
      installCopy(safety, this.path);
      this.current = await openDatabase(this.path, this.options);
      throw err;
    }
    return safety;
  }

  close(): void {
    this.current?.close();
    this.current = null;
  }
}

/**
 * Checks a copy about to be restored, brings it up to date as opening it would (migrations, reference data, its
 * pseudonymisation key moved to the key store if it still holds one) and records the restore in it.
 */
function prepareRestored(
  file: string,
  name: string,
  as: string,
  options: OpenOptions,
  record: (restored: DB) => void,
): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    const damage = findDamage(db, 'integrity_check');
    if (damage) throw new AppError('refused', damagedMessage(name, damage, 'restore'));
    bringUpToDate(db, as, options);
    db.transaction(() => record(db))();
  } finally {
    db.close();
  }
}

/** Copies a file over `target` by way of a flushed temporary file beside it. */
function installCopy(source: string, target: string): void {
  const temp = tempBeside(target, 'restore');
  try {
    fs.copyFileSync(source, temp);
    flushFile(temp);
    for (const suffix of ['-wal', '-shm']) fs.rmSync(target + suffix, { force: true });
    renameDurably(temp, target);
  } finally {
    removeWithSidecars(temp);
  }
}
