import { z } from 'zod';
import { channel, fileSchema } from '../common/api';
import { financialYearSchema, isoDateSchema } from '../common/periods';
import { idResultSchema, idSchema, optionalText as blankAsNull } from '../common/schemas';
import { bandSchema } from '../common/reference';
import { provenanceSchema, stageIdSchema } from '../framework/index';
import { exportFormatSchema, mappingStatusSchema } from '../framework/channels';
import { apprenticeshipStandardSchema, gapStatusSchema, qualificationSchema } from './education';
import { tnaRouteIdSchema } from './tna';
import { trainingImportChannels } from './import-channels';

/** The "Gap analysis" area: qualifications and education gaps by stage, and the training needs assessment (TNA). */

const optionalText = (max: number) => blankAsNull(max).default(null);

// ---------- qualifications and education gaps ----------
export const gapSchema = z.object({
  stage: stageIdSchema,
  status: gapStatusSchema,
  met: z.array(z.string()),
  missing: z.array(z.string()),
  routes: z.array(tnaRouteIdSchema),
});
export type GapView = z.infer<typeof gapSchema>;

export const personEducationSchema = z.object({
  personId: idSchema,
  ref: z.string(),
  role: z
    .object({
      roleId: idSchema,
      title: z.string(),
      serviceName: z.string(),
      professionName: z.string(),
      stage: stageIdSchema.nullable(),
      mappingStatus: mappingStatusSchema.nullable(),
    })
    .nullable(),
  qualifications: z.array(
    z.object({
      id: idSchema,
      label: z.string(),
      qualification: qualificationSchema,
      /** The training records import that brought the record and keeps it up to date; null when it is the lead's own. */
      importId: idSchema.nullable(),
    }),
  ),
  gapNow: gapSchema.nullable(),
  gapNext: gapSchema.nullable(),
});
export type PersonEducation = z.infer<typeof personEducationSchema>;

export const qualificationSaveSchema = z.object({
  personId: idSchema,
  id: idSchema.optional(),
  qualification: qualificationSchema,
});

export const gapsInputSchema = z.object({
  asAt: isoDateSchema.optional(),
  status: z.union([gapStatusSchema, z.literal('all')]).default('all'),
  stage: z.union([stageIdSchema, z.literal('unmapped'), z.literal('all')]).default('all'),
  serviceId: idSchema.optional(),
  profession: z.string().optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(50),
});
export type GapsInput = z.input<typeof gapsInputSchema>;

export const gapCountsSchema = z.object({
  key: z.string(),
  label: z.string(),
  people: z.number().int(),
  meets: z.number().int(),
  partly: z.number().int(),
  doesNot: z.number().int(),
  unknown: z.number().int(),
  nextMeets: z.number().int(),
});
export type GapCounts = z.infer<typeof gapCountsSchema>;

export const gapPersonSchema = z.object({
  personId: idSchema,
  ref: z.string(),
  roleTitle: z.string(),
  serviceName: z.string(),
  professionName: z.string(),
  stage: stageIdSchema.nullable(),
  status: gapStatusSchema,
  missing: z.array(z.string()),
  nextStage: stageIdSchema.nullable(),
  nextStatus: gapStatusSchema.nullable(),
});
export type GapPerson = z.infer<typeof gapPersonSchema>;

export const routeDemandSchema = z.object({
  route: tnaRouteIdSchema,
  name: z.string(),
  /** People whose gap for their current stage suggests this route. */
  current: z.number().int(),
  /** People who meet their current stage and would need this route for the next stage. */
  next: z.number().int(),
});

export const gapsSchema = z.object({
  asAt: z.string(),
  totals: gapCountsSchema,
  byStage: z.array(gapCountsSchema),
  byProfession: z.array(gapCountsSchema),
  byService: z.array(gapCountsSchema),
  routeDemand: z.array(routeDemandSchema),
  people: z.object({ total: z.number().int(), rows: z.array(gapPersonSchema) }),
});
export type Gaps = z.infer<typeof gapsSchema>;

// ---------- training needs (TNA) ----------
export const quarterLabelSchema = z
  .string()
  .trim()
  .regex(/^\d{4}\/\d{2} Q[1-4]$/, 'Enter a quarter like 2021/22 Q3 (Q1 is April to June)')
  .refine(
    (s) => financialYearSchema.safeParse(s.slice(0, 7)).success,
    'A financial year covers two consecutive years, like 2021/22 Q3',
  );

