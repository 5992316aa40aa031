import { z } from 'zod';
import { BAND_CODES, bandSchema, describeOccupationCode, ethnicCategories, supportRoleSchema } from '../common/reference';
import { disabilitySchema, HOURS_PER_FTE, sexSchema } from '../workforce/channels';

/**
 * Workforce import, pure part: column mapping, cell normalisers and row normalisation.
 * Runs in the browser and in Node; reading files lives in electron/services/workforce-import/read.ts.
 */

// ---------------------------------------------------------------------------------------------------------------
// Fields and mapping

export const importFieldSchema = z.enum([
  'employeeNumber',
  'assignmentNumber',
  'positionTitle',
  'occupationCode',
  'band',
  'contractedHours',
  'fte',
  'startDate',
  'endDate',
  'leavingReason',
  'dateOfBirth',
  'sex',
  'ethnicCategory',
  'disability',
  'costCentre',
  'service',
]);
export type ImportField = z.infer<typeof importFieldSchema>;
export const IMPORT_FIELDS = importFieldSchema.options;

/** Plain-English names, as a lead would call the columns. */
export const importFieldLabels: Record<ImportField, string> = {
  employeeNumber: 'Employee number',
  assignmentNumber: 'Assignment number',
  positionTitle: 'Position title',
  occupationCode: 'Occupation code',
  band: 'Pay band (Agenda for Change)',
  contractedHours: 'Contracted hours',
  fte: 'FTE (whole-time equivalent)',
  startDate: 'Start date',
  endDate: 'Leaving date',
  leavingReason: 'Leaving reason',
  dateOfBirth: 'Date of birth',
  sex: 'Sex or gender',
  ethnicCategory: 'Ethnic category',
  disability: 'Disability',
  costCentre: 'Organisation or cost centre',
  service: 'Service',
};

/**
 * Columns an extract must have. Assignment number is optional (defaults to employee number + "-1", one
 * assignment per person); occupation code and band are required because profession, support role and every
 * banded breakdown derive from them; hours or FTE (either one) is checked separately.
 */
export const REQUIRED_FIELDS: readonly ImportField[] = ['employeeNumber', 'occupationCode', 'band', 'startDate'];
const HOURS_OR_FTE: readonly ImportField[] = ['contractedHours', 'fte'];

/** Field -> column index in the file, or null when the file has no such column. */
export const columnMappingSchema = z.record(importFieldSchema, z.number().int().nonnegative().nullable());
export type ColumnMapping = z.infer<typeof columnMappingSchema>;

export const dateOrderSchema = z.enum(['dmy', 'mdy', 'ymd']);
export type DateOrder = z.infer<typeof dateOrderSchema>;

/** Field -> header text, saved as a named import profile and re-applied to the next extract from that source. */
export const importProfileSchema = z.object({
  name: z.string().trim().min(1, 'Give the profile a name').max(100),
  dateOrder: dateOrderSchema.default('dmy'),
  columns: z.partialRecord(importFieldSchema, z.string().min(1).nullable()),
  /** Occupation codes outside AHP support that this source's rows keep (others are left out). */
  keepNonAhpCodes: z.array(z.string().trim().toUpperCase().regex(/^[A-Z0-9]{3}$/)).max(500).default([]),
  /** The source sends full extracts: staff missing from one have left. */
  markMissingAsLeavers: z.boolean().default(false),
});
export type ImportProfile = z.infer<typeof importProfileSchema>;

const normaliseHeader = (h: string) => h.toLowerCase().replace(/[^a-z0-9]+/g, '');

