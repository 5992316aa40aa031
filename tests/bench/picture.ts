import path from 'node:path';
import { openDatabase } from '../../electron/db/connection';
import { generateDemoTrust } from '../../electron/services/settings/demo-generate';
import { insertTrust } from '../../electron/services/settings/demo-load';
import { workforceMetrics } from '../../electron/services/picture/metrics';
import { staffIndex } from '../../electron/services/workforce/staff-list';
import { STAFF_SORTS } from '../../shared/workforce/channels';
import { median, time, type BenchSuite } from './harness';

/**
 * The workforce picture and the staff list order at 100k staff (also run at the end of the import suite).
 * `npx tsx tests/bench/run.ts --only picture` runs just these, without the 500k-row import benches.
 */
export async function pictureFigures(
  dir: string,
  staff: number,
  report: Parameters<BenchSuite['run']>[0]['report'],
): Promise<void> {
  const file = path.join(dir, `picture-${staff}.sqlite`);
  const db = await openDatabase(file);
  insertTrust(db, generateDemoTrust(staff, 11, '2026-03-31'), true);
  db.pragma('optimize');
  const oneYear = () =>
    workforceMetrics(db, { from: '2024-04-01', to: '2025-03-31', profession: null, serviceId: null });
  // The first call also compiles the code and warms SQLite's cache: reported on its own, then the usual figure.
  const first = (await time(oneYear)).ms;
  const year = await median(7, oneYear);
  report(
    `workforce picture, one year, ${staff.toLocaleString('en-GB')} staff (median of 7)`,
    year,
    'ms',
    `target < 100 ms; first call ${first.toFixed(0)} ms`,
  );
  const filtered = await median(7, () =>
    workforceMetrics(db, { from: '2024-04-01', to: '2025-03-31', profession: 'PHY', serviceId: null }),
  );
  report(`  filtered to one profession`, filtered, 'ms');
  const index = await median(5, () =>
    staffIndex(
      db,
      { search: '', status: 'all', profession: null, band: null, sort: 'role', direction: 'asc' },
      '2026-03-31',
    ),
  );
  report(`staff list order by role, ${staff.toLocaleString('en-GB')} staff (median of 5)`, index, 'ms');
  const byRef = await median(5, () =>
    staffIndex(
      db,
      { search: '', status: 'all', profession: null, band: null, sort: 'ref', direction: 'asc' },
      '2026-03-31',
    ),
  );
  report(`staff list order by reference`, byRef, 'ms');
  // Every sort, both ways, in post only.
  for (const sort of STAFF_SORTS) {
    for (const direction of ['asc', 'desc'] as const) {
      const ms = await median(3, () =>
        staffIndex(db, { search: '', status: 'in-post', profession: null, band: null, sort, direction }, '2026-03-31'),
      );
      report(`  in post, by ${sort} ${direction}`, ms, 'ms');
    }
  }
  const search = await median(5, () =>
    staffIndex(
      db,
      { search: 'assist', status: 'all', profession: 'OT', band: null, sort: 'band', direction: 'asc' },
      '2026-03-31',
    ),
  );
  report(`  search + profession, by band`, search, 'ms');
  db.close();
}

export const pictureBench: BenchSuite = {
  name: 'picture',
  async run({ dir, scale, report }) {
    await pictureFigures(dir, scale(100_000), report);
  },
};
