import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/common/api';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/contract';
import { firstPhaseChecklist } from '../../shared/funding/streams';
import { dispatch } from '../../electron/router';
import { sendBytes, tempStore, type TempStore } from './helpers';

let t: TempStore;
beforeEach(async () => {
  t = await tempStore();
});
afterEach(() => t.cleanup());

async function ok<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const r = (await dispatch(t.ctx, channel, input)) as Result<ChannelOutput<C>>;
  if (!r.ok) throw new Error(`${channel}: ${r.error.message} ${JSON.stringify(r.error.details ?? {})}`);
  return r.value;
}
async function fail(channel: string, input: unknown) {
  const r = await dispatch(t.ctx, channel, input);
  if (r.ok) throw new Error(`${channel} should have failed`);
  return r.error;
}

/** A ledger file sent through the common upload; answers its upload reference. */
const ledgerUpload = (name: string, bytes: string | Buffer) => sendBytes(t.ctx, name, bytes, 'ledger');

/** Every funding table's row count plus the audit count: equal before and after means nothing was written. */
function snapshot(): string {
  const tables = [
    'funding_stream',
    'funding_receipt',
    'funding_condition',
    'funding_category',
    'funding_plan_line',
    'funding_plan_month',
    'funding_ledger_entry',
    'funding_ledger_batch',
    'funding_ledger_rule',
    'funding_import_profile',
    'audit',
  ];
  return tables
    .map((tb) => `${tb}:${(t.store.db.prepare(`SELECT count(*) AS n FROM ${tb}`).get() as { n: number }).n}`)
    .join(' ');
}

async function pumpPrime(allocatedPence = 5_000_000) {
  return ok('funding/stream-save', {
    source: 'hee-pump-prime',
    name: 'HEE pump prime 2021/22',
    financialYear: '2021/22',
    allocatedPence,
    receipts: [{ date: '2021-10-15', amountPence: allocatedPence }],
    conditions: 'First phase of the framework',
    checklist: firstPhaseChecklist(),
    deadline: '2022-03-31',
    owner: 'AHP faculty lead',
  });
}

describe('funding streams', () => {
  it('saves a 2021/22 pump-prime stream with the first-phase checklist, audited', async () => {
    const s = await pumpPrime();
    expect(s).toMatchObject({
      financialYear: '2021/22',
      allocatedPence: 5_000_000,
      receivedPence: 5_000_000,
      plannedPence: 0,
    });
    expect(s.checklist).toHaveLength(5);
    expect(s.checklist[2]!.text).toContain('training needs assessment');
    // Nothing planned or spent: the whole allocation is forecast unspent.
    expect(s.warnings.map((w) => w.code)).toContain('underspend');
    const audit = t.store.db.prepare(`SELECT * FROM audit WHERE entity = 'funding-stream'`).all() as {
      action: string;
      user: string;
    }[];
    expect(audit).toEqual([expect.objectContaining({ action: 'create', user: 'test-user' })]);
  });

  it('refuses a negative allocation with a clear message and writes nothing', async () => {
    const before = snapshot();
    const error = await fail('funding/stream-save', {
      source: 'hee-pump-prime',
      name: 'X',
      financialYear: '2021/22',
      allocatedPence: -100,
    });
    expect(error.code).toBe('invalid-input');
    expect(error.details?.allocatedPence).toMatch(/cannot be negative/);
    expect(snapshot()).toBe(before);
  });

  it('refuses to delete a stream with plan lines', async () => {
    const s = await pumpPrime();
    await ok('funding/line-save', {
      streamId: s.id,
      category: 'backfill',
      description: 'Backfill',
      totalPence: 100,
      profile: 'even',
    });
    const error = await fail('funding/stream-delete', { id: s.id });
    expect(error.code).toBe('conflict');
  });
});

