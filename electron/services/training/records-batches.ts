import type { TrainingBatch } from '../../../shared/training/import-channels';
import { dateLabel } from '../../../shared/common/periods';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';

/**
 * Training records imports and their Undo. An undo removes the records the import added and puts back the ones it
 * updated, in one transaction, except records the lead has edited by hand since (batch_id NULL): those stay as the
 * lead left them. Records entered by hand were never touched by the import, so the undo cannot touch them either.
 * It is refused, saying why, when a later training records import (not undone) changed some of the same records.
 */

interface BatchRow {
  id: number;
  file_name: string;
  size_bytes: number;
  sha256: string;
  profile_name: string | null;
  user: string;
  committed_at: string;
  rows_read: number;
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
  excluded: number;
  undone_at: string | null;
  undone_by: string | null;
}

/** A later training import (not undone) that changed a record this one added or changed: undo that one first. */
function laterImport(db: DB, id: number): string | null {
  const later = db
    .prepare(
      `SELECT l.batch_id AS id, b.file_name AS fileName, b.committed_at AS at FROM import_change l
       JOIN import_batch b ON b.id = l.batch_id AND b.undone_at IS NULL AND b.kind = 'training'
       WHERE l.batch_id > @id AND l.entity = 'qualification' AND (
         EXISTS (SELECT 1 FROM qualification q WHERE q.id = l.entity_id AND q.batch_id = @id)
         OR EXISTS (SELECT 1 FROM import_change c WHERE c.batch_id = @id AND c.entity = 'qualification' AND c.entity_id = l.entity_id))
       ORDER BY l.batch_id DESC LIMIT 1`,
    )
    .get({ id }) as { id: number; fileName: string; at: string } | undefined;
  return later
    ? `Import ${later.id} (${later.fileName}, ${dateLabel(later.at.slice(0, 10))}) changed some of the same records afterwards. Undo import ${later.id} first, then this one.`
    : null;
}

function toView(db: DB, row: BatchRow): TrainingBatch {
  return {
    id: row.id,
    fileName: row.file_name,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    profileName: row.profile_name,
    user: row.user,
    committedAt: row.committed_at,
    rowsRead: row.rows_read,
    added: row.added,
    updated: row.updated,
    unchanged: row.unchanged,
    rejected: row.rejected,
    excluded: row.excluded,
    undoneAt: row.undone_at,
    undoneBy: row.undone_by,
    undoBlockedBy: row.undone_at ? 'This import has already been undone.' : laterImport(db, row.id),
  };
}

function batchRow(db: DB, id: number): BatchRow {
  const row = db.prepare("SELECT * FROM import_batch WHERE id = ? AND kind = 'training'").get(id) as
    BatchRow | undefined;
  if (!row) throw new AppError('not-found', `There is no training records import ${id}.`);
  return row;
}

export function getRecordBatch(db: DB, id: number): TrainingBatch {
  return toView(db, batchRow(db, id));
}

export function listRecordBatches(db: DB): TrainingBatch[] {
  return (db.prepare("SELECT * FROM import_batch WHERE kind = 'training' ORDER BY id DESC").all() as BatchRow[]).map(
    (r) => toView(db, r),
  );
}

export function undoRecordBatch(db: DB, actor: Actor, id: number): TrainingBatch {
  return db.transaction(() => {
    const row = batchRow(db, id);
    if (row.undone_at)
      throw new AppError(
        'conflict',
        `Import ${id} (${row.file_name}) was already undone on ${dateLabel(row.undone_at.slice(0, 10))}.`,
      );
    const blocked = laterImport(db, id);
    if (blocked) throw new AppError('conflict', `Import ${id} (${row.file_name}) cannot be undone. ${blocked}`);
    // Put back what it updated, unless the lead has taken the record over by hand since.
    const restored = db
      .prepare(
        `UPDATE qualification SET kind = json_extract(c.before, '$.kind'), title = json_extract(c.before, '$.title'),
           level = json_extract(c.before, '$.level'), status = json_extract(c.before, '$.status'),
           start_date = json_extract(c.before, '$.start'), end_date = json_extract(c.before, '$.end'),
           details = json_extract(c.before, '$.details')
         FROM import_change c WHERE c.batch_id = ? AND c.entity = 'qualification' AND c.action = 'update'
           AND c.entity_id = qualification.id AND qualification.batch_id IS NOT NULL`,
      )
      .run(id).changes;
    const removed = db.prepare('DELETE FROM qualification WHERE batch_id = ?').run(id).changes;
    const range = db
      .prepare("SELECT first_id, last_id FROM import_insert WHERE batch_id = ? AND entity = 'qualification'")
      .raw()
      .get(id) as [number, number] | undefined;
    const keptByHand = range
      ? (db
          .prepare('SELECT count(*) FROM qualification WHERE id BETWEEN ? AND ? AND source_key IS NOT NULL')
          .pluck()
          .get(range[0], range[1]) as number)
      : 0;
    db.prepare('UPDATE import_batch SET undone_at = ?, undone_by = ? WHERE id = ?').run(
      actor.now().toISOString(),
      actor.user,
      id,
    );
    recordChange(db, actor, {
      entity: 'import batch',
      entityId: id,
      action: 'restore',
      before: { kind: 'training records', fileName: row.file_name, added: row.added, updated: row.updated },
      after: { undone: true, recordsRemoved: removed, recordsRestored: restored, keptAsEditedByHand: keptByHand },
    });
    return getRecordBatch(db, id);
  })();
}
