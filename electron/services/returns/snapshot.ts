import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import {
  returnContentSchema,
  type ReturnContent,
  type ReturnSummary,
  type ReturnVersionKind,
} from '../../../shared/returns/channels';
import type { DB } from '../../db/connection';
import { AppError } from '../common/errors';
import type { FrozenReturn } from '../../../shared/returns/file';
import { readReturnRow, summaryOf } from './store';
import { versionOf } from './versions';

/**
 * A signed-off return is frozen: its content (exact values with the status protection gave each cell, section H
 * included) and the facts of its sign-off, as canonical JSON (RFC 8785), hashed with SHA-256 together with the
 * previous signed-off return's hash. Rewriting any signed-off return, or taking one out, breaks every hash after it.
 */

export type { FrozenReturn };

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('Cannot write this value as canonical JSON');
  return text;
}

/** The hash of a snapshot: SHA-256 (hex) of the canonical JSON of the previous hash and the snapshot. */
export function chainHash(previousHash: string | null, snapshotJson: string): string {
  return createHash('sha256')
    .update(canonicalJson({ previousHash, snapshot: JSON.parse(snapshotJson) as unknown }))
    .digest('hex');
}

/** The hash the next signed-off return chains to: the latest in the chain, or null for the first. */
export function latestHash(db: DB): { hash: string | null; seq: number } {
  const row = db
    .prepare('SELECT hash, chain_seq FROM data_return WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1')
    .get() as { hash: string; chain_seq: number } | undefined;
  return row ? { hash: row.hash, seq: row.chain_seq } : { hash: null, seq: 0 };
}

export interface ReturnSnapshot {
  summary: ReturnSummary;
  /** The version asked for: publication (suppressed) or exact (the ICS data-sharing version). */
  content: ReturnContent;
  hash: string;
  /** The snapshot as signed off (what the hash covers). */
  frozen: FrozenReturn;
}

/**
 * What exports are made from: the frozen snapshot of a signed-off (or sent) return, in the version asked for.
 * Refuses a draft, whose figures can still change.
 */
export function returnSnapshot(db: DB, id: number, version: ReturnVersionKind): ReturnSnapshot {
  const row = readReturnRow(db, id);
  if (row.snapshot_json === null || row.hash === null)
    throw new AppError('conflict', `Return ${id} is not signed off yet: only a signed-off return can be exported.`);
  const frozen = JSON.parse(row.snapshot_json) as FrozenReturn;
  const content = returnContentSchema.parse(frozen.content);
  return {
    summary: summaryOf(db, row),
    content: versionOf(content, version),
    hash: row.hash,
    frozen: { ...frozen, content },
  };
}
