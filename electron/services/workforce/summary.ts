import type { Band } from '../../../shared/common/reference';
import { BAND_CODES } from '../../../shared/common/reference';
import { fromCenti, fteFromHoursCenti, type Summary } from '../../../shared/workforce/channels';
import type { DB } from '../../db/connection';

const ACTIVE = `a.start_date <= @asAt AND (a.end_date IS NULL OR a.end_date >= @asAt)`;

/**
 * Headcount counts distinct people (not summable across rows); FTE sums their assignments.
 * Done as in-post totals per role (a covering-index scan) corrected for the few people who hold more than one
 * assignment, rather than COUNT(DISTINCT) per group, which sorts every row: 35 ms instead of 190 ms at 100k.
 */
export function workforceSummary(db: DB, asAt: string): Summary {
  const roles = db
    .prepare(
      `SELECT r.id AS roleId, r.title, s.name AS serviceName, r.establishment_fte_centi AS est, r.band,
              r.profession_code AS profession, p.name AS professionName, p.sort
       FROM role r JOIN service s ON s.id = r.service_id JOIN profession p ON p.code = r.profession_code
       ORDER BY s.name, r.title`,
    )
    .all() as { roleId: number; title: string; serviceName: string; est: number; band: Band; profession: string; professionName: string; sort: number }[];
  const perRole = new Map(
    (
      db
        .prepare(`SELECT a.role_id, count(*), sum(a.hours_centi) FROM assignment a WHERE ${ACTIVE} GROUP BY a.role_id`)
        .raw()
        .all({ asAt }) as [number, number, number][]
    ).map(([roleId, count, hours]) => [roleId, { count, hours }]),
  );
  const multiple = db
    .prepare(`SELECT group_concat(a.role_id) FROM assignment a WHERE ${ACTIVE} GROUP BY a.person_id HAVING count(*) > 1`)
    .pluck()
    .all({ asAt }) as string[];

  const groupKey = (r: (typeof roles)[number]) => `${r.profession}|${r.band}`;
  const roleById = new Map(roles.map((r) => [r.roleId, r]));
  const groups = new Map<string, { role: (typeof roles)[number]; headcount: number; hours: number }>();
  let assignments = 0;
  let totalHours = 0;
  for (const role of roles) {
    const agg = perRole.get(role.roleId);
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

  const bandOrder = (b: Band) => BAND_CODES.indexOf(b);
  const byProfessionBand = [...groups.values()]
    .sort((x, y) => x.role.sort - y.role.sort || bandOrder(x.role.band) - bandOrder(y.role.band))
    .map((g) => ({
      profession: g.role.profession,
      professionName: g.role.professionName,
      band: g.role.band,
      headcount: g.headcount,
      fte: fteFromHoursCenti(g.hours),
    }));
  const byRole = roles.map((r) => {
    const inPostFte = fteFromHoursCenti(perRole.get(r.roleId)?.hours ?? 0);
    const establishmentFte = fromCenti(r.est);
    return {
      roleId: r.roleId,
      title: r.title,
      serviceName: r.serviceName,
      establishmentFte,
      inPostFte,
      vacancyFte: Math.round((establishmentFte - inPostFte) * 100) / 100,
    };
  });
  const establishmentCenti = roles.reduce((sum, r) => sum + r.est, 0);
  const fte = fteFromHoursCenti(totalHours);
  return {
    asAt,
    headcount,
    fte,
    establishmentFte: fromCenti(establishmentCenti),
    vacancyFte: Math.round(establishmentCenti - fte * 100) / 100,
    byProfessionBand,
    byRole,
  };
}
