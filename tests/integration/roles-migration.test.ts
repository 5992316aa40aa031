import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../../electron/db/connection';
import { listRoles } from '../../electron/services/workforce/roles';
import { workforceSummary } from '../../electron/services/workforce/summary';
import { tempDir } from './helpers';

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * A schema 10 database as the per-service roles left it: the same jobs repeated in each service (and once with a
 * second occupation code), establishments on each, mappings that agree, one that disagrees, a pathway step and an
 * import whose undo record names an old role.
 */
async function versionTen(file: string): Promise<void> {
  const old = await openDatabase(file, { targetVersion: 10, backupDir: path.join(dir, 'backups') });
  old.exec(`
    INSERT INTO profession (code, name, sort) VALUES ('PHY', 'Physiotherapy', 1), ('OT', 'Occupational therapy', 2);
    INSERT INTO ethnic_category (code, name, grp, bme, sort) VALUES ('99', 'Not known', 'Not known', NULL, 1);
    INSERT INTO service (id, name) VALUES (1, 'MSK'), (2, 'Community');
    INSERT INTO role (id, title, service_id, profession_code, occupation_code, band, establishment_fte_centi) VALUES
      (1, 'Physio assistant', 1, 'PHY', 'S9E', '3', 200),
      (2, 'Physio Assistant', 2, 'PHY', 'S9E', '3', 150),
      (3, 'Physio assistant', 1, 'PHY', 'S6E', '3', 50),
      (4, 'OT assistant', 1, 'OT', 'S9C', '3', 100),
      (5, 'OT assistant', 2, 'OT', 'S9C', '3', 0),
      (6, 'Rehab assistant', 1, 'PHY', 'S9E', '4', 0),
      (7, 'Rehab assistant', 2, 'OT', 'S9C', '4', 0),
      (8, 'Rehab assistant', 2, 'OT', 'S5C', '4', 0);
    INSERT INTO person (id, pseudo_id) VALUES (1, 'p1'), (2, 'p2'), (3, 'p3'), (4, 'p4'), (5, 'p5'), (6, 'p6');
    INSERT INTO assignment (id, person_id, pseudo_id, role_id, hours_centi, start_date) VALUES
      (1, 1, 'a1', 1, 3750, '2020-01-01'), (2, 2, 'a2', 2, 3750, '2020-01-01'), (3, 3, 'a3', 3, 1875, '2020-01-01'),
      (4, 4, 'a4', 4, 3750, '2020-01-01'), (5, 5, 'a5', 7, 3750, '2020-01-01'), (6, 6, 'a6', 8, 3750, '2020-01-01'),
      (7, 5, 'a7', 6, 750, '2021-01-01');
    INSERT INTO framework_version (version, framework_id, title, data, status, origin, adopted_at, adopted_by)
      VALUES ('v1', 'hee', 'Test', '{}', 'current', 'test', '2022-01-01', 'test');
    INSERT INTO role_mapping (role_id, framework_version, stage, status, rationale, agreed_by, agreed_at, updated_at) VALUES
      (4, 'v1', 'entry', 'agreed', 'Same job', 'Lead', '2022-02-01', '2022-02-01'),
      (5, 'v1', 'entry', 'agreed', 'Same job', 'Lead', '2022-02-01', '2022-02-01'),
      (1, 'v1', 'entry', 'draft', NULL, NULL, NULL, '2022-03-01'),
      (6, 'v1', 'entry', 'draft', 'Band 4 but entry tasks', NULL, NULL, '2022-03-01'),
      (7, 'v1', 'intermediate', 'agreed', 'Works alone', 'Lead', '2022-04-01', '2022-04-01');
    INSERT INTO domain_assessment (role_id, domain, rating, evidence) VALUES
      (4, 2, 'meets', 'Job description'), (5, 2, 'meets', 'Job description'), (7, 2, 'partly', NULL);
    INSERT INTO pathway (id, name, updated_at) VALUES (1, 'Physio', '2022-01-01');
    INSERT INTO pathway_step (pathway_id, position, kind, role_id, profession_code, route) VALUES
      (1, 1, 'role', 2, NULL, 'appointment'), (1, 2, 'registered-profession', NULL, 'PHY', 'degree-apprenticeship');
    INSERT INTO import_batch (id, file_name, size_bytes, sha256, format, user, committed_at, extract_date, options,
      rows_read, added, updated, unchanged, rejected, excluded, leavers, marked_missing, people_added, roles_added,
      services_added) VALUES (1, 'march.csv', 1, 'x', 'csv', 'u', '2022-04-01', '2022-03-31', '{}', 7, 7, 1, 0, 0, 0,
      0, 0, 6, 8, 2);
    INSERT INTO import_insert (batch_id, entity, first_id, last_id) VALUES (1, 'role', 1, 8), (1, 'service', 1, 2);
    INSERT INTO import_change (batch_id, entity, entity_id, action, before) VALUES
      (1, 'assignment', 3, 'update', json_object('person_id', 3, 'role_id', 8, 'hours_centi', 3750,
        'start_date', '2020-01-01', 'end_date', NULL, 'leaving_reason', NULL));
  `);
  old.close();
}

