import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/db/connection';
import { listBatches, undoBatch } from '../../electron/services/import/batches';
import { pseudonymise } from '../../electron/services/common/pseudonym';
import { tempDir } from './helpers';

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const actor = { user: 'tester', now: () => new Date('2026-04-02T09:00:00Z') };

/** A version 6 database holding one import (batch 1: two people, two assignments, one role, one service) and a
 * second import (batch 2) that updated a person of the first and added a third person; pseudonyms at full length. */
async function versionSix(file: string): Promise<void> {
  const old = await openDatabase(file, { targetVersion: 6, backupDir: path.join(dir, 'backups') });
  const key = randomBytes(32).toString('hex');
  old.prepare(`INSERT INTO setting (key, value) VALUES ('pseudonymisation-key', ?)`).run(key);
  const full = (kind: string, clear: string) =>
    createHmac('sha256', Buffer.from(key, 'hex')).update(`${kind}:${clear}`).digest('hex');
  old.exec(`INSERT INTO profession (code, name, sort) VALUES ('PHY', 'Physiotherapy', 1);
    INSERT INTO ethnic_category (code, name, grp, bme, sort) VALUES ('99', 'Not known', 'Not known', NULL, 1);`);
  const batch = old.prepare(
    `INSERT INTO import_batch (id, file_name, size_bytes, sha256, format, user, committed_at, extract_date, options, rows_read, added, updated,
       unchanged, rejected, excluded, leavers, marked_missing, people_added, roles_added, services_added)
     VALUES (?, ?, 1, 'x', 'csv', 'lead', ?, ?, '{}', 2, 2, 0, 0, 0, 0, 0, 0, 2, 1, 1)`,
  );
  batch.run(1, 'march.csv', '2026-03-01T09:00:00Z', '2026-03-01');
  old.exec(`INSERT INTO service (id, name) VALUES (1, 'MSK');
    INSERT INTO role (id, title, service_id, profession_code, band) VALUES (1, 'Assistant', 1, 'PHY', '3');`);
  const person = old.prepare('INSERT INTO person (id, pseudo_id, year_of_birth) VALUES (?, ?, ?)');
  const assignment = old.prepare(
    `INSERT INTO assignment (id, person_id, pseudo_id, role_id, hours_centi, start_date) VALUES (?, ?, ?, 1, 3750, '2021-04-01')`,
  );
  person.run(1, full('person', '1001'), 1980);
  person.run(2, full('person', '1002'), 1990);
  assignment.run(1, 1, full('assignment', '1001-1'));
  assignment.run(2, 2, full('assignment', '1002-1'));
  const change = old.prepare(
    'INSERT INTO import_change (batch_id, entity, entity_id, action, before) VALUES (?, ?, ?, ?, ?)',
  );
  for (const [entity, id] of [
    ['service', 1],
    ['role', 1],
    ['person', 1],
    ['person', 2],
    ['assignment', 1],
    ['assignment', 2],
  ] as const)
    change.run(1, entity, id, 'insert', null);
  batch.run(2, 'april.csv', '2026-04-01T09:00:00Z', '2026-04-01');
  person.run(3, full('person', '1003'), 1995);
  assignment.run(3, 3, full('assignment', '1003-1'));
  old.prepare('UPDATE person SET year_of_birth = 1981 WHERE id = 1').run();
  change.run(
    2,
    'person',
    1,
    'update',
    JSON.stringify({ year_of_birth: 1980, sex: 'U', ethnic_category: '99', disability: 'not-declared' }),
  );
  change.run(2, 'person', 3, 'insert', null);
  change.run(2, 'assignment', 3, 'insert', null);
  old.close();
}

describe('migrations 7 (import insert ranges) and 8 (shorter pseudonyms)', () => {
  it('folds each batch’s inserted rows into id ranges, keeps updates, and undo still works in order', async () => {
    dir = tempDir();
    const file = path.join(dir, 'old.sqlite');
    await versionSix(file);
    const db = await openDatabase(file, { backupDir: path.join(dir, 'backups') });
    try {
      expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(8);
      expect(
        db
          .prepare('SELECT batch_id, entity, first_id, last_id FROM import_insert ORDER BY batch_id, entity')
          .raw()
          .all(),
      ).toEqual([
        [1, 'assignment', 1, 2],
        [1, 'person', 1, 2],
        [1, 'post', 1, 1],
        [1, 'role', 1, 1],
        [1, 'service', 1, 1],
        [2, 'assignment', 3, 3],
        [2, 'person', 3, 3],
      ]);
      expect(db.prepare('SELECT batch_id, entity, entity_id, action FROM import_change').raw().all()).toEqual([
        [2, 'person', 1, 'update'],
      ]);

      // Batch 2 updated a person batch 1 added: batch 1 waits for batch 2 to be undone first.
      const [second, first] = listBatches(db);
      expect(first!.undoBlockedBy).toMatch(/Undo import 2 first/);
      expect(second!.undoBlockedBy).toBeNull();
      undoBatch(db, actor, 2);
      expect(db.prepare('SELECT id, year_of_birth FROM person ORDER BY id').raw().all()).toEqual([
        [1, 1980],
        [2, 1990],
      ]);
      undoBatch(db, actor, 1);
      for (const table of ['person', 'assignment', 'post', 'role', 'service'])
        expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });

  it('cuts stored pseudonyms to 128 bits, so staff numbers still find their records', async () => {
    dir = tempDir();
    const file = path.join(dir, 'old.sqlite');
    await versionSix(file);
    const db = await openDatabase(file, { backupDir: path.join(dir, 'backups') });
    try {
      expect(
        db
          .prepare(
            'SELECT DISTINCT length(pseudo_id) FROM person UNION SELECT DISTINCT length(pseudo_id) FROM assignment',
          )
          .pluck()
          .all(),
      ).toEqual([32]);
      expect(
        db
          .prepare('SELECT id FROM person WHERE pseudo_id = ?')
          .pluck()
          .get(pseudonymise(db, 'person', '1002')),
      ).toBe(2);
      expect(
        db
          .prepare('SELECT id FROM assignment WHERE pseudo_id = ?')
          .pluck()
          .get(pseudonymise(db, 'assignment', '1003-1')),
      ).toBe(3);
    } finally {
      db.close();
    }
  });
});
