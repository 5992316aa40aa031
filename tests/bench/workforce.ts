import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../electron/db/connection';
import { generateDemoTrust } from '../../electron/services/settings/demo-generate';
import { insertTrust } from '../../electron/services/settings/demo-load';
import { workforceSummary } from '../../electron/services/workforce/summary';
import { median, time, type BenchSuite } from './harness';

export const workforceBench: BenchSuite = {
  name: 'workforce',
  async run({ dir, scale, report }) {
    const fresh = path.join(dir, 'open.sqlite');
    const open = await time(() => openDatabase(fresh));
    open.value.close();
    report('open + migrate a new database', open.ms, 'ms');
    const reopen = await time(() => openDatabase(fresh));
    reopen.value.close();
    report('open an up-to-date database', reopen.ms, 'ms');

    for (const staff of [10_000, 100_000].map(scale)) {
      const file = path.join(dir, `staff-${staff}.sqlite`);
      const db = await openDatabase(file);
      const trust = generateDemoTrust(staff, 7, '2026-03-31');
      const insert = await time(() => insertTrust(db, trust, true));
      report(
        `insert ${staff.toLocaleString('en-GB')} staff`,
        insert.ms,
        'ms',
        `${Math.round(staff / (insert.ms / 1000)).toLocaleString('en-GB')} people/s`,
      );
      db.pragma('optimize');
      const ms = await median(7, () => workforceSummary(db, '2026-03-31'));
      report(
        `workforce summary at ${staff.toLocaleString('en-GB')} staff (median of 7)`,
        ms,
        'ms',
        'target < 50 ms at 100k',
      );
      report('database size', fs.statSync(file).size / 1048576, 'MB');
      db.close();
    }
  },
};
