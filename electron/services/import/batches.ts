import type { BatchView } from '../../../shared/import/channels';
import { dateLabel } from '../../../shared/common/periods';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { shortRef } from '../common/pseudonym';

/**
 * Import batches and Undo. An undo restores every row the batch updated to its logged previous values and
 * deletes every row it inserted, in one transaction. It is refused, saying what blocks it, when:
 * - a later import that has not been undone changed some of the same people, assignments, roles or services
 *   (undo that one first: undoing in the wrong order would overwrite its changes with older values);
 * - someone changed or removed, by hand, a person this import added or changed, or their assignments (undo
 *   would lose that edit);
 * - someone recorded qualifications by hand for people this import added (undo would delete them with the
 *   people), or recorded or changed qualifications since the import for people it changed.
 * Roles and services the import created are kept if anything else now uses them (staff added by hand, a
 * framework mapping, a pathway step, a later import) or if someone edited them since; otherwise they are removed.
 * The same rule holds for the ledger import's undo (funding/import.ts, deleteBatch): hand-made data is never
 * lost by an undo.
 */

interface BatchRow {
  id: number;
  file_name: string;
  size_bytes: number;
  sha256: string;
  profile_name: string | null;
  user: string;
  committed_at: string;
  extract_date: string;
  rows_read: number;
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
  excluded: number;
  leavers: number;
  marked_missing: number;
  audit_id: number | null;
  undone_at: string | null;
  undone_by: string | null;
}

const count = (n: number) => n.toLocaleString('en-GB');
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

/** A later import (not undone) that changed something this one inserted or changed: it must be undone first. */
function laterImport(db: DB, row: BatchRow): string | null {
  // Most often no later import is live, and the change-by-change comparison below (a lookup per row the batch
  // changed) can be skipped.
  const anyLater =
    db.prepare('SELECT 1 FROM import_batch WHERE id > ? AND undone_at IS NULL LIMIT 1').get(row.id) !== undefined;
  if (!anyLater) return null;
  const later = db
    .prepare(
      `SELECT l.batch_id AS id, b.file_name AS fileName, b.committed_at AS at FROM import_change l
       JOIN import_batch b ON b.id = l.batch_id AND b.undone_at IS NULL
       WHERE l.batch_id > @batch AND (
         EXISTS (SELECT 1 FROM import_change c WHERE c.batch_id = @batch AND c.entity = l.entity AND c.entity_id = l.entity_id)
         OR EXISTS (SELECT 1 FROM import_insert i WHERE i.batch_id = @batch AND i.entity = l.entity AND l.entity_id BETWEEN i.first_id AND i.last_id))
       ORDER BY l.batch_id DESC LIMIT 1`,
    )
    .get({ batch: row.id }) as { id: number; fileName: string; at: string } | undefined;
  return later
    ? `Import ${later.id} (${later.fileName}, ${dateLabel(later.at.slice(0, 10))}) changed some of the same staff or roles afterwards. Undo import ${later.id} first, then this one.`
    : null;
}

/** SQL: person `pid` is one the batch added, or whose details or assignments it changed (lookups by key). */
const OF_BATCH = (pid: string) => `(
  EXISTS (SELECT 1 FROM import_insert i WHERE i.batch_id = @batch AND i.entity = 'person' AND ${pid} BETWEEN i.first_id AND i.last_id)
  OR EXISTS (SELECT 1 FROM import_change c WHERE c.batch_id = @batch AND c.entity = 'person' AND c.entity_id = ${pid})
  OR EXISTS (SELECT 1 FROM assignment x WHERE x.person_id = ${pid} AND (
       EXISTS (SELECT 1 FROM import_insert i WHERE i.batch_id = @batch AND i.entity = 'assignment' AND x.id BETWEEN i.first_id AND i.last_id)
       OR EXISTS (SELECT 1 FROM import_change c WHERE c.batch_id = @batch AND c.entity = 'assignment' AND c.entity_id = x.id))))`;

