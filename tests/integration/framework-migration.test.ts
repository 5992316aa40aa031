import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../../electron/db/connection';
import { currentFramework } from '../../electron/services/framework/versions';
import { personEducation } from '../../electron/services/training/education';
import { tempDir } from './helpers';

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('migration 004 (framework mapping)', () => {
  it('adds the framework tables to a version 3 database, keeping its roles, staff and qualifications', async () => {
    dir = tempDir();
    const file = path.join(dir, 'old.sqlite');
    const old = await openDatabase(file, { targetVersion: 3, backupDir: path.join(dir, 'backups') });
    // Reference data is loaded only at the latest version, so the old-shape rows bring their own profession.
    old.prepare(`INSERT INTO profession (code, name, sort) VALUES ('ODP', 'Operating department practice', 1)`).run();
    old.prepare(`INSERT INTO ethnic_category (code, name, grp, sort) VALUES ('A', 'British', 'White', 0)`).run();
    old.prepare(`INSERT INTO service (id, name) VALUES (1, 'Theatres')`).run();
    old
      .prepare(
        `INSERT INTO role (id, title, service_id, profession_code, occupation_code, band) VALUES (7, 'Theatre support worker', 1, 'ODP', 'S9T', '2')`,
      )
      .run();
    old.prepare(`INSERT INTO person (id, pseudo_id, ethnic_category) VALUES (1, 'abcdef0123456789', 'A')`).run();
    old
      .prepare(
        `INSERT INTO assignment (person_id, pseudo_id, role_id, hours_centi, start_date) VALUES (1, 'a1', 7, 3750, '2020-01-01')`,
      )
      .run();
    old
      .prepare(
        `INSERT INTO qualification (person_id, kind, title, level, status, details) VALUES (1, 'functional-skills-maths', NULL, '2', 'completed', '{"kind":"functional-skills-maths","level":"2"}')`,
      )
      .run();
    expect(old.pragma('user_version', { simple: true })).toBe(3);
    expect(old.prepare(`SELECT name FROM sqlite_schema WHERE name = 'role_mapping'`).get()).toBeUndefined();
    old.close();

    const db: DB = await openDatabase(file, { backupDir: path.join(dir, 'backups') });
    try {
      expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(4);
      expect(db.prepare('SELECT id, title, band FROM role').all()).toEqual([
        { id: 7, title: 'Theatre support worker', band: '2' },
      ]);
      const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).pluck().all();
      expect(tables).toEqual(
        expect.arrayContaining([
          'framework_version',
          'role_mapping',
          'domain_assessment',
          'tna_item',
          'tna_setting',
          'pathway',
          'pathway_step',
        ]),
      );
      // The columns other capabilities read are there under their agreed names.
      const columns = (table: string) =>
        (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
      expect(columns('role_mapping')).toEqual(
        expect.arrayContaining([
          'role_id',
          'framework_version',
          'stage',
          'status',
          'rationale',
          'agreed_by',
          'agreed_at',
          'updated_at',
        ]),
      );
      expect(columns('tna_item')).toEqual(expect.arrayContaining(['id', 'route', 'title', 'total_pence']));

      // Existing records are grouped into qualification sets at migration; triggers keep them current after it.
      expect(db.prepare('SELECT person_id, set_id FROM person_education').all()).toEqual([{ person_id: 1, set_id: 1 }]);
      db.prepare(
        `INSERT INTO qualification (person_id, kind, status, details) VALUES (1, 'other', 'completed', '{"kind":"other","title":"First aid","level":null}')`,
      ).run();
      expect(db.prepare('SELECT set_id FROM person_education WHERE person_id = 1').pluck().get()).toBe(2);
      db.prepare(`DELETE FROM qualification WHERE kind = 'other'`).run();
      expect(db.prepare('SELECT set_id FROM person_education WHERE person_id = 1').pluck().get()).toBe(1);
      // The shipped framework goes in on first use; the old qualification row is read as it was.
      expect(currentFramework(db).version).toBe('hee-2021.1');
      expect(db.prepare(`SELECT version, status FROM framework_version`).all()).toEqual([
        { version: 'hee-2021.1', status: 'current' },
      ]);
      db.prepare(
        `INSERT INTO role_mapping (role_id, framework_version, stage, updated_at) VALUES (7, 'hee-2021.1', 'entry', '2026-01-01')`,
      ).run();
      expect(personEducation(db, 1, '2026-01-01')).toMatchObject({
        role: { roleId: 7, stage: 'entry' },
        qualifications: [{ label: 'Functional Skills maths, level 2' }],
        gapNow: { status: 'partly' },
      });
      // The schema holds its rules: a stage must be one of the three, an agreed mapping needs who and when.
      expect(() => db.prepare(`UPDATE role_mapping SET stage = 'band 3' WHERE role_id = 7`).run()).toThrow(/CHECK/);
      expect(() => db.prepare(`UPDATE role_mapping SET status = 'agreed' WHERE role_id = 7`).run()).toThrow(/CHECK/);
      expect(() =>
        db
          .prepare(
            `INSERT INTO role_mapping (role_id, framework_version, updated_at) VALUES (7, 'no-such-version', 'x')`,
          )
          .run(),
      ).toThrow();
      expect(fs.readdirSync(path.join(dir, 'backups')).some((f) => f.includes('before-v'))).toBe(true);
    } finally {
      db.close();
    }
  });
});
