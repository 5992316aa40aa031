import {
  checksSchema,
  readinessSchema,
  returnContentSchema,
  type Readiness,
  type ReturnChecks,
  type ReturnContent,
  type ReturnStatus,
  type ReturnSummary,
} from '../../../shared/returns/channels';
import type { DB } from '../../db/connection';
import { AppError } from '../common/errors';

/** Reading and writing the data_return rows (migration 12). */

export interface ReturnRow {
  id: number;
  period: string;
  period_start: string;
  as_at: string;
  version: number;
  status: ReturnStatus;
  correction_reason: string | null;
  supersedes_id: number | null;
  threshold: number;
  content_json: string;
  checks_json: string;
  readiness_json: string;
  built_at: string;
  built_by: string;
  signed_name: string | null;
  signed_role: string | null;
  signed_user: string | null;
  signed_at: string | null;
  sent_on: string | null;
  snapshot_json: string | null;
  previous_hash: string | null;
  hash: string | null;
  chain_seq: number | null;
}

export function readReturnRow(db: DB, id: number): ReturnRow {
  const row = db.prepare('SELECT * FROM data_return WHERE id = ?').get(id) as ReturnRow | undefined;
  if (!row) throw new AppError('not-found', `There is no return with id ${id}.`);
  return row;
}

export const checksOf = (row: ReturnRow): ReturnChecks => checksSchema.parse(JSON.parse(row.checks_json));
export const readinessOf = (row: ReturnRow): Readiness => readinessSchema.parse(JSON.parse(row.readiness_json));
export const contentOf = (row: ReturnRow): ReturnContent => returnContentSchema.parse(JSON.parse(row.content_json));

export function summaryOf(db: DB, row: ReturnRow): ReturnSummary {
  const checks = JSON.parse(row.checks_json) as ReturnChecks;
  const supersededBy = db
    .prepare(`SELECT id FROM data_return WHERE supersedes_id = ? AND hash IS NOT NULL ORDER BY id LIMIT 1`)
    .pluck()
    .get(row.id) as number | undefined;
  return {
    id: row.id,
    period: row.period,
    asAt: row.as_at,
    version: row.version,
    status: row.status,
    correctionReason: row.correction_reason,
    supersedesId: row.supersedes_id,
    supersededById: supersededBy ?? null,
    builtAt: row.built_at,
    builtBy: row.built_by,
    signOff:
      row.signed_at === null
        ? null
        : { name: row.signed_name!, role: row.signed_role!, user: row.signed_user!, at: row.signed_at },
    sentOn: row.sent_on,
    hash: row.hash,
    previousHash: row.previous_hash,
    errorCount: checks.errors.length,
    warningCount: checks.warnings.length,
  };
}

export function thresholdSetting(db: DB): number {
  return (db.prepare('SELECT threshold FROM return_setting WHERE id = 1').pluck().get() as number | undefined) ?? 7;
}
