import type { Migration } from './types';

export const migration: Migration = {
  version: 1,
  name: 'workforce foundation',
  sql: `
    CREATE TABLE setting (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);

    CREATE TABLE reference_dataset (
      dataset TEXT PRIMARY KEY NOT NULL, version TEXT NOT NULL, source TEXT NOT NULL, loaded_at TEXT NOT NULL);
    CREATE TABLE profession (code TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, sort INTEGER NOT NULL);
    CREATE TABLE ethnic_category (
      code TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, grp TEXT NOT NULL, bme INTEGER, sort INTEGER NOT NULL);
    CREATE TABLE pay_point (
      effective_from TEXT NOT NULL, band TEXT NOT NULL, step TEXT NOT NULL, annual_pence INTEGER NOT NULL,
      PRIMARY KEY (effective_from, band, step));

    CREATE TABLE organisation (
      id INTEGER PRIMARY KEY CHECK (id = 1), name TEXT NOT NULL, ods_code TEXT NOT NULL, ics TEXT NOT NULL,
      ahp_faculty TEXT NOT NULL, is_demo INTEGER NOT NULL DEFAULT 0);

    CREATE TABLE service (
      id INTEGER PRIMARY KEY, name TEXT NOT NULL COLLATE NOCASE UNIQUE, cost_centre TEXT);

    CREATE TABLE role (
      id INTEGER PRIMARY KEY,
      title TEXT NOT NULL,
      service_id INTEGER NOT NULL REFERENCES service(id),
      profession_code TEXT NOT NULL REFERENCES profession(code),
      occupation_code TEXT,
      band TEXT NOT NULL,
      establishment_fte_centi INTEGER NOT NULL DEFAULT 0 CHECK (establishment_fte_centi >= 0));
    CREATE INDEX role_service ON role(service_id);

    CREATE TABLE person (
      id INTEGER PRIMARY KEY,
      pseudo_id TEXT NOT NULL UNIQUE,
      year_of_birth INTEGER,
      sex TEXT NOT NULL DEFAULT 'U',
      ethnic_category TEXT NOT NULL DEFAULT '99' REFERENCES ethnic_category(code),
      disability TEXT NOT NULL DEFAULT 'not-declared');

    CREATE TABLE assignment (
      id INTEGER PRIMARY KEY,
      person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
      pseudo_id TEXT NOT NULL UNIQUE,
      role_id INTEGER NOT NULL REFERENCES role(id),
      hours_centi INTEGER NOT NULL CHECK (hours_centi >= 0),
      start_date TEXT NOT NULL,
      end_date TEXT,
      leaving_reason TEXT,
      CHECK (end_date IS NULL OR end_date >= start_date));
    CREATE INDEX assignment_person ON assignment(person_id);
    CREATE INDEX assignment_role ON assignment(role_id);

    CREATE TABLE qualification (
      id INTEGER PRIMARY KEY,
      person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
      kind TEXT NOT NULL,
      title TEXT,
      level TEXT,
      status TEXT NOT NULL DEFAULT 'completed',
      start_date TEXT,
      end_date TEXT,
      details TEXT);
    CREATE INDEX qualification_person ON qualification(person_id);

    CREATE TABLE audit (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      user TEXT NOT NULL,
      entity TEXT NOT NULL,
      entity_id TEXT,
      action TEXT NOT NULL,
      before TEXT,
      after TEXT);
  `,
};