describe('spend plan', () => {
  it('phases lines so the months add up to the total exactly', async () => {
    const s = await pumpPrime();
    // £1,000.00 evenly: 100000 / 12 = 8333 r 4, so April to July get 8334p and August to March 8333p.
    const even = await ok('funding/line-save', {
      streamId: s.id,
      category: 'backfill',
      description: 'Backfill for scoping',
      totalPence: 100_000,
      profile: 'even',
    });
    expect(even.monthlyPence).toEqual([8334, 8334, 8334, 8334, 8333, 8333, 8333, 8333, 8333, 8333, 8333, 8333]);
    const front = await ok('funding/line-save', {
      streamId: s.id,
      category: 'training-places',
      description: 'Care Certificate places',
      totalPence: 7_800_01,
      profile: 'front-loaded',
    });
    expect(front.monthlyPence.reduce((a, b) => a + b, 0)).toBe(7_800_01);
    expect(front.monthlyPence[0]).toBeGreaterThan(front.monthlyPence[11]!);
    const custom = await ok('funding/line-save', {
      streamId: s.id,
      category: 'events-engagement',
      description: 'Community of practice',
      totalPence: 1200,
      profile: 'custom',
      customMonths: [0, 0, 0, 600, 0, 0, 600, 0, 0, 0, 0, 0],
      aims: ['education'],
      requirements: ['engagement'],
    });
    expect(custom.monthlyPence[3]).toBe(600);
    const before = snapshot();
    const error = await fail('funding/line-save', {
      ...custom,
      id: custom.id,
      customMonths: [0, 0, 0, 600, 0, 0, 500, 0, 0, 0, 0, 0],
    });
    expect(error.details?.customMonths).toMatch(/add up to £11.00 but the line total is £12.00/);
    expect(snapshot()).toBe(before);
  });

  it('takes a line cost from a TNA item, and says when none exist', async () => {
    const s = await pumpPrime();
    expect(await ok('funding/tna-items', {})).toEqual([]);
    t.store.db
      .prepare(
        `INSERT INTO tna_item (id, route, title, total_pence) VALUES (7, 'care-certificate', 'Care Certificate for 12 staff', 420000)`,
      )
      .run();
    expect(await ok('funding/tna-items', {})).toEqual([
      { id: 7, route: 'care-certificate', title: 'Care Certificate for 12 staff', totalPence: 420000 },
    ]);
    const line = await ok('funding/line-save', {
      streamId: s.id,
      category: 'training-places',
      description: 'Care Certificate',
      tnaItemId: 7,
      totalFromTna: true,
      totalPence: 0,
      profile: 'even',
    });
    expect(line.totalPence).toBe(420000);
    expect(line.tnaItemId).toBe(7);
    expect(line.monthlyPence.reduce((a, b) => a + b, 0)).toBe(420000);
  });

  it('keeps categories editable: add, rename, refuse deleting one in use', async () => {
    const cats = await ok('funding/category-save', { code: 'digital-tools', label: 'Digital tools' });
    expect(cats.map((c) => c.code)).toContain('digital-tools');
    const renamed = await ok('funding/category-save', { code: 'backfill', label: 'Backfill and cover' });
    expect(renamed.find((c) => c.code === 'backfill')!.label).toBe('Backfill and cover');
    const s = await pumpPrime();
    await ok('funding/line-save', {
      streamId: s.id,
      category: 'digital-tools',
      description: 'Tablets',
      totalPence: 100,
      profile: 'even',
    });
    expect((await fail('funding/category-delete', { code: 'digital-tools' })).code).toBe('conflict');
    expect(await ok('funding/category-delete', { code: 'other' })).toEqual({ code: 'other' });
  });
});

async function planWithRules() {
  const s = await pumpPrime(5_000_000);
  const backfill = await ok('funding/line-save', {
    streamId: s.id,
    category: 'backfill',
    description: 'Backfill',
    totalPence: 2_400_000,
    profile: 'even',
  });
  const training = await ok('funding/line-save', {
    streamId: s.id,
    category: 'training-places',
    description: 'Training',
    totalPence: 1_200_000,
    profile: 'even',
  });
  await ok('funding/rule-save', {
    priority: 10,
    planLineId: backfill.id,
    costCentre: 'CC100',
    accountCode: null,
    descriptionContains: null,
  });
  await ok('funding/rule-save', {
    priority: 20,
    planLineId: training.id,
    costCentre: null,
    accountCode: { match: 'prefix', value: '5' },
    descriptionContains: null,
  });
  return { s, backfill, training };
}

