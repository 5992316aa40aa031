import { z } from 'zod';
import { formatPence, nonNegativePenceSchema, parseMoney, penceSchema, splitLargestRemainder, sumPence } from '../common/money';
import type { ParseMoneyResult } from '../common/money';
import {
  dateLabel,
  financialMonthIndex,
  financialYearOf,
  financialYearRange,
  financialYearSchema,
  isoDateSchema,
  lastDayOfMonth,
} from '../common/periods';
import { channel, fileSchema } from '../common/api';
import { uploadIdSchema } from '../common/upload';
import { idSchema } from '../workforce/channels';
import { dateOrderSchema } from '../common/cells';

/**
 * The Funding area's pure core: what a stream, a plan line and a ledger entry look like, and the arithmetic
 * on them. Amounts are integer pence; months are indexed 0 (April) to 11 (March) of the stream's year.
 */

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

const ledgerRuleFields = z.object({
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
});
const ruleHasCondition = {
  check: (r: { costCentre: string | null; accountCode: unknown; descriptionContains: string | null }) =>
    Boolean(r.costCentre || r.accountCode || r.descriptionContains),
  message: 'A rule needs at least one thing to match: cost centre, account code or description',
};
export const ledgerRuleSchema = ledgerRuleFields.refine(ruleHasCondition.check, { message: ruleHasCondition.message });
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
  return firstMatchingRule(row, sortRules(rules));
}

/** Rules in the order they are tried: priority, then list order. Sort once when matching many rows. */
export function sortRules<R extends LedgerRule>(rules: readonly R[]): R[] {
  return rules
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => a.rule.priority - b.rule.priority || a.index - b.index)
    .map((r) => r.rule);
}

/** matchLedgerRow for rules already in order (see sortRules). */
export function firstMatchingRule<R extends LedgerRule>(
  row: LedgerRowForMatching,
  sortedRules: readonly R[],
): { planLineId: number; rule: R } | { planLineId: null; rule: null } {
  for (const rule of sortedRules) {
    if (ruleMatches(rule, row)) return { planLineId: rule.planLineId, rule };
  }
  return { planLineId: null, rule: null };
}

/**
 * The amount of an imported row from its cells (text from CSV, numbers from XLSX): one signed amount
 * column, or debit (spend) and credit (negative) columns. A zero in one of debit/credit beside an amount in
 * the other counts as empty, as many ledgers fill both. Unreadable or blank is an error, never 0.
 */
export function ledgerCellAmount(cells: {
  amount?: string | number | null;
  debit?: string | number | null;
  credit?: string | number | null;
}): ParseMoneyResult {
  const blank = (c: string | number | null | undefined) => c === null || c === undefined || (typeof c === 'string' && c.trim() === '');
  if ('amount' in cells) {
    if (blank(cells.amount)) return { ok: false, message: 'blank amount' };
    return cellPence(cells.amount);
  }
  const debit = blank(cells.debit) ? null : cellPence(cells.debit);
  const credit = blank(cells.credit) ? null : cellPence(cells.credit);
  if (debit && !debit.ok) return { ok: false, message: `debit: ${debit.message}` };
  if (credit && !credit.ok) return { ok: false, message: `credit: ${credit.message}` };
  const d = debit?.ok ? debit.pence : null;
  const c = credit?.ok ? credit.pence : null;
  if (d === null && c === null) return { ok: false, message: 'blank amount: both debit and credit are empty' };
  if (d !== null && c !== null && d !== 0 && c !== 0) {
    return { ok: false, message: `the row has both a debit (${formatPence(d)}) and a credit (${formatPence(c)}); expected one` };
  }
  if (d !== null && d !== 0) return { ok: true, pence: d };
  if (c !== null && c !== 0) return { ok: true, pence: -c };
  return { ok: true, pence: 0 };
}

