import path from 'node:path';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../../electron/db/connection';
import { tempDir } from './helpers';

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('migration 005 (funding)', () => {
  it('adds the funding tables to a version 4 database, keeping its rows, with default categories', async () => {
    dir = tempDir();
    const file = path.join(dir, 'old.sqlite');
    const old = await openDatabase(file, { targetVersion: 4, backupDir: path.join(dir, 'backups') });
    old
      .prepare(
        `INSERT INTO tna_item (id, route, title, total_pence) VALUES (3, 'st0216', 'Level 2 apprenticeships x 4', 1200000)`,
      )
      .run();
    old
      .prepare(
        `INSERT INTO audit (at, user, entity, entity_id, action) VALUES ('2022-01-01T00:00:00Z', 'lead', 'role', '1', 'create')`,
      )
      .run();
    expect(old.pragma('user_version', { simple: true })).toBe(4);
    old.close();

    const db: DB = await openDatabase(file, { backupDir: path.join(dir, 'backups') });
    try {
      expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(5);
      expect(db.prepare(`SELECT id, route, title, total_pence FROM tna_item`).all()).toEqual([
        { id: 3, route: 'st0216', title: 'Level 2 apprenticeships x 4', total_pence: 1200000 },
      ]);
      expect((db.prepare(`SELECT count(*) AS n FROM audit`).get() as { n: number }).n).toBe(1);
      expect(
        (db.prepare(`SELECT code FROM funding_category ORDER BY sort`).all() as { code: string }[]).map((r) => r.code),
      ).toEqual([
        'backfill',
        'project-lead-time',
        'training-places',
        'apprenticeship-support',
        'equipment-resources',
        'events-engagement',
        'other',
      ]);
      // The schema holds the money rules itself: no negative allocation, no negative month.
      db.prepare(
        `INSERT INTO funding_stream (id, source, name, financial_year, allocated_pence, created_at, updated_at) VALUES (1, 'hee-pump-prime', 'PP', '2021/22', 100, 'x', 'x')`,
      ).run();
      expect(() =>
        db
          .prepare(
            `INSERT INTO funding_stream (source, name, financial_year, allocated_pence, created_at, updated_at) VALUES ('ics', 'Bad', '2021/22', -1, 'x', 'x')`,
          )
          .run(),
      ).toThrow(/CHECK/);
      db.prepare(
        `INSERT INTO funding_plan_line (id, stream_id, category, description, tna_item_id, total_pence, profile) VALUES (1, 1, 'training-places', 'Apprentices', 3, 1200000, 'even')`,
      ).run();
      // A TNA item removed later leaves the plan line in place, unlinked.
      db.prepare(`DELETE FROM tna_item WHERE id = 3`).run();
      expect(db.prepare(`SELECT tna_item_id AS t FROM funding_plan_line WHERE id = 1`).get()).toEqual({ t: null });
      expect(fs.readdirSync(path.join(dir, 'backups')).some((f) => f.includes('before-v'))).toBe(true);
    } finally {
      db.close();
    }
  });
});