/** Exact header names (compared without case, spaces or punctuation), best first. */
const HEADER_ALIASES: Record<ImportField, string[]> = {
  employeeNumber: ['Employee Number', 'Employee No', 'Emp No', 'Staff Number', 'Person Number', 'Employee ID', 'Pseudo ID'],
  assignmentNumber: ['Assignment Number', 'Assignment No', 'Assignment ID', 'Asg Number'],
  positionTitle: ['Position Title', 'Position Name', 'Job Title', 'Post Title', 'Position', 'Job Role'],
  occupationCode: ['Occupation Code', 'Occ Code', 'Occupation'],
  band: ['AfC Band', 'Pay Band', 'Band', 'Grade', 'Pay Grade', 'Grade Code', 'Agenda for Change Band'],
  contractedHours: ['Contracted Hours', 'Weekly Hours', 'Assignment Hours', 'Hours', 'Normal Hours', 'Contract Hours'],
  fte: ['FTE', 'WTE', 'Contracted WTE', 'Contracted FTE', 'Assignment FTE', 'Whole Time Equivalent', 'Full Time Equivalent'],
  startDate: ['Start Date', 'Hire Date', 'Date Started', 'Assignment Start Date', 'Latest Start Date', 'Date of Joining', 'Joined'],
  endDate: ['Termination Date', 'Leaving Date', 'End Date', 'Actual Termination Date', 'Assignment End Date', 'Date Left'],
  leavingReason: ['Leaving Reason', 'Reason for Leaving', 'Termination Reason', 'Leaver Reason'],
  dateOfBirth: ['Date of Birth', 'DOB', 'Birth Date', 'Year of Birth'],
  sex: ['Gender', 'Sex', 'Legal Sex'],
  ethnicCategory: ['Ethnic Origin', 'Ethnic Category', 'Ethnicity', 'Ethnic Group'],
  disability: ['Disability', 'Disabled', 'Disability Flag', 'Disabled Flag', 'Disability Status'],
  costCentre: ['Org L3', 'Organisation', 'Cost Centre', 'Cost Center', 'Org Level 3', 'Organisation L3', 'Division'],
  service: ['Service', 'Org L4', 'Department', 'Specialty', 'Team', 'Area of Work', 'Sub Service'],
};

/** Looser rules for headers no alias matched: every keyword must appear in the normalised header. */
const HEADER_KEYWORDS: [ImportField, string[]][] = [
  ['assignmentNumber', ['assignment', 'number']],
  ['assignmentNumber', ['assignment', 'no']],
  ['employeeNumber', ['employee']],
  ['occupationCode', ['occupation']],
  ['leavingReason', ['reason']],
  ['dateOfBirth', ['birth']],
  ['ethnicCategory', ['ethnic']],
  ['disability', ['disab']],
  ['sex', ['gender']],
  ['band', ['band']],
  ['band', ['grade']],
  ['fte', ['fte']],
  ['fte', ['wte']],
  ['contractedHours', ['hours']],
  ['endDate', ['termination']],
  ['endDate', ['leav', 'date']],
  ['startDate', ['start']],
  ['startDate', ['hire']],
  ['positionTitle', ['position']],
  ['positionTitle', ['title']],
  ['costCentre', ['cost', 'centre']],
  ['costCentre', ['org']],
];

/** Guess which column holds each field from header names; never maps one column to two fields. */
export function guessMapping(headers: readonly string[]): ColumnMapping {
  const keys = headers.map((h) => normaliseHeader(h ?? ''));
  const mapping = Object.fromEntries(IMPORT_FIELDS.map((f) => [f, null])) as ColumnMapping;
  const used = new Set<number>();
  const take = (field: ImportField, index: number) => {
    mapping[field] = index;
    used.add(index);
  };
  for (const field of IMPORT_FIELDS) {
    for (const alias of HEADER_ALIASES[field]) {
      const index = keys.findIndex((k, i) => !used.has(i) && k === normaliseHeader(alias));
      if (index >= 0) {
        take(field, index);
        break;
      }
    }
  }
  for (const [field, words] of HEADER_KEYWORDS) {
    if (mapping[field] !== null) continue;
    const index = keys.findIndex((k, i) => !used.has(i) && k !== '' && words.every((w) => k.includes(w)));
    if (index >= 0) take(field, index);
  }
  return mapping;
}

