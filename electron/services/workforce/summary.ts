import type { Band } from '../../../shared/reference';
import { BAND_CODES } from '../../../shared/reference';
import { fromCenti, fteFromHoursCenti, type Summary } from '../../../shared/workforce';
import type { DB } from '../../db/connection';
import { todayIso } from './dates';

const ACTIVE = `a.start_date <= @asAt AND (a.end_date IS NULL OR a.end_date >= @asAt)`;

/** Headcount counts distinct people (not summable across rows); FTE sums their assignments. */
export function workforceSummary(db: DB, asAt: string = todayIso()): Summary {
  const totals = db
    .prepare(`SELECT count(DISTINCT a.person_id) AS headcount, coalesce(sum(a.hours_centi), 0) AS hours FROM assignment a WHERE ${ACTIVE}`)
    .get({ asAt }) as { headcount: number; hours: number };
  const rows = db
    .prepare(
      `SELECT r.profession_code AS profession, p.name AS professionName, p.sort AS sort, r.band AS band,
              count(DISTINCT a.person_id) AS headcount, sum(a.hours_centi) AS hours
       FROM assignment a JOIN role r ON r.id = a.role_id JOIN profession p ON p.code = r.profession_code
       WHERE ${ACTIVE}
       GROUP BY r.profession_code, r.band`,
    )
    .all({ asAt }) as { profession: string; professionName: string; sort: number; band: Band; headcount: number; hours: number }[];
  const bandOrder = (b: Band) => BAND_CODES.indexOf(b);
  rows.sort((x, y) => x.sort - y.sort || bandOrder(x.band) - bandOrder(y.band));

  const roles = db
    .prepare(
      `SELECT r.id AS roleId, r.title, s.name AS serviceName, r.establishment_fte_centi AS est, coalesce(x.hours, 0) AS hours
       FROM role r JOIN service s ON s.id = r.service_id
       LEFT JOIN (SELECT a.role_id, sum(a.hours_centi) AS hours FROM assignment a WHERE ${ACTIVE} GROUP BY a.role_id) x ON x.role_id = r.id
       ORDER BY s.name, r.title`,
    )
    .all({ asAt }) as { roleId: number; title: string; serviceName: string; est: number; hours: number }[];

  const byRole = roles.map((r) => {
    const inPostFte = fteFromHoursCenti(r.hours);
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
  const fte = fteFromHoursCenti(totals.hours);
  return {
    asAt,
    headcount: totals.headcount,
    fte,
    establishmentFte: fromCenti(establishmentCenti),
    vacancyFte: Math.round((establishmentCenti - fte * 100)) / 100,
    byProfessionBand: rows.map(({ profession, professionName, band, headcount, hours }) => ({
      profession,
      professionName,
      band,
      headcount,
      fte: fteFromHoursCenti(hours),
    })),
    byRole,
  };
}
