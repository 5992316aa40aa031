import { z } from 'zod';

/**
 * The columns of a training records (learning management) extract, and which column holds each: guessed from the
 * headers, or re-applied from a profile saved for the source. The staff extract's equivalent is
 * shared/import/fields.ts; the header matching works the same way.
 */

export const recordFieldSchema = z.enum(['employeeNumber', 'course', 'level', 'status', 'startDate', 'completionDate']);
export type RecordField = z.infer<typeof recordFieldSchema>;
export const RECORD_FIELDS = recordFieldSchema.options;

export const recordFieldLabels: Record<RecordField, string> = {
  employeeNumber: 'Employee number',
  course: 'Course or qualification',
  level: 'Level',
  status: 'Status',
  startDate: 'Start date',
  completionDate: 'Completion date',
};

/** Every row needs a person and what they studied; the rest is read when the file has it. */
export const REQUIRED_RECORD_FIELDS: readonly RecordField[] = ['employeeNumber', 'course'];

/** Field -> column index in the file, or null when the file has no such column. */
export const recordMappingSchema = z.record(recordFieldSchema, z.number().int().nonnegative().nullable());
export type RecordMapping = z.infer<typeof recordMappingSchema>;

const normaliseHeader = (h: string) => h.toLowerCase().replace(/[^a-z0-9]+/g, '');
const emptyMapping = () => Object.fromEntries(RECORD_FIELDS.map((f) => [f, null])) as RecordMapping;

/** Exact header names (compared without case, spaces or punctuation), best first: ESR OLM and common LMS names. */
const HEADER_ALIASES: Record<RecordField, string[]> = {
  employeeNumber: ['Employee Number', 'Employee No', 'Emp No', 'Staff Number', 'Person Number', 'Employee ID'],
  course: [
    'Course',
    'Course Title',
    'Course Name',
    'Qualification',
    'Qualification Title',
    'Qualification Name',
    'Competence Name',
    'Learning Title',
    'Learning Item',
    'Programme',
    'Programme Title',
  ],
  level: ['Level', 'Qualification Level', 'RQF Level', 'NVQ Level', 'Course Level'],
  status: ['Status', 'Completion Status', 'Enrolment Status', 'Learning Status', 'Outcome', 'Result'],
  startDate: [
    'Start Date',
    'Enrolment Date',
    'Enrollment Date',
    'Date Started',
    'Registration Date',
    'Course Start Date',
  ],
  completionDate: [
    'Completion Date',
    'Date Completed',
    'Achievement Date',
    'Date Achieved',
    'Achieved Date',
    'Attainment Date',
    'End Date',
    'Completed Date',
  ],
};

/** Looser rules for headers no alias matched: every keyword must appear in the normalised header. */
const HEADER_KEYWORDS: [RecordField, string[]][] = [
  ['employeeNumber', ['employee']],
  ['employeeNumber', ['staff', 'number']],
  ['course', ['course']],
  ['course', ['qualification']],
  ['level', ['level']],
  ['status', ['status']],
  ['completionDate', ['complet']],
  ['completionDate', ['achiev']],
  ['startDate', ['start']],
  ['startDate', ['enrol']],
];

/** Guess which column holds each field from header names; never maps one column to two fields. */
export function guessRecordMapping(headers: readonly string[]): RecordMapping {
  const keys = headers.map((h) => normaliseHeader(h ?? ''));
  const mapping = emptyMapping();
  const used = new Set<number>();
  const take = (field: RecordField, index: number) => {
    mapping[field] = index;
    used.add(index);
  };
  for (const field of RECORD_FIELDS) {
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

/** Field -> header text, as a profile keeps it. */
export const recordColumnsSchema = z.partialRecord(recordFieldSchema, z.string().min(1).nullable());
export type RecordColumns = z.infer<typeof recordColumnsSchema>;

/** Re-apply a saved profile's columns to a file's headers; headers it names that the file lacks are listed. */
export function applyRecordColumns(
  columns: RecordColumns,
  headers: readonly string[],
): { mapping: RecordMapping; missingHeaders: string[] } {
  const keys = headers.map((h) => normaliseHeader(h ?? ''));
  const mapping = emptyMapping();
  const missingHeaders: string[] = [];
  const used = new Set<number>();
  for (const field of RECORD_FIELDS) {
    const header = columns[field];
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

/** A column mapping back into a profile's field -> header names. */
export function recordColumns(mapping: RecordMapping, headers: readonly string[]): RecordColumns {
  const columns: RecordColumns = {};
  for (const field of RECORD_FIELDS) {
    const index = mapping[field];
    if (index !== null && index !== undefined && headers[index]) columns[field] = headers[index];
  }
  return columns;
}

/** Plain-English names of the required columns that are not mapped. */
export function missingRecordFields(mapping: Partial<Record<RecordField, unknown>>): string[] {
  return REQUIRED_RECORD_FIELDS.filter((f) => mapping[f] === null || mapping[f] === undefined).map(
    (f) => recordFieldLabels[f],
  );
}
