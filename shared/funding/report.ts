import { z } from 'zod';
import { nonNegativePenceSchema, penceSchema } from '../common/money';
import { financialYearSchema, isoDateSchema } from '../common/periods';
import { idSchema } from '../common/schemas';
import { forecastMethodSchema } from './forecast';
import { planLineViewSchema } from './plan';
import { fundingStreamViewSchema } from './streams';

/** The spend report for a year: what the report service returns and the export takes. */

export const reportInputSchema = z.object({
  financialYear: financialYearSchema,
  /**
   * Every figure is as at this date (defaults to today): ledger entries dated after it are left out, and months that
   * have ended by it are "closed".
   */
  asAt: isoDateSchema.nullable().default(null),
  method: forecastMethodSchema.default('plan'),
});
export type ReportInput = z.input<typeof reportInputSchema>;

const months12 = z.array(penceSchema).length(12);

export const lineReportSchema = planLineViewSchema.extend({
  streamName: z.string(),
  plannedPence: nonNegativePenceSchema,
  forecastPence: penceSchema,
  /** Planned minus forecast: positive is money the line will not use. */
  variancePence: penceSchema,
  planByMonth: months12,
  actualByMonth: months12,
  committedByMonth: months12,
});
export type LineReport = z.infer<typeof lineReportSchema>;

export const streamReportSchema = fundingStreamViewSchema.extend({
  /** Allocation minus forecast outturn: positive is forecast underspend, negative overspend. */
  variancePence: penceSchema,
  /** Allocation minus the actuals and commitments dated on or before the as-at date. */
  unspentPence: penceSchema,
  lineCount: z.number().int(),
});
export type StreamReport = z.infer<typeof streamReportSchema>;

export const reportTotalsSchema = z.object({
  allocatedPence: penceSchema,
  receivedPence: penceSchema,
  plannedPence: penceSchema,
  committedPence: penceSchema,
  actualPence: penceSchema,
  forecastPence: penceSchema,
  variancePence: penceSchema,
  unspentPence: penceSchema,
});

export const fundingReportSchema = z.object({
  financialYear: financialYearSchema,
  asAt: isoDateSchema,
  method: forecastMethodSchema,
  monthsClosed: z.number().int().min(0).max(12),
  months: z.array(z.object({ month: z.string(), label: z.string() })).length(12),
  streams: z.array(streamReportSchema),
  lines: z.array(lineReportSchema),
  totals: reportTotalsSchema,
  byMonth: z.array(
    z.object({
      month: z.string(),
      label: z.string(),
      plannedPence: penceSchema,
      committedPence: penceSchema,
      actualPence: penceSchema,
      cumulativePlannedPence: penceSchema,
      cumulativeActualPence: penceSchema,
    }),
  ),
  byCategory: z.array(
    z.object({
      category: z.string(),
      label: z.string(),
      plannedPence: penceSchema,
      committedPence: penceSchema,
      actualPence: penceSchema,
      forecastPence: penceSchema,
    }),
  ),
  /** Ledger entries dated in the year, on or before the as-at date, that are not yet allocated to a plan line. */
  unallocated: z.object({ count: z.number().int(), actualPence: penceSchema, committedPence: penceSchema }),
  warnings: z.array(z.object({ streamId: idSchema.nullable(), code: z.string(), message: z.string() })),
});
export type FundingReport = z.infer<typeof fundingReportSchema>;

export const exportInputSchema = reportInputSchema.extend({ format: z.enum(['xlsx', 'csv']) });
