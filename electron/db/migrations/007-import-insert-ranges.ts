import type { Migration } from './types';

/**
 * What an import inserted, kept as one id range per batch and table instead of one change row per inserted
 * person and assignment. An import inserts each table's new rows in one statement inside one transaction, so
 * they take consecutive ids. At 100k staff the per-row log was 200k extra rows in two B-trees on every import
 * (about a tenth of its time); a range is one row. Updates keep one row each in import_change, with the values
 * they replaced, for Undo. Earlier batches' insert rows are folded into ranges here (each was consecutive).
 */
export const migration: Migration = {
  version: 7,
  name: 'import insert ranges',
  sql: `
    CREATE TABLE import_insert (
      batch_id INTEGER NOT NULL REFERENCES import_batch(id),
      entity TEXT NOT NULL CHECK (entity IN ('service', 'role', 'person', 'assignment')),
      first_id INTEGER NOT NULL,
      last_id INTEGER NOT NULL CHECK (last_id >= first_id),
      PRIMARY KEY (batch_id, entity)) WITHOUT ROWID;
    INSERT INTO import_insert (batch_id, entity, first_id, last_id)
      SELECT batch_id, entity, min(entity_id), max(entity_id) FROM import_change WHERE action = 'insert' GROUP BY batch_id, entity;
    DELETE FROM import_change WHERE action = 'insert';
  `,
};
