import { z } from 'zod';
import { channel, fileSchema } from '../common/api';
import { requiredText as trimmed } from '../common/schemas';
import { uploadIdSchema } from '../common/upload';
import { auditInputSchema, auditPageSchema } from './audit';

/** The trust this database belongs to, the database file (version, backup, restore), the audit trail and the demo trust. */

// ---------- organisation ----------
export const organisationSchema = z.object({
  name: trimmed('trust name'),
  odsCode: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{3,5}$/, 'Enter the ODS code: 3 to 5 letters or numbers, e.g. RX1'),
  ics: trimmed('integrated care system'),
  ahpFaculty: trimmed('AHP faculty'),
});
export type OrganisationInput = z.input<typeof organisationSchema>;
export const organisationViewSchema = organisationSchema.extend({ isDemo: z.boolean() }).nullable();
export type OrganisationView = z.infer<typeof organisationViewSchema>;

export const databaseInfoSchema = z.object({
  path: z.string(),
  schemaVersion: z.number().int(),
  latestSchemaVersion: z.number().int(),
  sizeBytes: z.number().int(),
  sqliteVersion: z.string(),
  referenceData: z.array(z.object({ dataset: z.string(), version: z.string(), source: z.string() })),
  lastBackup: z.string().nullable(),
});
export type DatabaseInfo = z.infer<typeof databaseInfoSchema>;

export const demoLoadInputSchema = z.object({
  staff: z.number().int().min(10).max(5000).default(240),
  seed: z.number().int().default(2021),
});

export const settingsChannels = {
  'settings/organisation': channel(z.object({}), organisationViewSchema, 'The trust this database belongs to'),
  'settings/organisation-save': channel(organisationSchema, organisationViewSchema, 'Set up or change the trust'),
  'settings/info': channel(z.object({}), databaseInfoSchema, 'Where the database is and which version it is'),
  'settings/backup': channel(z.object({}), fileSchema, 'A complete copy of the database, to save'),
  'settings/restore': channel(
    z.object({ uploadId: uploadIdSchema }),
    databaseInfoSchema,
    'Replace the database with an uploaded backup (the current one is backed up first)',
  ),
  'settings/audit': channel(
    auditInputSchema,
    auditPageSchema,
    'The audit trail: a page of changes, newest first, filtered by area, person or dates; a bulk action is one entry',
  ),
  'settings/demo-load': channel(
    demoLoadInputSchema,
    z.object({ people: z.number().int(), roles: z.number().int() }),
    'Fill an empty database with a synthetic demo trust',
  ),
};
