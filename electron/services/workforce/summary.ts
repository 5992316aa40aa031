import { vacancyOver } from '../../../shared/picture/metrics';
import { fteFromHoursCenti, type Summary } from '../../../shared/workforce/channels';
import type { DB } from '../../db/connection';
import { byProfessionThenBand, professionAndBand, readRoles, type RoleFacts } from '../common/roles';
import { inPostOn } from '../common/sql';

const ACTIVE = inPostOn('a', 'asAt');

/**
 * Headcount counts distinct people (not summable across rows); FTE sums their assignments.
 * Done as in-post totals per role (a covering-index scan) corrected for the few people who hold more than one
 * assignment, rather than COUNT(DISTINCT) per group, which sorts every row: 35 ms instead of 190 ms at 100k.
 */
export function workforceSummary(db: DB, asAt: string): Summary {
  const roles = readRoles(db);
  const perRole = new Map(
    (
      db
        .prepare(`SELECT a.post_id, count(*), sum(a.hours_centi) FROM assignment a WHERE ${ACTIVE} GROUP BY a.post_id`)
        .raw()
        .all({ asAt }) as [number, number, number][]
    ).map(([roleId, count, hours]) => [roleId, { count, hours }]),
  );
  const multiple = db
    .prepare(
      `SELECT group_concat(a.post_id) FROM assignment a WHERE ${ACTIVE} GROUP BY a.person_id HAVING count(*) > 1`,
    )
    .pluck()
    .all({ asAt }) as string[];

  const groupKey = (r: RoleFacts) => `${r.profession}|${r.band}`;
  const roleById = new Map(roles.map((r) => [r.id, r]));
  const groups = new Map<string, { role: RoleFacts; headcount: number; hours: number }>();
  let assignments = 0;
  let totalHours = 0;
  for (const role of roles) {
    const agg = perRole.get(role.id);
    if (!agg) continue;
    assignments += agg.count;
    totalHours += agg.hours;
    const key = groupKey(role);
    const group = groups.get(key) ?? { role, headcount: 0, hours: 0 };
    group.headcount += agg.count;
    group.hours += agg.hours;
    groups.set(key, group);
  }
  // Someone with two assignments was counted twice: once less overall, and once less in any group they repeat in.
  let headcount = assignments;
  for (const list of multiple) {
    const keys = list.split(',').map((id) => groupKey(roleById.get(Number(id))!));
    headcount -= keys.length - 1;
    const seen = new Set<string>();
    for (const key of keys) {
      if (seen.has(key)) groups.get(key)!.headcount -= 1;
      seen.add(key);
    }
  }

  const byProfessionBand = [...groups.values()]
    .sort((x, y) => byProfessionThenBand(x.role, y.role))
    .map((g) => ({
      ...professionAndBand(g.role),
      headcount: g.headcount,
      fte: fteFromHoursCenti(g.hours),
    }));
  const staffing = roles.map((r) => ({
    establishmentCenti: r.establishmentCenti,
    hoursCenti: perRole.get(r.id)?.hours ?? 0,
  }));
  const line = (id: number, title: string, detail: string | null, lines: typeof staffing) => {
    const v = vacancyOver(lines);
    return {
      id,
      title,
      detail,
      establishmentFte: v.establishmentFte,
      inPostFte: v.coverage.allInPostFte,
      vacancyFte: v.vacancyFte,
    };
  };
  const byPost = roles.map((r, i) => line(r.id, r.title, r.serviceName, [staffing[i]!]));
  const grouped = (key: (r: RoleFacts) => number) => {
    const groups = new Map<number, { first: RoleFacts; lines: typeof staffing }>();
    roles.forEach((r, i) => {
      const g = groups.get(key(r)) ?? { first: r, lines: [] };
      g.lines.push(staffing[i]!);
      groups.set(key(r), g);
    });
    return [...groups.entries()];
  };
  const byRole = grouped((r) => r.roleId)
    .map(([id, g]) =>
      line(
        id,
        `${g.first.title} (band ${g.first.band})`,
        g.lines.length === 1 ? g.first.serviceName : `${g.lines.length} services`,
        g.lines,
      ),
    )
    .sort((x, y) => x.title.localeCompare(y.title));
  const byService = grouped((r) => r.serviceId).map(([id, g]) => line(id, g.first.serviceName, null, g.lines));
  const vacancy = vacancyOver(staffing);
  return {
    asAt,
    headcount,
    fte: fteFromHoursCenti(totalHours),
    establishmentFte: vacancy.establishmentFte,
    vacancyFte: vacancy.vacancyFte,
    vacancyCoverage: vacancy.coverage,
    byProfessionBand,
    byRole,
    byService,
    byPost,
  };
}