const GOOD_LEDGER = [
  'Date,Cost Centre,Account Code,Description,Amount',
  '15/04/2021,CC100,4000,Bank staff April,"£1,234.56"',
  '20/05/2021,CC200,5100,Care Certificate course,"1.234,56"',
  '31/05/2021,CC100,4000,Reversal of April accrual,"(234.56)"',
  '01/06/2021,CC300,6000,Stationery,99.99',
].join('\r\n');

describe('ledger import', () => {
  it('previews and imports a CSV, matching rows by rule, credits negative, in one batch', async () => {
    const { backfill, training } = await planWithRules();
    const uploadId = await ledgerUpload('ledger-apr-jun.csv', GOOD_LEDGER);
    const preview = await ok('funding/import-preview', { uploadId });
    expect(preview).toMatchObject({
      rowCount: 4,
      errorCount: 0,
      matchedCount: 3,
      unmatchedCount: 1,
      creditCount: 1,
      mappingGuessed: true,
    });
    expect(preview.mapping).toMatchObject({
      date: 'Date',
      amount: 'Amount',
      costCentre: 'Cost Centre',
      accountCode: 'Account Code',
      description: 'Description',
    });
    // 123456 + 123456 - 23456 + 9999 = 233455
    expect(preview.totalPence).toBe(233_455);
    expect(preview.sample.map((r) => r.amountPence)).toEqual([123_456, 123_456, -23_456, 9_999]);
    const committed = await ok('funding/import-commit', { uploadId, saveProfileAs: 'Oracle GL export' });
    expect(committed).toMatchObject({ rowCount: 4, matchedCount: 3, unmatchedCount: 1, totalPence: 233_455 });
    const lines = await ok('funding/lines', { streamId: null });
    expect(lines.find((l) => l.id === backfill.id)!.actualPence).toBe(100_000);
    expect(lines.find((l) => l.id === training.id)!.actualPence).toBe(123_456);
    expect((await ok('funding/import-profiles', {})).map((p) => p.name)).toEqual(['Oracle GL export']);

    // The same file twice is refused.
    const before = snapshot();
    expect(
      (await fail('funding/import-commit', { uploadId: await ledgerUpload('ledger-apr-jun.csv', GOOD_LEDGER) })).code,
    ).toBe('conflict');
    expect(snapshot()).toBe(before);

    // Removing the import takes its rows with it.
    expect(await ok('funding/import-batch-delete', { id: committed.batchId })).toEqual({
      id: committed.batchId,
      rowCount: 4,
    });
    expect((await ok('funding/ledger', {})).total).toBe(0);
  });

  it('refuses a file with bad amounts and dates with row-level errors, leaving the database unchanged', async () => {
    await planWithRules();
    const bad = [
      'Date,Cost Centre,Account Code,Description,Amount',
      '15/04/2021,CC100,4000,Fine row,"£1,234.56"',
      '16/04/2021,CC100,4000,Blank amount,',
      '17/04/2021,CC100,4000,Ambiguous,1.234',
      '18/04/2021,CC100,4000,Dollars,$12.00',
      '01/05/2023,CC100,4000,Next year but one,10.00',
      '31/02/2021,CC100,4000,No such day,10.00',
    ].join('\n');
    const uploadId = await ledgerUpload('bad.csv', bad);
    const preview = await ok('funding/import-preview', { uploadId });
    expect(preview.errorCount).toBe(5);
    const byLine = Object.fromEntries(preview.errors.map((e) => [e.line, e.message]));
    expect(byLine[3]).toMatch(/blank amount/);
    expect(byLine[4]).toMatch(/ambiguous/);
    expect(byLine[5]).toMatch(/not in pounds sterling/);
    expect(byLine[6]).toMatch(/2023\/24, outside every funding stream's year \(2021\/22\)/);
    expect(byLine[7]).toMatch(/not a date/);
    const before = snapshot();
    const error = await fail('funding/import-commit', { uploadId });
    expect(error.code).toBe('invalid-input');
    expect(error.message).toMatch(/5 of the 6 rows in bad.csv cannot be imported, so nothing was saved/);
    expect(error.details?.['line 3, Amount']).toMatch(/blank amount/);
    expect(snapshot()).toBe(before);
  });

  it('reads debit and credit columns, semicolons and a saved mapping', async () => {
    const { backfill } = await planWithRules();
    const text = [
      'Posted;CC;Narrative;Debit;Credit',
      '2021-07-01;CC100;Bank shift;500,00;',
      '2021-07-02;CC100;Refund;;125,50',
    ].join('\n');
    const mapping = {
      date: 'Posted',
      costCentre: 'CC',
      description: 'Narrative',
      debit: 'Debit',
      credit: 'Credit',
      amount: null,
      accountCode: null,
      dateOrder: 'ymd' as const,
    };
    const preview = await ok('funding/import-preview', { uploadId: await ledgerUpload('dc.csv', text), mapping });
    expect(preview.errorCount).toBe(0);
    expect(preview.sample.map((r) => [r.date, r.amountPence, r.planLineId])).toEqual([
      ['2021-07-01', 50_000, backfill.id],
      ['2021-07-02', -12_550, backfill.id],
    ]);
    const missing = await fail('funding/import-preview', {
      uploadId: await ledgerUpload('dc.csv', text),
      mapping: { ...mapping, date: 'When' },
    });
    expect(missing.details?.['mapping.date']).toMatch(/no column called "When"/);
  });

  it('reads an XLSX ledger with numeric amounts and date cells', async () => {
    const { training } = await planWithRules();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('GL');
    ws.addRow(['Transaction Date', 'Cost Centre', 'Subjective', 'Description', 'Value']);
    ws.addRow([new Date(Date.UTC(2021, 8, 30)), 'CC900', '5200', 'Apprenticeship top-up', 1500.5]);
    ws.addRow([new Date(Date.UTC(2021, 9, 1)), 'CC900', '5200', 'Too precise', 10.005]);
    const uploadId = await ledgerUpload('gl.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    const preview = await ok('funding/import-preview', { uploadId });
    expect(preview.sample[0]).toMatchObject({
      date: '2021-09-30',
      amountPence: 150_050,
      planLineId: training.id,
      accountCode: '5200',
    });
    expect(preview.errors).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringMatching(/more than 2 decimal places/) }),
    ]);
  });
});

