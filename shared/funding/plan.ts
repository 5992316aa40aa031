import { z } from 'zod';
import { formatPence, nonNegativePenceSchema, penceSchema, splitLargestRemainder, sumPence } from '../common/money';
import { financialMonthIndex, financialYearOf } from '../common/periods';
import { idSchema, requiredText } from '../common/schemas';
import { aimCodeSchema, requirementCodeSchema } from './streams';

/**
 * The spend plan: categories, plan lines and their phasing over the months of a year. Amounts are integer pence;
 * months are indexed 0 (April) to 11 (March) of the stream's year.
 */

/** Categories are an editable list; these are the defaults a new database starts with. */
export const DEFAULT_PLAN_CATEGORIES = [
  { code: 'backfill', label: 'Backfill' },
  { code: 'project-lead-time', label: 'Project lead time' },
  { code: 'training-places', label: 'Training places' },
  { code: 'apprenticeship-support', label: 'Apprenticeship support' },
  { code: 'equipment-resources', label: 'Equipment and resources' },
  { code: 'events-engagement', label: 'Events and engagement' },
  { code: 'other', label: 'Other' },
] as const;
export const planCategoryCodeSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'A category code is lower-case words joined by hyphens, e.g. training-places');
export const planCategorySchema = z.object({ code: planCategoryCodeSchema, label: requiredText('category name', 80) });
export type PlanCategory = z.infer<typeof planCategorySchema>;

export const PHASING_PROFILES = ['even', 'front-loaded', 'back-loaded', 'custom'] as const;
export const phasingProfileSchema = z.enum(PHASING_PROFILES);
export type PhasingProfile = z.infer<typeof phasingProfileSchema>;

const twelveMonthsSchema = z
  .array(nonNegativePenceSchema)
  .length(12, 'Enter an amount for each of the 12 months, April to March');

export const planLineInputSchema = z
  .object({
    id: idSchema.optional(),
    streamId: idSchema,
    category: planCategoryCodeSchema,
    description: requiredText('description', 300),
    aims: z.array(aimCodeSchema).default([]),
    requirements: z.array(requirementCodeSchema).default([]),
    tnaItemId: idSchema.nullable().default(null),
    /** Take the total from the linked TNA item's cost instead of totalPence. */
    totalFromTna: z.boolean().default(false),
    totalPence: penceSchema.min(0, 'A planned amount cannot be negative'),
    profile: phasingProfileSchema,
    /** April to March; read only with the custom profile. */
    customMonths: twelveMonthsSchema.nullable().default(null),
  })
  .superRefine((line, ctx) => {
    const problem = phasingProblem(line.totalPence, line.profile, line.customMonths ?? undefined);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['customMonths'] });
  });
export type PlanLineInput = z.input<typeof planLineInputSchema>;

export const planLineViewSchema = z.object({
  id: idSchema,
  streamId: idSchema,
  category: z.string(),
  categoryLabel: z.string(),
  description: z.string(),
  aims: z.array(aimCodeSchema),
  requirements: z.array(requirementCodeSchema),
  tnaItemId: idSchema.nullable(),
  totalPence: nonNegativePenceSchema,
  profile: phasingProfileSchema,
  monthlyPence: twelveMonthsSchema,
  actualPence: penceSchema,
  committedPence: penceSchema,
});
export type PlanLineView = z.infer<typeof planLineViewSchema>;

// ---------- phasing ----------

const PROFILE_WEIGHTS: Record<Exclude<PhasingProfile, 'custom'>, number[]> = {
  even: Array.from({ length: 12 }, () => 1),
  'front-loaded': Array.from({ length: 12 }, (_, i) => 12 - i),
  'back-loaded': Array.from({ length: 12 }, (_, i) => i + 1),
};

function phasingProblem(totalPence: number, profile: PhasingProfile, customMonths?: readonly number[]): string | null {
  if (profile !== 'custom') return null;
  if (!customMonths || customMonths.length !== 12) return 'Enter an amount for each of the 12 months, April to March';
  if (!customMonths.every((p) => Number.isSafeInteger(p) && p >= 0)) {
    return 'Monthly amounts must be whole pence and not negative';
  }
  const sum = customMonths.reduce((a, b) => a + b, 0);
  if (!Number.isSafeInteger(sum)) return 'The monthly amounts add up to more than can be held exactly';
  if (sum !== totalPence) {
    return `The monthly amounts add up to ${formatPence(sum)} but the line total is ${formatPence(totalPence)}`;
  }
  return null;
}

/**
 * Spreads a line total over April..March. Even uses equal weights, front-loaded 12..1, back-loaded 1..12,
 * each split by largest remainder so the months add up to the total exactly; custom months are returned as
 * given and must already add up to the total.
 */
export function phase(totalPence: number, profile: PhasingProfile, customMonths?: readonly number[]): number[] {
  const problem = phasingProblem(totalPence, profile, customMonths);
  if (problem) throw new RangeError(problem);
  if (profile === 'custom') return [...customMonths!];
  return splitLargestRemainder(totalPence, PROFILE_WEIGHTS[profile]);
}

/** Totals dated amounts into the 12 months of a financial year; anything dated outside it is reported apart. */
export function byMonth(
  entries: readonly { date: string; amountPence: number }[],
  financialYear: string,
): { months: number[]; outsideYearPence: number } {
  const months = Array.from({ length: 12 }, () => 0);
  let outside = 0;
  for (const e of entries) {
    if (financialYearOf(e.date) === financialYear) {
      const i = financialMonthIndex(e.date);
      months[i] = sumPence([months[i]!, e.amountPence]);
    } else {
      outside = sumPence([outside, e.amountPence]);
    }
  }
  return { months, outsideYearPence: outside };
}

export function cumulative(series: readonly number[]): number[] {
  let running = 0;
  return series.map((v) => (running = sumPence([running, v])));
}

// ---------- category and TNA item lists ----------

export const categoryViewSchema = planCategorySchema.extend({ lineCount: z.number().int(), sort: z.number().int() });
export type CategoryView = z.infer<typeof categoryViewSchema>;

export const tnaItemViewSchema = z.object({
  id: idSchema,
  route: z.string(),
  title: z.string(),
  totalPence: penceSchema,
});
export type TnaItemView = z.infer<typeof tnaItemViewSchema>;
