import { z } from 'zod';
import { channel, fileSchema } from './api';

/** The database file, its version, backup and restore, the audit trail and the synthetic demo trust. */

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

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  user: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  action: z.string(),
  before: z.string().nullable(),
  after: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const demoLoadInputSchema = z.object({ staff: z.number().int().min(10).max(5000).default(240), seed: z.number().int().default(2021) });

export const settingsChannels = {
  'settings/info': channel(z.object({}), databaseInfoSchema, 'Where the database is and which version it is'),
  'settings/backup': channel(z.object({}), fileSchema, 'A complete copy of the database, to save'),
  'settings/restore': channel(fileSchema, databaseInfoSchema, 'Replace the database with a backup (the current one is backed up first)'),
  'audit/list': channel(z.object({ limit: z.number().int().min(1).max(1000).default(100) }), z.array(auditEntrySchema), 'Recent changes'),
  'demo/load': channel(demoLoadInputSchema, z.object({ people: z.number().int(), roles: z.number().int() }), 'Fill an empty database with a synthetic demo trust'),
};