describe('review, matching and the report', () => {
  it('lists unmatched rows for review, assigns them by hand, and re-applies rules without undoing hand choices', async () => {
    const { backfill, training } = await planWithRules();
    await ok('funding/import-commit', { uploadId: await ledgerUpload('l.csv', GOOD_LEDGER) });
    const unmatched = await ok('funding/ledger', { unmatchedOnly: true });
    expect(unmatched.rows.map((r) => r.description)).toEqual(['Stationery']);
    await ok('funding/ledger-assign', { entryIds: [unmatched.rows[0]!.id], planLineId: training.id });
    expect((await ok('funding/ledger', { unmatchedOnly: true })).total).toBe(0);

    // A new rule moving CC100 to training: rules re-run, the hand-assigned row stays put.
    await ok('funding/rule-save', {
      priority: 1,
      planLineId: training.id,
      costCentre: 'CC300',
      accountCode: null,
      descriptionContains: null,
    });
    const applied = await ok('funding/rules-apply', { financialYear: '2021/22' });
    expect(applied).toEqual({ checked: 3, changed: 0, unmatched: 0 });
    const all = await ok('funding/ledger', {});
    expect(all.rows.find((r) => r.description === 'Stationery')).toMatchObject({
      planLineId: training.id,
      matchedRuleId: null,
    });
    expect(all.rows.find((r) => r.description === 'Bank staff April')!.planLineId).toBe(backfill.id);

    // Assigning a row to a line of another year is refused.
    const other = await ok('funding/stream-save', {
      source: 'ics',
      name: 'ICS 2022/23',
      financialYear: '2022/23',
      allocatedPence: 100,
    });
    const otherLine = await ok('funding/line-save', {
      streamId: other.id,
      category: 'other',
      description: 'Later',
      totalPence: 100,
      profile: 'even',
    });
    const error = await fail('funding/ledger-assign', { entryIds: [all.rows[0]!.id], planLineId: otherLine.id });
    expect(error.message).toMatch(/outside 2022\/23/);
  });

  it('typed-in entries must fall in the line’s year', async () => {
    const { backfill } = await planWithRules();
    const before = snapshot();
    const error = await fail('funding/ledger-save', {
      kind: 'actual',
      date: '2022-04-01',
      amountPence: 100,
      planLineId: backfill.id,
    });
    expect(error.details?.date).toMatch(/Enter a date in 2021\/22/);
    expect(snapshot()).toBe(before);
    const saved = await ok('funding/ledger-save', {
      kind: 'commitment',
      date: '2021-12-01',
      amountPence: 50_000,
      planLineId: backfill.id,
      description: 'PO 123',
    });
    expect(saved).toMatchObject({ kind: 'commitment', planLineLabel: 'HEE pump prime 2021/22: Backfill' });
  });

  it('computes variance and forecast by plan and by run-rate, with warnings', async () => {
    const { s, backfill } = await planWithRules();
    // Backfill plan: £24,000 evenly = £2,000 a month. Actuals April to September: £1,000 a month.
    for (const m of ['04', '05', '06', '07', '08', '09']) {
      await ok('funding/ledger-save', {
        kind: 'actual',
        date: `2021-${m}-15`,
        amountPence: 100_000,
        planLineId: backfill.id,
      });
    }
    await ok('funding/ledger-save', {
      kind: 'commitment',
      date: '2021-10-01',
      amountPence: 30_000,
      planLineId: backfill.id,
    });
    // As at 30 Sep 2021, six months are closed.
    const plan = await ok('funding/report', { financialYear: '2021/22', asAt: '2021-09-30', method: 'plan' });
    expect(plan.monthsClosed).toBe(6);
    const line = plan.lines.find((l) => l.id === backfill.id)!;
    // plan method: £6,000 actual + 6 x £2,000 still planned = £18,000; variance £24,000 - £18,000 = £6,000.
    // The £300 commitment is dated 1 October, after the as-at day: not committed yet.
    expect(line).toMatchObject({
      actualPence: 600_000,
      committedPence: 0,
      forecastPence: 1_800_000,
      variancePence: 600_000,
    });
    const stream = plan.streams.find((x) => x.id === s.id)!;
    // Training (£1,000 a month) has no actuals: £0 for the six closed months + £6,000 still planned.
    // Stream forecast £18,000 + £6,000 = £24,000 of £50,000 allocated: £26,000 forecast unspent.
    expect(stream).toMatchObject({
      plannedPence: 3_600_000,
      forecastPence: 2_400_000,
      variancePence: 2_600_000,
      unspentPence: 5_000_000 - 600_000,
    });
    // As at 1 October it is.
    const october = await ok('funding/report', { financialYear: '2021/22', asAt: '2021-10-01', method: 'plan' });
    expect(october.streams.find((x) => x.id === s.id)).toMatchObject({
      committedPence: 30_000,
      unspentPence: 5_000_000 - 600_000 - 30_000,
    });
    expect(stream.warnings.find((w) => w.code === 'underspend')!.message).toBe(
      '£26,000.00 of the £50,000.00 allocation is forecast to be left unspent at 31 Mar 2022.',
    );
    expect(plan.byMonth[5]).toMatchObject({
      plannedPence: 300_000,
      actualPence: 100_000,
      cumulativeActualPence: 600_000,
      cumulativePlannedPence: 1_800_000,
    });
    expect(plan.byCategory.find((c) => c.category === 'backfill')).toMatchObject({
      plannedPence: 2_400_000,
      actualPence: 600_000,
    });

    // run-rate: £6,000 / 6 x 12 = £12,000 for backfill; training has no actuals so £0.
    const runRate = await ok('funding/report', { financialYear: '2021/22', asAt: '2021-09-30', method: 'run-rate' });
    expect(runRate.lines.find((l) => l.id === backfill.id)!.forecastPence).toBe(1_200_000);
    expect(runRate.totals.forecastPence).toBe(1_200_000);

    // Overspend: plan more than the allocation and spend it.
    await ok('funding/stream-save', { ...stream, id: s.id, allocatedPence: 1_000_000 });
    const over = await ok('funding/report', { financialYear: '2021/22', asAt: '2021-09-30', method: 'plan' });
    expect(over.streams[0]!.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['overspend', 'over-planned']));
  });

  it('exports the report as XLSX with typed pound cells and text that never becomes a formula, and as CSV with a BOM', async () => {
    const { backfill } = await planWithRules();
    await ok('funding/ledger-save', {
      kind: 'actual',
      date: '2021-05-01',
      amountPence: 123_456,
      planLineId: backfill.id,
      description: '=HYPERLINK("http://x")',
    });
    await ok('funding/line-save', {
      streamId: backfill.streamId,
      category: 'other',
      description: '@SUM(A1)',
      totalPence: 99,
      profile: 'even',
    });
    const xlsx = await ok('funding/export', { financialYear: '2021/22', asAt: '2022-03-31', format: 'xlsx' });
    expect(xlsx.fileName).toBe('funding-report-2021-22-as-at-2022-03-31.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx.base64, 'base64') as unknown as ArrayBuffer);
    const lines = wb.getWorksheet('Plan lines')!;
    expect(lines.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const header = (lines.getRow(1).values as unknown[]).slice(1);
    const actualCol = header.indexOf('Actual') + 1;
    const backfillRow = lines.getRow(2);
    expect(backfillRow.getCell(actualCol).value).toBe(1234.56);
    expect(backfillRow.getCell(actualCol).numFmt).toBe('"£"#,##0.00');
    const ledger = wb.getWorksheet('Ledger')!;
    expect(ledger.getRow(2).getCell(4).value).toBe('=HYPERLINK("http://x")');
    expect(ledger.getRow(2).getCell(4).type).toBe(ExcelJS.ValueType.String);
    const csv = await ok('funding/export', { financialYear: '2021/22', asAt: '2022-03-31', format: 'csv' });
    const bytes = Buffer.from(csv.base64, 'base64');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text).toContain(`'@SUM(A1)`);
    expect(text.split('\r\n')[1]).toContain('24000.00,0.00,1234.56');
  });
});

