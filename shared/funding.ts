import { z } from 'zod';
import { formatPence, nonNegativePenceSchema, parseMoney, penceSchema, splitLargestRemainder, sumPence } from './money';
import type { ParseMoneyResult } from './money';
import { dateLabel, financialYearRange, financialYearSchema, isoDateSchema, financialMonthIndex, financialYearOf } from './periods';

/**
 * The Funding area's pure core: what a stream, a plan line and a ledger entry look like, and the arithmetic
 * on them. Amounts are integer pence; months are indexed 0 (April) to 11 (March) of the stream's year.
 */

const idSchema = z.number().int().positive();

const trimmed = (label: string, max = 200) =>
  z
    .string()
    .trim()
    .min(1, `Enter the ${label}`)
    .max(max, `The ${label} must be ${max} characters or fewer`);

const optionalText = (max = 200) => z.string().trim().max(max, `Must be ${max} characters or fewer`).default('');

// ---------- programme reference (from DOMAIN.md; shown to the user, not hidden rules) ----------

export const AIM_CODES = ['education', 'growth', 'retention', 'diversity'] as const;
export const aimCodeSchema = z.enum(AIM_CODES);
export type AimCode = z.infer<typeof aimCodeSchema>;
export const PROGRAMME_AIMS: Record<AimCode, string> = {
  education: 'Improve education standards, access and uptake for AHP support workers',
  growth: 'Grow the AHP support workforce alongside the registered workforce',
  retention: 'Improve retention of the AHP support workforce and reduce vacancies',
  diversity: 'Improve the diversity of the support workforce',
};

export const REQUIREMENT_CODES = ['scope', 'map', 'gap-tna', 'readiness-toolkit', 'engagement'] as const;
export const requirementCodeSchema = z.enum(REQUIREMENT_CODES);
export type RequirementCode = z.infer<typeof requirementCodeSchema>;
const REQUIREMENT_TEXT: Record<RequirementCode, string> = {
  scope: 'Scope the current workforce supporting AHP services',
  map: "Map that workforce against the framework's education recommendations",
  'gap-tna': 'Carry out a gap analysis and a training needs assessment (TNA)',
  'readiness-toolkit': 'Supply data and evidence through the HEE readiness toolkit',
  engagement: 'Take part in webinars and community-of-practice events',
};
/** The 2021/22 first-phase requirements every trust took on with pump-prime funding, in the order given. */
export const FIRST_PHASE_CONDITIONS: readonly { code: RequirementCode; text: string }[] = REQUIREMENT_CODES.map(
  (code) => ({ code, text: REQUIREMENT_TEXT[code] }),
);

// ---------- funding streams ----------

export const FUNDING_SOURCES = ['hee-pump-prime', 'ahp-faculty', 'ics', 'other'] as const;
export const fundingSourceSchema = z.enum(FUNDING_SOURCES);
export type FundingSource = z.infer<typeof fundingSourceSchema>;
export const FUNDING_SOURCE_LABELS: Record<FundingSource, string> = {
  'hee-pump-prime': 'HEE pump-prime funding',
  'ahp-faculty': 'AHP Faculty funding',
  ics: 'Integrated care system funding',
  other: 'Other funding',
};

/** A negative receipt records money paid back or clawed back; it is never netted off the allocation. */
export const receiptSchema = z.object({
  date: isoDateSchema,
  amountPence: penceSchema.refine((p) => p !== 0, 'Enter the amount received'),
});
export type Receipt = z.infer<typeof receiptSchema>;

export const conditionItemSchema = z.object({ text: trimmed('condition', 500), done: z.boolean().default(false) });
export type ConditionItem = z.infer<typeof conditionItemSchema>;

/** Checklist items for a new pump-prime stream, for the lead to edit. */
export function firstPhaseChecklist(): ConditionItem[] {
  return FIRST_PHASE_CONDITIONS.map((c) => ({ text: c.text, done: false }));
}

export const fundingStreamInputSchema = z.object({
  id: idSchema.optional(),
  source: fundingSourceSchema,
  name: trimmed('name of the funding stream', 120),
  financialYear: financialYearSchema,
  allocatedPence: penceSchema.min(
    0,
    'The allocation cannot be negative. Record money paid back as a negative receipt instead.',
  ),
  receipts: z.array(receiptSchema).default([]),
  conditions: optionalText(4000),
  checklist: z.array(conditionItemSchema).default([]),
  deadline: isoDateSchema.nullable().default(null),
  owner: optionalText(120),
});
export type FundingStreamInput = z.input<typeof fundingStreamInputSchema>;

