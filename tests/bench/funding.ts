import fs from 'node:fs';
import path from 'node:path';
import { DatabaseStore } from '../../electron/db/store';
import { commitImport, previewImport } from '../../electron/services/funding/import';
import { listLedger, saveRule } from '../../electron/services/funding/ledger';
import { saveLine } from '../../electron/services/funding/lines';
import { buildReport } from '../../electron/services/funding/report';
import { listStreams, saveStream } from '../../electron/services/funding/streams';
import { sendFile } from '../../electron/transports/cli-upload';
import { DEFAULT_PLAN_CATEGORIES } from '../../shared/funding/plan';
import { firstPhaseChecklist } from '../../shared/funding/streams';
import { median, time, type BenchSuite } from './harness';

/** A year with 50 plan lines and 20,000 ledger rows: import and match under 1 s, views under 100 ms. */
export const fundingBench: BenchSuite = {
  name: 'funding',
  async run({ dir, scale, report }) {
    const store = await DatabaseStore.open(path.join(dir, 'funding.sqlite'));
    const db = store.db;
    const actor = { user: 'bench', now: () => new Date('2022-01-15T12:00:00Z') };
    const stream = saveStream(
      db,
      actor,
      {
        source: 'hee-pump-prime',
        name: 'HEE pump prime 2021/22',
        financialYear: '2021/22',
        allocatedPence: 500_000_000,
        receipts: [],
        conditions: '',
        checklist: firstPhaseChecklist(),
        deadline: null,
        owner: '',
      },
      '2022-01-15',
    );
    const lineCount = 50;
    for (let i = 0; i < lineCount; i++) {
      const line = saveLine(db, actor, {
        streamId: stream.id,
        category: DEFAULT_PLAN_CATEGORIES[i % DEFAULT_PLAN_CATEGORIES.length]!.code,
        description: `Plan line ${i + 1}`,
        aims: ['education'],
        requirements: [],
        tnaItemId: null,
        totalFromTna: false,
        totalPence: 1_000_000 + i * 12_345,
        profile: (['even', 'front-loaded', 'back-loaded'] as const)[i % 3]!,
        customMonths: null,
      });
      saveRule(db, actor, {
        priority: i,
        planLineId: line.id,
        costCentre: `CC${100 + i}`,
        accountCode: null,
        descriptionContains: null,
      });
    }

    const rows = scale(20_000);
    const formats = [
      (p: number) => (p / 100).toFixed(2),
      (p: number) => `"£${(p / 100).toLocaleString('en-GB', { minimumFractionDigits: 2 })}"`,
      (p: number) => `"(${(p / 100).toFixed(2)})"`,
    ];
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const lines = ['Date,Cost Centre,Account Code,Description,Amount'];
    for (let i = 0; i < rows; i++) {
      const month = Math.floor(rand() * 12);
      const calendarMonth = ((month + 3) % 12) + 1;
      const y = month < 9 ? 2021 : 2022;
      const date = `${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}/${String(calendarMonth).padStart(2, '0')}/${y}`;
      // About 1 row in 20 has a cost centre no rule knows, for the review list.
      const cc = rand() < 0.05 ? 'CC999' : `CC${100 + Math.floor(rand() * lineCount)}`;
      const pence = 100 + Math.floor(rand() * 50_000);
      lines.push(`${date},${cc},${4000 + (i % 50)},Ledger row ${i},${formats[i % 3]!(pence)}`);
    }
    const ledgerFile = path.join(dir, 'ledger.csv');
    fs.writeFileSync(ledgerFile, lines.join('\r\n'));
    const uploadId = await sendFile({ store, ...actor }, ledgerFile, 'ledger');
    const input = { uploadId, kind: 'actual' as const, streamId: null, mapping: null };

    const preview = await time(() => previewImport(store, actor, input));
    report(
      `preview ${rows.toLocaleString('en-GB')} ledger rows (read + check + match)`,
      preview.ms,
      'ms',
      `${preview.value.errorCount} errors`,
    );
    const commit = await time(() => commitImport(store, actor, { ...input, saveProfileAs: null }));
    report(
      `import and match ${rows.toLocaleString('en-GB')} ledger rows (one transaction)`,
      commit.ms,
      'ms',
      `target < 1,000 ms; ${commit.value.matchedCount.toLocaleString('en-GB')} matched`,
    );
    db.pragma('optimize');

    const asAt = '2022-01-15';
    report(
      'report for the year, plan method (median of 7)',
      await median(7, () => buildReport(db, { financialYear: '2021/22', asAt, method: 'plan' })),
      'ms',
      'target < 100 ms',
    );
    report(
      'report for the year, run-rate (median of 7)',
      await median(7, () => buildReport(db, { financialYear: '2021/22', asAt, method: 'run-rate' })),
      'ms',
      'target < 100 ms',
    );
    report(
      'streams list (median of 7)',
      await median(7, () => listStreams(db, { financialYear: null }, asAt)),
      'ms',
      'target < 100 ms',
    );
    report(
      'review list: unallocated entries (median of 7)',
      await median(7, () => listLedger(db, { financialYear: '2021/22', unmatchedOnly: true, limit: 500, offset: 0 })),
      'ms',
      'target < 100 ms',
    );
    report(
      'ledger page of 50 (median of 7)',
      await median(7, () =>
        listLedger(db, { financialYear: '2021/22', unmatchedOnly: false, limit: 50, offset: 10_000 }),
      ),
      'ms',
      'target < 100 ms',
    );
    store.close();
  },
};
