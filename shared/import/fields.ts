import { z } from 'zod';
import { dateOrderSchema } from '../common/cells';

/**
 * The fields of a staff extract, and which column holds each: guessed from the headers, or re-applied from a
 * profile saved for the source.
 */

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

/** Field -> header text, saved as a named import profile and re-applied to the next extract from that source. */
/** Occupation codes outside AHP support whose rows the lead chose to keep. */
export const keepNonAhpCodesSchema = z
  .array(
    z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9]{3}$/),
  )
  .max(500)
  .default([]);

export const importProfileSchema = z.object({
  name: z.string().trim().min(1, 'Give the profile a name').max(100),
  dateOrder: dateOrderSchema.default('dmy'),
  columns: z.partialRecord(importFieldSchema, z.string().min(1).nullable()),
  /** Occupation codes outside AHP support that this source's rows keep (others are left out). */
  keepNonAhpCodes: keepNonAhpCodesSchema,
  /** The source sends full extracts: staff missing from one have left. */
  markMissingAsLeavers: z.boolean().default(false),
});
export type ImportProfile = z.infer<typeof importProfileSchema>;

const normaliseHeader = (h: string) => h.toLowerCase().replace(/[^a-z0-9]+/g, '');
const headerKeys = (headers: readonly string[]) => headers.map((h) => normaliseHeader(h ?? ''));
const emptyMapping = () => Object.fromEntries(IMPORT_FIELDS.map((f) => [f, null])) as ColumnMapping;

/** Exact header names (compared without case, spaces or punctuation), best first. */
const HEADER_ALIASES: Record<ImportField, string[]> = {
  employeeNumber: [
    'Employee Number',
    'Employee No',
    'Emp No',
    'Staff Number',
    'Person Number',
    'Employee ID',
    'Pseudo ID',
  ],
  assignmentNumber: ['Assignment Number', 'Assignment No', 'Assignment ID', 'Asg Number'],
  positionTitle: ['Position Title', 'Position Name', 'Job Title', 'Post Title', 'Position', 'Job Role'],
  occupationCode: ['Occupation Code', 'Occ Code', 'Occupation'],
  band: ['AfC Band', 'Pay Band', 'Band', 'Grade', 'Pay Grade', 'Grade Code', 'Agenda for Change Band'],
  contractedHours: ['Contracted Hours', 'Weekly Hours', 'Assignment Hours', 'Hours', 'Normal Hours', 'Contract Hours'],
  fte: [
    'FTE',
    'WTE',
    'Contracted WTE',
    'Contracted FTE',
    'Assignment FTE',
    'Whole Time Equivalent',
    'Full Time Equivalent',
  ],
  startDate: [
    'Start Date',
    'Hire Date',
    'Date Started',
    'Assignment Start Date',
    'Latest Start Date',
    'Date of Joining',
    'Joined',
  ],
  endDate: [
    'Termination Date',
    'Leaving Date',
    'End Date',
    'Actual Termination Date',
    'Assignment End Date',
    'Date Left',
  ],
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
  const keys = headerKeys(headers);
  const mapping = emptyMapping();
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
  const keys = headerKeys(headers);
  const mapping = emptyMapping();
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
