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
  // One pass over the narrow columns (the before and after texts stay on disk) finds where each entry starts;
  // then only the page's rows are read in full.
  const keys = db
    .prepare(`SELECT id, user, action, entity, substr(at, 1, 19) FROM audit ${sql} ORDER BY id`)
    .raw()
    .all(params) as [number, string, string, string, string][];
  const starts: number[] = [];
  keys.forEach((k, i) => {
    const p = keys[i - 1];
    if (!p || p[1] !== k[1] || p[2] !== k[2] || p[3] !== k[3] || p[4] !== k[4]) starts.push(i);
  });
  const total = starts.length;
  // Entries newest first: entry n (0 = newest) is the run starting at starts[total - 1 - n].
  const first = Math.max(0, total - input.offset - input.limit);
  const last = total - input.offset - 1;
  const rows: Row[] = [];
  if (last >= first && last >= 0) {
    const lo = keys[starts[first]!]![0];
    const hi = keys[(starts[last + 1] ?? keys.length) - 1]![0];
    const inRange = db
      .prepare(
        `SELECT id, at, user, entity, entity_id, action, before, after FROM audit
         ${sql ? `${sql} AND` : 'WHERE'} id BETWEEN @lo AND @hi ORDER BY id`,
      )
      .all({ ...params, lo, hi }) as Omit<Row, 'grp'>[];
    let g = first;
    inRange.forEach((r, i) => {
      if (starts[g + 1] !== undefined && i + starts[first]! >= starts[g + 1]!) g += 1;
      rows.push({ ...r, grp: g });
    });
    rows.sort((a, b) => b.grp - a.grp || a.id - b.id);
  }

  const groups = new Map<number, Row[]>();
  for (const r of rows) {
    const members = groups.get(r.grp);
    if (members) members.push(r);
    else groups.set(r.grp, [r]);
  }
  // Role mappings record the role by id only: name the roles that still exist.
  const roleIds = rows.filter((r) => r.entity === 'role mapping' && r.entity_id).map((r) => Number(r.entity_id));
  const roleTitles = new Map(
    roleIds.length
      ? (db
          .prepare('SELECT id, title FROM role WHERE id IN (SELECT value FROM json_each(?))')
          .raw()
          .all(JSON.stringify([...new Set(roleIds)])) as [number, string][])
      : [],
  );
  const subject = (m: Row) =>
    subjectOf(m.before, m.after) ??
    (m.entity === 'role mapping' ? (roleTitles.get(Number(m.entity_id)) ?? null) : null);
  const entries = [...groups.values()].map((members) => {
    const head = members[0]!;
    const facts = members.map((m) => ({
      entityId: m.entity_id,
      before: m.before,
      after: m.after,
      subject: subject(m),
    }));
    return {
      id: head.id,
      at: head.at,
      user: head.user,
      entity: head.entity,
      action: head.action,
      count: members.length,
      summary: summarise(head.entity, head.action, facts),
      rows: members.slice(0, GROUP_ROWS_SHOWN).map((m) => ({
        id: m.id,
        at: m.at,
        entityId: m.entity_id,
        subject: subject(m),
        changes: describeChanges(m.before, m.after),
      })),
    };
  });
  const areas = (db.prepare('SELECT DISTINCT entity FROM audit ORDER BY entity').pluck().all() as string[])
    .map((entity) => ({ entity, label: areaWords(entity).label }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return { total, rows: keys.length, offset: input.offset, limit: input.limit, entries, areas };
}
