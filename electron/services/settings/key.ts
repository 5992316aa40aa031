import fs from 'node:fs';
import path from 'node:path';
import type { FileData } from '../../../shared/common/api';
import type { KeyStatus } from '../../../shared/settings/channels';
import type { DB } from '../../db/connection';
import type { DatabaseStore } from '../../db/store';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { installKey, keyFileText, keyStateOf, missingKeyMessage, requireKey } from '../common/keys';
import { useOnce } from '../common/uploads';

/**
 * The database's pseudonymisation key, kept in the user's key store (common/keys.ts): whether it is here, and
 * the explicit, warned export and import that move a database to another computer with its key.
 */

function state(db: DB) {
  const found = keyStateOf(db);
  if (!found) throw new AppError('internal', 'This database has no key store open.');
  return found;
}

export function keyStatus(db: DB): KeyStatus {
  const s = state(db);
  return {
    databaseId: s.databaseId,
    present: s.key !== null,
    keyFile: s.store.fileFor(s.databaseId),
    message: s.key ? null : missingKeyMessage(s),
  };
}

/** The key as a file (the same format as the key store's); the export is recorded in the audit trail. */
export function exportKey(store: DatabaseStore, actor: Actor): FileData {
  const db = store.db;
  const key = requireKey(db);
  const { databaseId } = state(db);
  recordChange(db, actor, { entity: 'pseudonymisation key', entityId: databaseId, action: 'export' });
  const base = path.basename(store.path).replace(/\.[^.]*$/, '');
  return {
    fileName: `${base}-pseudonymisation-key.json`,
    mimeType: 'application/json',
    base64: Buffer.from(keyFileText(databaseId, key, actor.now())).toString('base64'),
  };
}

/** Installs an uploaded key file for this database (it must name and fit it); the upload is deleted afterwards. */
export function importKeyFromUpload(
  store: DatabaseStore,
  actor: Actor,
  uploadId: string,
): Promise<KeyStatus & { installed: boolean }> {
  return useOnce(store, uploadId, 'key', async (upload) => {
    const db = store.db;
    const installed = installKey(db, fs.readFileSync(upload.path, 'utf8'), upload.fileName, actor.now());
    if (installed) {
      recordChange(db, actor, {
        entity: 'pseudonymisation key',
        entityId: state(db).databaseId,
        action: 'import',
        after: { fileName: upload.fileName },
      });
    }
    return { ...keyStatus(db), installed };
  });
}
