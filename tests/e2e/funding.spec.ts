import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { expect, test, type Page } from '@playwright/test';
import { startTestHost, type TestHost } from './host';

const SCREENSHOTS = path.resolve(import.meta.dirname, '__screenshots__');
let host: TestHost;

test.beforeEach(async () => {
  host = await startTestHost();
});
test.afterEach(async () => {
  await host.stop();
});

/** A ledger export as a finance system writes it: UK dates, pound signs, brackets for credits. */
function ledgerCsv(): string {
  const rows = [
    ['Transaction Date', 'Cost Centre', 'Subjective', 'Description', 'Amount'],
    ['15/04/2021', 'CC100', '4000', 'Bank staff cover April', '£2,000.00'],
    ['14/05/2021', 'CC100', '4000', 'Bank staff cover May', '2,000.00'],
    ['20/05/2021', 'CC200', '5100', 'Care Certificate workbooks', '1.500,00'],
    ['31/05/2021', 'CC100', '4000', 'Reversal: April cover overcharged', '(250.00)'],
    ['15/06/2021', 'CC100', '4000', 'Bank staff cover June', '2000'],
    ['30/06/2021', 'CC900', '7300', 'Community of practice venue', '480.00'],
  ];
  return `${rows.map((r) => r.map((c) => (/[",]/.test(c) ? `"${c}"` : c)).join(',')).join('\r\n')}\r\n`;
}

const tab = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Funding' }).getByRole('link', { name, exact: true }).click();

async function addLine(
  page: Page,
  values: { category: string; description: string; total: string; profile: RegExp; aim?: string; requirement?: string },
) {
  await page.getByRole('button', { name: 'Add a plan line' }).click();
  await page.getByLabel('Funding stream', { exact: true }).selectOption({ label: 'HEE pump prime 2021/22' });
  await page.getByLabel('Category', { exact: true }).selectOption({ label: values.category });
  await page.getByLabel('What the money is for').fill(values.description);
  if (values.aim) await page.getByLabel(values.aim).check();
  if (values.requirement) await page.getByLabel(values.requirement).check();
  await page.getByLabel('Planned amount').fill(values.total);
  await page.getByLabel(values.profile).check();
}

