import type { z } from 'zod';
import {
  areaWords,
  describeChanges,
  GROUP_ROWS_SHOWN,
  subjectOf,
  summarise,
  type AuditPage,
  type auditInputSchema,
} from '../../../shared/settings/audit';
import type { DB } from '../../db/connection';

interface Row {
  id: number;
  at: string;
  user: string;
  entity: string;
  entity_id: string | null;
  action: string;
  before: string | null;
  after: string | null;
  grp: number;
}

/** A JSON field of before or after, read only when the text is JSON (every row recordChange writes is). */
const field = (column: 'before' | 'after', path: string) =>
  `CASE WHEN json_valid(${column}) THEN json_extract(${column}, '${path}') END`;

/**
 * Filters as SQL over the audit table. A person is found by the staff reference the screens show: their own rows
 * (entity person, by id while they exist) and any row that names them ($.person, $.ref), such as a qualification.
 */
function where(input: z.output<typeof auditInputSchema>): { sql: string; params: Record<string, string> } {
  const parts: string[] = [];
  const params: Record<string, string> = {};
  if (input.entity) {
    parts.push('entity = @entity');
    params.entity = input.entity;
  }
  if (input.from) {
    parts.push('at >= @from');
    params.from = input.from;
  }
  if (input.to) {
    parts.push('at < @to');
    params.to = input.to;
  }
  if (input.person) {
    const ref = input.person.toUpperCase();
    params.ref = ref;
    params.prefix = `${ref.toLowerCase()}%`;
    parts.push(`(
      (entity = 'person' AND entity_id IN (SELECT CAST(id AS TEXT) FROM person WHERE pseudo_id LIKE @prefix))
      OR ${field('after', '$.person')} = @ref OR ${field('before', '$.person')} = @ref
      OR upper(${field('after', '$.ref')}) = @ref OR upper(${field('before', '$.ref')}) = @ref)`);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/**
 * The audit trail, newest first, a page at a time. Rows written together by one action are one entry: consecutive
 * rows (by id) with the same user, action and area in the same second. A bulk change is written in one
 * transaction, so its rows are consecutive and share the second.
 */
export function listAudit(db: DB, input: z.output<typeof auditInputSchema>): AuditPage {
  const { sql, params } = where(input);
  const grouped = `WITH matching AS (SELECT * FROM audit ${sql}),
    marked AS (
      SELECT *, CASE WHEN lag(user) OVER w IS user AND lag(action) OVER w IS action AND lag(entity) OVER w IS entity
        AND lag(substr(at, 1, 19)) OVER w IS substr(at, 1, 19) THEN 0 ELSE 1 END AS starts
      FROM matching WINDOW w AS (ORDER BY id)),
    grouped AS (SELECT *, sum(starts) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING) AS grp FROM marked)`;
  const totals = db
    .prepare(`${grouped} SELECT count(DISTINCT grp) AS total, count(*) AS rows FROM grouped`)
    .get(params) as { total: number; rows: number };
  const rows = db
    .prepare(
      `${grouped}, page AS (SELECT DISTINCT grp FROM grouped ORDER BY grp DESC LIMIT @limit OFFSET @offset)
       SELECT id, at, user, entity, entity_id, action, before, after, grp FROM grouped WHERE grp IN (SELECT grp FROM page)
       ORDER BY grp DESC, id`,
    )
    .all({ ...params, limit: input.limit, offset: input.offset }) as Row[];

  const groups = new Map<number, Row[]>();
  for (const r of rows) groups.set(r.grp, [...(groups.get(r.grp) ?? []), r]);
  const entries = [...groups.values()].map((members) => {
    const first = members[0]!;
    const facts = members.map((m) => ({ entityId: m.entity_id, before: m.before, after: m.after }));
    return {
      id: first.id,
      at: first.at,
      user: first.user,
      entity: first.entity,
      action: first.action,
      count: members.length,
      summary: summarise(first.entity, first.action, facts),
      rows: members.slice(0, GROUP_ROWS_SHOWN).map((m) => ({
        id: m.id,
        at: m.at,
        entityId: m.entity_id,
        subject: subjectOf(m.before, m.after),
        changes: describeChanges(m.before, m.after),
      })),
    };
  });
  const areas = (db.prepare('SELECT DISTINCT entity FROM audit ORDER BY entity').pluck().all() as string[])
    .map((entity) => ({ entity, label: areaWords(entity).label }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return { total: totals.total, rows: totals.rows, offset: input.offset, limit: input.limit, entries, areas };
}
