import type { EstablishmentBatch } from '../../../shared/establishment/channels';
import { dateLabel } from '../../../shared/common/periods';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';

/**
 * Establishment imports and their Undo. Undo puts back, in one transaction, the establishment and budget of every
 * post line the import changed, removes the post lines it created (a line someone has since assigned staff to
 * stays, with no establishment, as it was before), the aliases it remembered, and the roles and services it created
 * when nothing else uses them. It is refused, saying why, when a later import (not undone) touched the same post
 * lines, or someone changed one of them by hand since: undoing then would overwrite that later work.
 */

interface BatchRow {
  id: number;
  file_name: string;
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
  audit_id: number | null;
  options: string;
  undone_at: string | null;
  undone_by: string | null;
}

interface BatchOptions {
  aliases?: { titleKey: string; band: string; before: { roleId: number; mergeId: number | null } | null }[];
}

/** SQL: post `pid` is one the batch changed or created. */
const POST_OF_BATCH = (pid: string) => `(
  EXISTS (SELECT 1 FROM import_change c WHERE c.batch_id = @batch AND c.entity = 'post' AND c.entity_id = ${pid})
  OR EXISTS (SELECT 1 FROM import_insert i WHERE i.batch_id = @batch AND i.entity = 'post' AND ${pid} BETWEEN i.first_id AND i.last_id))`;

function undoBlockedBy(db: DB, row: BatchRow): string | null {
  const later = db
    .prepare(
      `SELECT b.id, b.file_name AS fileName, b.committed_at AS at FROM import_change l
       JOIN import_batch b ON b.id = l.batch_id AND b.undone_at IS NULL
       WHERE l.batch_id > @batch AND l.entity = 'post' AND ${POST_OF_BATCH('l.entity_id')}
       ORDER BY b.id DESC LIMIT 1`,
    )
    .get({ batch: row.id }) as { id: number; fileName: string; at: string } | undefined;
  if (later)
    return `Import ${later.id} (${later.fileName}, ${dateLabel(later.at.slice(0, 10))}) changed some of the same establishments afterwards. Undo import ${later.id} first, then this one.`;
  if (row.audit_id === null) return null;
  const byHand = db
    .prepare(
      `SELECT count(DISTINCT a.entity_id) AS n, min(r.title || ' in ' || s.name) AS example FROM audit a
       LEFT JOIN post p ON p.id = CAST(a.entity_id AS INTEGER) LEFT JOIN role r ON r.id = p.role_id LEFT JOIN service s ON s.id = p.service_id
       WHERE a.id > @audit AND a.entity = 'post' AND ${POST_OF_BATCH('CAST(a.entity_id AS INTEGER)')}`,
    )
    .get({ audit: row.audit_id, batch: row.id }) as { n: number; example: string | null };
  if (byHand.n === 0) return null;
  return `${byHand.n === 1 ? 'One post line' : `${byHand.n.toLocaleString('en-GB')} post lines`} it set ${byHand.n === 1 ? 'has' : 'have'} been changed by hand since${byHand.example ? ` (for example ${byHand.example})` : ''}. Undoing would lose that change, so it is not offered.`;
}

function toView(db: DB, row: BatchRow): EstablishmentBatch {
  return {
    id: row.id,
    fileName: row.file_name,
    sha256: row.sha256,
    profileName: row.profile_name,
    user: row.user,
    committedAt: row.committed_at,
    linesRead: row.rows_read,
    changed: row.updated,
    created: row.added,
    unchanged: row.unchanged,
    rejected: row.rejected,
    unmatched: row.excluded,
    undoneAt: row.undone_at,
    undoneBy: row.undone_by,
    undoBlockedBy: row.undone_at ? 'This import has already been undone.' : undoBlockedBy(db, row),
  };
}

function batchRow(db: DB, id: number): BatchRow {
  const row = db.prepare(`SELECT * FROM import_batch WHERE id = ? AND kind = 'establishment'`).get(id) as
    BatchRow | undefined;
  if (!row) throw new AppError('not-found', `There is no establishment import ${id}.`);
  return row;
}

export function getEstablishmentBatch(db: DB, id: number): EstablishmentBatch {
  return toView(db, batchRow(db, id));
}

