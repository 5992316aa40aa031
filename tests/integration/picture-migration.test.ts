import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/db/connection';
import { tempDir } from './helpers';

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('migration 006 (picture indexes)', () => {
  it('adds hours to the person covering index of a version 5 database, keeping every row', async () => {
    dir = tempDir();
    const file = path.join(dir, 'old.sqlite');
    const old = await openDatabase(file, { targetVersion: 5, backupDir: path.join(dir, 'backups') });
    old.exec(`INSERT INTO profession (code, name, sort) VALUES ('PHY', 'Physiotherapy', 1);
      INSERT INTO ethnic_category (code, name, grp, bme, sort) VALUES ('99', 'Not known', 'Not known', NULL, 1);
      INSERT INTO service (id, name) VALUES (1, 'MSK');
      INSERT INTO role (id, title, service_id, profession_code, band) VALUES (1, 'Assistant', 1, 'PHY', '3');
      INSERT INTO person (id, pseudo_id, year_of_birth) VALUES (1, 'abc', 1980), (2, 'def', NULL);
      INSERT INTO assignment (id, person_id, pseudo_id, role_id, hours_centi, start_date, end_date) VALUES
        (1, 1, 'a1', 1, 3750, '2021-04-01', NULL), (2, 2, 'a2', 1, 1875, '2020-01-01', '2022-03-31');`);
    expect(old.pragma('user_version', { simple: true })).toBe(5);
    const before = {
      person: old.prepare('SELECT * FROM person ORDER BY id').all(),
      assignment: old.prepare('SELECT * FROM assignment ORDER BY id').all(),
    };
    old.close();

    const db = await openDatabase(file, { targetVersion: 6, backupDir: path.join(dir, 'backups') });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(6);
      expect(db.prepare('SELECT * FROM person ORDER BY id').all()).toEqual(before.person);
      expect(db.prepare('SELECT * FROM assignment ORDER BY id').all()).toEqual(before.assignment);
      const columns = (index: string) =>
        (db.prepare(`PRAGMA index_info(${index})`).all() as { name: string }[]).map((c) => c.name);
      expect(columns('assignment_person_cover')).toEqual([
        'person_id',
        'start_date',
        'end_date',
        'role_id',
        'hours_centi',
      ]);
      expect(columns('assignment_role_cover')).toEqual([
        'role_id',
        'start_date',
        'end_date',
        'hours_centi',
        'person_id',
      ]);
      // The picture's per-person pass reads the index alone, never the table.
      const plan = db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT person_id, sum(hours_centi) FROM assignment INDEXED BY assignment_person_cover WHERE start_date <= '2023-03-31' GROUP BY person_id`,
        )
        .all() as { detail: string }[];
      expect(plan.map((p) => p.detail).join('\n')).toMatch(/COVERING INDEX assignment_person_cover/);
      expect(
        db
          .prepare(
            `SELECT person_id, sum(hours_centi) AS h FROM assignment INDEXED BY assignment_person_cover GROUP BY person_id`,
          )
          .all(),
      ).toEqual([
        { person_id: 1, h: 3750 },
        { person_id: 2, h: 1875 },
      ]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});