/** Re-apply a saved profile to a file's headers; headers it names that the file lacks are listed. */
export function applyProfile(
  profile: Pick<ImportProfile, 'columns'>,
  headers: readonly string[],
): { mapping: ColumnMapping; missingHeaders: string[] } {
  const keys = headers.map((h) => normaliseHeader(h ?? ''));
  const mapping = Object.fromEntries(IMPORT_FIELDS.map((f) => [f, null])) as ColumnMapping;
  const missingHeaders: string[] = [];
  const used = new Set<number>();
  for (const field of IMPORT_FIELDS) {
    const header = profile.columns[field];
    if (!header) continue;
    const index = keys.findIndex((k, i) => !used.has(i) && k === normaliseHeader(header));
    if (index < 0) missingHeaders.push(header);
    else {
      mapping[field] = index;
      used.add(index);
    }
  }
  return { mapping, missingHeaders };
}

/** Turn a column mapping back into a profile's field -> header names. */
export function profileColumns(mapping: ColumnMapping, headers: readonly string[]): ImportProfile['columns'] {
  const columns: ImportProfile['columns'] = {};
  for (const field of IMPORT_FIELDS) {
    const index = mapping[field];
    if (index !== null && index !== undefined && headers[index]) columns[field] = headers[index];
  }
  return columns;
}

/** Plain-English list of required columns that are not mapped; works on a column mapping or a profile. */
export function missingRequiredFields(mapping: Partial<Record<ImportField, unknown>>): string[] {
  const has = (f: ImportField) => mapping[f] !== null && mapping[f] !== undefined && mapping[f] !== '';
  const missing = REQUIRED_FIELDS.filter((f) => !has(f)).map((f) => importFieldLabels[f]);
  if (!HOURS_OR_FTE.some(has)) missing.push('Contracted hours or FTE (at least one)');
  return missing;
}

// ---------------------------------------------------------------------------------------------------------------
// Cell normalisers

export type Cell = string | number | boolean | Date | null | undefined;
export type Normalised<T> = { ok: true; value: T; warning?: string } | { ok: false; message: string };

const ok = <T>(value: T, warning?: string): Normalised<T> => (warning ? { ok: true, value, warning } : { ok: true, value });
const fail = (message: string): Normalised<never> => ({ ok: false, message });

/** Text of a cell with control characters removed and spaces collapsed; '' when blank. */
/** Control characters, whitespace other than a plain space, two spaces, or a space at either end. */
const NEEDS_CLEANING = /[\u0000-\u001f\u007f]|[^\S ]| {2}|^ | $/;

export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  // Most cells are already clean: skip the two replaces (a third of the import's parsing time at 500k rows).
  if (typeof cell === 'string' && !NEEDS_CLEANING.test(cell)) return cell;
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  return String(cell).replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
}

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

