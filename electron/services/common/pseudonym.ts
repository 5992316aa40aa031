import { createHmac, randomBytes } from 'node:crypto';
import type { DB } from '../../db/connection';
import { requireKey } from './keys';

/**
 * Keyed hash (HMAC-SHA-256) of a staff or assignment number with this database's own secret: the same number
 * always gives the same pseudonym here, but it cannot be reversed or matched against another trust's file. The
 * secret is kept outside the database, in the user's key store (keys.ts): without it the pseudonyms in a copied
 * file or backup cannot be turned back into staff numbers, even by trying every 8-digit number.
 * The first 128 bits are kept (32 hex characters; truncating an HMAC to half its length is standard practice,
 * RFC 2104 section 5): no two of even millions of staff numbers share one, and the keys the database indexes and
 * compares on every import are half the size (migration 8 shortened the pseudonyms stored before).
 */
export const PSEUDONYM_HEX_CHARS = 32;

/**
 * The keyed hash with the key looked up once, for many identifiers (an import). Refused, saying how to import
 * the key, when this computer does not have this database's key.
 */
export function pseudonymiser(db: DB): (kind: 'person' | 'assignment', clear: string) => string {
  const key = requireKey(db);
  return (kind, clear) =>
    createHmac('sha256', key)
      .update(`${kind}:${clear.trim().toUpperCase()}`)
      .digest('hex')
      .slice(0, PSEUDONYM_HEX_CHARS);
}

export function pseudonymise(db: DB, kind: 'person' | 'assignment', clear: string): string {
  return pseudonymiser(db)(kind, clear);
}

/** For staff entered by hand without a number: a random id with the same shape. */
export function randomPseudonym(): string {
  return randomBytes(PSEUDONYM_HEX_CHARS / 2).toString('hex');
}

/** What the screens show: enough to tell people apart, nothing that identifies them. */
export function shortRef(pseudoId: string): string {
  return pseudoId.slice(0, 8).toUpperCase();
}