export const fundingWarningSchema = z.object({
  code: z.enum(['underspend', 'overspend', 'over-planned', 'under-planned', 'not-received', 'deadline-passed']),
  message: z.string(),
});
export type FundingWarning = z.infer<typeof fundingWarningSchema>;

export const fundingStreamViewSchema = z.object({
  id: idSchema,
  source: fundingSourceSchema,
  name: z.string(),
  financialYear: financialYearSchema,
  allocatedPence: nonNegativePenceSchema,
  receipts: z.array(receiptSchema),
  receivedPence: penceSchema,
  conditions: z.string(),
  checklist: z.array(conditionItemSchema),
  deadline: isoDateSchema.nullable(),
  owner: z.string(),
  plannedPence: penceSchema,
  actualPence: penceSchema,
  committedPence: penceSchema,
  forecastPence: penceSchema,
  warnings: z.array(fundingWarningSchema),
});
export type FundingStreamView = z.infer<typeof fundingStreamViewSchema>;

// ---------- plan lines ----------

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
export const planCategorySchema = z.object({ code: planCategoryCodeSchema, label: trimmed('category name', 80) });
export type PlanCategory = z.infer<typeof planCategorySchema>;

export const PHASING_PROFILES = ['even', 'front-loaded', 'back-loaded', 'custom'] as const;
export const phasingProfileSchema = z.enum(PHASING_PROFILES);
export type PhasingProfile = z.infer<typeof phasingProfileSchema>;

const twelveMonthsSchema = z.array(nonNegativePenceSchema).length(12, 'Enter an amount for each of the 12 months, April to March');

