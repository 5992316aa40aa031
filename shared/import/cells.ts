import type { z } from 'zod';
import { cellText, fail, normaliseDate, ok, type Cell, type DateOptions, type Normalised } from '../common/cells';
import { thisYear } from '../common/clock';
import { BAND_CODES, bandSchema, ethnicCategories } from '../common/reference';
import { HOURS_PER_FTE, type disabilitySchema, type sexSchema } from '../workforce/channels';

/** The cells of a staff extract, one normaliser a kind: band, hours, FTE, ethnic category, sex, disability, year of birth. */

export function normaliseBand(cell: Cell): Normalised<z.infer<typeof bandSchema>> {
  const text = cellText(cell);
  if (!text) return fail('Pay band is blank');
  const core = text
    .toLowerCase()
    .replace(/agenda\s*for\s*change|\bafc\b|\bband\b|\bgrade\b|\bpay\b|\brange\b|\bnhs\b/g, ' ')
    .replace(/[\s\-_:.()]+/g, '');
  const match = /^(\d)([a-d])?$/.exec(core);
  const band = match ? `${match[1]}${match[2] ?? ''}` : '';
  const parsed = bandSchema.safeParse(band);
  if (parsed.success) return ok(parsed.data);
  return fail(`"${text}" is not an Agenda for Change band (expected one of ${BAND_CODES.join(', ')})`);
}

function parseNumber(cell: Cell): number | null {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  const text = cellText(cell).replace(/\s/g, '');
  // A lone decimal comma ("37,5") comes from semicolon-separated European exports.
  const normal = /^[+-]?\d+,\d+$/.test(text) ? text.replace(',', '.') : text;
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(normal) ? Number(normal) : null;
}

/** Contracted hours a week as integer hundredths of an hour (37.5 h -> 3750), so sums never drift. */
export function normaliseHours(cell: Cell): Normalised<number> {
  const text = cellText(cell);
  const n = parseNumber(cell);
  if (n === null) return fail(`"${text}" is not a number of hours`);
  if (n < 0) return fail(`Contracted hours cannot be negative (${text})`);
  if (n > 100) return fail(`${text} hours a week cannot be right for one assignment (100 at most)`);
  const hundredths = Math.round(n * 100);
  return ok(hundredths, n > HOURS_PER_FTE * 1.5 ? `${text} hours is more than 1.5 FTE; please check` : undefined);
}

/** FTE as a number (1.0 = 37.5 hours a week), rounded to 4 decimal places; "80%" is read as 0.8. */
export function normaliseFte(cell: Cell): Normalised<number> {
  const text = cellText(cell);
  const percent = /%$/.test(text);
  const n = parseNumber(percent ? text.slice(0, -1) : cell);
  if (n === null) return fail(`"${text}" is not an FTE`);
  const fte = percent ? n / 100 : n;
  if (fte < 0) return fail(`FTE cannot be negative (${text})`);
  if (fte > 4) return fail(`FTE ${text} cannot be right for one assignment`);
  return ok(roundTo(fte, 4), fte > 1.5 ? `FTE ${text} is above 1.5; please check` : undefined);
}

const roundTo = (n: number, dp: number) => Math.round(n * 10 ** dp) / 10 ** dp;
export const fteFromHundredths = (hundredths: number) => roundTo(hundredths / 100 / HOURS_PER_FTE, 4);
export const hundredthsFromFte = (fte: number) => Math.round(fte * HOURS_PER_FTE * 100);

const ethnicKey = (s: string) =>
  s
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '');
const ETHNIC_BY_LABEL = (() => {
  const map = new Map<string, string>();
  const add = (label: string, code: string) => {
    const key = ethnicKey(label);
    if (key && !map.has(key)) map.set(key, code);
  };
  for (const item of ethnicCategories.items) {
    add(item.name, item.code);
    const part = item.name.split(' - ')[1];
    if (part) {
      add(part, item.code);
      add(`${item.group} ${part}`, item.code);
      add(`${item.name.split(' - ')[0]} ${part}`, item.code);
    }
  }
  // ESR and survey wordings seen in extracts.
  add('White British', 'A');
  add('White English', 'A');
  add('White Irish', 'B');
  add('White Other', 'C');
  add('Other White', 'C');
  add('Not declared', 'Z');
  add('Prefer not to say', 'Z');
  add('I do not wish to disclose my ethnic origin', 'Z');
  add('Not disclosed', 'Z');
  add('Unknown', '99');
  add('Not specified', '99');
  add('Unspecified', '99');
  return map;
})();
const ETHNIC_CODES = new Set(ethnicCategories.items.map((e) => e.code));

