import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/db/connection';
import { tempDir } from './helpers';

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('migration 012 (returns)', () => {
  it('keeps the organisation (now a trust), adds the returns tables and a threshold of 7', async () => {
    dir = tempDir();
    const file = path.join(dir, 'old.sqlite');
    const old = await openDatabase(file, { targetVersion: 11, backupDir: path.join(dir, 'backups') });
    old.exec(
      `INSERT INTO organisation (id, name, ods_code, ics, ahp_faculty, is_demo) VALUES (1, 'Trust', 'RX1', 'ICS', 'Faculty', 0)`,
    );
    old.close();

    const db = await openDatabase(file, { targetVersion: 12, backupDir: path.join(dir, 'backups') });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(12);
      expect(db.prepare('SELECT name, ods_code, kind FROM organisation').get()).toEqual({
        name: 'Trust',
        ods_code: 'RX1',
        kind: 'trust',
      });
      expect(() => db.prepare(`UPDATE organisation SET kind = 'ccg'`).run()).toThrow(/CHECK/);
      expect(db.prepare('SELECT threshold FROM return_setting').pluck().get()).toBe(7);
      const insert = db.prepare(
        `INSERT INTO data_return (period, period_start, as_at, version, status, threshold, content_json, checks_json, built_at, built_by, hash, snapshot_json, chain_seq)
         VALUES ('2025/26', '2025-04-01', '2026-03-31', ?, ?, 7, '{}', '{}', 'now', 'me', ?, ?, ?)`,
      );
      // A signed-off return must carry its snapshot and hash; a draft must not.
      expect(() => insert.run(1, 'signed-off', null, null, null)).toThrow(/CHECK/);
      expect(() => insert.run(1, 'draft', 'abc', '{}', 1)).toThrow(/CHECK/);
      insert.run(1, 'signed-off', 'abc', '{}', 1);
      expect(() => insert.run(1, 'draft', null, null, null)).toThrow(/UNIQUE/);
      expect(() => db.prepare(`UPDATE data_return SET hash = 'x'`).run()).toThrow(/cannot be changed/);
      expect(() => db.prepare('DELETE FROM data_return').run()).toThrow(/cannot be deleted/);
      db.prepare(`UPDATE data_return SET status = 'sent', sent_on = '2026-04-01'`).run();
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });
});
