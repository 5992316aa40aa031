import type { Migration } from './types';

export const migration: Migration = {
  version: 4,
  name: 'framework mapping',
  sql: `
    -- Columns other capabilities read (workforce picture: stage; funding: TNA totals). Add columns, keep these.
    CREATE TABLE role_mapping (
      role_id INTEGER PRIMARY KEY NOT NULL REFERENCES role(id),
      framework_version TEXT NOT NULL,
      stage TEXT,
      status TEXT NOT NULL DEFAULT 'draft',
      rationale TEXT,
      agreed_by TEXT,
      agreed_at TEXT,
      updated_at TEXT NOT NULL);
    CREATE TABLE tna_item (
      id INTEGER PRIMARY KEY,
      route TEXT NOT NULL,
      title TEXT NOT NULL,
      total_pence INTEGER NOT NULL DEFAULT 0);
  `,
};
