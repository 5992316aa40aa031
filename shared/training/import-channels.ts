import { z } from 'zod';
import { channel } from '../common/api';
import { dateOrderSchema } from '../common/cells';
import { uploadIdSchema } from '../common/upload';
import { importBatchBaseSchema } from '../common/schemas';
import { alreadyImportedSchema } from '../import/channels';
import { courseChoicesSchema, courseTargetSchema } from './courses';
import { recordColumnsSchema, recordMappingSchema } from './record-fields';

/**
 * The training records import: inspect an extract sent through the common upload, preview it with a column
 * mapping and course choices, commit it in one transaction as an import batch of kind 'training', undo it, and
 * keep named profiles (columns and course choices). Progress and cancel are the staff import's (import/progress,
 * import/cancel): one import of any kind runs at a time.
 */

export const trainingProfileInputSchema = z.object({
  name: z.string().trim().min(1, 'Give the profile a name').max(100),
  dateOrder: dateOrderSchema.default('dmy'),
  columns: recordColumnsSchema,
  courses: courseChoicesSchema.default({}),
});
export type TrainingProfileInput = z.input<typeof trainingProfileInputSchema>;

export const trainingProfileSchema = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  dateOrder: dateOrderSchema,
  columns: recordColumnsSchema,
  courses: courseChoicesSchema,
  updatedAt: z.string(),
});
export type TrainingProfile = z.infer<typeof trainingProfileSchema>;

export const trainingInspectSchema = z.object({
  uploadId: uploadIdSchema,
  fileName: z.string(),
  sizeBytes: z.number().int(),
  alreadyImported: alreadyImportedSchema.nullable(),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string().nullable(),
  headers: z.array(z.string()),
  headerLine: z.number().int(),
  sampleRows: z.array(z.object({ line: z.number().int(), cells: z.array(z.string()) })),
  guessedMapping: recordMappingSchema,
  dateOrder: z.object({ order: dateOrderSchema, certain: z.boolean(), reason: z.string() }),
  profiles: z.array(
    trainingProfileSchema.extend({
      fits: z.boolean(),
      missingHeaders: z.array(z.string()),
      mapping: recordMappingSchema,
    }),
  ),
});
export type TrainingInspect = z.infer<typeof trainingInspectSchema>;

export const trainingImportOptionsSchema = z.object({
  uploadId: uploadIdSchema,
  mapping: recordMappingSchema,
  dateOrder: dateOrderSchema.default('dmy'),
  /** Course key -> the lead's choice; courses not listed follow the default rules. */
  courses: courseChoicesSchema.default({}),
});
export type TrainingImportOptions = z.input<typeof trainingImportOptionsSchema>;

export const trainingCommitSchema = trainingImportOptionsSchema.extend({
  /** Import the rows of people found even though some staff numbers match nobody. */
  acceptUnmatched: z.boolean().default(false),
  /** Import the good rows even though some rows were rejected. */
  acceptRejected: z.boolean().default(false),
  profileName: z.string().trim().max(100).nullable().default(null),
});
export type TrainingCommit = z.input<typeof trainingCommitSchema>;

const issueSchema = z.object({ line: z.number().int(), column: z.string(), message: z.string() });

export const trainingCountsSchema = z.object({
  rowsRead: z.number().int(),
  /** Records new to the database. */
  added: z.number().int(),
  /** Records this source brought before whose status or dates changed. */
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Records this source brought before that the lead has since edited by hand: left exactly as they are. */
  keptByHand: z.number().int(),
  /** Rows whose staff number matches nobody in the database, and how many different numbers that is. */
  unmatched: z.number().int(),
  unmatchedNumbers: z.number().int(),
  /** Rows that are not qualification records (mandatory training, Functional Skills not yet achieved). */
  leftOut: z.number().int(),
  /** Rows giving a record already given by an earlier row (the one furthest on is kept). */
  duplicates: z.number().int(),
  rejected: z.number().int(),
  /** People who have at least one record in the file. */
  people: z.number().int(),
});
export type TrainingCounts = z.infer<typeof trainingCountsSchema>;

export const courseSummarySchema = z.object({
  key: z.string(),
  title: z.string(),
  rows: z.number().int(),
  target: courseTargetSchema,
  label: z.string(),
  /** The lead (or the profile) chose the target; otherwise the default rules did. */
  chosen: z.boolean(),
});
export type CourseSummary = z.infer<typeof courseSummarySchema>;

export const trainingPreviewSchema = trainingCountsSchema.extend({
  rejectedRows: z.array(issueSchema),
  rejectedIssueCount: z.number().int(),
  /** Lines whose staff number matches nobody (the numbers themselves are never shown or kept). */
  unmatchedLines: z.array(z.number().int()),
  courses: z.array(courseSummarySchema),
  courseCount: z.number().int(),
  alreadyImported: alreadyImportedSchema.nullable(),
});
export type TrainingPreview = z.infer<typeof trainingPreviewSchema>;

export const trainingBatchSchema = importBatchBaseSchema.extend({
  sizeBytes: z.number().int(),
  rowsRead: z.number().int(),
  added: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  excluded: z.number().int(),
});
export type TrainingBatch = z.infer<typeof trainingBatchSchema>;

export const trainingCommitOutputSchema = trainingPreviewSchema.extend({ batch: trainingBatchSchema });
export type TrainingCommitOutput = z.infer<typeof trainingCommitOutputSchema>;

export const trainingImportChannels = {
  'training/import-inspect': channel(
    z.object({ uploadId: uploadIdSchema }),
    trainingInspectSchema,
    'Format, headers, sample rows and a guessed mapping of an uploaded training records extract',
  ),
  'training/import-preview': channel(
    trainingImportOptionsSchema,
    trainingPreviewSchema,
    'What a training records import would do, without changing anything',
  ),
  'training/import-commit': channel(
    trainingCommitSchema,
    trainingCommitOutputSchema,
    'Import training records in one transaction, recorded as an import batch',
  ),
  'training/import-batches': channel(
    z.object({}),
    z.array(trainingBatchSchema),
    'Training records imports done so far, newest first',
  ),
  'training/import-undo': channel(
    z.object({ id: z.number().int().positive() }),
    trainingBatchSchema,
    'Undo a training records import as a whole (records entered or edited by hand are kept)',
  ),
  'training/import-profiles': channel(z.object({}), z.array(trainingProfileSchema), 'Saved training import profiles'),
  'training/import-profile-save': channel(
    trainingProfileInputSchema,
    trainingProfileSchema,
    'Save (or replace) a named training import profile',
  ),
  'training/import-profile-delete': channel(
    z.object({ id: z.number().int().positive() }),
    z.object({ id: z.number().int() }),
    'Delete a training import profile',
  ),
};
