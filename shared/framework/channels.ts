import { z } from 'zod';
import { channel, fileSchema } from '../common/api';
import { uploadIdSchema } from '../common/upload';
import { idResultSchema, idSchema, optionalText as blankAsNull } from '../common/schemas';
import { bandSchema } from '../common/reference';
import {
  STAGE_IDS,
  descriptorSchema,
  domainSchema,
  frameworkVersionSchema,
  overlaySchema,
  stageIdSchema,
} from './index';
import { TNA_ROUTE_IDS } from '../training/tna';

/** The "Roles & framework" area: framework versions, role mapping, variation and career pathways. */

const optionalText = (max: number) => blankAsNull(max).default(null);

// ---------- framework versions ----------
export const versionStatusSchema = z.enum(['current', 'retired']);
export const versionInfoSchema = z.object({
  version: z.string(),
  frameworkId: z.string(),
  title: z.string(),
  status: versionStatusSchema,
  origin: z.string(),
  adoptedAt: z.string(),
  adoptedBy: z.string(),
  retiredAt: z.string().nullable(),
  descriptorCount: z.number().int(),
  provisionalCount: z.number().int(),
  mappingCount: z.number().int(),
});
export type VersionInfo = z.infer<typeof versionInfoSchema>;

export const frameworkOverviewSchema = z.object({
  current: frameworkVersionSchema,
  versions: z.array(versionInfoSchema),
  overlays: z.array(overlaySchema),
});
export type FrameworkOverview = z.infer<typeof frameworkOverviewSchema>;

export const exportFormatSchema = z.enum(['xlsx', 'csv']);
export type ExportFormat = z.infer<typeof exportFormatSchema>;

export const importInputSchema = z.object({
  /** The filled template, sent first through the common upload (`upload/chunk`, kind "descriptors"). */
  uploadId: uploadIdSchema,
  /** merge: replace only the items in the file; replace: the file becomes the full descriptor set. */
  mode: z.enum(['merge', 'replace']).default('merge'),
  version: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/,
      'A version label has letters, numbers, dots, dashes or underscores, e.g. hee-2021.2',
    )
    .optional(),
});
export const adoptInputSchema = importInputSchema.extend({
  /** The current version the preview was made against; a changed base refuses the adoption. */
  base: z.string().min(1),
});

export const descriptorProblemSchema = z.object({ rows: z.array(z.number().int()), message: z.string() });
export const importPreviewSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    base: z.string(),
    newVersion: z.string(),
    importedItems: z.array(z.string()),
    skippedBlankItems: z.array(z.string()),
    added: z.array(descriptorSchema),
    removed: z.array(descriptorSchema),
    changed: z.array(z.object({ before: descriptorSchema, after: descriptorSchema, fields: z.array(z.string()) })),
    domainsChanged: z.array(
      z.object({ number: z.number().int(), before: domainSchema.nullable(), after: domainSchema.nullable() }),
    ),
  }),
  z.object({ ok: z.literal(false), base: z.string(), problems: z.array(descriptorProblemSchema) }),
]);
export type ImportPreview = z.infer<typeof importPreviewSchema>;

// ---------- role mapping ----------
export const ratingSchema = z.enum(['meets', 'partly', 'does-not', 'not-applicable']);
export type Rating = z.infer<typeof ratingSchema>;
export const RATING_LABELS: Record<Rating, string> = {
  meets: 'Meets',
  partly: 'Partly meets',
  'does-not': 'Does not meet',
  'not-applicable': 'Not applicable',
};
export const mappingStatusSchema = z.enum(['draft', 'agreed']);

export const suggestionSchema = z.object({
  stage: stageIdSchema,
  reason: z.string(),
  strength: z.enum(['strong', 'weak']),
});