export function listEstablishmentBatches(db: DB): EstablishmentBatch[] {
  return (
    db.prepare(`SELECT * FROM import_batch WHERE kind = 'establishment' ORDER BY id DESC`).all() as BatchRow[]
  ).map((r) => toView(db, r));
}

export function undoEstablishmentBatch(db: DB, actor: Actor, id: number): EstablishmentBatch {
  return db.transaction(() => {
    const row = batchRow(db, id);
    if (row.undone_at)
      throw new AppError(
        'conflict',
        `Import ${id} (${row.file_name}) was already undone on ${dateLabel(row.undone_at.slice(0, 10))}.`,
      );
    const blocked = undoBlockedBy(db, row);
    if (blocked) throw new AppError('conflict', `Import ${id} (${row.file_name}) cannot be undone. ${blocked}`);

    const restored = db
      .prepare(
        `UPDATE post SET establishment_fte_centi = json_extract(c.before, '$.establishment_fte_centi'),
           budget_pence = json_extract(c.before, '$.budget_pence')
         FROM import_change c WHERE c.batch_id = ? AND c.entity = 'post' AND c.action = 'update' AND c.entity_id = post.id`,
      )
      .run(id).changes;
    const range = (entity: 'post' | 'role' | 'service') =>
      (db
        .prepare('SELECT first_id, last_id FROM import_insert WHERE batch_id = ? AND entity = ?')
        .raw()
        .get(id, entity) as [number, number] | undefined) ?? [1, 0];
    // A post line it created that staff have been assigned to since stays, without the establishment it was given.
    const [firstPost, lastPost] = range('post');
    const kept = db
      .prepare(
        `UPDATE post SET establishment_fte_centi = 0, budget_pence = NULL
         WHERE id BETWEEN ? AND ? AND EXISTS (SELECT 1 FROM assignment a WHERE a.post_id = post.id)`,
      )
      .run(firstPost, lastPost).changes;
    const removed = db
      .prepare(
        'DELETE FROM post WHERE id BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.post_id = post.id)',
      )
      .run(firstPost, lastPost).changes;

    const options = JSON.parse(row.options) as BatchOptions;
    for (const a of options.aliases ?? []) {
      if (a.before)
        db.prepare('UPDATE role_alias SET role_id = ?, merge_id = ? WHERE title_key = ? AND band = ?').run(
          a.before.roleId,
          a.before.mergeId,
          a.titleKey,
          a.band,
        );
      else
        db.prepare('DELETE FROM role_alias WHERE title_key = ? AND band = ? AND merge_id IS NULL').run(
          a.titleKey,
          a.band,
        );
    }

    // Roles and services it created go, unless something uses them now (a post line, a mapping...) or someone
    // edited them since (a renamed role is the lead's work).
    let rolesOrServicesKept = 0;
    const editedSince = db.prepare('SELECT 1 FROM audit WHERE id > ? AND entity = ? AND entity_id = ? LIMIT 1').pluck();
    for (const entity of ['role', 'service'] as const) {
      const [first, last] = range(entity);
      const remove = db.prepare(`DELETE FROM ${entity} WHERE id = ?`);
      for (const entityId of db
        .prepare(`SELECT id FROM ${entity} WHERE id BETWEEN ? AND ?`)
        .pluck()
        .all(first, last) as number[]) {
        if (row.audit_id !== null && editedSince.get(row.audit_id, entity, String(entityId)) !== undefined) {
          rolesOrServicesKept++;
          continue;
        }
        try {
          remove.run(entityId);
        } catch {
          rolesOrServicesKept++; // still referenced: kept
        }
      }
    }

    db.prepare('UPDATE import_batch SET undone_at = ?, undone_by = ? WHERE id = ?').run(
      actor.now().toISOString(),
      actor.user,
      id,
    );
    recordChange(db, actor, {
      entity: 'import batch',
      entityId: id,
      action: 'restore',
      before: { kind: 'establishment', fileName: row.file_name, changed: row.updated, created: row.added },
      after: { undone: true, postsRestored: restored, postsRemoved: removed, postsKept: kept, rolesOrServicesKept },
    });
    return getEstablishmentBatch(db, id);
  })();
}