describe('audit', () => {
  it('records every change a user makes to funding', async () => {
    const { backfill } = await planWithRules();
    await ok('funding/import-commit', { uploadId: await ledgerUpload('l.csv', GOOD_LEDGER) });
    const entry = await ok('funding/ledger-save', {
      kind: 'actual',
      date: '2021-05-01',
      amountPence: 1,
      planLineId: backfill.id,
    });
    await ok('funding/ledger-delete', { id: entry.id });
    await ok('funding/line-delete', { id: backfill.id });
    const rows = t.store.db.prepare(`SELECT entity, action FROM audit WHERE entity LIKE 'funding%' ORDER BY id`).all();
    expect(rows).toEqual([
      { entity: 'funding-stream', action: 'create' },
      { entity: 'funding-plan-line', action: 'create' },
      { entity: 'funding-plan-line', action: 'create' },
      { entity: 'funding-ledger-rule', action: 'create' },
      { entity: 'funding-ledger-rule', action: 'create' },
      { entity: 'funding-ledger-batch', action: 'import' },
      { entity: 'funding-ledger-entry', action: 'create' },
      { entity: 'funding-ledger-entry', action: 'delete' },
      { entity: 'funding-plan-line', action: 'delete' },
    ]);
    // Deleting the line sent its entries back to the review list.
    expect((await ok('funding/ledger', { unmatchedOnly: true })).total).toBe(3);
  });
});