export const mappingSchema = z.object({
  stage: stageIdSchema.nullable(),
  status: mappingStatusSchema,
  rationale: z.string().nullable(),
  frameworkVersion: z.string(),
  versionRetired: z.boolean(),
  agreedBy: z.string().nullable(),
  agreedAt: z.string().nullable(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  stageBasis: z.enum(['chosen', 'accepted-suggestion']),
  assessedDomains: z.number().int(),
});

export const mappingRowSchema = z.object({
  roleId: idSchema,
  title: z.string(),
  /** The services the role is in, joined with "; " (shortened past a few), and how many. */
  services: z.string(),
  serviceCount: z.number().int(),
  serviceIds: z.array(idSchema),
  profession: z.string(),
  professionName: z.string(),
  occupationCode: z.string().nullable(),
  band: bandSchema,
  headcount: z.number().int(),
  suggestion: suggestionSchema.nullable(),
  mapping: mappingSchema.nullable(),
});
export type MappingRow = z.infer<typeof mappingRowSchema>;

export const mappingListSchema = z.object({ currentVersion: z.string(), rows: z.array(mappingRowSchema) });

export const assessmentSchema = z.object({
  domain: z.number().int().min(1),
  rating: ratingSchema,
  evidence: optionalText(2000),
});
export const mappingDetailSchema = z.object({
  row: mappingRowSchema,
  assessments: z.array(assessmentSchema),
  /** The version the mapping was made against (or the current one when there is no mapping yet). */
  framework: frameworkVersionSchema,
  currentVersion: z.string(),
});
export type MappingDetail = z.infer<typeof mappingDetailSchema>;

export const mappingSaveSchema = z.object({
  roleId: idSchema,
  stage: stageIdSchema.nullable(),
  rationale: optionalText(2000),
  assessments: z.array(assessmentSchema).default([]),
  /** 'accepted-suggestion' only when the lead pressed "Use the suggestion"; checked against the suggestion. */
  basis: z.enum(['chosen', 'accepted-suggestion']).default('chosen'),
});
export type MappingSaveInput = z.input<typeof mappingSaveSchema>;

const roleIdsSchema = z.array(idSchema).min(1, 'Select at least one role').max(5000);
export const bulkInputSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept-suggestion'), roleIds: roleIdsSchema }),
  z.object({ action: z.literal('set-stage'), roleIds: roleIdsSchema, stage: stageIdSchema }),
  z.object({ action: z.literal('agree'), roleIds: roleIdsSchema }),
]);
export const bulkResultSchema = z.object({
  updated: z.number().int(),
  skipped: z.array(z.object({ roleId: idSchema, title: z.string(), reason: z.string() })),
});
export type BulkResult = z.infer<typeof bulkResultSchema>;

// ---------- variation ----------
export const variationSchema = z.object({
  roles: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      service: z.string(),
      profession: z.string(),
      band: bandSchema.nullable(),
      stage: stageIdSchema.nullable(),
      occupationCode: z.string().nullable(),
    }),
  ),
  matrix: z.object({
    professions: z.array(z.string()),
    stages: z.array(z.string()),
    bands: z.array(z.string()),
    cells: z.array(
      z.object({
        profession: z.string(),
        stage: z.string(),
        band: z.string(),
        count: z.number().int(),
        roleIds: z.array(z.string()),
      }),
    ),
  }),
  findings: z.array(
    z.object({
      kind: z.enum([
        'stage-band-spread',
        'stage-title-spread',
        'band-not-typical',
        'same-title-different-stages',
        'unmapped',
      ]),
      stage: stageIdSchema.nullable(),
      message: z.string(),
      roleIds: z.array(z.string()),
    }),
  ),
});
export type Variation = z.infer<typeof variationSchema>;

// ---------- career pathways ----------
export const PATHWAY_ROUTES = [
  ...TNA_ROUTE_IDS,
  'pre-registration-degree',
  'degree-apprenticeship',
  'appointment',
] as const;
export const pathwayRouteSchema = z.enum(PATHWAY_ROUTES);
export type PathwayRoute = z.infer<typeof pathwayRouteSchema>;

const stepLabelSchema = blankAsNull(120).default(null);
const stepCommon = {
  route: pathwayRouteSchema,
  requirementStage: stageIdSchema.nullable().default(null),
};
/**
 * A step is a group of job roles (one or more), every role mapped to a stage within a profession, or a
 * registered profession (always the last step). The lead may name a step (e.g. "Therapy support worker").
 */
export const pathwayStepInputSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('roles'),
    roleIds: z
      .array(idSchema)
      .min(1, 'Choose at least one role')
      .max(200, 'A step has at most 200 roles')
      .refine((ids) => new Set(ids).size === ids.length, 'Each role can be chosen once'),
    label: stepLabelSchema,
    ...stepCommon,
  }),
  z.object({
    kind: z.literal('stage'),
    professionCode: z.string().min(1, 'Choose a profession'),
    stage: z.enum(STAGE_IDS, { error: 'Choose a stage' }),
    label: stepLabelSchema,
    ...stepCommon,
  }),
  z.object({
    kind: z.literal('registered-profession'),
    professionCode: z.string().min(1, 'Choose a profession'),
    ...stepCommon,
  }),
]);
export type PathwayStepInput = z.input<typeof pathwayStepInputSchema>;
export const pathwaySaveSchema = z
  .object({
    id: idSchema.optional(),
    name: z.string().trim().min(1, 'Enter a name for the pathway').max(120),
    description: optionalText(1000),
    steps: z
      .array(pathwayStepInputSchema)
      .min(2, 'A pathway has at least two steps')
      .max(10, 'A pathway has at most 10 steps'),
  })
  .superRefine((p, ctx) => {
    p.steps.forEach((s, i) => {
      if (s.kind === 'registered-profession' && i !== p.steps.length - 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'kind'],
          message: 'A registered profession can only be the last step',
        });
      }
    });
  });
