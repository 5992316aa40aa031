import { z } from 'zod';
import { ethnicCategories, type EthnicCategory } from '../common/reference';
import { fromCenti, fteFromHoursCenti, vacancyFte, type VacancyCoverage } from '../workforce/channels';

/**
 * Workforce measures as NHS Digital defines them. Each returns a full-precision percentage, or null when the
 * denominator is 0 (a rate of nothing is not 0%). Round only for display, with roundForDisplay.
 */

function check(name: string, n: number): void {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`${name} must be a number of 0 or more (got ${n})`);
}

/** Leaver (turnover) rate: leavers in the period / average of headcount at start and end x 100. */
export function leaverRate(leavers: number, headcountStart: number, headcountEnd: number): number | null {
  check('leavers', leavers);
  check('headcountStart', headcountStart);
  check('headcountEnd', headcountEnd);
  const average = (headcountStart + headcountEnd) / 2;
  return average === 0 ? null : (leavers / average) * 100;
}

/** Stability index: staff now with at least one year's service / staff in post a year ago x 100. */
export function stabilityIndex(staffNowWithAtLeastOneYearService: number, staffInPostAYearAgo: number): number | null {
  check('staffNowWithAtLeastOneYearService', staffNowWithAtLeastOneYearService);
  check('staffInPostAYearAgo', staffInPostAYearAgo);
  return staffInPostAYearAgo === 0 ? null : (staffNowWithAtLeastOneYearService / staffInPostAYearAgo) * 100;
}

/**
 * Vacancy rate: (establishment FTE - FTE in post) / establishment FTE x 100; negative when over establishment.
 * Over several roles, both figures come from the roles with an establishment only: use vacancyOver.
 */
export function vacancyRate(establishmentFte: number, inPostFte: number): number | null {
  check('establishmentFte', establishmentFte);
  check('inPostFte', inPostFte);
  return establishmentFte === 0 ? null : ((establishmentFte - inPostFte) / establishmentFte) * 100;
}

/** A role's establishment in hundredths of an FTE and the contracted hours in post in it, in hundredths of an hour. */
export interface RoleStaffing {
  establishmentCenti: number;
  hoursCenti: number;
}

export interface Vacancy {
  /** Establishment of the roles (those with none add nothing). */
  establishmentFte: number;
  /** FTE in post in the roles with an establishment. */
  inPostFte: number;
  /** establishmentFte - inPostFte; null when no role has an establishment. */
  vacancyFte: number | null;
  /** To 1 decimal place; null when no role has an establishment. */
  vacancyRate: number | null;
  coverage: VacancyCoverage;
}

/**
 * Vacancy of a role, a service or a whole workforce, over the post lines with an establishment set. A role with no
 * establishment (0 FTE, as an import creates it) is left out of both sides: counting its staff as "in post" against
 * nobody's establishment would turn the vacancy into nonsense (5 of 564 roles with 25 FTE between them, against
 * 1,155.3 FTE in post in all roles, gave -4,521.2%). The coverage says what is left out. FTE is summed from exact
 * hundredths and rounded once; rates are rounded to 1 decimal place, as the contracts carry them.
 */
export function vacancyOver(roles: readonly RoleStaffing[]): Vacancy {
  let establishmentCenti = 0;
  let coveredHours = 0;
  let allHours = 0;
  let rolesWithEstablishment = 0;
  for (const r of roles) {
    check('establishmentCenti', r.establishmentCenti);
    check('hoursCenti', r.hoursCenti);
    allHours += r.hoursCenti;
    if (r.establishmentCenti > 0) {
      rolesWithEstablishment++;
      establishmentCenti += r.establishmentCenti;
      coveredHours += r.hoursCenti;
    }
  }
  const establishmentFte = fromCenti(establishmentCenti);
  const inPostFte = fteFromHoursCenti(coveredHours);
  return {
    establishmentFte,
    inPostFte,
    vacancyFte: rolesWithEstablishment === 0 ? null : vacancyFte(establishmentFte, inPostFte),
    vacancyRate: roundForDisplay(vacancyRate(establishmentFte, inPostFte), 1),
    coverage: {
      roles: roles.length,
      rolesWithEstablishment,
      inPostFte,
      allInPostFte: fteFromHoursCenti(allHours),
      percent: allHours === 0 ? null : roundForDisplay((coveredHours / allHours) * 100, 1),
    },
  };
}

const fteText = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const countText = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/**
 * What a vacancy figure covers, in one sentence for the screens and the command line, e.g. "Vacancy covers the 5 of
 * 564 post lines with an establishment set: 24.00 of 1,155.30 FTE in post (2.1%)."
 */
