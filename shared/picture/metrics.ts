import { z } from 'zod';
import { ethnicCategories, type EthnicCategory } from '../common/reference';

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

/** Vacancy rate: (establishment FTE - FTE in post) / establishment FTE x 100; negative when over establishment. */
export function vacancyRate(establishmentFte: number, inPostFte: number): number | null {
  check('establishmentFte', establishmentFte);
  check('inPostFte', inPostFte);
  return establishmentFte === 0 ? null : ((establishmentFte - inPostFte) / establishmentFte) * 100;
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