export interface DateOptions {
  /** Order of day, month and year in numeric dates such as 03/04/2021; UK default is dmy. */
  order?: DateOrder;
  /** Two-digit years up to referenceYear + 20 are 20xx, later ones 19xx (so "31/03/30" is 2030, "1/1/65" 1965). */
  referenceYear?: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function isoFromParts(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  date.setUTCFullYear(y);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

function fullYear(y: string, referenceYear: number): number {
  if (y.length === 4) return Number(y);
  const yy = Number(y);
  return 2000 + yy <= referenceYear + 20 ? 2000 + yy : 1900 + yy;
}

function fromExcelSerial(serial: number): string | null {
  // Serials count days from 1899-12-30 once past Excel's phantom 29 Feb 1900; only whole-day dates make sense here.
  if (!Number.isFinite(serial) || serial < 61 || serial > 2958465) return null;
  const date = new Date(EXCEL_EPOCH_MS + Math.floor(serial) * 86_400_000);
  return date.toISOString().slice(0, 10);
}

/**
 * A date cell to ISO YYYY-MM-DD. Accepts d/m/y (or the order given), yyyy-mm-dd (with an optional time),
 * d-MMM-yy, d MMM yyyy, Excel serial numbers and Date objects. Dates from spreadsheets arrive as Date objects at
 * UTC midnight, so their UTC calendar day is used.
 */
export function normaliseDate(cell: Cell, options: DateOptions = {}): Normalised<string> {
  const order = options.order ?? 'dmy';
  const referenceYear = options.referenceYear ?? new Date().getUTCFullYear();
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return fail('Date is not valid');
    return ok(cell.toISOString().slice(0, 10));
  }
  if (typeof cell === 'number') {
    const iso = fromExcelSerial(cell);
    return iso ? ok(iso) : fail(`${cell} is not a date`);
  }
  const text = cellText(cell);
  if (!text) return fail('Date is blank');
  const bad = () => fail(`"${text}" is not a date we can read (use dd/mm/yyyy or yyyy-mm-dd)`);

  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$/.exec(text);
  if (m) {
    const iso = isoFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
    return iso ? ok(iso) : bad();
  }

  m = /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$/.exec(text);
  if (m) {
    const [a, b, c] = [m[1]!, m[2]!, m[3]!];
    let iso: string | null = null;
    if (a.length === 4) iso = isoFromParts(Number(a), Number(b), Number(c));
    else if (order === 'ymd' && a.length === 2) iso = isoFromParts(fullYear(a, referenceYear), Number(b), Number(c));
    else if (c.length === 2 || c.length === 4) {
      const y = fullYear(c, referenceYear);
      iso = order === 'mdy' ? isoFromParts(y, Number(a), Number(b)) : isoFromParts(y, Number(b), Number(a));
    }
    return iso ? ok(iso) : bad();
  }

  m = /^(\d{1,2})[\s-]+([a-z]{3,9})\.?[\s-]+(\d{2}|\d{4})$/i.exec(text);
  if (m) {
    const month = MONTHS.indexOf(m[2]!.slice(0, 3).toLowerCase()) + 1;
    const iso = month > 0 ? isoFromParts(fullYear(m[3]!, referenceYear), month, Number(m[1])) : null;
    return iso ? ok(iso) : bad();
  }

  if (/^\d{5}(\.\d+)?$/.test(text)) {
    const iso = fromExcelSerial(Number(text));
    if (iso) return ok(iso);
  }
  return bad();
}

/**
 * Guess the day/month order from sample cells. A first number above 12 proves dd/mm, a second above 12 proves
 * mm/dd; with no proof (or conflicting proof) the UK order dd/mm is assumed and `certain` is false.
 */
export function guessDateFormat(samples: readonly Cell[]): { order: DateOrder; certain: boolean; reason: string } {
  let dmy = 0;
  let mdy = 0;
  let ymd = 0;
  for (const sample of samples) {
    if (typeof sample !== 'string') continue;
    const m = /^\s*(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})/.exec(sample);
    if (!m) continue;
    if (m[1]!.length === 4) ymd++;
    else if (Number(m[1]) > 12) dmy++;
    else if (Number(m[2]) > 12) mdy++;
  }
  if (dmy && mdy) return { order: 'dmy', certain: false, reason: 'Some dates read only as dd/mm, others only as mm/dd; assuming dd/mm' };
  if (dmy) return { order: 'dmy', certain: true, reason: 'A day above 12 comes first, so dates are dd/mm/yyyy' };
  if (mdy) return { order: 'mdy', certain: true, reason: 'A day above 12 comes second, so dates are mm/dd/yyyy' };
  if (ymd) return { order: 'ymd', certain: true, reason: 'Dates start with the year (yyyy-mm-dd)' };
  return { order: 'dmy', certain: false, reason: 'No date settles the order; assuming the UK order dd/mm/yyyy' };
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

const ethnicKey = (s: string) => s.toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]+/g, '');
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
  f: 'F', female: 'F', woman: 'F', w: 'F', '2': 'F',
  m: 'M', male: 'M', man: 'M', '1': 'M',
  i: 'X', indeterminate: 'X', x: 'X', other: 'X', nonbinary: 'X', '9': 'X',
  u: 'U', unknown: 'U', notknown: 'U', notstated: 'U', '0': 'U', prefernottosay: 'U', notdeclared: 'U', unspecified: 'U',
};
export function normaliseSex(cell: Cell): Normalised<Sex> {
  const text = cellText(cell);
  const value = SEX_WORDS[text.toLowerCase().replace(/[^a-z0-9]/g, '')];
  return value ? ok(value) : fail(`"${text}" is not a sex or gender we recognise`);
}

