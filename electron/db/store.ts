import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../services/common/errors';
import { backupFileName, inspectDatabaseFile, openDatabase, type DB, type OpenOptions } from './connection';

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

  /** A consistent copy of the live database (SQLite online backup), safe while the app is in use. */
  async backupTo(file: string): Promise<void> {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    await this.db.backup(file);
  }

  /**
   * Replaces the database with another file of ours. The current database is backed up first and put back
   * if the new one cannot be opened.
   */
  async restoreFrom(source: string, now: Date = new Date(), name?: string): Promise<string> {
    if (!inspectDatabaseFile(source, name).exists) {
      throw new AppError(
        'refused',
        `${name ?? path.basename(source)} is empty, so it is not a backup. The database has not been changed.`,
      );
    }
    const safety = path.join(this.backupDir, backupFileName(this.path, 'before-restore', now));
    await this.backupTo(safety);
    this.close();
    const removeSidecars = () => {
      for (const suffix of ['-wal', '-shm']) fs.rmSync(this.path + suffix, { force: true });
    };
    try {
      removeSidecars();
      fs.copyFileSync(source, this.path);
      this.current = await openDatabase(this.path, this.options);
    } catch (err) {
      removeSidecars();
      fs.copyFileSync(safety, this.path);
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
