import type { Migration } from './types';

/**
 * The pseudonymisation key leaves the database for the per-user key store (electron/services/common/keys.ts),
 * so that a copied database or backup no longer holds what reverses its pseudonyms. `keepKeyOutside` saves the
 * key in the store, fsynced and read back, inside the same transaction before this runs, and records the
 * database id that names the key file; then VACUUM wipes the deleted row's bytes from the file.
 */
export const migration: Migration = {
  version: 10,
  name: 'key outside the database',
  sql: `DELETE FROM setting WHERE key = 'pseudonymisation-key';`,
};
