import path from 'node:path';
import { openDatabase } from '../../electron/db/connection';
import { generateDemoTrust, seededRandom } from '../../electron/services/settings/demo-generate';
import { insertTrust } from '../../electron/services/settings/demo-load';
import { gapAnalysis } from '../../electron/services/training/education';
import { bulkMapping, variation } from '../../electron/services/framework/mapping';
import { saveTnaItem, tnaOverview } from '../../electron/services/training/tna';
import { gapsInputSchema } from '../../shared/training/channels';
import type { Qualification } from '../../shared/training/education';
import { median, time, type BenchSuite } from './harness';

const actor = { user: 'bench', now: () => new Date('2026-03-31T09:00:00Z') };

/** A plausible spread of records: some with nothing, most with a few, in a few dozen distinct combinations. */
const KITS: Qualification[][] = [
  [],
  [
    { kind: 'functional-skills-english', level: '2' },
    { kind: 'functional-skills-maths', level: '2' },
  ],
  [
    { kind: 'rqf', level: 2, title: 'GCSE English', status: 'completed' },
    { kind: 'functional-skills-maths', level: '1' },
  ],
  [{ kind: 'apprenticeship', standard: 'ST0216', status: 'completed', startDate: '2020-01-06', endDate: '2021-01-05' }],
  [{ kind: 'apprenticeship', standard: 'ST0217', status: 'enrolled', startDate: '2025-09-01', endDate: null }],
  [
    { kind: 'rqf', level: 3, title: 'Diploma in Healthcare Support', status: 'completed' },
    { kind: 'functional-skills-english', level: '2' },
    { kind: 'functional-skills-maths', level: '2' },
    { kind: 'care-certificate', standardsCompleted: [1, 2, 3, 4, 5, 6, 7, 8] },
  ],
  [
    { kind: 'foundation-degree', title: 'FdSc Health and Social Care', status: 'completed' },
    { kind: 'functional-skills-english', level: '2' },
    { kind: 'functional-skills-maths', level: '2' },
    { kind: 'care-certificate', standardsCompleted: Array.from({ length: 15 }, (_, i) => i + 1) },
  ],
];

export const frameworkBench: BenchSuite = {
  name: 'framework',
  async run({ dir, scale, report }) {
    const staff = scale(100_000);
    const db = await openDatabase(path.join(dir, 'framework.sqlite'));
    insertTrust(db, generateDemoTrust(staff, 11, '2026-03-31'), true);
    const roleIds = db.prepare('SELECT id FROM role').pluck().all() as number[];
    bulkMapping(db, actor, { action: 'accept-suggestion', roleIds });

    const rand = seededRandom(5);
    const people = db.prepare('SELECT id FROM person ORDER BY id').pluck().all() as number[];
    const insert = db.prepare('INSERT INTO qualification (person_id, kind, status, details) VALUES (?, ?, ?, ?)');
    let records = 0;
    const load = await time(() =>
      db.transaction(() => {
        for (const id of people) {
          const kit = KITS[Math.floor(rand() * KITS.length)]!;
          for (const q of kit) {
            insert.run(id, q.kind, 'status' in q ? q.status : 'completed', JSON.stringify(q));
            records += 1;
          }
        }
      })(),
    );
    report(`insert ${records.toLocaleString('en-GB')} qualification records`, load.ms, 'ms');
    for (const [i, route] of (
      ['ST0216', 'ST0217', 'ST0215', 'care-certificate', 'functional-skills'] as const
    ).entries()) {
      saveTnaItem(db, actor, {
        route,
        title: `Cohort ${i + 1}`,
        cohortSize: 10 + i,
        priority: 'medium',
        targetQuarter: '2022/23 Q2',
        gapStage: null,
        tuitionPencePerPerson: 100_000 * (i + 1),
        backfillWeeks: 4,
        backfillBand: '3',
        backfillStep: 'entry',
        ftePerPerson: 1,
        notes: null,
      });
    }
    db.pragma('optimize');

    const asAt = '2026-03-31';
    const input = { ...gapsInputSchema.parse({}), asAt };
    const first = await time(() => gapAnalysis(db, input));
    report(`gap analysis, ${first.value.totals.people.toLocaleString('en-GB')} in post (first run)`, first.ms, 'ms');
    const gaps = await median(7, () => gapAnalysis(db, input));
    report(`gap analysis at ${staff.toLocaleString('en-GB')} staff (median of 7)`, gaps, 'ms', 'summary + first page');
    const tna = await median(7, () => tnaOverview(db));
    report('TNA totals (median of 7)', tna, 'ms');
    const both = await median(7, () => {
      gapAnalysis(db, input);
      tnaOverview(db);
    });
    report('gap analysis + TNA totals (median of 7)', both, 'ms', 'target < 200 ms at 100k');
    const filtered = await median(5, () =>
      gapAnalysis(db, { ...gapsInputSchema.parse({ status: 'does-not', offset: 500 }), asAt }),
    );
    report('gap analysis, filtered list page 11 (median of 5)', filtered, 'ms');
    const v = await median(5, () => variation(db, asAt));
    report(`variation (${roleIds.length} roles, median of 5)`, v, 'ms');
    const t = first.value.totals;
    report(
      '  meets / partly / does not / unknown',
      t.meets,
      'meets',
      `${t.partly} partly, ${t.doesNot} does not, ${t.unknown} unknown`,
    );
    db.close();
  },
};
