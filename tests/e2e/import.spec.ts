import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ESR_HEADERS, writeCsvFixture } from '../fixtures/extracts';
import { startTestHost, type TestHost } from './host';

const SCREENSHOTS = path.resolve(import.meta.dirname, '__screenshots__');
let host: TestHost;

test.beforeEach(async () => {
  host = await startTestHost();
});
test.afterEach(async () => {
  await host.stop();
});

/**
 * A hand-made extract for 2022/23:
 *   8 physiotherapy assistants (S9E, band 3, 37.5 h) in post since 1 Apr 2020;
 *   1 OT assistant practitioner (S5C, band 4, 18.75 h) starting 1 Jun 2022;
 *   1 physiotherapy assistant who left on 30 Sep 2022;
 *   1 row with a non-AHP code (N9A) and 1 row with an impossible date.
 * Picture for 2022/23: headcount 9 at the start and 9 at the end, 1 starter, 1 leaver, leaver rate 1 / 9 = 11.1%,
 * stability 8 of 9 in post a year before = 88.9%, FTE 8.50 at the end.
 */
function extractRows(april = false): string[][] {
  const row = (
    n: number,
    code: string,
    band: string,
    hours: string,
    start: string,
    end = '',
    title = 'Physiotherapy Assistant',
    ethnic = 'A White - British',
  ) => [
    String(10_000_000 + n),
    `${10_000_000 + n}-1`,
    title,
    code,
    band,
    hours,
    '',
    start,
    end,
    end ? 'Voluntary resignation' : '',
    '01/01/1985',
    n % 2 ? 'F' : 'M',
    ethnic,
    'No',
    'Therapies',
    'MSK Physio',
  ];
  const rows = [
    ...Array.from({ length: 8 }, (_, i) =>
      row(
        i + 1,
        'S9E',
        'Band 3',
        april && i === 0 ? '30' : '37.5',
        '01/04/2020',
        '',
        'Physiotherapy Assistant',
        i < 3 ? 'H Asian or Asian British - Indian' : 'A White - British',
      ),
    ),
    row(9, 'S5C', 'AfC Band 4', '18.75', '01/06/2022', '', 'OT Assistant Practitioner'),
    row(10, 'S9E', 'Band 3', '37.5', '01/01/2019', '30/09/2022'),
    row(11, 'N9A', 'Band 3', '37.5', '01/01/2019', '', 'Nursing Assistant'),
  ];
  if (!april) rows.push(row(12, 'S9E', 'Band 3', '37.5', '31/02/2021'));
  return [[...ESR_HEADERS], ...rows];
}

async function setUpTrust(page: Page) {
  // Signed in through the page's own request context: the page then shares its session cookie.
  await host.signIn(page.request);
  const response = await page.request.post(`${host.origin}/api/settings/organisation-save`, {
    data: {
      name: 'Northshire Community NHS Trust',
      odsCode: 'RX9',
      ics: 'Northshire ICS',
      ahpFaculty: 'Northshire AHP Faculty',
    },
  });
  expect(((await response.json()) as { ok: boolean }).ok).toBe(true);
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Workforce', level: 1 })).toBeVisible();
}