/**
 * People of the batch changed or removed by hand since (their details or assignments: the person form). Hand edits
 * since an import are few: each is checked against the batch, never the batch's people one by one.
 */
function peopleEditedByHand(db: DB, row: BatchRow): string | null {
  if (row.audit_id === null) return null;
  const edited = db
    .prepare(
      `SELECT count(DISTINCT a.entity_id) AS n, min(p.pseudo_id) AS example FROM audit a LEFT JOIN person p ON p.id = CAST(a.entity_id AS INTEGER)
       WHERE a.id > @audit AND a.entity = 'person' AND a.action IN ('update', 'delete') AND ${OF_BATCH('CAST(a.entity_id AS INTEGER)')}`,
    )
    .get({ audit: row.audit_id, batch: row.id }) as { n: number; example: string | null };
  if (edited.n === 0) return null;
  const who = edited.example ? ` (for example ${shortRef(edited.example)})` : '';
  return `${plural(edited.n, 'person', 'people')} from this import ${edited.n === 1 ? 'has' : 'have'} been changed or removed by hand since it ran${who}`;
}

/**
 * Qualifications recorded by hand for the batch's people: every one held by a person it added (undo would delete
 * them with the person), and those recorded or changed since the import for other people it changed.
 */
function qualificationsByHand(db: DB, row: BatchRow): string | null {
  const range = db
    .prepare(`SELECT first_id AS first, last_id AS last FROM import_insert WHERE batch_id = ? AND entity = 'person'`)
    .get(row.id) as { first: number; last: number } | undefined;
  // Records a training records import brought (batch_id set) are its own, not hand-made: see laterTrainingImport.
  const added = range
    ? (db
        .prepare(
          'SELECT count(*) AS n, count(DISTINCT person_id) AS people FROM qualification WHERE person_id BETWEEN ? AND ? AND batch_id IS NULL',
        )
        .get(range.first, range.last) as { n: number; people: number })
    : { n: 0, people: 0 };
  const changed =
    row.audit_id === null
      ? { n: 0, people: 0 }
      : (db
          .prepare(
            `SELECT count(DISTINCT q.id) AS n, count(DISTINCT q.person_id) AS people FROM audit a
             JOIN qualification q ON q.id = CAST(a.entity_id AS INTEGER)
             WHERE a.id > @audit AND a.entity = 'qualification' AND a.action IN ('create', 'update')
               AND q.person_id NOT BETWEEN @first AND @last AND ${OF_BATCH('q.person_id')}`,
          )
          .get({ audit: row.audit_id, batch: row.id, first: range?.first ?? 1, last: range?.last ?? 0 }) as {
          n: number;
          people: number;
        });
  const parts: string[] = [];
  if (added.n > 0)
    parts.push(
      `${plural(added.n, 'qualification', 'qualifications')} recorded by hand for ${plural(added.people, 'person', 'people')} added by this import since it ran (undo would delete them with the people)`,
    );
  if (changed.n > 0)
    parts.push(
      `${plural(changed.n, 'qualification', 'qualifications')} recorded or changed by hand since it ran for ${plural(changed.people, 'person', 'people')} it updated`,
    );
  return parts.length > 0 ? parts.join('; ') : null;
}

/** A training records import (not undone) that brought records for people this one added: undo would delete them. */
function laterTrainingImport(db: DB, row: BatchRow): string | null {
  const range = db
    .prepare(`SELECT first_id AS first, last_id AS last FROM import_insert WHERE batch_id = ? AND entity = 'person'`)
    .get(row.id) as { first: number; last: number } | undefined;
  if (!range) return null;
  const later = db
    .prepare(
      `SELECT b.id, b.file_name AS fileName, b.committed_at AS at FROM qualification q JOIN import_batch b ON b.id = q.batch_id
       WHERE q.person_id BETWEEN ? AND ? AND b.undone_at IS NULL ORDER BY b.id DESC LIMIT 1`,
    )
    .get(range.first, range.last) as { id: number; fileName: string; at: string } | undefined;
  return later
    ? `Training records import ${later.id} (${later.fileName}, ${dateLabel(later.at.slice(0, 10))}) brought qualification records for people this import added. Undo import ${later.id} first (Gap analysis, Import training records), then this one.`
    : null;
}

