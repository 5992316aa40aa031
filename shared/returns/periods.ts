import { financialYearRange, quarterRange, type IsoDate } from '../common/periods';
import { returnPeriodSchema } from './channels';

/** The days a return period covers: "2025/26" is 1 April 2025 to 31 March 2026; "2025/26-Q2" July to September 2025. */
export interface PeriodRange {
  period: string;
  kind: 'year' | 'quarter';
  from: IsoDate;
  to: IsoDate;
}

/** Null when the text is not a period (the schema's message says why). */
export function parseReturnPeriod(text: string): PeriodRange | null {
  const parsed = returnPeriodSchema.safeParse(text);
  if (!parsed.success) return null;
  const period = parsed.data;
  const fy = period.slice(0, 7);
  if (period.length === 7) return { period, kind: 'year', ...financialYearRange(fy) };
  const quarter = Number(period.slice(9)) as 1 | 2 | 3 | 4;
  return { period, kind: 'quarter', ...quarterRange(fy, quarter) };
}

/** The as-at date of a return: the period's last day unless another day in the period is chosen. */
export function asAtFor(range: PeriodRange, asAt: string | null): { asAt: IsoDate; error: string | null } {
  if (asAt === null) return { asAt: range.to, error: null };
  if (asAt < range.from || asAt > range.to)
    return { asAt, error: `The as-at date must be in ${range.period} (${range.from} to ${range.to})` };
  return { asAt, error: null };
}
