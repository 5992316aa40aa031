import { z } from 'zod';
import { channel } from './api';
import { isoDateSchema } from './periods';
import { bandSchema } from './reference';
import { disabilitySchema, personViewSchema, sexSchema } from './workforce';
import { ageBandSchema } from './workforce-metrics';

/**
 * The workforce picture for a period (headcount, FTE, starters, leavers, leaver rate, stability, vacancy,
 * diversity) and the fast staff list with each person's record. Definitions are in README "Workforce picture".
 */

export const STAGE_LABELS: Record<string, string> = {
  entry: 'Entry level (Support Worker)',
  intermediate: 'Intermediate (Senior Support Worker)',
  'assistant-practitioner': 'Assistant Practitioner',
  'not-mapped': 'Not yet mapped',
};
export const stageLabel = (stage: string): string => STAGE_LABELS[stage] ?? stage;

export const metricsInputSchema = z
  .object({
    from: isoDateSchema,
    to: isoDateSchema,
    profession: z.string().min(1).max(8).nullable().default(null),
    serviceId: z.number().int().positive().nullable().default(null),
  })
  .refine((p) => p.from <= p.to, { message: 'The start of the period must be on or before its end', path: ['to'] });
export type MetricsInput = z.input<typeof metricsInputSchema>;

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
  establishmentFte: z.number(),
  inPostFte: z.number(),
  vacancyRate: rate,
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
      vacancyFte: z.number(),
      vacancyRate: rate,
    }),
  ),
  vacancyByService: z.array(
    z.object({ serviceId: count, serviceName: z.string(), establishmentFte: z.number(), inPostFte: z.number(), vacancyFte: z.number(), vacancyRate: rate }),
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

// ---------- the staff list ----------
export const STAFF_SORTS = ['ref', 'role', 'profession', 'band', 'fte', 'started', 'left', 'yearOfBirth'] as const;
export const staffIndexInputSchema = z.object({
  search: z.string().trim().max(100).default(''),
  status: z.enum(['in-post', 'left', 'all']).default('all'),
  profession: z.string().min(1).max(8).nullable().default(null),
  band: bandSchema.nullable().default(null),
  sort: z.enum(STAFF_SORTS).default('ref'),
  direction: z.enum(['asc', 'desc']).default('asc'),
});
export type StaffIndexInput = z.input<typeof staffIndexInputSchema>;
export const staffIndexSchema = z.object({ total: count, ids: z.array(count) });

/** One line of the staff list: small, so that thousands can be fetched while scrolling. */
export const staffRowSchema = z.object({
  id: count,
  ref: z.string(),
  roles: z.string(),
  professions: z.string(),
  bands: z.string(),
  fte: z.number(),
  started: z.string().nullable(),
  left: z.string().nullable(),
  inPost: z.boolean(),
  yearOfBirth: z.number().int().nullable(),
  sex: sexSchema,
  ethnicCategory: z.string(),
  disability: disabilitySchema,
});
export type StaffRow = z.infer<typeof staffRowSchema>;

export const staffRecordSchema = z.object({
  person: personViewSchema,
  imports: z.array(
    z.object({ batchId: count, fileName: z.string(), committedAt: z.string(), action: z.string(), undone: z.boolean() }),
  ),
  qualifications: z.array(
    z.object({
      id: count,
      kind: z.string(),
      title: z.string().nullable(),
      level: z.string().nullable(),
      status: z.string(),
      startDate: z.string().nullable(),
      endDate: z.string().nullable(),
    }),
  ),
});
export type StaffRecord = z.infer<typeof staffRecordSchema>;

export const pictureChannels = {
  'workforce/metrics': channel(metricsInputSchema, metricsSchema, 'Workforce picture for a period: headcount, starters, leavers, retention, vacancy and diversity'),
  'staff/index': channel(staffIndexInputSchema, staffIndexSchema, 'The staff list order: every matching person id, sorted'),
  'staff/rows': channel(z.object({ ids: z.array(count).max(1000) }), z.array(staffRowSchema), 'Staff list lines for the given people'),
  'staff/record': channel(z.object({ id: z.number().int().positive() }), staffRecordSchema, "One person's record: assignments, import history and education"),
};
