import { z } from 'zod';
import { channel } from '../common/api';
import { bandSchema } from '../common/reference';
import { idSchema, importBatchBaseSchema } from '../common/schemas';
import { uploadIdSchema } from '../common/upload';
import { alreadyImportedSchema } from '../import/channels';
import { establishmentColumnsSchema, establishmentMappingSchema } from './fields';

/**
 * The establishment import contract: a finance establishment report sent through the common upload is
 * inspected, matched to roles and services (with the lead's choices for lines that match nothing), previewed,
 * committed in one transaction as an import batch, and undone as a whole. Pure rules: fields.ts and lines.ts.
 */

export const serviceMatchSchema = z.object({
  /** The report's cost centre or service text, compared without case or extra spaces. */
  text: z.string().trim().min(1).max(200),
  serviceId: idSchema,
});
export type ServiceMatch = z.infer<typeof serviceMatchSchema>;

export const establishmentProfileViewSchema = z.object({
  id: idSchema,
  name: z.string(),
  columns: establishmentColumnsSchema,
  /** Cost centres or service names the lead matched to a service: applied to every report read with it. */
  serviceMatches: z.array(serviceMatchSchema),
  updatedAt: z.string(),
});
export type EstablishmentProfileView = z.infer<typeof establishmentProfileViewSchema>;

export const establishmentInspectSchema = z.object({
  uploadId: uploadIdSchema,
  fileName: z.string(),
  sizeBytes: z.number().int(),
  /** The file was imported before as an establishment (same SHA-256), or null. */
  alreadyImported: alreadyImportedSchema.nullable(),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string().nullable(),
  headers: z.array(z.string()),
  sampleRows: z.array(z.object({ line: z.number().int(), cells: z.array(z.string()) })),
  guessedMapping: establishmentMappingSchema,
  profiles: z.array(
    establishmentProfileViewSchema.extend({
      fits: z.boolean(),
      missingHeaders: z.array(z.string()),
      mapping: establishmentMappingSchema,
    }),
  ),
});
export type EstablishmentInspect = z.infer<typeof establishmentInspectSchema>;

/** What the lead chose for a cost centre or service the report names that matched no service. */
export const serviceChoiceSchema = z.union([
  serviceMatchSchema,
  z.object({
    text: z.string().trim().min(1).max(200),
    create: z.object({
      name: z.string().trim().min(1, 'Give the service a name').max(120),
      costCentre: z.string().trim().max(40).nullable().default(null),
    }),
  }),
]);
export type ServiceChoice = z.input<typeof serviceChoiceSchema>;

/** What the lead chose for a job title and band that matched no role: an existing role, or a new one. */
export const roleChoiceSchema = z.union([
  z.object({ title: z.string().trim().min(1).max(200), band: bandSchema, roleId: idSchema }),
  z.object({
    title: z.string().trim().min(1).max(200),
    band: bandSchema,
    create: z.object({ profession: z.string().min(1, 'Choose a profession').max(8) }),
  }),
]);
export type RoleChoice = z.input<typeof roleChoiceSchema>;

export const establishmentOptionsSchema = z.object({
  uploadId: uploadIdSchema,
  mapping: establishmentMappingSchema,
  /** A saved profile whose remembered service matches apply; at commit the profile is saved (or replaced). */
  profileName: z.string().trim().min(1).max(100).nullable().default(null),
  serviceChoices: z.array(serviceChoiceSchema).max(5_000).default([]),
  roleChoices: z.array(roleChoiceSchema).max(5_000).default([]),
});
export type EstablishmentOptions = z.input<typeof establishmentOptionsSchema>;

export const establishmentCommitInputSchema = establishmentOptionsSchema.extend({
  /** Import the good lines even though some were rejected. */
  acceptRejected: z.boolean().default(false),
  /** Import the matched lines and leave the unmatched ones out. */
  leaveUnmatched: z.boolean().default(false),
  /** The lead confirms importing a file already imported (same SHA-256). */
  importAgain: z.boolean().default(false),
});
export type EstablishmentCommitInput = z.input<typeof establishmentCommitInputSchema>;