type Disability = z.infer<typeof disabilitySchema>;
const DISABILITY_WORDS: Record<string, Disability> = {
  y: 'yes', yes: 'yes', disabled: 'yes', true: 'yes',
  n: 'no', no: 'no', notdisabled: 'no', false: 'no',
  notdeclared: 'not-declared', undeclared: 'not-declared', prefernottosay: 'not-declared', unknown: 'not-declared',
  notknown: 'not-declared', unspecified: 'not-declared', notstated: 'not-declared', u: 'not-declared',
  idonotwishtodisclosewhetherornotihaveadisability: 'not-declared',
};
export function normaliseDisability(cell: Cell): Normalised<Disability> {
  const text = cellText(cell);
  const value = DISABILITY_WORDS[text.toLowerCase().replace(/[^a-z]/g, '')];
  return value ? ok(value) : fail(`"${text}" is not a disability answer we recognise (Yes, No, Not declared)`);
}

/** Year of birth from a date of birth (or a bare year); the full date is never returned, so it is never kept. */
export function normaliseYearOfBirth(cell: Cell, options: DateOptions = {}): Normalised<number> {
  const referenceYear = options.referenceYear ?? new Date().getUTCFullYear();
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
  return ok(year, age < 15 || age > 85 ? `Year of birth ${year} gives an age of about ${age}; please check` : undefined);
}

// ---------------------------------------------------------------------------------------------------------------
// Rows

export const workforceRecordSchema = z.object({
  employeeNumber: z.string().min(1),
  assignmentNumber: z.string().min(1),
  positionTitle: z.string().nullable(),
  occupationCode: z.string().length(3),
  band: bandSchema,
  contractedHoursHundredths: z.number().int().nonnegative(),
  fte: z.number().nonnegative(),
  startDate: z.string(),
  endDate: z.string().nullable(),
  leavingReason: z.string().nullable(),
  yearOfBirth: z.number().int().nullable(),
  sex: sexSchema.nullable(),
  ethnicCategory: z.string().nullable(),
  disability: disabilitySchema.nullable(),
  costCentre: z.string().nullable(),
  service: z.string().nullable(),
  /** From the occupation code; null when the code is not an AHP support code or covers several professions. */
  profession: z.string().nullable(),
  professionChoices: z.array(z.string()),
  supportRole: supportRoleSchema.nullable(),
  isAhpSupport: z.boolean(),
});
export type WorkforceRecord = z.infer<typeof workforceRecordSchema>;

/** Agenda for Change bands of the support workforce (framework stages 1 to 3); others are imported with a warning. */
export const SUPPORT_BANDS: readonly string[] = ['2', '3', '4'];

export interface RowIssue {
  field: ImportField;
  /** The file's header for the field when known, else the field's plain-English name. */
  column: string;
  message: string;
}
export interface NormaliseRowOptions extends DateOptions {
  headers?: readonly string[];
}
export interface NormalisedRow {
  value?: WorkforceRecord;
  errors: RowIssue[];
  warnings: RowIssue[];
}

