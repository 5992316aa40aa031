import type { Migration } from './types';

/**
 * The ICS workspace (issue 13). An ICS database lists its trusts and keeps every return a trust sent it, as the
 * file came (its JSON text), with the facts it was checked on. A later version of the same trust and period
 * supersedes an earlier one; both are kept. A collected return never changes: only what supersedes it may be
 * recorded, once. Plain tables and CHECKs only, so SQLite 3.37 and later read the schema.
 */
export const migration: Migration = {
  version: 13,
  name: 'ics-collected-returns',
  sql: `
    CREATE TABLE ics_trust (
      id INTEGER PRIMARY KEY,
      ods_code TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      added_from TEXT NOT NULL CHECK (added_from IN ('hand', 'return')),
      added_at TEXT NOT NULL);

    CREATE TABLE collected_return (
      id INTEGER PRIMARY KEY,
      trust_id INTEGER NOT NULL REFERENCES ics_trust(id),
      period TEXT NOT NULL,
      version INTEGER NOT NULL CHECK (version >= 1),
      as_at TEXT NOT NULL,
      signed_at TEXT NOT NULL,
      signed_by TEXT NOT NULL,
      correction_reason TEXT,
      hash TEXT NOT NULL UNIQUE,
      previous_hash TEXT,
      file_name TEXT NOT NULL,
      -- The file as received: counts only, never about a single person.
      file_json TEXT NOT NULL,
      staff_in_post INTEGER NOT NULL,
      received_at TEXT NOT NULL,
      received_by TEXT NOT NULL,
      superseded_by_id INTEGER REFERENCES collected_return(id),
      UNIQUE (trust_id, period, version));
    CREATE INDEX collected_return_period ON collected_return(period, trust_id);

    CREATE TRIGGER collected_return_frozen BEFORE UPDATE ON collected_return
      WHEN NEW.file_json IS NOT OLD.file_json OR NEW.hash IS NOT OLD.hash OR NEW.trust_id IS NOT OLD.trust_id
        OR NEW.period IS NOT OLD.period OR NEW.version IS NOT OLD.version
        OR (OLD.superseded_by_id IS NOT NULL AND NEW.superseded_by_id IS NOT OLD.superseded_by_id)
    BEGIN SELECT RAISE(ABORT, 'A collected return cannot be changed: add the trust''s corrected version instead'); END;
  `,
};