const issueSchema = z.object({ line: z.number().int(), column: z.string(), message: z.string() });

const vacancyTotalsSchema = z.object({
  establishmentFte: z.number(),
  /** In post in the post lines that have an establishment (as the Summary counts it). */
  inPostFte: z.number(),
  /** null while no post line has an establishment. */
  vacancyFte: z.number().nullable(),
});

export const establishmentPreviewSchema = z.object({
  linesRead: z.number().int(),
  /** Lines matched to a role and a service (these set establishments). */
  matched: z.number().int(),
  /** Lines whose service or role matched nothing (left out until the lead matches them). */
  unmatched: z.number().int(),
  rejected: z.number().int(),
  /** Post lines whose establishment or budget changes, stays the same, or is new. */
  changed: z.number().int(),
  unchanged: z.number().int(),
  created: z.number().int(),
  /** Post lines fed by more than one line of the report: their WTE and budgets are added up. */
  combined: z.number().int(),
  rolesCreated: z.number().int(),
  servicesCreated: z.number().int(),
  rejectedLines: z.array(issueSchema),
  rejectedIssueCount: z.number().int(),
  warnings: z.array(issueSchema),
  warningCount: z.number().int(),
  /** Cost centres (or service names, where a line has no cost centre) that matched no service. */
  unmatchedServices: z.array(
    z.object({
      text: z.string(),
      /** The service name the report gives beside the cost centre, if any. */
      detail: z.string().nullable(),
      lines: z.number().int(),
      firstLine: z.number().int(),
    }),
  ),
  unmatchedRoles: z.array(
    z.object({ title: z.string(), band: bandSchema, lines: z.number().int(), firstLine: z.number().int() }),
  ),
  /** Post lines the import changes or creates (the first 500), with their establishment before and after. */
  changes: z.array(
    z.object({
      role: z.string(),
      band: bandSchema,
      service: z.string(),
      lines: z.number().int(),
      beforeFte: z.number().nullable(),
      afterFte: z.number(),
      beforeBudgetPence: z.number().int().nullable(),
      afterBudgetPence: z.number().int().nullable(),
    }),
  ),
  /** The whole trust's establishment, staff in post today and vacancy, now and after the import. */
  vacancyBefore: vacancyTotalsSchema,
  vacancyAfter: vacancyTotalsSchema,
});
export type EstablishmentPreview = z.infer<typeof establishmentPreviewSchema>;

export const establishmentBatchSchema = importBatchBaseSchema.extend({
  id: idSchema,
  linesRead: z.number().int(),
  changed: z.number().int(),
  created: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  unmatched: z.number().int(),
});
export type EstablishmentBatch = z.infer<typeof establishmentBatchSchema>;

export const establishmentCommitSchema = establishmentPreviewSchema.extend({ batch: establishmentBatchSchema });
export type EstablishmentCommit = z.infer<typeof establishmentCommitSchema>;

export const establishmentChannels = {
  'establishment/inspect': channel(
    z.object({ uploadId: uploadIdSchema }),
    establishmentInspectSchema,
    'Headers, sample lines and a guessed mapping of an uploaded establishment report',
  ),
  'establishment/preview': channel(
    establishmentOptionsSchema,
    establishmentPreviewSchema,
    'What an establishment import would change, and the vacancy it would give, without changing anything',
  ),
  'establishment/commit': channel(
    establishmentCommitInputSchema,
    establishmentCommitSchema,
    'Import an establishment report in one transaction, recorded as a batch',
  ),
  'establishment/batches': channel(
    z.object({}),
    z.array(establishmentBatchSchema),
    'Establishment imports, newest first',
  ),
  'establishment/undo': channel(
    z.object({ id: idSchema }),
    establishmentBatchSchema,
    'Undo an establishment import, putting back the establishments it replaced',
  ),
  'establishment/profiles': channel(
    z.object({}),
    z.array(establishmentProfileViewSchema),
    'Saved establishment profiles',
  ),
  'establishment/profile-delete': channel(
    z.object({ id: idSchema }),
    z.object({ id: z.number().int() }),
    'Delete an establishment profile',
  ),
};
