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
  /** A trust sends returns; an ICS collects them (issue 12). Left out, it stays as it was (a trust at first). */
  kind: z.enum(['trust', 'ics']).optional(),
});
export type OrganisationInput = z.input<typeof organisationSchema>;
export const organisationViewSchema = organisationSchema
  .extend({ kind: z.enum(['trust', 'ics']), isDemo: z.boolean() })
  .nullable();
export type OrganisationView = z.infer<typeof organisationViewSchema>;

export const databaseInfoSchema = z.object({
  path: z.string(),
  schemaVersion: z.number().int(),
  latestSchemaVersion: z.number().int(),
  /** The database file and its write-ahead log together: what it takes on disk. */
  sizeBytes: z.number().int(),
  /** Of which the write-ahead log (changes not yet folded into the file). */
  walBytes: z.number().int(),
  sqliteVersion: z.string(),
  referenceData: z.array(z.object({ dataset: z.string(), version: z.string(), source: z.string() })),
  /** When the data now in the database was last copied to a backup (a restored backup knows when it was made). */
  lastBackup: z.string().nullable(),
  /** The latest restore into this database: when, and from which file. */
  lastRestore: z.object({ at: z.string(), fileName: z.string() }).nullable(),
});
export type DatabaseInfo = z.infer<typeof databaseInfoSchema>;

/** Said wherever the pseudonymisation key can leave the key store: in the exported file, the CLI and Settings. */
export const KEY_EXPORT_WARNING =
  'Whoever has both the key file and the database, or any of its backups, can work out the staff and assignment ' +
  'number behind every pseudonym: that re-identifies staff. Keep the key file as securely as a staff extract, use ' +
  'it only to install the database on another computer, and delete every other copy once it is imported.';

/** Whether this computer holds the database's pseudonymisation key (kept outside the database file). */
export const keyStatusSchema = z.object({
  databaseId: z.string(),
  present: z.boolean(),
  /** Where the key file is, or would be, in the user's key store. */
  keyFile: z.string(),
  /** Why there is no usable key, and how to import it; null when the key is present. */
  message: z.string().nullable(),
});
export type KeyStatus = z.infer<typeof keyStatusSchema>;

export const demoLoadInputSchema = z.object({
  staff: z.number().int().min(10).max(5000).default(2000),
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
  'settings/key': channel(
    z.object({}),
    keyStatusSchema,
    "Whether this computer has the database's pseudonymisation key",
  ),
  'settings/key-export': channel(
    z.object({
      acknowledged: z.literal(true, {
        error: 'Confirm that you understand whoever has the key file and the database can re-identify staff',
      }),
    }),
    fileSchema,
    'The pseudonymisation key as a file, to move the database to another computer (re-identifies staff with the database)',
  ),
  'settings/key-import': channel(
    z.object({ uploadId: uploadIdSchema }),
    keyStatusSchema.extend({ installed: z.boolean() }),
    "Install this database's pseudonymisation key from an uploaded key file",
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
