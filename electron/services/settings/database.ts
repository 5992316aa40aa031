import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FileData } from '../../../shared/common/api';
import type { DatabaseInfo } from '../../../shared/settings/channels';
import { backupFileName, schemaVersion, type DB } from '../../db/connection';
import { LATEST_SCHEMA_VERSION } from '../../db/migrations/index';
import type { DatabaseStore } from '../../db/store';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { useOnce } from '../common/uploads';

const fileBytes = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;

export function databaseInfo(store: DatabaseStore): DatabaseInfo {
  const db = store.db;
  const last = db.prepare(`SELECT value FROM setting WHERE key = 'last-backup'`).get() as { value: string } | undefined;
  const restore = db
    .prepare(`SELECT at, after FROM audit WHERE entity = 'database' AND action = 'restore' ORDER BY id DESC LIMIT 1`)
    .get() as { at: string; after: string | null } | undefined;
  const walBytes = fileBytes(`${store.path}-wal`);
  return {
    path: store.path,
    schemaVersion: schemaVersion(db),
    latestSchemaVersion: LATEST_SCHEMA_VERSION,
    sizeBytes: fileBytes(store.path) + walBytes,
    walBytes,
    sqliteVersion: (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v,
    referenceData: db
      .prepare('SELECT dataset, version, source FROM reference_dataset ORDER BY dataset')
      .all() as DatabaseInfo['referenceData'],
    lastBackup: last?.value ?? null,
    lastRestore: restore
      ? {
          at: restore.at,
          fileName: String((JSON.parse(restore.after ?? '{}') as { restoredFrom?: unknown }).restoredFrom ?? ''),
        }
      : null,
  };
}

/**
 * Records the time of a backup, in the database and in the copy itself: restoring that copy later brings back
 * the time it was made, which is when the data restored was last backed up.
 */
function noteBackup(db: DB, at: Date): void {
  db.prepare(
    `INSERT INTO setting (key, value) VALUES ('last-backup', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
  ).run(at.toISOString());
}

async function backUp(store: DatabaseStore, actor: Actor, file: string): Promise<void> {
  const at = actor.now();
  await store.backupTo(file, (copy) => noteBackup(copy, at));
  noteBackup(store.db, at);
}

/** Backs the database up to a file the user chose (command line). */
export async function backupToFile(store: DatabaseStore, actor: Actor, file: string): Promise<{ file: string }> {
  if (path.resolve(file) === store.path)
    throw new AppError('invalid-input', 'Choose a backup file other than the database itself.');
  await backUp(store, actor, file);
  return { file: path.resolve(file) };
}

/** Backs the database up and hands back its bytes for the transport to save where the user chooses. */
export async function backupAsFile(store: DatabaseStore, actor: Actor): Promise<FileData> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ahp-backup-'));
  const name = backupFileName(store.path, 'backup', actor.now());
  try {
    const file = path.join(dir, name);
    await backUp(store, actor, file);
    return { fileName: name, mimeType: 'application/vnd.sqlite3', base64: fs.readFileSync(file).toString('base64') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Replaces the database with an uploaded backup, copied from disk; the upload is deleted whatever the outcome.
 * The restore's audit entry is written into the restored copy before it replaces the database, so the database
 * is never the backup without the record of its restore.
 */
export function restoreFromUpload(store: DatabaseStore, actor: Actor, uploadId: string): Promise<DatabaseInfo> {
  return useOnce(store, uploadId, 'backup', async (upload) => {
    await store.restoreFrom(upload.path, actor.now(), upload.fileName, (restored, previousCopy) =>
      recordChange(restored, actor, {
        entity: 'database',
        entityId: null,
        action: 'restore',
        after: { restoredFrom: upload.fileName, previousCopy },
      }),
    );
    return databaseInfo(store);
  });
}

/** The audit trail's listing lives in ./audit.ts (filters, pages, bulk actions as one entry). */
export { listAudit } from './audit';