/** A rule as the user edits it: blank text boxes mean "any". */
export const ledgerRuleInputSchema = ledgerRuleFields
  .extend({
    id: idSchema.optional(),
    priority: z.number({ error: 'Enter a priority number' }).int('Enter a whole number').min(0).max(100_000).default(100),
  })
  .transform((r) => ({
    ...r,
    costCentre: r.costCentre ? r.costCentre : null,
    descriptionContains: r.descriptionContains ? r.descriptionContains : null,
  }))
  .refine(ruleHasCondition.check, { message: ruleHasCondition.message, path: ['costCentre'] });
export type LedgerRuleInput = z.input<typeof ledgerRuleInputSchema>;

export const ledgerRuleViewSchema = z.object({
  id: idSchema,
  priority: z.number().int(),
  planLineId: idSchema,
  planLineLabel: z.string(),
  financialYear: financialYearSchema,
  costCentre: z.string().nullable(),
  accountCode: z.object({ match: z.enum(['equals', 'prefix']), value: z.string() }).nullable(),
  descriptionContains: z.string().nullable(),
  /** Ledger entries this rule allocated. */
  entryCount: z.number().int(),
});
export type LedgerRuleView = z.infer<typeof ledgerRuleViewSchema>;

// ---------- ledger import: mapping, preview, commit ----------

export const LEDGER_FIELDS = ['date', 'amount', 'debit', 'credit', 'costCentre', 'accountCode', 'description'] as const;
export type LedgerField = (typeof LEDGER_FIELDS)[number];
export const LEDGER_FIELD_LABELS: Record<LedgerField, string> = {
  date: 'Date',
  amount: 'Amount (one signed column)',
  debit: 'Debit',
  credit: 'Credit',
  costCentre: 'Cost centre',
  accountCode: 'Account (subjective) code',
  description: 'Description',
};

const headerRef = z.string().trim().max(200).nullable().default(null);

/** Columns are named by their header text, so a saved profile still fits when a column moves. */
export const ledgerMappingSchema = z
  .object({
    date: z.string().trim().min(1, 'Choose the date column').max(200),
    amount: headerRef,
    debit: headerRef,
    credit: headerRef,
    costCentre: headerRef,
    accountCode: headerRef,
    description: headerRef,
    dateOrder: dateOrderSchema.default('dmy'),
  })
  .transform((m) => {
    const blank = (v: string | null) => (v === null || v === '' ? null : v);
    return {
      ...m,
      amount: blank(m.amount),
      debit: blank(m.debit),
      credit: blank(m.credit),
      costCentre: blank(m.costCentre),
      accountCode: blank(m.accountCode),
      description: blank(m.description),
    };
  })
  .refine((m) => Boolean(m.amount || m.debit || m.credit), {
    message: 'Choose an amount column, or a debit and/or credit column',
    path: ['amount'],
  })
  .refine((m) => !(m.amount && (m.debit || m.credit)), {
    message: 'Use either one amount column or debit and credit columns, not both',
    path: ['amount'],
  });
export type LedgerMapping = z.output<typeof ledgerMappingSchema>;
export type LedgerMappingInput = z.input<typeof ledgerMappingSchema>;

const HEADER_GUESSES: [Exclude<LedgerField, never>, RegExp][] = [
  ['date', /^(transaction |trans |posting |posted |gl |invoice |accounting )?date$|^date/i],
  ['debit', /^(debit|dr)( amount)?$/i],
  ['credit', /^(credit|cr)( amount)?$/i],
  ['amount', /^(amount|value|net|net amount|total|amount £|amount \(£\)|£|gbp|actual|spend)$/i],
  ['costCentre', /cost ?cent(re|er)|^cc$|^cost code$|department|budget code/i],
  ['accountCode', /subjective|account|nominal|^gl code$|expense code|^code$/i],
  ['description', /desc|narrative|details|memo|text|supplier|reference/i],
];

