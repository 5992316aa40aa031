import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Writing database files so that a crash, a power cut or a kill at any moment leaves either the old file or the
 * new one, never half of one: the new file is written beside its target under a temporary name, flushed to disk,
 * then renamed over the target (a rename within one folder is atomic), and the folder entry flushed.
 */

const isPosix = process.platform !== 'win32';
/** `<file>.<pid>.<purpose>.tmp`, and the sidecars SQLite may leave beside such a file. */
const TEMP_NAME = /\.(\d+)\.(?:new|backup|restore)\.tmp(?:-journal|-wal|-shm)?$/;

/** A temporary name beside `target`, carrying this process's id so that another process can tell it is stale. */
export function tempBeside(target: string, purpose: 'new' | 'backup' | 'restore'): string {
  return `${target}.${process.pid}.${purpose}.tmp`;
}

/** A file and the sidecars SQLite may leave beside it. */
export function removeWithSidecars(file: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the temporary files in `dir` left by processes that were killed while writing them. */
export function sweepStaleTemps(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const match = TEMP_NAME.exec(name);
    if (!match || isRunning(Number(match[1]))) continue;
    fs.rmSync(path.join(dir, name), { force: true });
  }
}

/** fsync: the file's bytes are on disk, not only in the operating system's cache. */
export function flushFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function flushFolder(dir: string): void {
  if (!isPosix) return; // Windows cannot open a folder to flush it; NTFS journals the rename itself.
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Renames a flushed temporary file over its target and flushes the folder, so the new name survives a crash. */
export function renameDurably(temp: string, target: string): void {
  fs.renameSync(temp, target);
  flushFolder(path.dirname(target));
}

/**
 * Writes a consistent copy of an open database to `target` (SQLite online backup into a temporary file beside it),
 * lets `prepare` change the copy (it is a connection to the copy, not to the source), flushes it and renames it
 * into place. `target` is either absent or a complete earlier file at every moment.
 */
export async function writeCopy(
  source: Database.Database,
  target: string,
  prepare?: (copy: Database.Database) => void,
): Promise<void> {
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  sweepStaleTemps(path.dirname(path.resolve(target)));
  const temp = tempBeside(target, 'backup');
  try {
    removeWithSidecars(temp);
    await source.backup(temp);
    if (prepare) {
      const copy = new Database(temp, { fileMustExist: true });
      try {
        prepare(copy);
      } finally {
        copy.close();
      }
    }
    flushFile(temp);
    renameDurably(temp, target);
  } catch (error) {
    removeWithSidecars(temp);
    throw error;
  }
}
