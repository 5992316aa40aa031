import type { Migration } from './types';

/**
 * Workforce import: saved import profiles, one row per import batch (what file, who, when, counts) and a change
 * log per batch (every person, assignment, role and service the batch inserted or updated, with the previous
 * values of an update), so that an import can be undone as a whole. Clear staff numbers are never stored.
 */
export const migration: Migration = {
  version: 3,
  name: 'workforce import',
  sql: `
    CREATE TABLE import_profile (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL COLLATE NOCASE UNIQUE,
      date_order TEXT NOT NULL DEFAULT 'dmy' CHECK (date_order IN ('dmy', 'mdy', 'ymd')),
      columns TEXT NOT NULL,          -- JSON: our field -> the extract's header text
      options TEXT NOT NULL DEFAULT '{}', -- JSON: non-AHP codes to keep, mark missing staff as leavers
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL);

    CREATE TABLE import_batch (
      id INTEGER PRIMARY KEY,
      file_name TEXT NOT NULL,
      size_bytes INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      format TEXT NOT NULL,
      encoding TEXT,
      profile_name TEXT,
      user TEXT NOT NULL,
      committed_at TEXT NOT NULL,
      extract_date TEXT NOT NULL,
      options TEXT NOT NULL,          -- JSON: mapping, date order, kept non-AHP codes, mark-missing choice
      rows_read INTEGER NOT NULL,
      added INTEGER NOT NULL,
      updated INTEGER NOT NULL,
      unchanged INTEGER NOT NULL,
      rejected INTEGER NOT NULL,
      excluded INTEGER NOT NULL,
      leavers INTEGER NOT NULL,
      marked_missing INTEGER NOT NULL,
      people_added INTEGER NOT NULL,
      roles_added INTEGER NOT NULL,
      services_added INTEGER NOT NULL,
      audit_id INTEGER,               -- the audit row written with the batch: later hand edits are after it
      undone_at TEXT,
      undone_by TEXT);

    CREATE TABLE import_change (
      batch_id INTEGER NOT NULL REFERENCES import_batch(id),
      entity TEXT NOT NULL CHECK (entity IN ('service', 'role', 'person', 'assignment')),
      entity_id INTEGER NOT NULL,
      action TEXT NOT NULL CHECK (action IN ('insert', 'update')),
      before TEXT,                    -- JSON of the columns as they were, for an update
      PRIMARY KEY (batch_id, entity, entity_id)) WITHOUT ROWID;
    CREATE INDEX import_change_entity ON import_change(entity, entity_id, batch_id);
  `,
};