/** Guesses which header holds which field from its name (the user can change every choice). */
export function guessLedgerMapping(headers: readonly string[]): LedgerMappingInput {
  const used = new Set<string>();
  const found: Partial<Record<LedgerField, string>> = {};
  for (const [field, pattern] of HEADER_GUESSES) {
    const header = headers.find((h) => !used.has(h) && pattern.test(h.trim()));
    if (header) {
      found[field] = header;
      used.add(header);
    }
  }
  if (found.amount && (found.debit || found.credit)) delete found.amount;
  return {
    date: found.date ?? '',
    amount: found.amount ?? null,
    debit: found.debit ?? null,
    credit: found.credit ?? null,
    costCentre: found.costCentre ?? null,
    accountCode: found.accountCode ?? null,
    description: found.description ?? null,
    dateOrder: 'dmy',
  };
}

/**
 * A spreadsheet amount cell to pence: numbers must have at most 2 decimal places (binary doubles are
 * rounded to the nearest penny only when they are within a millionth of it); text goes through parseMoney.
 */
export function cellPence(cell: string | number | null | undefined): ParseMoneyResult {
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return { ok: false, message: `${cell} is not an amount` };
    const pence = Math.round(cell * 100);
    if (Math.abs(pence - cell * 100) > 1e-6 * Math.max(1, Math.abs(cell))) {
      return { ok: false, message: `${cell} has more than 2 decimal places` };
    }
    if (!Number.isSafeInteger(pence)) return { ok: false, message: `${cell} is too large` };
    return { ok: true, pence: pence === 0 ? 0 : pence };
  }
  return parseMoney(cell ?? '');
}

export const ledgerImportInputSchema = z.object({
  /** The ledger file, sent first through the common upload (`upload/chunk`, kind "ledger"). */
  uploadId: uploadIdSchema,
  kind: ledgerKindSchema.default('actual'),
  /** Restrict matching and date checks to one stream; otherwise every stream whose year holds the date. */
  streamId: idSchema.nullable().default(null),
  /** Leave out to have the columns guessed from the headers. */
  mapping: ledgerMappingSchema.nullable().default(null),
});
export type LedgerImportInput = z.input<typeof ledgerImportInputSchema>;

export const ledgerRowIssueSchema = z.object({ line: z.number().int(), column: z.string(), message: z.string() });
export type LedgerRowIssue = z.infer<typeof ledgerRowIssueSchema>;

export const ledgerPreviewRowSchema = z.object({
  line: z.number().int(),
  date: z.string().nullable(),
  amountPence: penceSchema.nullable(),
  costCentre: z.string(),
  accountCode: z.string(),
  description: z.string(),
  planLineId: idSchema.nullable(),
  planLineLabel: z.string().nullable(),
  error: z.string().nullable(),
});
export type LedgerPreviewRow = z.infer<typeof ledgerPreviewRowSchema>;

export const ledgerPreviewSchema = z.object({
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  headers: z.array(z.string()),
  mapping: z.object({
    date: z.string(),
    amount: z.string().nullable(),
    debit: z.string().nullable(),
    credit: z.string().nullable(),
    costCentre: z.string().nullable(),
    accountCode: z.string().nullable(),
    description: z.string().nullable(),
    dateOrder: dateOrderSchema,
  }),
  mappingGuessed: z.boolean(),
  dateOrderNote: z.string(),
  rowCount: z.number().int(),
  errorCount: z.number().int(),
  matchedCount: z.number().int(),
  unmatchedCount: z.number().int(),
  totalPence: penceSchema,
  creditCount: z.number().int(),
  /** The first row-level problems (at most 200), each naming the line and column. */
  errors: z.array(ledgerRowIssueSchema),
  /** The first rows as they would be saved (at most 100). */
  sample: z.array(ledgerPreviewRowSchema),
  duplicateOf: z.object({ batchId: idSchema, fileName: z.string(), importedAt: z.string() }).nullable(),
});
export type LedgerPreview = z.infer<typeof ledgerPreviewSchema>;

export const ledgerCommitInputSchema = ledgerImportInputSchema.extend({
  saveProfileAs: z.string().trim().max(80).nullable().default(null),
});
export type LedgerCommitInput = z.input<typeof ledgerCommitInputSchema>;