const hasPlaces = (places: number) => (v: number) =>
  Number.isFinite(v) && Math.abs(v * 10 ** places - Math.round(v * 10 ** places)) < 1e-6;

export const prioritySchema = z.enum(['high', 'medium', 'low'], { error: 'Choose the priority' });
export const tnaSaveSchema = z.object({
  id: idSchema.optional(),
  route: tnaRouteIdSchema,
  title: z
    .string({ error: 'Enter a title' })
    .trim()
    .min(1, 'Enter a title')
    .max(200, 'The title must be 200 characters or fewer'),
  cohortSize: z
    .number({ error: 'Enter the number of people' })
    .int('Enter a whole number of people')
    .min(1, 'A cohort has at least 1 person')
    .max(100_000),
  priority: prioritySchema,
  targetQuarter: quarterLabelSchema,
  gapStage: stageIdSchema.nullable().default(null),
  tuitionPencePerPerson: z
    .number({ error: 'Enter the tuition cost' })
    .int('Enter the tuition cost in pounds and pence')
    .min(0, 'The cost cannot be negative')
    .max(100_000_000),
  backfillWeeks: z
    .number({ error: 'Enter the weeks of backfill (0 for none)' })
    .min(0, 'Weeks cannot be negative')
    .max(260, 'More than 260 weeks is not plausible')
    .refine(hasPlaces(2), 'Use at most 2 decimal places'),
  backfillBand: bandSchema,
  backfillStep: z.enum(['entry', 'top']).default('entry'),
  ftePerPerson: z
    .number({ error: 'Enter the FTE per person' })
    .min(0, 'FTE cannot be negative')
    .max(2, 'FTE above 2 is not plausible')
    .refine(hasPlaces(4), 'Use at most 4 decimal places'),
  notes: optionalText(1000),
});
export type TnaSaveInput = z.input<typeof tnaSaveSchema>;

export const tnaItemViewSchema = z.object({
  id: idSchema,
  route: tnaRouteIdSchema,
  routeName: z.string(),
  title: z.string(),
  cohortSize: z.number().int(),
  priority: prioritySchema,
  targetQuarter: z.string(),
  gapStage: stageIdSchema.nullable(),
  tuitionPencePerPerson: z.number().int(),
  backfillWeeks: z.number(),
  backfillBand: bandSchema,
  backfillStep: z.enum(['entry', 'top']),
  ftePerPerson: z.number(),
  notes: z.string().nullable(),
  payDate: z.string(),
  annualPayPence: z.number().int().nullable(),
  /** The pay year whose table costed the backfill, and a note when it is not the target quarter's own year. */
  payYear: z.string().nullable(),
  payNote: z.string().nullable(),
  tuitionPence: z.number().int(),
  backfillPence: z.number().int(),
  onCostPence: z.number().int(),
  totalPence: z.number().int(),
  levyFundablePence: z.number().int().nullable(),
});
export type TnaItemView = z.infer<typeof tnaItemViewSchema>;

export const fundingBandViewSchema = z.object({
  standard: apprenticeshipStandardSchema,
  title: z.string(),
  level: z.number().int(),
  maxPence: z.number().int(),
  defaultMaxPence: z.number().int(),
  provenance: provenanceSchema,
  source: z.string(),
});
export const tnaSettingsSchema = z.object({
  onCostPercent: z.number(),
  fundingBands: z.array(fundingBandViewSchema),
});
export const tnaSettingsSaveSchema = z.object({
  onCostPercent: z
    .number({ error: 'Enter the on-cost percentage' })
    .min(0, 'On-cost cannot be negative')
    .max(100, 'On-cost above 100% is not plausible')
    .refine(hasPlaces(2), 'Use at most 2 decimal places'),
  fundingBands: z
    .array(z.object({ standard: apprenticeshipStandardSchema, maxPence: z.number().int().min(0).max(100_000_000) }))
    .default([]),
});
export type TnaSettingsSaveInput = z.input<typeof tnaSettingsSaveSchema>;

