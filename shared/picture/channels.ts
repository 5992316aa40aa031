import { z } from 'zod';
import { channel, fileSchema } from '../common/api';
import { isoDateSchema } from '../common/periods';
import { bandSchema } from '../common/reference';
import { disabilitySchema, sexSchema, vacancyCoverageSchema } from '../workforce/channels';
import { ageBandSchema } from './metrics';

/**
 * The workforce picture for a period (headcount, FTE, starters, leavers, leaver rate, stability, vacancy,
 * diversity). Definitions are in README "Workforce picture".
 */

export const STAGE_LABELS: Record<string, string> = {
  entry: 'Entry level (Support Worker)',
  intermediate: 'Intermediate (Senior Support Worker)',
  'assistant-practitioner': 'Assistant Practitioner',
  'not-mapped': 'Not yet mapped',
};
export const stageLabel = (stage: string): string => STAGE_LABELS[stage] ?? stage;

const periodFields = {
  from: isoDateSchema,
  to: isoDateSchema,
  profession: z.string().min(1).max(8).nullable().default(null),
  serviceId: z.number().int().positive().nullable().default(null),
};
const inOrder = (p: { from: string; to: string }) => p.from <= p.to;
const periodOrder = { message: 'The start of the period must be on or before its end', path: ['to'] };
export const metricsInputSchema = z.object(periodFields).refine(inOrder, periodOrder);
export type MetricsInput = z.input<typeof metricsInputSchema>;

/** The picture's tables as a file: XLSX (a sheet a table) or CSV (one row a figure). */
export const pictureExportInputSchema = z
  .object({ ...periodFields, format: z.enum(['xlsx', 'csv']) })
  .refine(inOrder, periodOrder);
export type PictureExportInput = z.input<typeof pictureExportInputSchema>;

const rate = z.number().nullable();
const count = z.number().int();

const diversityRowSchema = z.object({
  /** A band ("3"), a stage id, or "all" for the whole support workforce in scope. */
  group: z.string(),
  label: z.string(),
  headcount: count,
  bme: count,
  white: count,
  ethnicityNotKnown: count,
  bmePercent: rate,
  disabled: count,
  notDisabled: count,
  disabilityNotDeclared: count,
  disabledPercent: rate,
  female: count,
  male: count,
  femalePercent: rate,
});
export type DiversityRow = z.infer<typeof diversityRowSchema>;

export const metricsSchema = z.object({
  from: z.string(),
  to: z.string(),
  headcountStart: count,
  headcountEnd: count,
  fteStart: z.number(),
  fteEnd: z.number(),
  starters: count,
  leavers: count,
  /** Percentages to 1 decimal place; null when the denominator is 0. */
  leaverRate: rate,
  stabilityIndex: rate,
  stabilityBase: z.object({ inPostAYearBefore: count, stillInPost: count, yearBefore: z.string() }),
  /** Establishment of the roles in scope; inPostFte is the FTE in post at the end in those with an establishment. */
  establishmentFte: z.number(),
  inPostFte: z.number(),
  /** Over the post lines with an establishment only; null when none has one. */
  vacancyRate: rate,
  vacancyCoverage: vacancyCoverageSchema,
  byProfessionBand: z.array(
    z.object({
      profession: z.string(),
      professionName: z.string(),
      band: bandSchema,
      headcountEnd: count,
      fteEnd: z.number(),
      starters: count,
      leavers: count,
    }),
  ),
  byProfessionBandStage: z.array(
    z.object({
      profession: z.string(),
      professionName: z.string(),
      band: bandSchema,
      stage: z.string(),
      stageLabel: z.string(),
      headcountEnd: count,
      fteEnd: z.number(),
    }),
  ),
  vacancyByRole: z.array(
    z.object({
      roleId: count,
      title: z.string(),
      serviceName: z.string(),
      band: bandSchema,
      establishmentFte: z.number(),
      inPostFte: z.number(),
      /** Null (as is the rate) when the role has no establishment. */
      vacancyFte: z.number().nullable(),
      vacancyRate: rate,
    }),
  ),
  /** Each service over its roles with an establishment; inPostFte is the FTE in post in those roles. */
  vacancyByService: z.array(
    z.object({
      serviceId: count,
      serviceName: z.string(),
      establishmentFte: z.number(),
      inPostFte: z.number(),
      vacancyFte: z.number().nullable(),
      vacancyRate: rate,
      coverage: vacancyCoverageSchema,
    }),
  ),
  ethnicity: z.array(z.object({ category: z.string(), name: z.string(), group: z.string(), headcount: count })),
  bmePercent: rate,
  sex: z.array(z.object({ sex: sexSchema, label: z.string(), headcount: count })),
  ageBands: z.array(z.object({ ageBand: ageBandSchema, label: z.string(), headcount: count })),
  disability: z.array(z.object({ disability: disabilitySchema, label: z.string(), headcount: count })),
  /** WRES/WDES indicator 1 style: each band and stage against the whole support workforce (group "all"). */
  diversityByBand: z.array(diversityRowSchema),
  diversityByStage: z.array(diversityRowSchema),
  diversityWhole: diversityRowSchema,
  /** Counts from 1 to this number are marked on screen: fine for the lead, not to be sent out as they are. */
  smallCountThreshold: count,
});
export type WorkforceMetrics = z.infer<typeof metricsSchema>;

export const pictureChannels = {
  'picture/metrics': channel(
    metricsInputSchema,
    metricsSchema,
    'Workforce picture for a period: headcount, starters, leavers, retention, vacancy and diversity',
  ),
  'picture/export': channel(
    pictureExportInputSchema,
    fileSchema,
    "The workforce picture's tables as XLSX or CSV, small counts marked, not protected for publication",
  ),
};