export const ledgerCommitResultSchema = z.object({
  batchId: idSchema,
  rowCount: z.number().int(),
  matchedCount: z.number().int(),
  unmatchedCount: z.number().int(),
  totalPence: penceSchema,
});

export const importBatchViewSchema = z.object({
  id: idSchema,
  fileName: z.string(),
  importedAt: z.string(),
  importedBy: z.string(),
  kind: ledgerKindSchema,
  streamId: idSchema.nullable(),
  rowCount: z.number().int(),
  totalPence: penceSchema,
});
export type ImportBatchView = z.infer<typeof importBatchViewSchema>;

export const importProfileInputSchema = z.object({
  id: idSchema.optional(),
  name: trimmed('profile name', 80),
  mapping: ledgerMappingSchema,
});
export const importProfileViewSchema = z.object({
  id: idSchema,
  name: z.string(),
  mapping: ledgerPreviewSchema.shape.mapping,
  updatedAt: z.string(),
});
export type ImportProfileView = z.infer<typeof importProfileViewSchema>;

// ---------- ledger list and hand assignment ----------

export const ledgerRowViewSchema = ledgerEntryViewSchema.extend({
  planLineLabel: z.string().nullable(),
  batchId: idSchema.nullable(),
});
export type LedgerRowView = z.infer<typeof ledgerRowViewSchema>;

export const ledgerListInputSchema = z.object({
  financialYear: financialYearSchema.nullable().default(null),
  unmatchedOnly: z.boolean().default(false),
  limit: z.number().int().min(1).max(1000).default(100),
  offset: z.number().int().min(0).default(0),
});
export const ledgerListSchema = z.object({
  total: z.number().int(),
  totalPence: penceSchema,
  rows: z.array(ledgerRowViewSchema),
});
export type LedgerList = z.infer<typeof ledgerListSchema>;

// ---------- report ----------

export const forecastMethodSchema = z.enum(['plan', 'run-rate']);
export const FORECAST_METHOD_LABELS: Record<ForecastMethod, string> = {
  plan: 'Actuals to date plus the plan for the months still to come',
  'run-rate': 'Run-rate: actuals to date spread over the whole year',
};

export const reportInputSchema = z.object({
  financialYear: financialYearSchema,
  /** Months that have ended by this date are "closed"; defaults to today. */
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
  /** Allocation minus actuals and commitments so far. */
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
  /** Ledger entries dated in the year that are not yet allocated to a plan line. */
  unallocated: z.object({ count: z.number().int(), actualPence: penceSchema, committedPence: penceSchema }),
  warnings: z.array(z.object({ streamId: idSchema.nullable(), code: z.string(), message: z.string() })),
});
export type FundingReport = z.infer<typeof fundingReportSchema>;

export const exportInputSchema = reportInputSchema.extend({ format: z.enum(['xlsx', 'csv']) });

/** Months of a financial year that have ended on or before `asAt`: 0 before May's first day, 12 from 31 March. */
export function monthsClosedAt(financialYear: string, asAt: string): number {
  const { from, to } = financialYearRange(financialYear);
  if (asAt < from) return 0;
  if (asAt >= to) return 12;
  const index = financialMonthIndex(asAt);
  // The month containing asAt is closed only on its last day.
  return asAt === lastDayOfMonth(asAt.slice(0, 7)) ? index + 1 : index;
}

// ---------- other views ----------

export const categoryViewSchema = planCategorySchema.extend({ lineCount: z.number().int(), sort: z.number().int() });
export type CategoryView = z.infer<typeof categoryViewSchema>;

export const tnaItemViewSchema = z.object({ id: idSchema, route: z.string(), title: z.string(), totalPence: penceSchema });
export type TnaItemView = z.infer<typeof tnaItemViewSchema>;

const idInput = z.object({ id: idSchema });
const idOutput = z.object({ id: idSchema });

