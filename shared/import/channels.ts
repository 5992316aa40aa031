import { z } from 'zod';
import { channel } from '../common/api';
import { dateLabel, isoDateSchema } from '../common/periods';
import { uploadIdSchema } from '../common/upload';
import { dateOrderSchema } from '../common/cells';
import { importBatchBaseSchema } from '../common/schemas';
import { columnMappingSchema, importProfileSchema, keepNonAhpCodesSchema } from './fields';

/**
 * The Workforce import contract: inspect an extract sent through the common upload (shared/common/upload.ts),
 * preview the import with a column mapping, commit it in one transaction, list and undo batches, and keep named
 * import profiles. The pure rules are beside it: fields.ts (columns and header guessing), cells.ts and rows.ts.
 */

export const profileViewSchema = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  dateOrder: dateOrderSchema,
  columns: importProfileSchema.shape.columns,
  keepNonAhpCodes: z.array(z.string()),
  markMissingAsLeavers: z.boolean(),
  updatedAt: z.string(),
});
export type ProfileView = z.infer<typeof profileViewSchema>;

/** The latest import of a file with the same SHA-256 as the one being checked: said before anything else. */
export const alreadyImportedSchema = z.object({
  batchId: z.number().int(),
  fileName: z.string(),
  committedAt: z.string(),
  user: z.string(),
  undoneAt: z.string().nullable(),
});
export type AlreadyImported = z.infer<typeof alreadyImportedSchema>;

/** The sentence the check screen and the command line both show for a file imported before. */
export function alreadyImportedText(a: AlreadyImported): string {
  const when = dateLabel(a.committedAt.slice(0, 10));
  return a.undoneAt
    ? `This exact file (same SHA-256) was imported before, as import ${a.batchId} (${a.fileName}, ${when}, by ${a.user}), and that import was undone on ${dateLabel(a.undoneAt.slice(0, 10))}.`
    : `This exact file (same SHA-256) has already been imported, as import ${a.batchId} (${a.fileName}, ${when}, by ${a.user}). Importing it again changes only what has been edited since.`;
}

export const inspectOutputSchema = z.object({
  uploadId: uploadIdSchema,
  fileName: z.string(),
  sizeBytes: z.number().int(),
  /** The file was imported before (same SHA-256), or null. */
  alreadyImported: alreadyImportedSchema.nullable(),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  headers: z.array(z.string()),
  headerLine: z.number().int(),
  /** The first data rows, as text, for the mapping screen. */
  sampleRows: z.array(z.object({ line: z.number().int(), cells: z.array(z.string()) })),
  guessedMapping: columnMappingSchema,
  dateOrder: z.object({ order: dateOrderSchema, certain: z.boolean(), reason: z.string() }),
  /** Saved profiles, each re-applied to this file's headers; `fits` when every header it names is present. */
  profiles: z.array(
    profileViewSchema.extend({ fits: z.boolean(), missingHeaders: z.array(z.string()), mapping: columnMappingSchema }),
  ),
});
export type InspectOutput = z.infer<typeof inspectOutputSchema>;

export const importOptionsSchema = z.object({
  uploadId: uploadIdSchema,
  mapping: columnMappingSchema,
  dateOrder: dateOrderSchema.default('dmy'),
  /** Occupation codes that are not AHP support codes but whose rows the lead chose to keep. */
  keepNonAhpCodes: keepNonAhpCodesSchema,
  /** Mark imported staff missing from this (full) extract as leavers on the extract date. */
  markMissingAsLeavers: z.boolean().default(false),
  /** The date the extract was taken; defaults to today. */
  extractDate: isoDateSchema.optional(),
});
export type ImportOptions = z.input<typeof importOptionsSchema>;

export const commitInputSchema = importOptionsSchema.extend({
  /** Import the good rows even though some rows were rejected. */
  acceptRejected: z.boolean().default(false),
  profileName: z.string().trim().max(100).nullable().default(null),
});
export type CommitInput = z.input<typeof commitInputSchema>;