/** Why this import cannot be undone now, in plain English; null when it can. */
function undoBlockedBy(db: DB, row: BatchRow): string | null {
  const later = laterImport(db, row) ?? laterTrainingImport(db, row);
  if (later) return later;
  const byHand = [peopleEditedByHand(db, row), qualificationsByHand(db, row)].filter((r): r is string => r !== null);
  if (byHand.length === 0) return null;
  return `Hand-made changes depend on it: ${byHand.join('; ')}. Undoing would lose them, so it is not offered.`;
}

function toView(db: DB, row: BatchRow, withBlock = true): BatchView {
  return {
    id: row.id,
    fileName: row.file_name,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    profileName: row.profile_name,
    user: row.user,
    committedAt: row.committed_at,
    extractDate: row.extract_date,
    rowsRead: row.rows_read,
    added: row.added,
    updated: row.updated,
    unchanged: row.unchanged,
    rejected: row.rejected,
    excluded: row.excluded,
    leavers: row.leavers,
    markedMissing: row.marked_missing,
    undoneAt: row.undone_at,
    undoneBy: row.undone_by,
    undoBlockedBy: row.undone_at ? 'This import has already been undone.' : withBlock ? undoBlockedBy(db, row) : null,
  };
}

function batchRow(db: DB, id: number): BatchRow {
  const row = db.prepare("SELECT * FROM import_batch WHERE id = ? AND kind = 'staff'").get(id) as BatchRow | undefined;
  if (!row) throw new AppError('not-found', `There is no import ${id}.`);
  return row;
}

export function getBatch(db: DB, id: number): BatchView {
  return toView(db, batchRow(db, id));
}

export function listBatches(db: DB): BatchView[] {
  return (db.prepare(`SELECT * FROM import_batch WHERE kind = 'staff' ORDER BY id DESC`).all() as BatchRow[]).map((r) =>
    toView(db, r),
  );
}

const RESTORE_ASSIGNMENTS = `
  UPDATE assignment SET person_id = json_extract(c.before, '$.person_id'), post_id = json_extract(c.before, '$.post_id'),
    occupation_code = json_extract(c.before, '$.occupation_code'), profession_code = json_extract(c.before, '$.profession_code'),
    hours_centi = json_extract(c.before, '$.hours_centi'), start_date = json_extract(c.before, '$.start_date'),
    end_date = json_extract(c.before, '$.end_date'), leaving_reason = json_extract(c.before, '$.leaving_reason')
  FROM import_change c WHERE c.batch_id = ? AND c.entity = 'assignment' AND c.action = 'update' AND c.entity_id = assignment.id`;
const RESTORE_PEOPLE = `
  UPDATE person SET year_of_birth = json_extract(c.before, '$.year_of_birth'), sex = json_extract(c.before, '$.sex'),
    ethnic_category = json_extract(c.before, '$.ethnic_category'), disability = json_extract(c.before, '$.disability')
  FROM import_change c WHERE c.batch_id = ? AND c.entity = 'person' AND c.action = 'update' AND c.entity_id = person.id`;