// ---------- Agenda for Change pay used for backfill ----------
const payStepSchema = z.enum(['entry', 'top']);
export const payYearViewSchema = z.object({
  year: z.string(),
  effectiveFrom: z.string(),
  source: z.string(),
  /** Shipped with the app (confirmed or provisional), or entered by a lead. */
  provenance: z.enum(['confirmed', 'provisional', 'entered']),
  enteredBy: z.string().nullable(),
  enteredAt: z.string().nullable(),
  payPoints: z.array(z.object({ band: bandSchema, step: z.string(), annualPence: z.number().int() })),
});
export type PayYearView = z.infer<typeof payYearViewSchema>;

export const paySaveSchema = z
  .object({
    year: financialYearSchema,
    source: z
      .string()
      .trim()
      .min(1, 'Say where the figures come from, for example NHS Employers pay scales 2026/27')
      .max(500, 'Keep the source to 500 characters'),
    payPoints: z
      .array(
        z.object({
          band: bandSchema,
          step: payStepSchema,
          annualPence: z
            .number({ error: 'Enter the annual pay' })
            .int('Enter pounds and pence')
            .min(500_000, 'Below £5,000 a year is not an annual Agenda for Change salary')
            .max(25_000_000, 'Above £250,000 a year is not plausible'),
        }),
      )
      .min(1, 'Enter at least one pay point'),
  })
  .superRefine((input, ctx) => {
    const seen = new Map<string, number>();
    input.payPoints.forEach((p, i) => {
      const key = `${p.band}/${p.step}`;
      if (seen.has(key))
        ctx.addIssue({
          code: 'custom',
          path: ['payPoints', i],
          message: `Band ${p.band} ${p.step} step is given twice`,
        });
      seen.set(key, p.annualPence);
    });
    input.payPoints.forEach((p, i) => {
      const entry = seen.get(`${p.band}/entry`);
      if (p.step === 'top' && entry !== undefined && p.annualPence < entry)
        ctx.addIssue({
          code: 'custom',
          path: ['payPoints', i],
          message: `Band ${p.band}: the top step is below the entry step`,
        });
    });
  });
export type PaySaveInput = z.input<typeof paySaveSchema>;

export const tnaSchema = z.object({
  settings: tnaSettingsSchema,
  /** The pay table by year, and the bands that have pay points (the only ones backfill can be costed at). */
  pay: z.object({ years: z.array(payYearViewSchema), bands: z.array(bandSchema) }),
  items: z.array(tnaItemViewSchema),
  byRoute: z.array(
    z.object({
      route: tnaRouteIdSchema,
      name: z.string(),
      items: z.number().int(),
      cohort: z.number().int(),
      totalPence: z.number().int(),
    }),
  ),
  totalPence: z.number().int(),
  cohort: z.number().int(),
});
export type Tna = z.infer<typeof tnaSchema>;

export const trainingExportInputSchema = z.object({
  what: z.enum(['gaps', 'tna']),
  format: exportFormatSchema.default('xlsx'),
});

export const trainingChannels = {
  'training/person': channel(
    z.object({ personId: idSchema }),
    personEducationSchema,
    "A person's qualifications and education gap",
  ),
  'training/qualification-save': channel(
    qualificationSaveSchema,
    personEducationSchema,
    'Add or change a qualification',
  ),
  'training/qualification-delete': channel(z.object({ id: idSchema }), personEducationSchema, 'Remove a qualification'),
  'training/gaps': channel(
    gapsInputSchema,
    gapsSchema,
    'Education gap analysis by stage, profession and service, and per person',
  ),
  'training/tna': channel(z.object({}), tnaSchema, 'Training needs: items, costs and settings'),
  'training/tna-save': channel(tnaSaveSchema, tnaItemViewSchema, 'Add or change a training needs item'),
  'training/tna-delete': channel(z.object({ id: idSchema }), idResultSchema, 'Remove a training needs item'),
  'training/tna-settings-save': channel(
    tnaSettingsSaveSchema,
    tnaSchema,
    'Change the on-cost percentage and apprenticeship funding bands',
  ),
  'training/pay-save': channel(
    paySaveSchema,
    tnaSchema,
    "Add or correct a year's Agenda for Change pay points (re-costs every item)",
  ),
  'training/export': channel(
    trainingExportInputSchema,
    fileSchema,
    'The gap analysis or training needs as XLSX or CSV',
  ),
  ...trainingImportChannels,
};