describe('command line', () => {
  const args = (positional: string[], options: Record<string, string | true>) => {
    const map = new Map(Object.entries(options));
    return {
      positional,
      options: map,
      json: map.has('json'),
      text: (name: string) => {
        const v = map.get(name);
        return v === true ? undefined : v;
      },
    };
  };

  it('imports a ledger file and prints the report as JSON', async () => {
    const { fundingCommands } = await import('../../electron/services/funding/commands');
    const fs = await import('node:fs');
    const path = await import('node:path');
    const { s } = await planWithRules();
    const ledger = path.join(t.dir, 'ledger.csv');
    fs.writeFileSync(ledger, GOOD_LEDGER);
    const out: string[] = [];
    await fundingCommands['funding import-ledger']!.run(t.ctx, args([ledger], { year: '2021/22' }), (x) => out.push(x));
    expect(out[0]).toBe('Imported 4 rows (£2,334.55): 3 matched to plan lines, 1 to review.');

    const bad = path.join(t.dir, 'bad.csv');
    fs.writeFileSync(bad, 'Date,Amount\n01/05/2021,\n');
    const before = snapshot();
    await expect(
      fundingCommands['funding import-ledger']!.run(t.ctx, args([bad], { stream: String(s.id) }), () => undefined),
    ).rejects.toThrow(/1 rows cannot be imported/);
    expect(snapshot()).toBe(before);

    const json: string[] = [];
    await fundingCommands['funding report']!.run(
      t.ctx,
      args([], { year: '2021/22', 'as-at': '2022-03-31', json: true }),
      (x) => json.push(x),
    );
    const report = JSON.parse(json[0]!) as { totals: { actualPence: number }; unallocated: { count: number } };
    expect(report.totals.actualPence).toBe(223_456);
    expect(report.unallocated.count).toBe(1);

    const xlsx = path.join(t.dir, 'report.xlsx');
    await fundingCommands['funding report']!.run(t.ctx, args([], { year: '2021/22', to: xlsx }), () => undefined);
    expect(fs.readFileSync(xlsx).subarray(0, 2).toString()).toBe('PK');
  });
});

