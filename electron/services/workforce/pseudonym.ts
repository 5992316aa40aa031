import { createHmac, randomBytes } from 'node:crypto';
import type { DB } from '../../db/connection';

/**
 * Keyed hash (HMAC-SHA-256) of a staff or assignment number with this database's own secret: the same number
 * always gives the same pseudonym here, but it cannot be reversed or matched against another trust's file.
 */
export function pseudonymise(db: DB, kind: 'person' | 'assignment', clear: string): string {
  const row = db.prepare(`SELECT value FROM setting WHERE key = 'pseudonymisation-key'`).get() as { value: string } | undefined;
  if (!row) throw new Error('The database has no pseudonymisation key');
  return createHmac('sha256', Buffer.from(row.value, 'hex')).update(`${kind}:${clear.trim().toUpperCase()}`).digest('hex');
}

/** For staff entered by hand without a number: a random id with the same shape. */
export function randomPseudonym(): string {
  return randomBytes(32).toString('hex');
}

/** What the screens show: enough to tell people apart, nothing that identifies them. */
export function shortRef(pseudoId: string): string {
  return pseudoId.slice(0, 8).toUpperCase();
}