export const fundingChannels = {
  'funding/streams': channel(
    z.object({ financialYear: financialYearSchema.nullable().default(null) }),
    z.array(fundingStreamViewSchema),
    'Funding streams with planned, committed, actual and forecast totals',
  ),
  'funding/stream-save': channel(fundingStreamInputSchema, fundingStreamViewSchema, 'Add or change a funding stream'),
  'funding/stream-delete': channel(idInput, idOutput, 'Delete a funding stream that has no plan lines'),
  'funding/categories': channel(z.object({}), z.array(categoryViewSchema), 'Spend plan categories'),
  'funding/category-save': channel(planCategorySchema, z.array(categoryViewSchema), 'Add a category or rename one'),
  'funding/category-delete': channel(z.object({ code: planCategoryCodeSchema }), z.object({ code: z.string() }), 'Delete an unused category'),
  'funding/tna-items': channel(z.object({}), z.array(tnaItemViewSchema), 'Training needs assessment items whose cost a plan line can use'),
  'funding/lines': channel(
    z.object({ streamId: idSchema.nullable().default(null), financialYear: financialYearSchema.nullable().default(null) }),
    z.array(planLineViewSchema),
    'Spend plan lines',
  ),
  'funding/line-save': channel(planLineInputSchema, planLineViewSchema, 'Add or change a spend plan line and its phasing'),
  'funding/line-delete': channel(idInput, z.object({ id: idSchema, unallocatedEntries: z.number().int() }), 'Delete a plan line'),
  'funding/ledger': channel(ledgerListInputSchema, ledgerListSchema, 'Actuals and commitments'),
  'funding/ledger-save': channel(ledgerEntryInputSchema, ledgerRowViewSchema, 'Type in or change an actual or commitment'),
  'funding/ledger-delete': channel(idInput, idOutput, 'Delete a ledger entry'),
  'funding/ledger-assign': channel(
    z.object({ entryIds: z.array(idSchema).min(1, 'Choose at least one entry').max(20_000), planLineId: idSchema.nullable() }),
    z.object({ updated: z.number().int() }),
    'Allocate ledger entries to a plan line by hand (or take them off)',
  ),
  'funding/rules': channel(z.object({}), z.array(ledgerRuleViewSchema), 'Matching rules'),
  'funding/rule-save': channel(ledgerRuleInputSchema, ledgerRuleViewSchema, 'Add or change a matching rule'),
  'funding/rule-delete': channel(idInput, idOutput, 'Delete a matching rule'),
  'funding/rules-apply': channel(
    z.object({ financialYear: financialYearSchema.nullable().default(null) }),
    z.object({ checked: z.number().int(), changed: z.number().int(), unmatched: z.number().int() }),
    'Match entries again (entries allocated by hand are left alone)',
  ),
  'funding/import-preview': channel(ledgerImportInputSchema, ledgerPreviewSchema, 'Read a ledger file and show what would be imported'),
  'funding/import-commit': channel(ledgerCommitInputSchema, ledgerCommitResultSchema, 'Import a ledger file: every row or none'),
  'funding/import-batches': channel(z.object({}), z.array(importBatchViewSchema), 'Ledger files imported so far'),
  'funding/import-batch-delete': channel(idInput, z.object({ id: idSchema, rowCount: z.number().int() }), 'Remove an imported ledger file and its rows'),
  'funding/import-profiles': channel(z.object({}), z.array(importProfileViewSchema), 'Saved ledger column mappings'),
  'funding/import-profile-save': channel(importProfileInputSchema, importProfileViewSchema, 'Save a ledger column mapping'),
  'funding/import-profile-delete': channel(idInput, idOutput, 'Delete a saved ledger column mapping'),
  'funding/report': channel(reportInputSchema, fundingReportSchema, 'Plan, commitments, actuals, variance and forecast for a year'),
  'funding/export': channel(exportInputSchema, fileSchema, 'The spend report as an Excel workbook or CSV file'),
};
