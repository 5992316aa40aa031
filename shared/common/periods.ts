import { z } from 'zod';

/**
 * Dates as "YYYY-MM-DD" and months as "YYYY-MM" strings, with calendar arithmetic done on day numbers
 * rather than Date objects, so the local time zone (and British Summer Time) can never shift a day.
 * The NHS financial year runs 1 April to 31 March and is labelled "2021/22".
 */

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function splitDate(s: string): { y: number; m: number; d: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!match) return null;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return { y, m, d };
}

function splitMonth(s: string): { y: number; m: number } | null {
  const match = /^(\d{4})-(\d{2})$/.exec(s);
  if (!match) return null;
  const y = Number(match[1]);
  const m = Number(match[2]);
  return y >= 1 && m >= 1 && m <= 12 ? { y, m } : null;
}

export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date as YYYY-MM-DD')
  .refine((s) => splitDate(s) !== null, 'Enter a real date: that day does not exist');
export type IsoDate = z.infer<typeof isoDateSchema>;

export const isoMonthSchema = z.string().refine((s) => splitMonth(s) !== null, 'Enter a month as YYYY-MM');
export type IsoMonth = z.infer<typeof isoMonthSchema>;

function splitFinancialYear(fy: string): number | null {
  const match = /^(\d{4})\/(\d{2})$/.exec(fy);
  if (!match) return null;
  const start = Number(match[1]);
  return (start + 1) % 100 === Number(match[2]) && start >= 1 ? start : null;
}

export const financialYearSchema = z
  .string()
  .regex(/^\d{4}\/\d{2}$/, 'Enter a financial year like 2021/22')
  .refine((s) => splitFinancialYear(s) !== null, 'A financial year covers two consecutive years, like 2021/22');
export type FinancialYear = z.infer<typeof financialYearSchema>;

function requireDate(s: string): { y: number; m: number; d: number } {
  const parts = splitDate(s);
  if (!parts) throw new RangeError(`Not a real date in the form YYYY-MM-DD: "${s}"`);
  return parts;
}

function requireMonth(s: string): { y: number; m: number } {
  const parts = splitMonth(s);
  if (!parts) throw new RangeError(`Not a month in the form YYYY-MM: "${s}"`);
  return parts;
}

/** The calendar year the financial year starts in: "2021/22" -> 2021. */
export function financialYearStart(fy: string): number {
  const start = splitFinancialYear(fy);
  if (start === null) throw new RangeError(`Not a financial year like 2021/22: "${fy}"`);
  return start;
}

export function financialYearLabel(startYear: number): FinancialYear {
  return `${pad(startYear, 4)}/${pad((startYear + 1) % 100)}`;
}

/** Accepts a date or a month. */
export function financialYearOf(isoDateOrMonth: string): FinancialYear {
  const { y, m } = isoDateOrMonth.length === 7 ? requireMonth(isoDateOrMonth) : requireDate(isoDateOrMonth);
  return financialYearLabel(m >= 4 ? y : y - 1);
}

export function financialYearRange(fy: string): { from: IsoDate; to: IsoDate } {
  const start = financialYearStart(fy);
  return { from: `${pad(start, 4)}-04-01`, to: `${pad(start + 1, 4)}-03-31` };
}

/** The twelve months of the year, April first. */
export function monthsOf(fy: string): IsoMonth[] {
  const start = financialYearStart(fy);
  return Array.from({ length: 12 }, (_, i) => {
    const calendarMonth = ((i + 3) % 12) + 1;
    return `${pad(i < 9 ? start : start + 1, 4)}-${pad(calendarMonth)}`;
  });
}

/** 0 for April ... 11 for March. Accepts a date or a month. */
export function financialMonthIndex(isoDateOrMonth: string): number {
  const { m } = isoDateOrMonth.length === 7 ? requireMonth(isoDateOrMonth) : requireDate(isoDateOrMonth);
  return (m + 8) % 12;
}

export function monthOf(isoDate: string): IsoMonth {
  requireDate(isoDate);
  return isoDate.slice(0, 7);
}

export type Quarter = 1 | 2 | 3 | 4;

/** Q1 is April to June. */
export function quarterOf(isoDate: string): { fy: FinancialYear; quarter: Quarter } {
  return { fy: financialYearOf(isoDate), quarter: (Math.floor(financialMonthIndex(isoDate) / 3) + 1) as Quarter };
}

export function quarterRange(fy: string, quarter: Quarter): { from: IsoDate; to: IsoDate } {
  if (![1, 2, 3, 4].includes(quarter)) throw new RangeError(`A quarter is 1 to 4, got ${quarter}`);
  const months = monthsOf(fy).slice((quarter - 1) * 3, quarter * 3);
  return { from: `${months[0]}-01`, to: lastDayOfMonth(months[2]!) };
}

export function lastDayOfMonth(isoMonth: string): IsoDate {
  const { y, m } = requireMonth(isoMonth);
  return `${isoMonth}-${pad(daysInMonth(y, m))}`;
}

/** "2021-04" -> "Apr 2021". */
export function monthLabel(isoMonth: string): string {
  const { y, m } = requireMonth(isoMonth);
  return `${MONTH_NAMES[m - 1]} ${y}`;
}

/** "2022-03-31" -> "31 Mar 2022". */
export function dateLabel(isoDate: string): string {
  const { y, m, d } = requireDate(isoDate);
  return `${d} ${MONTH_NAMES[m - 1]} ${y}`;
}

// Day numbers counted from 1970-01-01 (proleptic Gregorian), after Howard Hinnant's days_from_civil.
function dayNumber(isoDate: string): number {
  const { y: year, m, d } = requireDate(isoDate);
  const y = m <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function fromDayNumber(days: number): IsoDate {
  const z0 = days + 719468;
  const era = Math.floor(z0 / 146097);
  const dayOfEra = z0 - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const d = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yearOfEra + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 1 || y > 9999) throw new RangeError('The date is outside the years 0001 to 9999');
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

export function addDays(isoDate: string, days: number): IsoDate {
  if (!Number.isInteger(days)) throw new RangeError(`Add whole days, got ${days}`);
  return fromDayNumber(dayNumber(isoDate) + days);
}

/** Days from `from` to `to`: positive when `to` is later. daysBetween('2021-04-01', '2021-04-02') === 1. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

export function addMonths(isoMonth: string, months: number): IsoMonth {
  const { y, m } = requireMonth(isoMonth);
  if (!Number.isInteger(months)) throw new RangeError(`Add whole months, got ${months}`);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  if (year < 1 || year > 9999) throw new RangeError('The month is outside the years 0001 to 9999');
  return `${pad(year, 4)}-${pad((index % 12) + 1)}`;
}