/**
 * Ethnic category code from a code ("A", "99"), an ESR value with a code in front ("A White - British",
 * "CP White Polish": local extensions fall back to their first letter) or a label ("White - British", "Indian").
 */
export function normaliseEthnicCategory(cell: Cell): Normalised<string> {
  const text = cellText(cell);
  if (!text) return fail('Ethnic category is blank');
  const upper = text.toUpperCase();
  if (ETHNIC_CODES.has(upper)) return ok(upper);
  const byLabel = ETHNIC_BY_LABEL.get(ethnicKey(text));
  if (byLabel) return ok(byLabel);
  const lead = /^([A-Z]{1,2}|99)\b[\s\-:]*(.*)$/.exec(upper);
  if (lead) {
    const [, code, rest] = lead;
    if (code && ETHNIC_CODES.has(code)) return ok(code);
    if (code && code.length === 2 && ETHNIC_CODES.has(code[0]!) && rest) return ok(code[0]!);
  }
  return fail(`"${text}" is not an ethnic category we recognise`);
}

type Sex = z.infer<typeof sexSchema>;
const SEX_WORDS: Record<string, Sex> = {
  f: 'F',
  female: 'F',
  woman: 'F',
  w: 'F',
  '2': 'F',
  m: 'M',
  male: 'M',
  man: 'M',
  '1': 'M',
  i: 'X',
  indeterminate: 'X',
  x: 'X',
  other: 'X',
  nonbinary: 'X',
  '9': 'X',
  u: 'U',
  unknown: 'U',
  notknown: 'U',
  notstated: 'U',
  '0': 'U',
  prefernottosay: 'U',
  notdeclared: 'U',
  unspecified: 'U',
};
export function normaliseSex(cell: Cell): Normalised<Sex> {
  const text = cellText(cell);
  const value = SEX_WORDS[text.toLowerCase().replace(/[^a-z0-9]/g, '')];
  return value ? ok(value) : fail(`"${text}" is not a sex or gender we recognise`);
}

type Disability = z.infer<typeof disabilitySchema>;
const DISABILITY_WORDS: Record<string, Disability> = {
  y: 'yes',
  yes: 'yes',
  disabled: 'yes',
  true: 'yes',
  n: 'no',
  no: 'no',
  notdisabled: 'no',
  false: 'no',
  notdeclared: 'not-declared',
  undeclared: 'not-declared',
  prefernottosay: 'not-declared',
  unknown: 'not-declared',
  notknown: 'not-declared',
  unspecified: 'not-declared',
  notstated: 'not-declared',
  u: 'not-declared',
  idonotwishtodisclosewhetherornotihaveadisability: 'not-declared',
};
export function normaliseDisability(cell: Cell): Normalised<Disability> {
  const text = cellText(cell);
  const value = DISABILITY_WORDS[text.toLowerCase().replace(/[^a-z]/g, '')];
  return value ? ok(value) : fail(`"${text}" is not a disability answer we recognise (Yes, No, Not declared)`);
}

/** Year of birth from a date of birth (or a bare year); the full date is never returned, so it is never kept. */
export function normaliseYearOfBirth(cell: Cell, options: DateOptions = {}): Normalised<number> {
  const referenceYear = options.referenceYear ?? thisYear();
  const text = cellText(cell);
  let year: number;
  if (/^\d{4}$/.test(text)) year = Number(text);
  else {
    const date = normaliseDate(cell, options);
    if (!date.ok) return fail(date.message.replace(/^Date/, 'Date of birth'));
    year = Number(date.value.slice(0, 4));
  }
  if (year > referenceYear || year < referenceYear - 120) return fail(`Year of birth ${year} cannot be right`);
  const age = referenceYear - year;
  return ok(
    year,
    age < 15 || age > 85 ? `Year of birth ${year} gives an age of about ${age}; please check` : undefined,
  );
}
