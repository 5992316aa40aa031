import type { Migration } from './types';

/**
 * Returns to the ICS and HEE (issue 12). A return is built as a draft from the data of the day and rebuilt at
 * will; once signed off its figures are frozen in `snapshot_json` (canonical JSON, RFC 8785) with a SHA-256 that
 * also covers the previous signed-off return's hash, so no signed-off return can be edited unnoticed. The
 * organisation gains a kind (a trust, or an ICS collecting its trusts' returns) and the small-number threshold
 * a home of its own. Plain tables and CHECKs only, so SQLite 3.37 and later read the schema.
 */
export const migration: Migration = {
  version: 12,
  name: 'returns',
  sql: `
    ALTER TABLE organisation ADD COLUMN kind TEXT NOT NULL DEFAULT 'trust' CHECK (kind IN ('trust', 'ics'));

    CREATE TABLE return_setting (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      threshold INTEGER NOT NULL CHECK (threshold BETWEEN 1 AND 100));
    INSERT INTO return_setting (id, threshold) VALUES (1, 7);

    CREATE TABLE data_return (
      id INTEGER PRIMARY KEY,
      period TEXT NOT NULL,
      period_start TEXT NOT NULL,
      as_at TEXT NOT NULL,
      version INTEGER NOT NULL CHECK (version >= 1),
      status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'checked', 'signed-off', 'sent')),
      correction_reason TEXT,
      supersedes_id INTEGER REFERENCES data_return(id),
      threshold INTEGER NOT NULL,
      -- The figures with their protection, checks and readiness: rebuilt while a draft, frozen once signed off.
      content_json TEXT NOT NULL,
      checks_json TEXT NOT NULL,
      readiness_json TEXT NOT NULL DEFAULT '[]',
      built_at TEXT NOT NULL,
      built_by TEXT NOT NULL,
      signed_name TEXT,
      signed_role TEXT,
      signed_user TEXT,
      signed_at TEXT,
      sent_on TEXT,
      snapshot_json TEXT,
      previous_hash TEXT,
      hash TEXT,
      -- The order of the hash chain: 1, 2, 3... as returns are signed off.
      chain_seq INTEGER UNIQUE,
      UNIQUE (period, version),
      CHECK ((status IN ('draft', 'checked')) = (hash IS NULL)),
      CHECK ((hash IS NULL) = (snapshot_json IS NULL) AND (hash IS NULL) = (chain_seq IS NULL)));
    CREATE INDEX data_return_supersedes ON data_return(supersedes_id);

    -- A signed-off return's figures never change; only its sent date may be recorded, once.
    CREATE TRIGGER data_return_frozen BEFORE UPDATE ON data_return
      WHEN OLD.hash IS NOT NULL AND (NEW.snapshot_json IS NOT OLD.snapshot_json OR NEW.hash IS NOT OLD.hash
        OR NEW.previous_hash IS NOT OLD.previous_hash OR NEW.content_json IS NOT OLD.content_json
        OR NEW.readiness_json IS NOT OLD.readiness_json OR NEW.chain_seq IS NOT OLD.chain_seq)
    BEGIN SELECT RAISE(ABORT, 'A signed-off return cannot be changed: make a correction instead'); END;
    CREATE TRIGGER data_return_keep_signed BEFORE DELETE ON data_return WHEN OLD.hash IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'A signed-off return cannot be deleted: it can only be superseded by a correction'); END;
  `,
};