export function undoBatch(db: DB, actor: Actor, id: number): BatchView {
  return db.transaction(() => {
    const row = batchRow(db, id);
    if (row.undone_at)
      throw new AppError(
        'conflict',
        `Import ${id} (${row.file_name}) was already undone on ${dateLabel(row.undone_at.slice(0, 10))}.`,
      );
    const blocked = undoBlockedBy(db, row);
    if (blocked) throw new AppError('conflict', `Import ${id} (${row.file_name}) cannot be undone. ${blocked}`);

    const range = (entity: string) =>
      (db
        .prepare('SELECT first_id, last_id FROM import_insert WHERE batch_id = ? AND entity = ?')
        .raw()
        .get(id, entity) as [number, number] | undefined) ?? [1, 0];
    const inserted = (entity: string) => {
      const [first, last] = range(entity);
      return `SELECT id FROM ${entity} WHERE id BETWEEN ${first} AND ${last}`;
    };
    db.prepare(RESTORE_ASSIGNMENTS).run(id);
    const [firstAssignment, lastAssignment] = range('assignment');
    const assignmentsRemoved = db
      .prepare('DELETE FROM assignment WHERE id BETWEEN ? AND ?')
      .run(firstAssignment, lastAssignment).changes;
    db.prepare(RESTORE_PEOPLE).run(id);
    const [firstPerson, lastPerson] = range('person');
    const peopleRemoved = db
      .prepare(
        'DELETE FROM person WHERE id BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.person_id = person.id)',
      )
      .run(firstPerson, lastPerson).changes;

    // Created roles and services go too, unless something else uses them now or someone edited them since.
    const editedSince = (entity: string) =>
      row.audit_id === null
        ? new Set<number>()
        : new Set(
            db
              .prepare(`SELECT DISTINCT CAST(entity_id AS INTEGER) FROM audit WHERE id > ? AND entity = ?`)
              .pluck()
              .all(row.audit_id, entity) as number[],
          );
    let kept = 0;
    const removeEach = (table: 'post' | 'role' | 'service', ids: number[], edited: Set<number>) => {
      const remove = db.prepare(`DELETE FROM ${table} WHERE id = ?`);
      for (const entityId of ids) {
        if (edited.has(entityId)) {
          kept++;
          continue;
        }
        try {
          remove.run(entityId);
        } catch {
          kept++; // still referenced (assignments, a framework mapping...): keep it
        }
      }
    };
    // Posts first (they hold roles and services), then roles, then services: each only if nothing else uses it.
    const postIds = db.prepare(inserted('post')).pluck().all() as number[];
    const usedPosts = new Set(
      db
        .prepare(`SELECT DISTINCT post_id FROM assignment WHERE post_id IN (${inserted('post')})`)
        .pluck()
        .all() as number[],
    );
    const editedPosts = editedSince('post');
    for (const p of usedPosts) editedPosts.add(p);
    const keptBefore = kept;
    removeEach('post', postIds, editedPosts);
    kept = keptBefore; // a post kept says nothing the lead needs: its role is counted below
    const roleIds = db.prepare(inserted('role')).pluck().all() as number[];
    const usedRoles = new Set(
      db
        .prepare(`SELECT DISTINCT role_id FROM post WHERE role_id IN (${inserted('role')})`)
        .pluck()
        .all() as number[],
    );
    const editedRoles = editedSince('role');
    for (const r of usedRoles) editedRoles.add(r);
    removeEach('role', roleIds, editedRoles);
    const serviceIds = db.prepare(inserted('service')).pluck().all() as number[];
    const usedServices = new Set(
      db
        .prepare(`SELECT DISTINCT service_id FROM post WHERE service_id IN (${inserted('service')})`)
        .pluck()
        .all() as number[],
    );
    const editedServices = editedSince('service');
    for (const s of usedServices) editedServices.add(s);
    removeEach('service', serviceIds, editedServices);

    db.prepare('UPDATE import_batch SET undone_at = ?, undone_by = ? WHERE id = ?').run(
      actor.now().toISOString(),
      actor.user,
      id,
    );
    recordChange(db, actor, {
      entity: 'import batch',
      entityId: id,
      action: 'restore',
      before: { fileName: row.file_name, added: row.added, updated: row.updated },
      after: { undone: true, assignmentsRemoved, peopleRemoved, rolesOrServicesKept: kept },
    });
    return getBatch(db, id);
  })();
}