/** Most cells of an extract repeat (bands, dates, codes, labels): their normalised results are kept per text. */
const CACHE_LIMIT = 32_768;
const CACHE_MAX_CHARS = 64;
function cached<T>(normalise: (c: Cell) => Normalised<T>): (c: Cell) => Normalised<T> {
  const cache = new Map<string, Normalised<T>>();
  return (c) => {
    if (typeof c !== 'string' || c.length > CACHE_MAX_CHARS) return normalise(c);
    let result = cache.get(c);
    if (result === undefined) {
      result = normalise(c);
      // A fixed bound, so memory does not grow with the extract.
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(c, result);
    }
    return result;
  };
}

/**
 * normaliseRow for one mapping, reused for every row of an extract: the per-field work that does not depend on
 * the row is done once, and cell results are cached by text (the results are never changed, so sharing is safe).
 */
export function rowNormaliser(mapping: ColumnMapping, options: NormaliseRowOptions = {}): (cells: readonly Cell[]) => NormalisedRow {
  const columns = {} as Record<ImportField, string>;
  const indexes = {} as Record<ImportField, number>;
  for (const field of IMPORT_FIELDS) {
    const index = mapping[field];
    indexes[field] = index === null || index === undefined ? -1 : index;
    columns[field] = (index !== null && index !== undefined && options.headers?.[index]) || importFieldLabels[field];
  }
  const dateOptions: DateOptions = { order: options.order, referenceYear: options.referenceYear };
  const normalisers = {
    band: cached(normaliseBand),
    startDate: cached((c) => normaliseDate(c, dateOptions)),
    endDate: cached((c) => normaliseDate(c, dateOptions)),
    contractedHours: cached(normaliseHours),
    fte: cached(normaliseFte),
    dateOfBirth: cached((c) => normaliseYearOfBirth(c, dateOptions)),
    sex: cached(normaliseSex),
    ethnicCategory: cached(normaliseEthnicCategory),
    disability: cached(normaliseDisability),
  } satisfies Partial<Record<ImportField, (c: Cell) => Normalised<unknown>>>;
  const occupations = new Map<string, { code: string | null; meaning: ReturnType<typeof describeOccupationCode> }>();
  const occupation = (text: string) => {
    let found = occupations.get(text);
    if (!found) {
      const code = /^[A-Za-z0-9]{3}$/.test(text) ? text.toUpperCase() : null;
      found = { code, meaning: code ? describeOccupationCode(code) : null };
      if (occupations.size >= CACHE_LIMIT) occupations.clear();
      occupations.set(text, found);
    }
    return found;
  };
  const contractedHoursMapped = mapping.contractedHours !== null;

  // The helpers below read the row being normalised (set at the top of each call), so they are made once per
  // mapping rather than once per row: at 500,000 rows the closures and their garbage were a noticeable cost.
  let cells: readonly Cell[] = [];
  let errors: RowIssue[] = [];
  let warnings: RowIssue[] = [];
  const raw = (field: ImportField): Cell => {
    const index = indexes[field];
    return index < 0 ? null : cells[index];
  };
  const text = (field: ImportField) => cellText(raw(field)) || null;
  const issue = (list: RowIssue[], field: ImportField, message: string) => list.push({ field, column: columns[field], message });
  function read<T>(field: ImportField, normalise: (c: Cell) => Normalised<T>, required: boolean): T | null {
    const cell = raw(field);
    if (cellText(cell) === '') {
      if (required) issue(errors, field, `${importFieldLabels[field]} is blank`);
      return null;
    }
    const result = normalise(cell);
    if (!result.ok) {
      issue(errors, field, result.message);
      return null;
    }
    if (result.warning) issue(warnings, field, result.warning);
    return result.value;
  }
  const identifier = (field: ImportField) => {
    const cell = raw(field);
    // Spreadsheets hand long numbers back as floats; an identifier must not gain ".0" or an exponent.
    return typeof cell === 'number' && Number.isInteger(cell) ? cell.toFixed(0) : text(field);
  };

  return (row) => {
    cells = row;
    errors = [];
    warnings = [];

    const employeeNumber = identifier('employeeNumber');
    if (!employeeNumber) issue(errors, 'employeeNumber', 'Employee number is blank');
    const assignmentNumber = identifier('assignmentNumber') ?? (employeeNumber ? `${employeeNumber}-1` : null);

    const occupationText = text('occupationCode');
    let occupationCode: string | null = null;
    let meaning: ReturnType<typeof describeOccupationCode> = null;
    if (!occupationText) issue(errors, 'occupationCode', 'Occupation code is blank');
    else {
      const found = occupation(occupationText);
      if (!found.code) issue(errors, 'occupationCode', `"${occupationText}" is not a 3-character occupation code`);
      else {
        occupationCode = found.code;
        meaning = found.meaning;
      }
    }
    if (occupationCode && !meaning) issue(warnings, 'occupationCode', `${occupationCode} is not an AHP support occupation code`);

    const band = read('band', normalisers.band, true);
    if (band !== null && !SUPPORT_BANDS.includes(band)) {
      issue(warnings, 'band', `Band ${band} is outside bands 2 to 4, where support roles usually sit; please check`);
    }
    const startDate = read('startDate', normalisers.startDate, true);
    const endDate = read('endDate', normalisers.endDate, false);
    if (startDate && endDate && endDate < startDate) issue(errors, 'endDate', `Leaving date ${endDate} is before start date ${startDate}`);

    let hours = read('contractedHours', normalisers.contractedHours, false);
    let fte = read('fte', normalisers.fte, false);
    const hoursBad = errors.some((e) => e.field === 'contractedHours' || e.field === 'fte');
    if (hours === null && fte === null && !hoursBad) {
      issue(errors, contractedHoursMapped ? 'contractedHours' : 'fte', 'Contracted hours and FTE are both blank');
    } else if (hours !== null && fte !== null) {
      if (Math.abs(fteFromHundredths(hours) - fte) > 0.01) {
        issue(warnings, 'fte', `FTE ${fte} does not match ${hours / 100} hours (${fteFromHundredths(hours)} FTE at 37.5 hours)`);
      }
    } else if (hours !== null) fte = fteFromHundredths(hours);
    else if (fte !== null) hours = hundredthsFromFte(fte);
    if (hours === 0 && fte === 0) issue(warnings, 'contractedHours', 'No contracted hours (bank or zero-hours?)');

    const yearOfBirth = read('dateOfBirth', normalisers.dateOfBirth, false);
    const sex = read('sex', normalisers.sex, false);
    const ethnicCategory = read('ethnicCategory', normalisers.ethnicCategory, false);
    const disability = read('disability', normalisers.disability, false);

    if (errors.length > 0) return { errors, warnings };
    // Every value was checked above; building the record directly (rather than parsing it again with
    // workforceRecordSchema) halves the cost of a row, which matters at 500,000 rows. Tests check the shape.
    const value: WorkforceRecord = {
      employeeNumber: employeeNumber!,
      assignmentNumber: assignmentNumber!,
      positionTitle: text('positionTitle'),
      occupationCode: occupationCode!,
      band: band!,
      contractedHoursHundredths: hours!,
      fte: fte!,
      startDate: startDate!,
      endDate,
      leavingReason: text('leavingReason'),
      yearOfBirth,
      sex,
      ethnicCategory,
      disability,
      costCentre: text('costCentre'),
      service: text('service'),
      profession: meaning?.profession ?? null,
      professionChoices: meaning?.professionChoices ?? [],
      supportRole: meaning?.supportRole ?? null,
      isAhpSupport: meaning !== null,
    };
    return { value, errors, warnings };
  };
}

/**
 * One extract row to a workforce record. Text is kept as data, never interpreted: a position title such as
 * "=HYPERLINK(...)" stays that exact text (exports must neutralise it). A row with any error has no value.
 * For many rows with one mapping, use rowNormaliser (the same rules, with the per-mapping work done once).
 */
export function normaliseRow(cells: readonly Cell[], mapping: ColumnMapping, options: NormaliseRowOptions = {}): NormalisedRow {
  return rowNormaliser(mapping, options)(cells);
}