const issueSchema = z.object({ line: z.number().int(), column: z.string(), message: z.string() });
export type ImportIssue = z.infer<typeof issueSchema>;

export const importCountsSchema = z.object({
  rowsRead: z.number().int(),
  /** Rows that become new assignments. */
  added: z.number().int(),
  /** Rows whose assignment or person changes. */
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  /** Non-AHP rows left out, and exact repeats of an earlier row. */
  excluded: z.number().int(),
  duplicates: z.number().int(),
  /** Assignments that gain a leaving date from the file. */
  leavers: z.number().int(),
  /** Imported assignments missing from a full extract, marked as ended on the extract date. */
  markedMissing: z.number().int(),
  peopleAdded: z.number().int(),
  rolesAdded: z.number().int(),
  servicesAdded: z.number().int(),
});
export type ImportCounts = z.infer<typeof importCountsSchema>;

export const MAX_LISTED_ISSUES = 500;

export const previewOutputSchema = importCountsSchema.extend({
  extractDate: z.string(),
  /** Up to MAX_LISTED_ISSUES rejected rows (a row can have several reasons); rejectedIssueCount counts them all. */
  rejectedRows: z.array(issueSchema),
  rejectedIssueCount: z.number().int(),
  warnings: z.array(issueSchema),
  warningCount: z.number().int(),
  nonAhp: z.array(
    z.object({ occupationCode: z.string(), rows: z.number().int(), example: z.string(), kept: z.boolean() }),
  ),
  newRoles: z.array(
    z.object({
      title: z.string(),
      band: z.string(),
      profession: z.string(),
      /** The services its staff in this file work in, joined with "; ". */
      services: z.string(),
    }),
  ),
});
export type PreviewOutput = z.infer<typeof previewOutputSchema>;

export const batchViewSchema = importBatchBaseSchema.extend({
  sizeBytes: z.number().int(),
  extractDate: z.string(),
  rowsRead: z.number().int(),
  added: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  excluded: z.number().int(),
  leavers: z.number().int(),
  markedMissing: z.number().int(),
});
export type BatchView = z.infer<typeof batchViewSchema>;

export const commitOutputSchema = previewOutputSchema.extend({ batch: batchViewSchema });
export type CommitOutput = z.infer<typeof commitOutputSchema>;

export const progressSchema = z.object({
  running: z.boolean(),
  kind: z.enum(['preview', 'commit']).nullable(),
  phase: z.enum(['reading', 'writing']).nullable(),
  fileName: z.string().nullable(),
  bytesRead: z.number().int(),
  totalBytes: z.number().int(),
  rows: z.number().int(),
  startedAt: z.string().nullable(),
});
export type ImportProgress = z.infer<typeof progressSchema>;

export const importChannels = {
  'import/inspect': channel(
    z.object({ uploadId: uploadIdSchema }),
    inspectOutputSchema,
    'Format, headers, sample rows and a guessed mapping of an uploaded extract',
  ),
  'import/preview': channel(
    importOptionsSchema,
    previewOutputSchema,
    'What an import would do, without changing anything',
  ),
  'import/commit': channel(
    commitInputSchema,
    commitOutputSchema,
    'Import an extract in one transaction, recorded as a batch',
  ),
  'import/progress': channel(z.object({}), progressSchema, 'How far the running preview or import has got'),
  'import/cancel': channel(
    z.object({}),
    z.object({ cancelled: z.boolean() }),
    'Stop the running preview or import before it writes anything',
  ),
  'import/batches': channel(z.object({}), z.array(batchViewSchema), 'Imports done so far, newest first'),
  'import/undo': channel(z.object({ id: z.number().int().positive() }), batchViewSchema, 'Undo an import as a whole'),
  'import/profiles': channel(z.object({}), z.array(profileViewSchema), 'Saved import profiles'),
  'import/profile-save': channel(importProfileSchema, profileViewSchema, 'Save (or replace) a named import profile'),
  'import/profile-delete': channel(
    z.object({ id: z.number().int().positive() }),
    z.object({ id: z.number().int() }),
    'Delete an import profile',
  ),
};
