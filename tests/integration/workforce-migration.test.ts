import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/db/connection';
import { tempDir } from './helpers';

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A version 1 database with a service, a role, two people and their assignments, as the first release wrote them. */
const SEED = `INSERT INTO profession (code, name, sort) VALUES ('PHY', 'Physiotherapy', 1);
  INSERT INTO ethnic_category (code, name, grp, bme, sort) VALUES ('99', 'Not known', 'Not known', NULL, 1);
  INSERT INTO service (id, name) VALUES (1, 'MSK');
  INSERT INTO role (id, title, service_id, profession_code, band) VALUES (1, 'Assistant', 1, 'PHY', '3');
  INSERT INTO person (id, pseudo_id, year_of_birth) VALUES (1, 'abc', 1980), (2, 'def', NULL);
  INSERT INTO assignment (id, person_id, pseudo_id, role_id, hours_centi, start_date, end_date) VALUES
    (1, 1, 'a1', 1, 3750, '2021-04-01', NULL), (2, 2, 'a2', 1, 1875, '2020-01-01', '2022-03-31');`;

async function database(version: number) {
  const file = path.join(dir, 'old.sqlite');
  const db = await openDatabase(file, { targetVersion: version, backupDir: path.join(dir, 'backups') });
  return { file, db };
}

const rows = (db: Awaited<ReturnType<typeof openDatabase>>, table: string) =>
  db.prepare(`SELECT * FROM ${table} ORDER BY id`).all();
const indexColumns = (db: Awaited<ReturnType<typeof openDatabase>>, index: string) =>
  (db.prepare(`PRAGMA index_info(${index})`).all() as { name: string }[]).map((c) => c.name);

describe('migration 002 (summary indexes)', () => {
  it('replaces the role index of a version 1 database with covering indexes, keeping every row', async () => {
    dir = tempDir();
    const { file, db: old } = await database(1);
    old.exec(SEED);
    expect(old.pragma('user_version', { simple: true })).toBe(1);
    const before = { person: rows(old, 'person'), assignment: rows(old, 'assignment'), role: rows(old, 'role') };
    old.close();

    const db = await openDatabase(file, { targetVersion: 2, backupDir: path.join(dir, 'backups') });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(2);
      expect({ person: rows(db, 'person'), assignment: rows(db, 'assignment'), role: rows(db, 'role') }).toEqual(
        before,
      );
      expect(indexColumns(db, 'assignment_role_cover')).toEqual([
        'role_id',
        'start_date',
        'end_date',
        'hours_centi',
        'person_id',
      ]);
      expect(indexColumns(db, 'assignment_person_cover')).toEqual(['person_id', 'start_date', 'end_date', 'role_id']);
      expect(
        db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND name = 'assignment_role'`).get(),
      ).toEqual({ n: 0 });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});

describe('migration 003 (workforce import)', () => {
  it('adds the import tables to a version 2 database, empty, keeping its staff', async () => {
    dir = tempDir();
    const { file, db: old } = await database(2);
    old.exec(SEED);
    const before = { person: rows(old, 'person'), assignment: rows(old, 'assignment') };
    old.close();

    const db = await openDatabase(file, { targetVersion: 3, backupDir: path.join(dir, 'backups') });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(3);
      expect({ person: rows(db, 'person'), assignment: rows(db, 'assignment') }).toEqual(before);
      for (const table of ['import_profile', 'import_batch', 'import_change']) {
        expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
      }
      // The change log only names the four kinds of row an import writes.
      expect(() =>
        db
          .prepare(`INSERT INTO import_change (batch_id, entity, entity_id, action) VALUES (1, 'pathway', 1, 'insert')`)
          .run(),
      ).toThrow(/CHECK/);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});
