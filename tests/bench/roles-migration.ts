import path from 'node:path';
import { openDatabase } from '../../electron/db/connection';
import { time, type BenchSuite } from './harness';

/**
 * Issue 11: a 100k-staff database from the per-service roles (schema 10) upgraded to job roles and post lines
 * (migration 11, which rebuilds the assignment table), timed from open to ready. Target: under 10 s.
 */
export const rolesMigrationBench: BenchSuite = {
  name: 'roles-migration',
  async run({ dir, scale, report }) {
    const staff = scale(100_000);
    const file = path.join(dir, 'schema-10.sqlite');
    const old = await openDatabase(file, { targetVersion: 10 });
    const titles = Array.from({ length: 30 }, (_, i) => `Support worker ${i + 1}`);
    old.transaction(() => {
      old.exec(`INSERT INTO profession (code, name, sort) VALUES ('PHY', 'Physiotherapy', 1), ('OT', 'Occupational therapy', 2);
        INSERT INTO ethnic_category (code, name, grp, bme, sort) VALUES ('99', 'Not known', 'Not known', NULL, 1);
        INSERT INTO framework_version (version, framework_id, title, data, status, origin, adopted_at, adopted_by)
          VALUES ('v1', 'hee', 'Test', '{}', 'current', 'bench', '2022-01-01', 'bench');`);
      const service = old.prepare('INSERT INTO service (id, name) VALUES (?, ?)');
      for (let s = 1; s <= 8; s++) service.run(s, `Service ${s}`);
      const role = old.prepare(
        `INSERT INTO role (title, service_id, profession_code, occupation_code, band, establishment_fte_centi) VALUES (?, ?, ?, ?, ?, 500)`,
      );
      const mapping = old.prepare(
        `INSERT INTO role_mapping (role_id, framework_version, stage, status, updated_at) VALUES (?, 'v1', ?, 'draft', '2022-01-01')`,
      );
      titles.forEach((title, t) => {
        for (let s = 1; s <= 8; s++)
          for (const code of ['S9E', 'S6E']) {
            const id = role.run(title, s, t % 2 ? 'PHY' : 'OT', code, String(2 + (t % 3))).lastInsertRowid;
            mapping.run(id, s === 8 && t % 5 === 0 ? 'intermediate' : 'entry');
          }
      });
      const roles = titles.length * 16;
      const person = old.prepare('INSERT INTO person (id, pseudo_id, year_of_birth) VALUES (?, ?, 1980)');
      const assignment = old.prepare(
        `INSERT INTO assignment (person_id, pseudo_id, role_id, hours_centi, start_date) VALUES (?, ?, ?, 3750, '2020-04-01')`,
      );
      for (let p = 1; p <= staff; p++) {
        person.run(p, `p${String(p).padStart(31, '0')}`);
        assignment.run(p, `a${String(p).padStart(31, '0')}`, 1 + ((p * 7919) % roles));
        if (p % 12 === 0) assignment.run(p, `b${String(p).padStart(31, '0')}`, 1 + ((p * 104729) % roles));
      }
    })();
    old.pragma('wal_checkpoint(TRUNCATE)');
    old.close();
    const upgrade = await time(() => openDatabase(file));
    const db = upgrade.value;
    const roles = db.prepare('SELECT count(*) FROM role').pluck().get() as number;
    const conflicts = db.prepare('SELECT count(DISTINCT role_id) FROM role_mapping_conflict').pluck().get() as number;
    db.close();
    report(
      `upgrade ${staff.toLocaleString('en-GB')} staff to job roles`,
      upgrade.ms,
      'ms',
      `target < 10,000 ms at 100k; 480 old roles -> ${roles} roles, ${conflicts} with conflicts; includes the backup`,
    );
  },
};