test('a finance user sets up 2021/22 pump-prime funding, plans, imports a ledger, reviews, sees the forecast and exports', async ({
  page,
}) => {
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Funding', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Funding', level: 1 })).toBeVisible();
  await tab(page, 'Streams');

  // A negative allocation is refused with the reason.
  await page.getByRole('button', { name: 'Add a funding stream' }).click();
  await page.getByLabel('Name of the funding stream').fill('HEE pump prime 2021/22');
  await page.getByLabel('Financial year', { exact: true }).fill('2021/22');
  await page.getByLabel('Amount allocated').fill('-50,000');
  await page.getByRole('button', { name: 'Save funding stream' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText('cannot be negative');

  await page.getByLabel('Amount allocated').fill('£50,000.00');
  await page.getByLabel('Deadline (optional)').fill('2022-03-31');
  await page.getByLabel('Owner (optional)').fill('AHP faculty lead');
  await page.getByRole('button', { name: 'Add a payment received' }).click();
  await page.getByLabel('Payment 1 date').fill('2021-10-15');
  await page.getByLabel('Payment 1 amount').fill('50000');
  await page.getByRole('button', { name: 'Add the 2021/22 first-phase requirements' }).click();
  await page.getByLabel('Met: Scope the current workforce supporting AHP services').check();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'funding-stream-form.png'), fullPage: true });
  await page.getByRole('button', { name: 'Save funding stream' }).click();
  await expect(page.getByText('HEE pump prime 2021/22 saved.')).toBeVisible();
  const streamRow = page.getByRole('row', { name: /HEE pump prime 2021\/22/ });
  await expect(streamRow).toContainText('£50,000.00');
  await expect(streamRow).toContainText('1 of 5');

  // Spend plan: three lines, phased even, front-loaded and by hand.
  await tab(page, 'Spend plan');
  await addLine(page, {
    category: 'Backfill',
    description: 'Backfill while support workers train',
    total: '24,000',
    profile: /^Even/,
    aim: 'Improve education standards, access and uptake for AHP support workers',
    requirement: 'Carry out a gap analysis and a training needs assessment (TNA)',
  });
  await expect(page.getByRole('table', { name: 'Phasing preview' })).toContainText('£2,000.00');
  await page.getByText('No training needs assessment items are available yet').isVisible();
  await page.getByRole('button', { name: 'Save plan line' }).click();
  await expect(page.getByText(/Backfill while support workers train saved: £24,000.00/)).toBeVisible();

  await addLine(page, {
    category: 'Training places',
    description: 'Care Certificate and functional skills',
    total: '12000',
    profile: /^Front-loaded/,
  });
  await page.getByRole('button', { name: 'Save plan line' }).click();
  await expect(page.getByText(/Care Certificate and functional skills saved/)).toBeVisible();

  await addLine(page, {
    category: 'Events and engagement',
    description: 'Community of practice events',
    total: '1,200',
    profile: /^Typed in month by month/,
  });
  await page.getByLabel('Jul', { exact: true }).fill('600');
  await page.getByLabel('Oct', { exact: true }).fill('500');
  await page.getByRole('button', { name: 'Save plan line' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText(
    'add up to £1,100.00 but the line total is £1,200.00',
  );
  await page.getByLabel('Oct', { exact: true }).fill('600');
  await page.getByRole('button', { name: 'Save plan line' }).click();
  await expect(page.getByText(/Community of practice events saved/)).toBeVisible();
  const planTotal = page.getByRole('table', { name: /Plan lines phased by month/ }).locator('tfoot');
  await expect(planTotal).toContainText('£37,200.00');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'funding-plan.png'), fullPage: true });

  // Matching rules: cost centre CC100 is backfill; account codes starting 5 are training.
  await tab(page, 'Matching rules');
  await page.getByRole('button', { name: 'Add a matching rule' }).click();
  await page
    .getByLabel('Put matching entries on plan line')
    .selectOption({ label: 'Backfill while support workers train (Backfill)' });
  await page.getByLabel('Cost centre is').fill('CC100');
  await page.getByRole('button', { name: 'Save rule' }).click();
  await expect(page.getByText(/Rule saved/)).toBeVisible();
  await page.getByRole('button', { name: 'Add a matching rule' }).click();
  await page
    .getByLabel('Put matching entries on plan line')
    .selectOption({ label: 'Care Certificate and functional skills (Training places)' });
  await page.locator('#rule-accountMatch').selectOption('prefix');
  await page.getByLabel('Account code value').fill('5');
  await page.getByRole('button', { name: 'Save rule' }).click();
  await expect(page.getByRole('row', { name: /account code starts with 5/ })).toBeVisible();

  // A ledger with a bad amount is refused row by row, and nothing is imported.
  await tab(page, 'Import ledger');
  const bad = path.join(host.dir, 'bad-ledger.csv');
  fs.writeFileSync(
    bad,
    'Date,Cost Centre,Account,Description,Amount\r\n15/04/2021,CC100,4000,Cover,\r\n16/04/2021,CC100,4000,Cover,$12\r\n',
  );
  await page.getByLabel('Ledger file (CSV or Excel .xlsx)').setInputFiles(bad);
  await expect(page.getByTestId('import-errors')).toHaveText('2');
  await expect(page.getByRole('table', { name: 'Rows that cannot be imported' })).toContainText('blank amount');
  await expect(page.getByRole('button', { name: /^Import \d+ rows/ })).toHaveCount(0);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'funding-import-errors.png'), fullPage: true });

  const good = path.join(host.dir, 'ledger-q1-2021-22.csv');
  fs.writeFileSync(good, ledgerCsv());
  await page.getByLabel('Ledger file (CSV or Excel .xlsx)').setInputFiles(good);
  await expect(page.getByTestId('import-rows')).toHaveText('6');
  await expect(page.getByTestId('import-errors')).toHaveText('0');
  await expect(page.getByTestId('import-matched')).toHaveText('5');
  await expect(page.getByTestId('import-unmatched')).toHaveText('1');
  await expect(page.locator('#map-accountCode')).toHaveValue('Subjective');
  await page.getByLabel('Save these columns as (optional)').fill('Trust general ledger');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'funding-import-preview.png'), fullPage: true });
  await page.getByRole('button', { name: 'Import 6 rows' }).click();
  await expect(
    page.getByText(/Imported 6 rows from ledger-q1-2021-22.csv \(£7,730.00\): 5 matched to plan lines, 1 to review/),
  ).toBeVisible();

  // Review: the venue hire matched no rule; allocate it by hand.
  await tab(page, 'Actuals and review');
  const review = page.getByRole('table', { name: /Not allocated/ });
  await expect(review).toContainText('Community of practice venue');
  await page.getByLabel(/Choose Community of practice venue/).check();
  await page
    .getByLabel('Allocate the ticked entries to')
    .selectOption({ label: 'Community of practice events (Events and engagement)' });
  await page.getByRole('button', { name: 'Allocate 1 entry' }).click();
  await expect(page.getByText('1 entry allocated to Community of practice events.')).toBeVisible();
  await expect(page.getByText(/Every entry dated in 2021\/22 is allocated/)).toBeVisible();
  await expect(page.getByRole('row', { name: /Reversal: April cover overcharged/ })).toContainText('-£250.00');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'funding-review.png'), fullPage: true });

  // Overview as at 30 June 2021 (three months closed).
  await tab(page, 'Overview');
  await page.getByLabel('As at').fill('2021-06-30');
  await expect(page.getByText('3 of 12 months closed')).toBeVisible();
  // Everything is as at that day (issue 10, item 14): the screen says so, and unspent is named for the day.
  await expect(page.getByTestId('as-at-note')).toContainText(
    'Actuals and commitments are those dated on or before 30/06/2021',
  );
  await expect(page.getByRole('columnheader', { name: 'Unspent at 30/06/2021' })).toBeVisible();
  await expect(page.getByTestId('total-allocated')).toHaveText('£50,000.00');
  await expect(page.getByTestId('total-planned')).toHaveText('£37,200.00');
  await expect(page.getByTestId('total-actual')).toHaveText('£7,730.00');
  // Plan method: backfill £5,750 + 9 x £2,000 = £23,750; training £1,500 + its remaining plan; events £480 + £1,200.
  const backfill = page.getByRole('row', { name: /^Backfill while support workers train/ }).first();
  await expect(backfill).toContainText('£23,750.00');
  await expect(page.locator('.funding-warnings')).toContainText('left unspent at 31 Mar 2022');
  await expect(page.locator('figure.chart .recharts-wrapper')).toHaveCount(2);
  await expect(page.locator('figure.chart .recharts-line-curve')).toHaveCount(2);
  await expect(page.locator('figure.chart .recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByRole('table', { name: 'Cumulative plan and actual by month' })).toContainText('£7,730.00');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'funding-overview.png'), fullPage: true });

  // Run-rate: £5,750 / 3 x 12 = £23,000 for backfill.
  await page.getByLabel(/^Run-rate/).check();
  await expect(backfill).toContainText('£23,000.00');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export the spend report (Excel)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('funding-report-2021-22-as-at-2021-06-30.xlsx');
  const saved = path.join(host.dir, file.suggestedFilename());
  await file.saveAs(saved);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(saved);
  expect(wb.worksheets.map((w) => w.name)).toEqual([
    'Streams',
    'Plan lines',
    'By month',
    'By category',
    'Ledger',
    'About',
  ]);
  const streams = wb.getWorksheet('Streams')!;
  expect(streams.getRow(2).getCell(6).value).toBe(50000);
  expect(streams.getRow(2).getCell(10).value).toBe(7730);

  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export plan lines (CSV)' }).click();
  expect((await csvDownload).suggestedFilename()).toBe('funding-report-2021-22-as-at-2021-06-30.csv');

  // The command line reads the same database.
  const cli = JSON.parse(
    execFileSync(
      process.execPath,
      [
        'build/scripts/run-node.mjs',
        'cli',
        'funding',
        'report',
        '--year',
        '2021/22',
        '--as-at',
        '2021-06-30',
        '--json',
        '--db',
        host.dbPath,
      ],
      {
        cwd: path.resolve(import.meta.dirname, '../..'),
      },
    ).toString(),
  ) as { totals: { actualPence: number; plannedPence: number } };
  expect(cli.totals).toMatchObject({ actualPence: 773_000, plannedPence: 3_720_000 });
});