export const planLineInputSchema = z
  .object({
    id: idSchema.optional(),
    streamId: idSchema,
    category: planCategoryCodeSchema,
    description: trimmed('description', 300),
    aims: z.array(aimCodeSchema).default([]),
    requirements: z.array(requirementCodeSchema).default([]),
    tnaItemId: idSchema.nullable().default(null),
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

// ---------- actuals and commitments ----------

export const ledgerKindSchema = z.enum(['actual', 'commitment']);
export type LedgerKind = z.infer<typeof ledgerKindSchema>;

/** Negative amounts are credits and reversals. A null plan line means "not yet allocated". */
export const ledgerEntryInputSchema = z.object({
  id: idSchema.optional(),
  kind: ledgerKindSchema,
  date: isoDateSchema,
  amountPence: penceSchema,
  description: optionalText(300),
  costCentre: optionalText(40),
  accountCode: optionalText(40),
  planLineId: idSchema.nullable().default(null),
});
export type LedgerEntryInput = z.input<typeof ledgerEntryInputSchema>;
export type LedgerEntry = z.output<typeof ledgerEntryInputSchema>;

export const ledgerEntryViewSchema = z.object({
  id: idSchema,
  kind: ledgerKindSchema,
  date: isoDateSchema,
  amountPence: penceSchema,
  description: z.string(),
  costCentre: z.string(),
  accountCode: z.string(),
  planLineId: idSchema.nullable(),
  /** The rule that allocated an imported row, so the allocation can be explained. */
  matchedRuleId: idSchema.nullable(),
});
export type LedgerEntryView = z.infer<typeof ledgerEntryViewSchema>;

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

// ---------- forecast and variance ----------

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
 * Year-end outturn as at the close of month `asAtMonthIndex` (0 = April closed ... 11 = March closed;
 * -1 = no month closed yet).
 * - plan: actuals for closed months + plan for the months still to come.
 * - run-rate: actuals to date / months elapsed x 12, rounded to the nearest penny with halves away from
 *   zero (computed as actuals x 12 / months, so only one rounding happens).
 */
export function forecastOutturn(input: {
  planByMonth: readonly number[];
  actualByMonth: readonly number[];
  asAtMonthIndex: number;
  method: ForecastMethod;
}): ForecastResult {
  const { planByMonth, actualByMonth, asAtMonthIndex } = input;
  if (planByMonth.length !== 12 || actualByMonth.length !== 12) throw new RangeError('Plan and actuals need 12 months each');
  if (!Number.isInteger(asAtMonthIndex) || asAtMonthIndex < -1 || asAtMonthIndex > 11) {
    throw new RangeError(`asAtMonthIndex is -1 to 11, got ${asAtMonthIndex}`);
  }
  const monthsElapsed = asAtMonthIndex + 1;
  const actualsToDatePence = sumPence(actualByMonth.slice(0, monthsElapsed));
  const remainingPlan = sumPence(planByMonth.slice(monthsElapsed));
  if (input.method === 'run-rate' && monthsElapsed > 0) {
    const outturn = Number(divideRounded(BigInt(actualsToDatePence) * 12n, BigInt(monthsElapsed)));
    if (!Number.isSafeInteger(outturn)) throw new RangeError('The forecast is too large to hold in pence exactly');
    return { outturnPence: outturn, actualsToDatePence, monthsElapsed, method: 'run-rate' };
  }
  return { outturnPence: sumPence([actualsToDatePence, remainingPlan]), actualsToDatePence, monthsElapsed, method: 'plan' };
}

/** Budget minus outturn: positive is an underspend (money left over), negative an overspend. */
export function variance(budgetPence: number, outturnPence: number): {
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

// ---------- ledger import ----------

/**
 * Reads the amount of an imported ledger row: one signed amount column, or separate debit and credit
 * columns (debit = spend, credit = negative). Unreadable text is an error, never 0.
 */
export function ledgerAmount(columns: { amount?: string; debit?: string; credit?: string }): ParseMoneyResult {
  if (columns.amount !== undefined) return parseMoney(columns.amount);
  const debit = columns.debit?.trim() ?? '';
  const credit = columns.credit?.trim() ?? '';
  if (debit === '' && credit === '') return { ok: false, message: 'blank amount: both debit and credit are empty' };
  if (debit !== '' && credit !== '') {
    return { ok: false, message: `The row has both a debit (${debit}) and a credit (${credit}); expected one` };
  }
  const parsed = parseMoney(debit !== '' ? debit : credit);
  if (!parsed.ok || debit !== '') return parsed;
  return { ok: true, pence: parsed.pence === 0 ? 0 : -parsed.pence };
}

export const ledgerRuleSchema = z
  .object({
    id: idSchema,
    /** Lower numbers are tried first; equal priorities keep their order in the list. */
    priority: z.number().int(),
    planLineId: idSchema,
    costCentre: z.string().trim().nullable().default(null),
    accountCode: z
      .object({ match: z.enum(['equals', 'prefix']), value: z.string().trim().min(1, 'Enter the account code') })
      .nullable()
      .default(null),
    descriptionContains: z.string().trim().nullable().default(null),
  })
  .refine((r) => Boolean(r.costCentre || r.accountCode || r.descriptionContains), {
    message: 'A rule needs at least one thing to match: cost centre, account code or description',
  });
export type LedgerRule = z.output<typeof ledgerRuleSchema>;

export type LedgerRowForMatching = Pick<LedgerEntry, 'costCentre' | 'accountCode' | 'description'>;

const norm = (s: string) => s.trim().toLowerCase();

function ruleMatches(rule: LedgerRule, row: LedgerRowForMatching): boolean {
  if (rule.costCentre && norm(row.costCentre) !== norm(rule.costCentre)) return false;
  if (rule.accountCode) {
    const code = norm(row.accountCode);
    const wanted = norm(rule.accountCode.value);
    if (rule.accountCode.match === 'equals' ? code !== wanted : !code.startsWith(wanted)) return false;
  }
  if (rule.descriptionContains && !norm(row.description).includes(norm(rule.descriptionContains))) return false;
  return true;
}

/**
 * Finds the plan line for an imported row. Every condition a rule sets must hold (all compared trimmed and
 * case-insensitively); the first matching rule by priority wins and is returned so the match can be explained.
 */
export function matchLedgerRow(
  row: LedgerRowForMatching,
  rules: readonly LedgerRule[],
): { planLineId: number; rule: LedgerRule } | { planLineId: null; rule: null } {
  const ordered = rules.map((rule, index) => ({ rule, index })).sort((a, b) => a.rule.priority - b.rule.priority || a.index - b.index);
  for (const { rule } of ordered) {
    if (ruleMatches(rule, row)) return { planLineId: rule.planLineId, rule };
  }
  return { planLineId: null, rule: null };
}
