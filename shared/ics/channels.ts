import { z } from 'zod';
import { channel } from '../common/api';
import { idSchema, requiredText } from '../common/schemas';
import { uploadIdSchema } from '../common/upload';
import { measureUnitSchema, returnPeriodSchema, returnTableSchema } from '../returns/channels';

/**
 * The ICS workspace (issue 13): a database whose organisation is an ICS (its AHP faculty) collects the exact
 * (data-sharing) returns its trusts export, adds them up into the ICS picture and builds the ICS's own return
 * through the returns capability. Nothing here is about a single person: returns hold counts only.
 */

export const odsCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{3,5}$/, 'Enter the ODS code: 3 to 5 letters or numbers, e.g. RX1');

// ---------- trusts ----------

export const icsTrustSchema = z.object({
  id: idSchema,
  odsCode: z.string(),
  name: z.string(),
  /** Added by hand, or from the first return collected from it. */
  addedFrom: z.enum(['hand', 'return']),
  addedAt: z.string(),
  collectedReturns: z.number().int(),
});
export type IcsTrust = z.infer<typeof icsTrustSchema>;

export const trustSaveSchema = z.object({
  id: idSchema.nullable().default(null),
  odsCode: odsCodeSchema,
  name: requiredText('trust name', 200),
});
export type TrustSaveInput = z.input<typeof trustSaveSchema>;

// ---------- collecting returns ----------

export const addInputSchema = z.object({
  uploadIds: z.array(uploadIdSchema).min(1, 'Choose at least one return file').max(500, 'Add up to 500 files at once'),
});
export type AddInput = z.input<typeof addInputSchema>;

export const ADD_OUTCOMES = ['added', 'added-superseding', 'added-superseded', 'refused'] as const;
export const addOutcomeSchema = z.enum(ADD_OUTCOMES);
export type AddOutcome = z.infer<typeof addOutcomeSchema>;

/** Why a file was refused: each has its own plain-English message. */
export const REFUSAL_CODES = [
  'not-json',
  'not-a-return',
  'newer-schema',
  'unknown-schema',
  'invalid',
  'publication-version',
  'ics-return',
  'hash-mismatch',
  'chain-fork',
  'another-ics',
  'duplicate',
  'same-version-different-content',
  'too-large',
] as const;
export const refusalCodeSchema = z.enum(REFUSAL_CODES);
export type RefusalCode = z.infer<typeof refusalCodeSchema>;

export const fileOutcomeSchema = z.object({
  fileName: z.string(),
  outcome: addOutcomeSchema,
  /** Why it was refused; null when added. */
  refusal: refusalCodeSchema.nullable(),
  /** What happened, in plain English (the reason for a refusal, or what the file superseded). */
  message: z.string(),
  trust: z.object({ odsCode: z.string(), name: z.string() }).nullable(),
  period: z.string().nullable(),
  version: z.number().int().nullable(),
  collectedId: idSchema.nullable(),
});
export type FileOutcome = z.infer<typeof fileOutcomeSchema>;

export const addResultSchema = z.object({
  files: z.array(fileOutcomeSchema),
  added: z.number().int(),
  refused: z.number().int(),
  /** One line for all the files, e.g. "5 returns added, 2 refused". */
  summary: z.string(),
});
export type AddResult = z.infer<typeof addResultSchema>;

export const collectedReturnSchema = z.object({
  id: idSchema,
  trustOds: z.string(),
  trustName: z.string(),
  period: returnPeriodSchema,
  version: z.number().int(),
  asAt: z.string(),
  signedAt: z.string(),
  signedBy: z.string(),
  correctionReason: z.string().nullable(),
  hash: z.string(),
  fileName: z.string(),
  receivedAt: z.string(),
  receivedBy: z.string(),
  /** The later version of the same trust and period that replaces this one, with its reason; null if current. */
  supersededById: idSchema.nullable(),
  supersededReason: z.string().nullable(),
  staffInPost: z.number().int(),
});
export type CollectedReturn = z.infer<typeof collectedReturnSchema>;

export const collectedInputSchema = z.object({ period: returnPeriodSchema.nullable().default(null) });

// ---------- status: who has sent ----------

