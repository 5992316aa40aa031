import type { Migration } from './types';

/**
 * Pseudonyms keep the first 128 bits of their HMAC-SHA-256 (32 hex characters) instead of all 256
 * (electron/services/workforce/pseudonym.ts says why). Cutting the stored ones to the same length keeps every
 * staff and assignment number matching its record on the next import. Still unique: two 128-bit prefixes of
 * different HMACs agreeing is as unlikely as guessing the key.
 */
export const migration: Migration = {
  version: 8,
  name: 'shorter pseudonyms',
  sql: `
    UPDATE person SET pseudo_id = substr(pseudo_id, 1, 32) WHERE length(pseudo_id) > 32;
    UPDATE assignment SET pseudo_id = substr(pseudo_id, 1, 32) WHERE length(pseudo_id) > 32;
  `,
};
