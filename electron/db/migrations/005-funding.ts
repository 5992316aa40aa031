import type { Migration } from './types';

/**
 * Funding: streams (allocations, receipts, conditions), the spend plan (categories, lines, monthly phasing),
 * the ledger of actuals and commitments (typed in or imported), matching rules and saved import profiles.
 * Money is integer pence; dates ISO text; months of a line are 0 (April) to 11 (March) of its stream's year.
 */
export const migration: Migration = {
  version: 5,
  name: 'funding',
  sql: `
    CREATE TABLE funding_stream (
      id INTEGER PRIMARY KEY,
      source TEXT NOT NULL CHECK (source IN ('hee-pump-prime', 'ahp-faculty', 'ics', 'other')),
      name TEXT NOT NULL,
      financial_year TEXT NOT NULL CHECK (financial_year GLOB '[0-9][0-9][0-9][0-9]/[0-9][0-9]'),
      allocated_pence INTEGER NOT NULL CHECK (allocated_pence >= 0),
      conditions TEXT NOT NULL DEFAULT '',
      deadline TEXT,
      owner TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL);
    CREATE INDEX funding_stream_year ON funding_stream(financial_year);

    CREATE TABLE funding_receipt (
      id INTEGER PRIMARY KEY,
      stream_id INTEGER NOT NULL REFERENCES funding_stream(id) ON DELETE CASCADE,
      received_on TEXT NOT NULL,
      amount_pence INTEGER NOT NULL CHECK (amount_pence <> 0),
      sort INTEGER NOT NULL);
    CREATE INDEX funding_receipt_stream ON funding_receipt(stream_id, sort);

    CREATE TABLE funding_condition (
      id INTEGER PRIMARY KEY,
      stream_id INTEGER NOT NULL REFERENCES funding_stream(id) ON DELETE CASCADE,
      text TEXT NOT NULL,
      done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
      sort INTEGER NOT NULL);
    CREATE INDEX funding_condition_stream ON funding_condition(stream_id, sort);

    CREATE TABLE funding_category (
      code TEXT PRIMARY KEY NOT NULL,
      label TEXT NOT NULL,
      sort INTEGER NOT NULL);
    INSERT INTO funding_category (code, label, sort) VALUES
      ('backfill', 'Backfill', 1),
      ('project-lead-time', 'Project lead time', 2),
      ('training-places', 'Training places', 3),
      ('apprenticeship-support', 'Apprenticeship support', 4),
      ('equipment-resources', 'Equipment and resources', 5),
      ('events-engagement', 'Events and engagement', 6),
      ('other', 'Other', 7);

    CREATE TABLE funding_plan_line (
      id INTEGER PRIMARY KEY,
      stream_id INTEGER NOT NULL REFERENCES funding_stream(id),
      category TEXT NOT NULL REFERENCES funding_category(code),
      description TEXT NOT NULL,
      aims TEXT NOT NULL DEFAULT '[]',
      requirements TEXT NOT NULL DEFAULT '[]',
      tna_item_id INTEGER REFERENCES tna_item(id) ON DELETE SET NULL,
      total_pence INTEGER NOT NULL CHECK (total_pence >= 0),
      profile TEXT NOT NULL CHECK (profile IN ('even', 'front-loaded', 'back-loaded', 'custom')));
    CREATE INDEX funding_plan_line_stream ON funding_plan_line(stream_id);
    CREATE INDEX funding_plan_line_category ON funding_plan_line(category);

    -- Twelve rows per line, April (0) to March (11); they always add up to the line's total.
    CREATE TABLE funding_plan_month (
      line_id INTEGER NOT NULL REFERENCES funding_plan_line(id) ON DELETE CASCADE,
      month_index INTEGER NOT NULL CHECK (month_index BETWEEN 0 AND 11),
      amount_pence INTEGER NOT NULL CHECK (amount_pence >= 0),
      PRIMARY KEY (line_id, month_index)) WITHOUT ROWID;

    CREATE TABLE funding_import_profile (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE COLLATE NOCASE,
      mapping TEXT NOT NULL,
      updated_at TEXT NOT NULL);

    CREATE TABLE funding_ledger_batch (
      id INTEGER PRIMARY KEY,
      file_name TEXT NOT NULL,
      file_sha256 TEXT NOT NULL,
      imported_at TEXT NOT NULL,
      imported_by TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('actual', 'commitment')),
      stream_id INTEGER REFERENCES funding_stream(id) ON DELETE SET NULL,
      mapping TEXT NOT NULL,
      row_count INTEGER NOT NULL,
      total_pence INTEGER NOT NULL);
    CREATE INDEX funding_ledger_batch_sha ON funding_ledger_batch(file_sha256);

    CREATE TABLE funding_ledger_rule (
      id INTEGER PRIMARY KEY,
      priority INTEGER NOT NULL,
      plan_line_id INTEGER NOT NULL REFERENCES funding_plan_line(id) ON DELETE CASCADE,
      cost_centre TEXT,
      account_match TEXT CHECK (account_match IN ('equals', 'prefix')),
      account_code TEXT,
      description_contains TEXT,
      CHECK ((account_match IS NULL) = (account_code IS NULL)),
      CHECK (cost_centre IS NOT NULL OR account_code IS NOT NULL OR description_contains IS NOT NULL));
    CREATE INDEX funding_ledger_rule_line ON funding_ledger_rule(plan_line_id);

    -- Negative amounts are credits and reversals. plan_line_id NULL = not yet allocated (the review list);
    -- rule_id says which rule allocated an entry; an entry allocated by hand has a line and no rule.
    CREATE TABLE funding_ledger_entry (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('actual', 'commitment')),
      entry_date TEXT NOT NULL,
      amount_pence INTEGER NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      cost_centre TEXT NOT NULL DEFAULT '',
      account_code TEXT NOT NULL DEFAULT '',
      plan_line_id INTEGER REFERENCES funding_plan_line(id) ON DELETE SET NULL,
      rule_id INTEGER REFERENCES funding_ledger_rule(id) ON DELETE SET NULL,
      batch_id INTEGER REFERENCES funding_ledger_batch(id) ON DELETE CASCADE,
      source_line INTEGER);
    CREATE INDEX funding_ledger_line ON funding_ledger_entry(plan_line_id, kind, entry_date, amount_pence);
    CREATE INDEX funding_ledger_date ON funding_ledger_entry(entry_date);
    CREATE INDEX funding_ledger_batch_rows ON funding_ledger_entry(batch_id);
    CREATE INDEX funding_ledger_rule_rows ON funding_ledger_entry(rule_id);
  `,
};
