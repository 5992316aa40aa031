import type { z } from 'zod';
import { fteFromHoursCenti } from '../../../shared/workforce/channels';
import type { StaffRecord, StaffRow, staffIndexInputSchema } from '../../../shared/workforce/channels';
import type { DB } from '../../db/connection';
import { getPerson, personDetails, type PersonRow } from './staff';
import { shortRef } from '../common/pseudonym';
import { inPostOn } from '../common/sql';
import { isInPostOn } from '../../../shared/workforce/assignments';

/**
 * The staff list for 100,000 people: `workforce/staff-index` returns every matching id in the chosen order (one query per
 * sort or filter change), and the screen fetches `workforce/staff-rows` only for the lines scrolled into view.
 */

type IndexInput = z.output<typeof staffIndexInputSchema>;

/**
 * Each per-person value (over their assignments, with the role of each) is a correlated subquery over the
 * (person_id, ...) covering index: one short index seek per person, only for the values this request sorts or
 * filters by, with no grouping of the whole assignment table, no automatic index and no join to materialise
 * (about 600 ms down to under 100 ms at 100k staff). A person with no assignments gets NULL, as from a LEFT JOIN.
 */
const perPerson = (expr: string, withRole = false) =>
  `(SELECT ${expr} FROM assignment a INDEXED BY assignment_person_cover ${withRole ? 'JOIN post po ON po.id = a.post_id JOIN role r ON r.id = po.role_id' : ''} WHERE a.person_id = p.id)`;
const LIVE = inPostOn('a', 'today');
/** People with an assignment where the condition holds (the same as max(condition) = 1 over their assignments). */
const someAssignment = (condition: string) =>
  `p.id IN (SELECT a.person_id FROM assignment a INDEXED BY assignment_person_cover JOIN post po ON po.id = a.post_id JOIN role r ON r.id = po.role_id WHERE ${condition})`;

const SORT_SQL: Record<IndexInput['sort'], string[]> = {
  ref: ['p.pseudo_id'],
  role: [perPerson('min(r.title)', true)],
  profession: [perPerson('min(a.profession_code)')],
  band: ['length(g_band)', 'g_band'],
  fte: [perPerson(`sum(CASE WHEN ${LIVE} THEN a.hours_centi ELSE 0 END)`)],
  started: [perPerson('min(a.start_date)')],
  left: [perPerson(`max(coalesce(a.end_date, '9999-12-31'))`)],
  yearOfBirth: ['p.year_of_birth'],
};
const BAND = perPerson('min(r.band)', true);

export function staffIndex(db: DB, input: IndexInput, today: string): { total: number; ids: number[] } {
  const where: string[] = [];
  if (input.status === 'in-post') where.push(someAssignment(LIVE));
  if (input.status === 'left') where.push(`NOT ${someAssignment(LIVE)}`);
  if (input.profession !== null) where.push(someAssignment('a.profession_code = @profession'));
  if (input.band !== null) where.push(someAssignment('r.band = @band'));
  if (input.search !== '') where.push(`(p.pseudo_id LIKE @prefix OR ${someAssignment('r.title LIKE @contains')})`);
  const direction = input.direction === 'desc' ? 'DESC' : 'ASC';
  const order = SORT_SQL[input.sort].map((c) => `${c} ${direction}`).join(', ');
  // The band is sorted by length then text: worked out once per person in a subquery, not twice.
  const from = input.sort === 'band' ? `(SELECT p.*, ${BAND} AS g_band FROM person p) p` : 'person p';
  const sql = `SELECT p.id FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order}, p.id ${direction}`;
  const ids = db
    .prepare(sql)
    .pluck()
    .all({
      today,
      profession: input.profession,
      band: input.band,
      prefix: `${input.search.toLowerCase()}%`,
      contains: `%${input.search}%`,
    }) as number[];
  return { total: ids.length, ids };
}

export function staffRows(db: DB, ids: number[], today: string): StaffRow[] {
  if (ids.length === 0) return [];
  const json = JSON.stringify(ids);
  const people = db
    .prepare(
      `SELECT id, pseudo_id, year_of_birth, sex, ethnic_category, disability FROM person WHERE id IN (SELECT value FROM json_each(?))`,
    )
    .all(json) as PersonRow[];
  const assignments = db
    .prepare(
      `SELECT a.person_id, r.title, a.profession_code, r.band, a.hours_centi, a.start_date, a.end_date
       FROM assignment a JOIN post po ON po.id = a.post_id JOIN role r ON r.id = po.role_id WHERE a.person_id IN (SELECT value FROM json_each(?)) ORDER BY a.start_date`,
    )
    .raw()
    .all(json) as [number, string, string, string, number, string, string | null][];
  const byPerson = new Map<number, typeof assignments>();
  for (const a of assignments) {
    const list = byPerson.get(a[0]) ?? [];
    list.push(a);
    byPerson.set(a[0], list);
  }
  const byId = new Map(people.map((p) => [p.id, p]));
  const unique = (values: string[]) => [...new Set(values)].join('; ');
  return ids.flatMap((id) => {
    const p = byId.get(id);
    if (!p) return [];
    const list = byPerson.get(id) ?? [];
    const current = list.filter(([, , , , , start, end]) => isInPostOn(start, end, today));
    const shown = current.length > 0 ? current : list;
    const ends = list.map((a) => a[6]);
    return [
      {
        id,
        ref: shortRef(p.pseudo_id),
        roles: unique(shown.map((a) => a[1])),
        professions: unique(shown.map((a) => a[2])),
        bands: unique(shown.map((a) => a[3])),
        fte: fteFromHoursCenti(current.reduce((sum, a) => sum + a[4], 0)),
        started: list[0]?.[5] ?? null,
        left: current.length === 0 && ends.length > 0 && ends.every((e) => e !== null) ? ends.sort().at(-1)! : null,
        inPost: current.length > 0,
        ...personDetails(p),
      },
    ];
  });
}

export function staffRecord(db: DB, id: number): StaffRecord {
  const person = getPerson(db, id);
  const imports = db
    .prepare(
      `WITH mine(entity, id) AS (SELECT 'person', @id UNION ALL SELECT 'assignment', a.id FROM assignment a WHERE a.person_id = @id),
       touched(batch_id, added) AS (
         SELECT c.batch_id, 0 FROM import_change c JOIN mine m ON c.entity = m.entity AND c.entity_id = m.id
         UNION ALL
         -- An undone batch's inserted rows are gone: its id range may now hold someone added later.
         SELECT i.batch_id, i.entity = 'person' FROM import_insert i JOIN mine m ON i.entity = m.entity AND m.id BETWEEN i.first_id AND i.last_id
         JOIN import_batch u ON u.id = i.batch_id AND u.undone_at IS NULL)
       SELECT b.id AS batchId, b.file_name AS fileName, b.committed_at AS committedAt,
              CASE WHEN max(t.added) THEN 'added' ELSE 'updated' END AS action, b.undone_at IS NOT NULL AS undone
       FROM touched t JOIN import_batch b ON b.id = t.batch_id
       GROUP BY b.id ORDER BY b.id DESC`,
    )
    .all({ id }) as { batchId: number; fileName: string; committedAt: string; action: string; undone: number }[];
  const qualifications = db
    .prepare(
      `SELECT id, kind, title, level, status, start_date AS startDate, end_date AS endDate FROM qualification
       WHERE person_id = ? ORDER BY coalesce(end_date, start_date, '') DESC, id`,
    )
    .all(id) as StaffRecord['qualifications'];
  return { person, imports: imports.map((i) => ({ ...i, undone: i.undone === 1 })), qualifications };
}