export const statusInputSchema = z.object({ period: returnPeriodSchema });
export const trustStatusSchema = z.object({
  odsCode: z.string(),
  name: z.string(),
  sent: z.boolean(),
  /** The current return for the period, if sent. */
  collectedId: idSchema.nullable(),
  version: z.number().int().nullable(),
  asAt: z.string().nullable(),
  receivedAt: z.string().nullable(),
  /** Earlier versions kept but superseded. */
  superseded: z.number().int(),
});
export const statusSchema = z.object({
  period: returnPeriodSchema,
  trusts: z.array(trustStatusSchema),
  sent: z.number().int(),
  missing: z.number().int(),
  /** Periods with at least one collected return, newest first, to choose from. */
  periods: z.array(z.string()),
});
export type IcsStatus = z.infer<typeof statusSchema>;

// ---------- the ICS picture ----------

export const COMPARISON_MEASURES = [
  'headcount',
  'vacancy-rate',
  'leaver-rate',
  'stability-index',
  'roles-mapped',
  'meeting-requirement',
  'bme-share',
  'spend-against-allocation',
] as const;
export const comparisonMeasureSchema = z.enum(COMPARISON_MEASURES);
export type ComparisonMeasure = z.infer<typeof comparisonMeasureSchema>;
export const COMPARISON_LABELS: Record<ComparisonMeasure, { label: string; unit: 'count' | 'percent' }> = {
  headcount: { label: 'Headcount', unit: 'count' },
  'vacancy-rate': { label: 'Vacancy rate (%)', unit: 'percent' },
  'leaver-rate': { label: 'Leaver rate (%)', unit: 'percent' },
  'stability-index': { label: 'Stability index (%)', unit: 'percent' },
  'roles-mapped': { label: 'Roles mapped and agreed (%)', unit: 'percent' },
  'meeting-requirement': { label: "Staff meeting their stage's education requirement (%)", unit: 'percent' },
  'bme-share': { label: 'BME share (%)', unit: 'percent' },
  'spend-against-allocation': { label: 'Spend against allocation (%)', unit: 'percent' },
};

const measureValues = z.record(comparisonMeasureSchema, z.number().nullable());
export const spreadSchema = z.object({ lowest: z.number(), median: z.number(), highest: z.number() }).nullable();

export const pictureSchema = z.object({
  period: returnPeriodSchema,
  /** The trusts whose current return is added up, and those that have not sent one. */
  included: z.array(
    z.object({
      odsCode: z.string(),
      name: z.string(),
      collectedId: idSchema,
      version: z.number().int(),
      asAt: z.string(),
    }),
  ),
  missing: z.array(z.object({ odsCode: z.string(), name: z.string() })),
  /** Every section of the return added up across the trusts (exact: for the ICS lead, not for publishing). */
  tables: z.array(returnTableSchema),
  comparison: z.object({
    measures: z.array(z.object({ key: comparisonMeasureSchema, label: z.string(), unit: measureUnitSchema })),
    trusts: z.array(z.object({ odsCode: z.string(), name: z.string(), values: measureValues })),
    /** The ICS as a whole: worked out from the summed parts, never an average of the trusts' rates. */
    ics: measureValues,
    spread: z.record(comparisonMeasureSchema, spreadSchema),
  }),
});
export type IcsPicture = z.infer<typeof pictureSchema>;

export const icsChannels = {
  'ics/trusts': channel(z.object({}), z.object({ trusts: z.array(icsTrustSchema) }), "The ICS's trusts"),
  'ics/trust-save': channel(trustSaveSchema, icsTrustSchema, 'Add a trust to the ICS, or change its name or ODS code'),
  'ics/trust-delete': channel(
    z.object({ id: idSchema }),
    z.object({ id: idSchema }),
    'Take a trust off the list (refused once returns from it are collected)',
  ),
  'ics/add': channel(
    addInputSchema,
    addResultSchema,
    "Collect trusts' exact returns (JSON files): each is checked, and added or refused with the reason",
  ),
  'ics/collected': channel(
    collectedInputSchema,
    z.object({ returns: z.array(collectedReturnSchema) }),
    'The collected returns, newest first, with what supersedes what',
  ),
  'ics/status': channel(statusInputSchema, statusSchema, 'Which trusts have sent a return for a period'),
  'ics/demo-load': channel(
    z.object({}),
    z.object({ trusts: z.number().int(), returns: z.number().int() }),
    'Fill an empty database with a synthetic demo ICS: six trusts, five of whose 2025/26 returns are collected',
  ),
  'ics/picture': channel(
    statusInputSchema,
    pictureSchema,
    "Every section added up across the trusts' current returns, and the trusts side by side",
  ),
};
