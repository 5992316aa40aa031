import { z } from 'zod';
import { nonNegativePenceSchema, penceSchema } from '../common/money';
import { financialYearSchema, isoDateSchema } from '../common/periods';
import { idSchema, requiredText, textOrBlank } from '../common/schemas';

/** Funding streams: the programme's aims and first-phase requirements, where money comes from, and what a stream holds. */

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

export const conditionItemSchema = z.object({ text: requiredText('condition', 500), done: z.boolean().default(false) });
export type ConditionItem = z.infer<typeof conditionItemSchema>;

/** Checklist items for a new pump-prime stream, for the lead to edit. */
export function firstPhaseChecklist(): ConditionItem[] {
  return FIRST_PHASE_CONDITIONS.map((c) => ({ text: c.text, done: false }));
}

export const fundingStreamInputSchema = z.object({
  id: idSchema.optional(),
  source: fundingSourceSchema,
  name: requiredText('name of the funding stream', 120),
  financialYear: financialYearSchema,
  allocatedPence: penceSchema.min(
    0,
    'The allocation cannot be negative. Record money paid back as a negative receipt instead.',
  ),
  receipts: z.array(receiptSchema).default([]),
  conditions: textOrBlank(4000),
  checklist: z.array(conditionItemSchema).default([]),
  deadline: isoDateSchema.nullable().default(null),
  owner: textOrBlank(120),
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