describe('the As at date (issue 10, item 14)', () => {
  /**
   * The issue's case: as at 31/12/2021 with run-rate, the forecast (£14,803.00) was below the actual shown
   * (£23,503.00, which included January to March 2022). A £30,000 stream with one £24,000 line (£2,000 a month):
   *   actuals Apr-Nov 8 x £1,233.58 = £9,868.64, Dec £1,233.61: £11,102.25 to 31 December;
   *   actuals Jan £4,000.25, Feb £4,000.25, Mar £4,400.25: £12,400.75 after it; £23,503.00 in the year;
   *   commitments 10 Nov £500.00 and 14 Feb £750.00; not yet allocated: 5 Dec £50.00 and 10 Jan £100.00.
   */
  async function issueCase() {
    const s = await ok('funding/stream-save', {
      source: 'hee-pump-prime',
      name: 'Pump prime',
      financialYear: '2021/22',
      allocatedPence: 3_000_000,
    });
    const line = await ok('funding/line-save', {
      streamId: s.id,
      category: 'backfill',
      description: 'Backfill',
      totalPence: 2_400_000,
      profile: 'even',
    });
    const entry = (kind: 'actual' | 'commitment', date: string, amountPence: number, planLineId: number | null) =>
      ok('funding/ledger-save', { kind, date, amountPence, planLineId });
    for (const m of ['04', '05', '06', '07', '08', '09', '10', '11'])
      await entry('actual', `2021-${m}-20`, 123_358, line.id);
    await entry('actual', '2021-12-20', 123_361, line.id);
    await entry('actual', '2022-01-20', 400_025, line.id);
    await entry('actual', '2022-02-20', 400_025, line.id);
    await entry('actual', '2022-03-20', 440_025, line.id);
    await entry('commitment', '2021-11-10', 50_000, line.id);
    await entry('commitment', '2022-02-14', 75_000, line.id);
    await entry('actual', '2021-12-05', 5_000, null);
    await entry('actual', '2022-01-10', 10_000, null);
    return { s, line };
  }

  it('leaves out entries dated after the As at day: actuals, commitments, unspent, months, unallocated', async () => {
    await issueCase();
    const r = await ok('funding/report', { financialYear: '2021/22', asAt: '2021-12-31', method: 'run-rate' });
    expect(r.monthsClosed).toBe(9);
    // Run-rate: £11,102.25 / 9 x 12 = £14,803.00, now above the £11,102.25 actual to date (was £23,503.00 shown).
    // Unspent: £30,000.00 - £11,102.25 - £500.00 = £18,397.75.
    expect(r.totals).toMatchObject({
      actualPence: 1_110_225,
      committedPence: 50_000,
      forecastPence: 1_480_300,
      variancePence: 3_000_000 - 1_480_300,
      unspentPence: 1_839_775,
    });
    expect(r.lines[0]).toMatchObject({ actualPence: 1_110_225, committedPence: 50_000, forecastPence: 1_480_300 });
    expect(r.byMonth.slice(8).map((m) => [m.label, m.actualPence, m.committedPence])).toEqual([
      ['Dec 2021', 123_361, 0],
      ['Jan 2022', 0, 0],
      ['Feb 2022', 0, 0],
      ['Mar 2022', 0, 0],
    ]);
    expect(r.byMonth[11]!.cumulativeActualPence).toBe(1_110_225);
    expect(r.byCategory[0]).toMatchObject({ actualPence: 1_110_225, committedPence: 50_000 });
    // Only the 5 December entry waits for review as at 31 December.
    expect(r.unallocated).toEqual({ count: 1, actualPence: 5_000, committedPence: 0 });

    // Plan method: £11,102.25 + 3 months x £2,000.00 = £17,102.25.
    const plan = await ok('funding/report', { financialYear: '2021/22', asAt: '2021-12-31', method: 'plan' });
    expect(plan.totals.forecastPence).toBe(1_710_225);

    // As at year end everything counts, and both methods give the actuals: £23,503.00.
    const yearEnd = await ok('funding/report', { financialYear: '2021/22', asAt: '2022-03-31', method: 'run-rate' });
    expect(yearEnd.totals).toMatchObject({ actualPence: 2_350_300, committedPence: 125_000, forecastPence: 2_350_300 });
    expect(yearEnd.unallocated).toEqual({ count: 2, actualPence: 15_000, committedPence: 0 });
  });

  it('never forecasts below the actuals to date, whatever the day and method', async () => {
    const { line } = await issueCase();
    // As at 20 January: 9 months closed, and January's £4,000.25 already spent. A £20,000.00 payment on 19 January makes run-rate (£14,803.00) fall below the £35,102.50 actual to date: the forecast is the actual.
    await ok('funding/ledger-save', {
      kind: 'actual',
      date: '2022-01-19',
      amountPence: 2_000_000,
      planLineId: line.id,
    });
    for (const method of ['plan', 'run-rate'] as const) {
      const r = await ok('funding/report', { financialYear: '2021/22', asAt: '2022-01-20', method });
      expect(r.totals.actualPence).toBe(1_110_225 + 400_025 + 2_000_000);
      expect(r.totals.forecastPence).toBeGreaterThanOrEqual(r.totals.actualPence);
      for (const l of r.lines) expect(l.forecastPence).toBeGreaterThanOrEqual(l.actualPence);
    }
    const runRate = await ok('funding/report', { financialYear: '2021/22', asAt: '2022-01-20', method: 'run-rate' });
    expect(runRate.totals.forecastPence).toBe(3_510_250);
    // Plan: £11,102.25 closed + January's £24,000.25 so far (more than its £2,000.00 plan) + Feb and Mar £4,000.00.
    const plan = await ok('funding/report', { financialYear: '2021/22', asAt: '2022-01-20', method: 'plan' });
    expect(plan.totals.forecastPence).toBe(1_110_225 + 2_400_025 + 400_000);
  });

  it('exports the report as at the day: the Ledger sheet stops there too', async () => {
    await issueCase();
    const file = await ok('funding/export', { financialYear: '2021/22', asAt: '2021-12-31', format: 'xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer);
    const dates: Date[] = [];
    wb.getWorksheet('Ledger')!.eachRow((row) => {
      const v = row.getCell(1).value;
      if (v instanceof Date) dates.push(v);
    });
    // 9 actuals, the November commitment and the 5 December entry; nothing after 31 December.
    expect(dates).toHaveLength(11);
    expect(Math.max(...dates.map((d) => d.getTime()))).toBeLessThanOrEqual(Date.parse('2021-12-31T00:00:00Z'));
  });
});
