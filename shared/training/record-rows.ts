import { cellText, normaliseDate, type Cell, type DateOptions } from '../common/cells';
import { parseLevel, parseStatus, type TrainingRecord } from './courses';
import { RECORD_FIELDS, recordFieldLabels, type RecordField, type RecordMapping } from './record-fields';

/** One row of a training records extract, read and checked: the record, or the problems that reject the row. */

export interface RecordIssue {
  field: RecordField;
  /** The file's header for the field when known, else the field's plain-English name. */
  column: string;
  message: string;
}

export type ReadRecord = { ok: true; record: TrainingRecord } | { ok: false; issues: RecordIssue[] };

/** As on a person's record (a staff number) and the qualification form (a title). */
export const RECORD_TEXT_LIMITS = { employeeNumber: 40, course: 200 } as const;

/** A reader for one mapping, reused for every row of the file. */
export function recordReader(
  mapping: RecordMapping,
  options: DateOptions & { headers?: readonly string[] } = {},
): (cells: readonly Cell[]) => ReadRecord {
  const column = (f: RecordField) => {
    const i = mapping[f];
    return (i !== null && i !== undefined && options.headers?.[i]) || recordFieldLabels[f];
  };
  const columns = Object.fromEntries(RECORD_FIELDS.map((f) => [f, column(f)])) as Record<RecordField, string>;
  const dateOptions: DateOptions = { order: options.order, referenceYear: options.referenceYear };
  return (cells) => {
    const issues: RecordIssue[] = [];
    const issue = (field: RecordField, message: string) => issues.push({ field, column: columns[field], message });
    const raw = (f: RecordField): Cell => {
      const i = mapping[f];
      return i === null || i === undefined ? null : cells[i];
    };
    const text = (f: RecordField) => cellText(raw(f));
    // Spreadsheets hand long numbers back as floats; a staff number must not gain ".0" or an exponent.
    const number = raw('employeeNumber');
    const employeeNumber =
      typeof number === 'number' && Number.isInteger(number) ? number.toFixed(0) : text('employeeNumber');
    if (!employeeNumber) issue('employeeNumber', 'Employee number is blank');
    else if (employeeNumber.length > RECORD_TEXT_LIMITS.employeeNumber)
      issue(
        'employeeNumber',
        `Employee number is ${employeeNumber.length} characters long; a staff number can be at most ${RECORD_TEXT_LIMITS.employeeNumber}`,
      );
    const course = text('course');
    if (!course) issue('course', 'Course or qualification is blank');
    else if (course.length > RECORD_TEXT_LIMITS.course)
      issue(
        'course',
        `Course or qualification is ${course.length} characters long; at most ${RECORD_TEXT_LIMITS.course} are kept`,
      );

    let level: string | null = null;
    const levelText = text('level');
    if (levelText) {
      level = typeof raw('level') === 'number' ? parseLevel(String(raw('level'))) : parseLevel(levelText);
      if (level === null)
        issue('level', `Level "${levelText}" is not a level we recognise: use 1 to 8 (e.g. Level 3) or Entry 1 to 3`);
    }
    const status = parseStatus(text('status'));
    if (!status.ok) issue('status', status.message);
    const date = (f: 'startDate' | 'completionDate'): string | null => {
      if (text(f) === '' && !(raw(f) instanceof Date) && typeof raw(f) !== 'number') return null;
      const d = normaliseDate(raw(f), dateOptions);
      if (!d.ok) {
        issue(f, d.message);
        return null;
      }
      return d.value;
    };
    const startDate = date('startDate');
    const completionDate = date('completionDate');
    if (startDate && completionDate && completionDate < startDate)
      issue('completionDate', `Completion date ${completionDate} is before the start date ${startDate}`);
    if (issues.length > 0) return { ok: false, issues };
    return {
      ok: true,
      record: {
        employeeNumber,
        course,
        level,
        status: status.ok ? status.value : null,
        startDate,
        completionDate,
      },
    };
  };
}