test('a lead imports an extract through the wizard, sees the picture, re-imports with the profile and undoes it', async ({
  page,
}) => {
  const march = await writeCsvFixture(host.dir, 'staff-march.csv', extractRows(), { encoding: 'windows-1252' });
  const april = await writeCsvFixture(host.dir, 'staff-april.csv', extractRows(true), { encoding: 'utf-8-bom' });
  await setUpTrust(page);

  // 1. Choose the file; the columns are guessed and the required ones marked.
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await page.getByLabel('Choose a staff extract').setInputFiles(march);
  await expect(page.getByRole('table', { name: /Which column holds each item/ })).toBeVisible();
  await expect(page.getByLabel('Employee number')).toHaveValue('0');
  await expect(page.getByLabel('Pay band (Agenda for Change)')).toHaveValue('4');
  await page.getByLabel('Profile name').fill('ESR monthly');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'import-mapping.png'), fullPage: true });

  // 2. Preview: counts, the rejected row with line, column and reason, the non-AHP row.
  await page.getByRole('button', { name: 'Check the file' }).click();
  await expect(page.getByTestId('import-added')).toHaveText('10');
  await expect(page.getByTestId('import-rejected')).toHaveText('1');
  await expect(page.getByTestId('import-excluded')).toHaveText('1');
  const rejected = page.getByRole('table').filter({ hasText: 'Rejected rows' });
  await expect(rejected.getByRole('row', { name: /13 Hire Date "31\/02\/2021" is not a date/ })).toBeVisible();
  await expect(page.getByLabel(/Keep 1 row with code N9A/)).not.toBeChecked();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'import-preview.png'), fullPage: true });
  await expect(page.getByRole('button', { name: 'Import 10 rows' })).toBeDisabled();
  await page.getByLabel(/Import the other 11 rows without the rejected ones/).check();

  // 3. Import, then the result with a link to the picture.
  await page.getByRole('button', { name: 'Import 10 rows' }).click();
  await expect(page.getByText(/Imported staff-march\.csv as import 1/)).toBeVisible();
  await expect(page.getByTestId('import-added')).toHaveText('10');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'import-done.png'), fullPage: true });

  // 4. The picture for 2022/23 shows the hand-worked figures; small counts are marked.
  await page.getByRole('link', { name: 'See the workforce picture' }).click();
  await page.getByLabel('Year (April to March)').selectOption('2022/23');
  await expect(page.getByTestId('picture-headcount-start')).toHaveText('9');
  await expect(page.getByTestId('picture-headcount-end')).toHaveText('9');
  await expect(page.getByTestId('picture-starters')).toContainText('1');
  await expect(page.getByTestId('picture-starters').locator('.small-count')).toBeVisible();
  await expect(page.getByTestId('picture-leavers')).toContainText('1');
  await expect(page.getByTestId('picture-leaver-rate')).toHaveText('11.1%');
  await expect(page.getByTestId('picture-stability')).toHaveText('88.9%');
  await expect(page.getByTestId('picture-fte')).toHaveText('8.50');
  await expect(page.getByTestId('picture-bme')).toHaveText('33.3%');
  const bands = page.getByRole('table', { name: 'Headcount and FTE by profession, band and stage' });
  await expect(bands.getByRole('row', { name: /Physiotherapy 3 Not yet mapped 8 8\.00/ })).toBeVisible();
  await expect(bands.getByRole('row', { name: /Occupational therapy 4 Not yet mapped 1/ })).toBeVisible();
  await expect(page.locator('figure.chart svg.recharts-surface').first()).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'import-picture.png'), fullPage: true });

  // The command line gives the same figures from the same database.
  const cli = JSON.parse(
    execFileSync(
      process.execPath,
      [
        'build/scripts/run-node.mjs',
        'cli',
        'metrics',
        '--from',
        '2022-04-01',
        '--to',
        '2023-03-31',
        '--json',
        '--db',
        host.dbPath,
      ],
      {
        cwd: path.resolve(import.meta.dirname, '../..'),
      },
    ).toString(),
  ) as Record<string, unknown>;
  expect(cli).toMatchObject({
    headcountStart: 9,
    headcountEnd: 9,
    starters: 1,
    leavers: 1,
    leaverRate: 11.1,
    stabilityIndex: 88.9,
  });

  // 5. Next month: choose the file, then "Import with ESR monthly". Two clicks.
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await page.getByLabel('Choose a staff extract').setInputFiles(april);
  await page.getByRole('button', { name: 'Import with ESR monthly' }).click();
  await expect(page.getByText(/Imported staff-april\.csv as import 2/)).toBeVisible();
  await expect(page.getByTestId('import-updated')).toHaveText('1');
  await expect(page.getByTestId('import-unchanged')).toHaveText('9');
  const imports = page.getByRole('table', { name: 'Imports' });
  await expect(imports.getByRole('row')).toHaveCount(3);
  await expect(imports.getByRole('row', { name: /^1 staff-march\.csv/ })).toContainText('Undo import 2 first');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'import-batches.png'), fullPage: true });

  // 6. Undo the April import: the first then becomes undoable again.
  page.once('dialog', (dialog) => void dialog.accept());
  await imports.getByRole('button', { name: 'Undo import 2' }).click();
  await expect(page.getByText('Import 2 (staff-april.csv) has been undone.')).toBeVisible();
  await expect(imports.getByRole('button', { name: 'Undo import 1' })).toBeVisible();

  // 7. The staff list: everyone imported, and a person's record shows their import history.
  await page.getByRole('link', { name: 'Staff', exact: true }).click();
  await expect(page.locator('.staff-scroll caption')).toHaveText('Staff: 10 people');
  await page.getByRole('button', { name: 'Band' }).click();
  await page.getByRole('button', { name: 'Band ▲' }).click();
  await expect(page.locator('.staff-scroll tbody tr').first()).toContainText('OT Assistant Practitioner');
  await page.locator('.staff-scroll tbody tr').first().getByRole('button').click();
  const record = page.getByRole('region', { name: /Staff member [0-9A-F]{8}/ });
  await expect(record.getByRole('table').filter({ hasText: 'Import history' })).toContainText('staff-march.csv');
  await expect(record.getByRole('table').filter({ hasText: 'Import history' })).toContainText('Added this person');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'import-staff.png'), fullPage: true });
});

test('a file with only a header is refused, with the reason', async ({ page }) => {
  await setUpTrust(page);
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  const bad = await writeCsvFixture(host.dir, 'only-header.csv', [[...ESR_HEADERS]]);
  await page.getByLabel('Choose a staff extract').setInputFiles(bad);
  await expect(page.getByText(/only-header\.csv: The file has a header row \(line 1\) but no data rows/)).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'import-refused.png'), fullPage: true });
});
