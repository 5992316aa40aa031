import { z } from 'zod';
import { cellText, normaliseDate, type Cell, type DateOptions, type Normalised } from '../common/cells';
import { bandSchema, describeOccupationCode, supportRoleSchema } from '../common/reference';
import {
  assignmentInputSchema,
  disabilitySchema,
  personInputSchema,
  roleInputSchema,
  serviceInputSchema,
  sexSchema,
} from '../workforce/channels';
import {
  fteFromHundredths,
  hundredthsFromFte,
  normaliseBand,
  normaliseDisability,
  normaliseEthnicCategory,
  normaliseFte,
  normaliseHours,
  normaliseSex,
  normaliseYearOfBirth,
} from './cells';
import { IMPORT_FIELDS, importFieldLabels, type ColumnMapping, type ImportField } from './fields';

/**
 * One extract row to a workforce record, or its problems. Runs in the browser and in Node; reading the file
 * lives in electron/services/common/file-reader.ts.
 */

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

/** The longest text a schema accepts, found by trying, so that the import's limits are the screens' limits. */
function longestAccepted(schema: z.ZodType, upTo = 100_000): number {
  let low = 0;
  let high = upTo;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (schema.safeParse('x'.repeat(mid)).success) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * Text the screens would refuse is refused on import too, with the screens' limits: a role title or service name
 * too long for the Roles and Services tabs, a cost centre, a leaving reason, or a staff number.
 */
export const TEXT_LIMITS = {
  positionTitle: { max: longestAccepted(roleInputSchema.shape.title), what: 'a role title', screen: 'the Roles tab' },
  service: { max: longestAccepted(serviceInputSchema.shape.name), what: 'a service name', screen: 'the Services tab' },
  costCentre: {
    max: longestAccepted(serviceInputSchema.shape.costCentre),
    what: 'a cost centre',
    screen: 'the Services tab',
  },
  leavingReason: {
    max: longestAccepted(assignmentInputSchema.shape.leavingReason),
    what: 'a leaving reason',
    screen: 'a person’s record',
  },
  employeeNumber: {
    max: longestAccepted(personInputSchema.shape.staffNumber),
    what: 'a staff number',
    screen: 'a person’s record',
  },
  assignmentNumber: {
    max: longestAccepted(personInputSchema.shape.staffNumber),
    what: 'an assignment number',
    screen: 'a person’s record',
  },
} as const satisfies Partial<Record<ImportField, { max: number; what: string; screen: string }>>;
const LIMITED_FIELDS = Object.keys(TEXT_LIMITS) as (keyof typeof TEXT_LIMITS)[];

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
export function rowNormaliser(
  mapping: ColumnMapping,
  options: NormaliseRowOptions = {},
): (cells: readonly Cell[]) => NormalisedRow {
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
  // mapping and a row allocates no closures.
  let cells: readonly Cell[] = [];
  let errors: RowIssue[] = [];
  let warnings: RowIssue[] = [];
  const raw = (field: ImportField): Cell => {
    const index = indexes[field];
    return index < 0 ? null : cells[index];
  };
  const text = (field: ImportField) => cellText(raw(field)) || null;
  const issue = (list: RowIssue[], field: ImportField, message: string) =>
    list.push({ field, column: columns[field], message });
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

    for (const field of LIMITED_FIELDS) {
      const value = text(field);
      const { max, what, screen } = TEXT_LIMITS[field];
      if (value !== null && value.length > max) {
        issue(
          errors,
          field,
          `${importFieldLabels[field]} is ${value.length.toLocaleString('en-GB')} characters long; ${what} can be at most ${max} characters (as on ${screen}). Shorten it in the file`,
        );
      }
    }

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
    if (occupationCode && !meaning)
      issue(warnings, 'occupationCode', `${occupationCode} is not an AHP support occupation code`);

    const band = read('band', normalisers.band, true);
    if (band !== null && !SUPPORT_BANDS.includes(band)) {
      issue(warnings, 'band', `Band ${band} is outside bands 2 to 4, where support roles usually sit; please check`);
    }
    const startDate = read('startDate', normalisers.startDate, true);
    const endDate = read('endDate', normalisers.endDate, false);
    if (startDate && endDate && endDate < startDate)
      issue(errors, 'endDate', `Leaving date ${endDate} is before start date ${startDate}`);

    let hours = read('contractedHours', normalisers.contractedHours, false);
    let fte = read('fte', normalisers.fte, false);
    const hoursBad = errors.some((e) => e.field === 'contractedHours' || e.field === 'fte');
    if (hours === null && fte === null && !hoursBad) {
      issue(errors, contractedHoursMapped ? 'contractedHours' : 'fte', 'Contracted hours and FTE are both blank');
    } else if (hours !== null && fte !== null) {
      if (Math.abs(fteFromHundredths(hours) - fte) > 0.01) {
        issue(
          warnings,
          'fte',
          `FTE ${fte} does not match ${hours / 100} hours (${fteFromHundredths(hours)} FTE at 37.5 hours)`,
        );
      }
    } else if (hours !== null) fte = fteFromHundredths(hours);
    else if (fte !== null) hours = hundredthsFromFte(fte);
    if (hours === 0 && fte === 0) issue(warnings, 'contractedHours', 'No contracted hours (bank or zero-hours?)');

    const yearOfBirth = read('dateOfBirth', normalisers.dateOfBirth, false);
    const sex = read('sex', normalisers.sex, false);
    const ethnicCategory = read('ethnicCategory', normalisers.ethnicCategory, false);
    const disability = read('disability', normalisers.disability, false);

    if (errors.length > 0) return { errors, warnings };
    // Every value was checked above, so the record is built directly rather than parsed again with
    // workforceRecordSchema; tests check its shape.
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
export function normaliseRow(
  cells: readonly Cell[],
  mapping: ColumnMapping,
  options: NormaliseRowOptions = {},
): NormalisedRow {
  return rowNormaliser(mapping, options)(cells);
}
