import { z } from 'zod';
import { formatPence, sumPence } from '../common/money';
import { dateLabel, financialMonthIndex, financialYearRange, lastDayOfMonth } from '../common/periods';
import type { FundingWarning } from './streams';

/** Forecast outturn, variance and the plain-English warnings of a stream, as at a day of its year. */

export type ForecastMethod = 'plan' | 'run-rate';

export interface ForecastResult {
  outturnPence: number;
  actualsToDatePence: number;
  monthsElapsed: number;
  /** Run-rate needs at least one closed month; before that the plan is used and this says so. */
  method: ForecastMethod;
}

/** Integer division rounding halves away from zero, exact for any safe integers. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const q = numerator / denominator;
  const r = numerator % denominator;
  const twiceR = r < 0n ? -2n * r : 2n * r;
  if (twiceR >= denominator) return numerator < 0n ? q - 1n : q + 1n;
  return q;
}

/**
 * Year-end outturn as at a day in month `asAtMonthIndex + 1`, after `asAtMonthIndex + 1` closed months
 * (-1 = no month closed yet ... 11 = March closed). `actualByMonth` holds the actuals dated up to the as-at day: the
 * closed months in full and the open month so far (later months are ignored).
 * - plan: actuals for the closed months + the open month's plan or its actuals so far, whichever is more + the plan
 *   for the months after it.
 * - run-rate: actuals of the closed months / months closed x 12, rounded to the nearest penny with halves away from
 *   zero (computed as actuals x 12 / months, so only one rounding happens).
 * Either way the outturn is never below the actuals to date: money already spent is spent.
 */
export function forecastOutturn(input: {
  planByMonth: readonly number[];
  actualByMonth: readonly number[];
  asAtMonthIndex: number;
  method: ForecastMethod;
}): ForecastResult {
  const { planByMonth, actualByMonth, asAtMonthIndex } = input;
  if (planByMonth.length !== 12 || actualByMonth.length !== 12)
    throw new RangeError('Plan and actuals need 12 months each');
  if (!Number.isInteger(asAtMonthIndex) || asAtMonthIndex < -1 || asAtMonthIndex > 11) {
    throw new RangeError(`asAtMonthIndex is -1 to 11, got ${asAtMonthIndex}`);
  }
  const monthsElapsed = asAtMonthIndex + 1;
  const closedActuals = sumPence(actualByMonth.slice(0, monthsElapsed));
  // The month the as-at day falls in, while the year is not over.
  const open = monthsElapsed < 12 ? { plan: planByMonth[monthsElapsed]!, actual: actualByMonth[monthsElapsed]! } : null;
  const actualsToDatePence = sumPence([closedActuals, open?.actual ?? 0]);
  const atLeastActuals = (outturnPence: number) => Math.max(outturnPence, actualsToDatePence);
  if (input.method === 'run-rate' && monthsElapsed > 0) {
    const outturn = Number(divideRounded(BigInt(closedActuals) * 12n, BigInt(monthsElapsed)));
    if (!Number.isSafeInteger(outturn)) throw new RangeError('The forecast is too large to hold in pence exactly');
    return { outturnPence: atLeastActuals(outturn), actualsToDatePence, monthsElapsed, method: 'run-rate' };
  }
  const openMonth = open ? Math.max(open.plan, open.actual) : 0;
  const laterPlan = sumPence(planByMonth.slice(monthsElapsed + 1));
  return {
    outturnPence: atLeastActuals(sumPence([closedActuals, openMonth, laterPlan])),
    actualsToDatePence,
    monthsElapsed,
    method: 'plan',
  };
}

/** Budget minus outturn: positive is an underspend (money left over), negative an overspend. */
export function variance(
  budgetPence: number,
  outturnPence: number,
): {
  variancePence: number;
  direction: 'underspend' | 'overspend' | 'on-budget';
} {
  const variancePence = sumPence([budgetPence, -outturnPence]);
  return { variancePence, direction: variancePence > 0 ? 'underspend' : variancePence < 0 ? 'overspend' : 'on-budget' };
}

/**
 * Plain-English warnings for a stream. `tolerancePence` lets small differences pass quietly (default: none).
 * Optional facts add their own checks: planned total, money received, and a deadline with open conditions.
 */
export function fundingWarnings(input: {
  allocatedPence: number;
  forecastPence: number;
  financialYear: string;
  plannedPence?: number;
  receivedPence?: number;
  deadline?: string | null;
  openConditions?: number;
  asAtDate?: string;
  tolerancePence?: number;
}): FundingWarning[] {
  const tolerance = input.tolerancePence ?? 0;
  const allocated = formatPence(input.allocatedPence);
  const yearEnd = dateLabel(financialYearRange(input.financialYear).to);
  const warnings: FundingWarning[] = [];

  const { variancePence } = variance(input.allocatedPence, input.forecastPence);
  if (variancePence > tolerance) {
    warnings.push({
      code: 'underspend',
      message: `${formatPence(variancePence)} of the ${allocated} allocation is forecast to be left unspent at ${yearEnd}.`,
    });
  } else if (-variancePence > tolerance) {
    warnings.push({
      code: 'overspend',
      message: `Forecast spend of ${formatPence(input.forecastPence)} is ${formatPence(-variancePence)} more than the ${allocated} allocated.`,
    });
  }

  if (input.plannedPence !== undefined) {
    const unplanned = sumPence([input.allocatedPence, -input.plannedPence]);
    if (-unplanned > tolerance) {
      warnings.push({
        code: 'over-planned',
        message: `The spending plan of ${formatPence(input.plannedPence)} is ${formatPence(-unplanned)} more than the ${allocated} allocated.`,
      });
    } else if (unplanned > tolerance) {
      warnings.push({
        code: 'under-planned',
        message: `${formatPence(unplanned)} of the ${allocated} allocation is not in the spending plan yet.`,
      });
    }
  }

  if (input.receivedPence !== undefined && input.receivedPence < input.allocatedPence) {
    warnings.push({
      code: 'not-received',
      message: `${formatPence(input.allocatedPence - input.receivedPence)} of the ${allocated} allocation has not been received yet.`,
    });
  }

  const open = input.openConditions ?? 0;
  if (input.deadline && input.asAtDate && input.asAtDate > input.deadline && open > 0) {
    warnings.push({
      code: 'deadline-passed',
      message: `The deadline of ${dateLabel(input.deadline)} has passed with ${open} ${open === 1 ? 'condition' : 'conditions'} not yet met.`,
    });
  }
  return warnings;
}

export const forecastMethodSchema = z.enum(['plan', 'run-rate']);
export const FORECAST_METHOD_LABELS: Record<ForecastMethod, string> = {
  plan: 'Actuals to date plus the plan for the months still to come',
  'run-rate': 'Run-rate: actuals to date spread over the whole year',
};

/** Months of a financial year that have ended on or before `asAt`: 0 before May's first day, 12 from 31 March. */
export function monthsClosedAt(financialYear: string, asAt: string): number {
  const { from, to } = financialYearRange(financialYear);
  if (asAt < from) return 0;
  if (asAt >= to) return 12;
  const index = financialMonthIndex(asAt);
  // The month containing asAt is closed only on its last day.
  return asAt === lastDayOfMonth(asAt.slice(0, 7)) ? index + 1 : index;
}
