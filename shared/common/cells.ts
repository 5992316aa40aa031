import { z } from 'zod';
import { thisYear } from './clock';

/**
 * Cells of a file a user gives the app (a staff extract, a ledger): their text, and their dates. Every file
 * reader hands its cells to these, so a date reads the same wherever it comes from.
 */

export type Cell = string | number | boolean | Date | null | undefined;
export type Normalised<T> = { ok: true; value: T; warning?: string } | { ok: false; message: string };

export const ok = <T>(value: T, warning?: string): Normalised<T> =>
  warning ? { ok: true, value, warning } : { ok: true, value };
export const fail = (message: string): Normalised<never> => ({ ok: false, message });

/** Control characters, whitespace other than a plain space, two spaces, or a space at either end. */
const NEEDS_CLEANING = /[\u0000-\u001f\u007f]|[^\S ]| {2}|^ | $/;

/** Text of a cell with control characters removed and spaces collapsed; '' when blank. */
export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  // Most cells are already clean: one test instead of two replaces.
  if (typeof cell === 'string' && !NEEDS_CLEANING.test(cell)) return cell;
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  return String(cell)
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export const dateOrderSchema = z.enum(['dmy', 'mdy', 'ymd']);
export type DateOrder = z.infer<typeof dateOrderSchema>;

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
  const referenceYear = options.referenceYear ?? thisYear();
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
  if (dmy && mdy)
    return {
      order: 'dmy',
      certain: false,
      reason: 'Some dates read only as dd/mm, others only as mm/dd; assuming dd/mm',
    };
  if (dmy) return { order: 'dmy', certain: true, reason: 'A day above 12 comes first, so dates are dd/mm/yyyy' };
  if (mdy) return { order: 'mdy', certain: true, reason: 'A day above 12 comes second, so dates are mm/dd/yyyy' };
  if (ymd) return { order: 'ymd', certain: true, reason: 'Dates start with the year (yyyy-mm-dd)' };
  return { order: 'dmy', certain: false, reason: 'No date settles the order; assuming the UK order dd/mm/yyyy' };
}