export function describeVacancyCoverage(c: VacancyCoverage): string {
  const roles = (n: number) => `${countText.format(n)} ${n === 1 ? 'post line' : 'post lines'}`;
  if (c.roles === 0) return 'There are no post lines (roles in services), so there is no vacancy to work out.';
  if (c.rolesWithEstablishment === 0)
    return `No post line has an establishment set, so there is no vacancy to work out (${roles(c.roles)}, ${fteText.format(c.allInPostFte)} FTE in post).`;
  if (c.rolesWithEstablishment === c.roles)
    return `Vacancy covers ${c.roles === 1 ? 'the one post line, which has' : `all ${roles(c.roles)}, each with`} an establishment set: ${fteText.format(c.allInPostFte)} FTE in post.`;
  const share =
    c.percent === null
      ? 'nobody is in post'
      : `${fteText.format(c.inPostFte)} of ${fteText.format(c.allInPostFte)} FTE in post (${formatRate(c.percent)}%)`;
  return `Vacancy covers the ${countText.format(c.rolesWithEstablishment)} of ${roles(c.roles)} with an establishment set: ${share}.`;
}

/**
 * Round half away from zero (10.05 -> 10.1, -10.05 -> -10.1), the way people round by hand and Excel's ROUND
 * does. Shifting by the decimal exponent in text avoids binary artefacts (1.005 is stored as 1.00499...).
 */
export function roundForDisplay(value: number, decimals?: number): number;
export function roundForDisplay(value: number | null, decimals?: number): number | null;
export function roundForDisplay(value: number | null, decimals = 1): number | null {
  if (value === null || !Number.isFinite(value)) return value;
  const abs = Math.abs(value);
  const text = String(abs);
  if (text.includes('e')) return abs < 1 ? 0 : value;
  const rounded = Number(`${Math.round(Number(`${text}e${decimals}`))}e-${decimals}`);
  return value < 0 && rounded !== 0 ? -rounded : rounded;
}

/** "10.0" for display; an em dash when there is no rate. */
export function formatRate(value: number | null, decimals = 1): string {
  const rounded = roundForDisplay(value, decimals);
  return rounded === null ? '—' : rounded.toFixed(decimals);
}

export const ageBandSchema = z.enum([
  'under-20',
  '20-24',
  '25-29',
  '30-34',
  '35-39',
  '40-44',
  '45-49',
  '50-54',
  '55-59',
  '60-64',
  '65-plus',
  'unknown',
]);
export type AgeBand = z.infer<typeof ageBandSchema>;
export const ageBandLabels: Record<AgeBand, string> = {
  'under-20': 'Under 20',
  '20-24': '20 to 24',
  '25-29': '25 to 29',
  '30-34': '30 to 34',
  '35-39': '35 to 39',
  '40-44': '40 to 44',
  '45-49': '45 to 49',
  '50-54': '50 to 54',
  '55-59': '55 to 59',
  '60-64': '60 to 64',
  '65-plus': '65 and over',
  unknown: 'Unknown',
};

/**
 * Age band as at a date (YYYY-MM-DD). Only the year of birth is kept, so age is the as-at year minus the year
 * of birth: the age reached during that calendar year, which can be one year above the age on the day.
 */
export function ageBand(yearOfBirth: number | null | undefined, asAtDate: string): AgeBand {
  const asAtYear = Number(asAtDate.slice(0, 4));
  if (
    yearOfBirth === null ||
    yearOfBirth === undefined ||
    !Number.isInteger(yearOfBirth) ||
    !Number.isInteger(asAtYear)
  )
    return 'unknown';
  const age = asAtYear - yearOfBirth;
  if (age < 0 || age > 120) return 'unknown';
  if (age < 20) return 'under-20';
  if (age >= 65) return '65-plus';
  const low = Math.floor(age / 5) * 5;
  return ageBandSchema.parse(`${low}-${low + 4}`);
}

export interface BmeShare {
  bme: number;
  white: number;
  /** Not stated (Z) and not known (99): left out of the denominator, since they are neither BME nor white. */
  notStatedOrKnown: number;
  /** Codes missing from the reference data; also left out. */
  unrecognised: number;
  /** bme / (bme + white) x 100, or null when nobody has a known category. */
  percent: number | null;
}

/** Share of staff from a BME background among those whose ethnic category is known (WRES indicator 1 style). */
export function bmeShare(
  counts: Readonly<Record<string, number>>,
  categories: readonly EthnicCategory[] = ethnicCategories.items,
): BmeShare {
  const result: BmeShare = { bme: 0, white: 0, notStatedOrKnown: 0, unrecognised: 0, percent: null };
  for (const [code, count] of Object.entries(counts)) {
    check(`count for ${code}`, count);
    const category = categories.find((c) => c.code === code);
    if (!category) result.unrecognised += count;
    else if (category.bme === null) result.notStatedOrKnown += count;
    else if (category.bme) result.bme += count;
    else result.white += count;
  }
  const known = result.bme + result.white;
  result.percent = known === 0 ? null : (result.bme / known) * 100;
  return result;
}

export const SMALL_COUNT_THRESHOLD = 7;

/** True for counts that must not leave the trust as they are (1 to threshold); 0 is not small. */
export function isSmallCount(n: number, threshold = SMALL_COUNT_THRESHOLD): boolean {
  return n >= 1 && n <= threshold;
}