const all = (db: DB, sql: string) => db.prepare(sql).all();

describe('migration 11 (job roles)', () => {
  it('brings roles that differ only by service or code together, keeping staff, establishment and mappings', async () => {
    dir = tempDir();
    const file = path.join(dir, 'old.sqlite');
    await versionTen(file);
    const db = await openDatabase(file, { targetVersion: 11, backupDir: path.join(dir, 'backups') });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(11);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      // One role per title (any case) and band, keeping the smallest old id and its title.
      expect(all(db, 'SELECT id, title, band, profession_code AS p FROM role ORDER BY id')).toEqual([
        { id: 1, title: 'Physio assistant', band: '3', p: 'PHY' },
        { id: 4, title: 'OT assistant', band: '3', p: 'OT' },
        // Two of its three assignments carry OT codes: OT is its main profession.
        { id: 6, title: 'Rehab assistant', band: '4', p: 'OT' },
      ]);
      // A post for each role in each service; establishments added up (roles 1 and 3 were both in MSK).
      expect(all(db, 'SELECT id, role_id, service_id, establishment_fte_centi AS e FROM post ORDER BY id')).toEqual([
        { id: 1, role_id: 1, service_id: 1, e: 250 },
        { id: 2, role_id: 1, service_id: 2, e: 150 },
        { id: 4, role_id: 4, service_id: 1, e: 100 },
        { id: 5, role_id: 4, service_id: 2, e: 0 },
        { id: 6, role_id: 6, service_id: 1, e: 0 },
        { id: 7, role_id: 6, service_id: 2, e: 0 },
      ]);
      // Every assignment keeps its person, hours and dates, and takes its old role's code and profession.
      expect(
        all(
          db,
          'SELECT id, person_id, post_id, occupation_code AS code, profession_code AS p FROM assignment ORDER BY id',
        ),
      ).toEqual([
        { id: 1, person_id: 1, post_id: 1, code: 'S9E', p: 'PHY' },
        { id: 2, person_id: 2, post_id: 2, code: 'S9E', p: 'PHY' },
        { id: 3, person_id: 3, post_id: 1, code: 'S6E', p: 'PHY' },
        { id: 4, person_id: 4, post_id: 4, code: 'S9C', p: 'OT' },
        { id: 5, person_id: 5, post_id: 7, code: 'S9C', p: 'OT' },
        { id: 6, person_id: 6, post_id: 7, code: 'S5C', p: 'OT' },
        { id: 7, person_id: 5, post_id: 6, code: 'S9E', p: 'PHY' },
      ]);
      // OT assistant: both old roles had the same agreed mapping and assessments, so it is kept as it was.
      // Physio assistant: one old role was mapped, the others not: kept. Rehab assistant: they disagree.
      expect(all(db, 'SELECT role_id, stage, status, rationale FROM role_mapping ORDER BY role_id')).toEqual([
        { role_id: 1, stage: 'entry', status: 'draft', rationale: null },
        { role_id: 4, stage: 'entry', status: 'agreed', rationale: 'Same job' },
      ]);
      expect(all(db, 'SELECT role_id, domain, rating FROM domain_assessment')).toEqual([
        { role_id: 4, domain: 2, rating: 'meets' },
      ]);
      const conflicts = db
        .prepare('SELECT role_id, source, mapping, origin FROM role_mapping_conflict ORDER BY id')
        .all() as { role_id: number; source: string; mapping: string; origin: string }[];
      expect(conflicts.map((c) => [c.role_id, c.source, c.origin])).toEqual([
        [6, 'Rehab assistant, band 4, MSK (S9E)', 'upgrade'],
        [6, 'Rehab assistant, band 4, Community (S9C)', 'upgrade'],
      ]);
      expect(JSON.parse(conflicts[1]!.mapping)).toMatchObject({
        stage: 'intermediate',
        status: 'agreed',
        rationale: 'Works alone',
        agreedBy: 'Lead',
        assessments: [{ domain: 2, rating: 'partly', evidence: null }],
      });
      // The pathway step names the merged role; an old undo record names the post and code.
      expect(all(db, 'SELECT step_id, role_id FROM pathway_step_role')).toEqual([{ step_id: 1, role_id: 1 }]);
      expect(all(db, 'SELECT kind, profession_code FROM pathway_step ORDER BY position')).toEqual([
        { kind: 'roles', profession_code: null },
        { kind: 'registered-profession', profession_code: 'PHY' },
      ]);
      const before = db.prepare(`SELECT before FROM import_change WHERE entity = 'assignment'`).pluck().get() as string;
      expect(JSON.parse(before)).toMatchObject({ post_id: 7, occupation_code: 'S5C', profession_code: 'OT' });
      expect(JSON.parse(before)).not.toHaveProperty('role_id');
      expect(all(db, `SELECT entity, first_id, last_id FROM import_insert ORDER BY entity`)).toEqual([
        { entity: 'post', first_id: 1, last_id: 8 },
        { entity: 'role', first_id: 1, last_id: 8 },
        { entity: 'service', first_id: 1, last_id: 2 },
      ]);

      // What the screens read: the role list, with its services and conflicts, and vacancy by role and service.
      const roles = listRoles(db, '2026-03-31');
      expect(roles.map((r) => [r.title, r.serviceCount, r.headcount, r.establishmentFte, r.conflicts])).toEqual([
        ['OT assistant', 2, 1, 1, 0],
        ['Physio assistant', 2, 3, 4, 0],
        ['Rehab assistant', 2, 2, 0, 2], // person 5 holds two of its three assignments
      ]);
      expect(roles.find((r) => r.title === 'Rehab assistant')!.mixed).toMatch(/other professions \(PHY\)/);
      const summary = workforceSummary(db, '2026-03-31');
      expect(summary.byService.map((s) => [s.title, s.establishmentFte])).toEqual([
        ['Community', 1.5],
        ['MSK', 3.5],
      ]);
      expect(summary.headcount).toBe(6);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });

  it('is readable by Debian 12’s sqlite3 afterwards', async () => {
    dir = tempDir();
    const file = path.join(dir, 'old.sqlite');
    await versionTen(file);
    (await openDatabase(file, { backupDir: path.join(dir, 'backups') })).close();
    const { spawnSync } = await import('node:child_process');
    const sqlite3 = spawnSync('sqlite3', [file, 'SELECT count(*) FROM role; PRAGMA integrity_check;'], {
      encoding: 'utf8',
    });
    if (sqlite3.error) return; // no sqlite3 on this machine: database.test.ts says so
    expect(sqlite3.stdout.trim().split('\n')).toEqual(['3', 'ok']);
  });
});