export type PathwaySaveInput = z.input<typeof pathwaySaveSchema>;

export const PATHWAY_STEP_KINDS = ['roles', 'stage', 'registered-profession'] as const;
export const pathwayStepViewSchema = z.object({
  position: z.number().int(),
  kind: z.enum(PATHWAY_STEP_KINDS),
  /** The step's roles: chosen ones for a roles step, the roles mapped to the stage for a stage step. */
  roles: z.array(z.object({ id: idSchema, title: z.string(), band: bandSchema, staff: z.number().int() })),
  professionCode: z.string().nullable(),
  stage: stageIdSchema.nullable(),
  /** The name shown: the lead's label, or one made from the roles, stage or profession. */
  label: z.string(),
  labelChosen: z.string().nullable(),
  detail: z.string(),
  route: pathwayRouteSchema,
  routeName: z.string(),
  /** The Domain 1 education requirement someone needs to take this step: chosen, the roles' mapped stage, or the step's stage. */
  requirementStage: stageIdSchema.nullable(),
  requirementSource: z.enum(['chosen', 'mapping', 'stage', 'differ', 'none']),
  /** Why there is no requirement when the roles' mapped stages differ. */
  requirementNote: z.string().nullable(),
  requirementStageChosen: stageIdSchema.nullable(),
  /** People in post in any role of this step, each counted once (0 for a registered profession). */
  people: z.number().int(),
  /** Of those, how many meet the NEXT step's requirement now, and after the study they are enrolled on. */
  meetNextNow: z.number().int().nullable(),
  meetNextAfterTraining: z.number().int().nullable(),
});
export type PathwayStepView = z.infer<typeof pathwayStepViewSchema>;
export const pathwayViewSchema = z.object({
  id: idSchema,
  name: z.string(),
  description: z.string().nullable(),
  steps: z.array(pathwayStepViewSchema),
});
export type PathwayView = z.infer<typeof pathwayViewSchema>;

// ---------- exports ----------
export const exportInputSchema = z.object({
  what: z.literal('role-map').default('role-map'),
  format: exportFormatSchema.default('xlsx'),
});

export const frameworkChannels = {
  'framework/overview': channel(
    z.object({}),
    frameworkOverviewSchema,
    'The framework in use, its versions and the profession overlays',
  ),
  'framework/template': channel(
    z.object({ format: exportFormatSchema.default('xlsx') }),
    fileSchema,
    'The descriptor template (domain, item, stage, text) to fill in',
  ),
  'framework/import-preview': channel(
    importInputSchema,
    importPreviewSchema,
    'Check a filled descriptor template and show what it would change',
  ),
  'framework/import-adopt': channel(
    adoptInputSchema,
    versionInfoSchema,
    'Adopt a checked descriptor template as the new framework version',
  ),
  'framework/mappings': channel(z.object({}), mappingListSchema, 'Every local role with its suggestion and mapping'),
  'framework/mapping': channel(
    z.object({ roleId: idSchema }),
    mappingDetailSchema,
    "One role's mapping with its domain assessments",
  ),
  'framework/mapping-save': channel(
    mappingSaveSchema,
    mappingDetailSchema,
    "Save a role's stage, rationale and domain assessments (as a draft)",
  ),
  'framework/mapping-bulk': channel(
    bulkInputSchema,
    bulkResultSchema,
    'Accept suggestions, set a stage or agree, for several roles at once',
  ),
  'framework/mapping-delete': channel(
    z.object({ roleId: idSchema }),
    z.object({ roleId: idSchema }),
    "Remove a role's mapping",
  ),
  'framework/variation': channel(z.object({}), variationSchema, 'Variation in stages, bands and titles across roles'),
  'framework/pathways': channel(
    z.object({}),
    z.array(pathwayViewSchema),
    'Career pathways with counts of people ready for the next step',
  ),
  'framework/pathway-save': channel(pathwaySaveSchema, pathwayViewSchema, 'Add or change a career pathway'),
  'framework/pathway-delete': channel(z.object({ id: idSchema }), idResultSchema, 'Remove a career pathway'),
  'framework/export': channel(exportInputSchema, fileSchema, 'The role map as XLSX or CSV'),
};
