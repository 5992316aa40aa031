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

const area = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main areas' }).getByRole('link', { name, exact: true }).click();
const tab = (page: Page, nav: string, name: string) =>
  page.getByRole('navigation', { name: nav }).getByRole('link', { name, exact: true }).click();

/** Six physiotherapy assistants (S9E, band 3) in post since 2020: employee numbers 20000001 to 20000006. */
const staffRows = (): string[][] => [
  [...ESR_HEADERS],
  ...Array.from({ length: 6 }, (_, i) => {
    const n = String(20_000_001 + i);
    return [
      n,
      `${n}-1`,
      'Physiotherapy Assistant',
      'S9E',
      'Band 3',
      '37.5',
      '',
      '01/04/2020',
      '',
      '',
      '01/01/1990',
      'F',
      'A White - British',
      'No',
      'Therapies',
      'MSK Physio',
    ];
  }),
];

/**
 * Training records for three of them and a stranger. Hand-worked against the intermediate stage (band 3):
 *   20000001: Level 3 Diploma + Functional Skills English and maths level 2 -> meets;
 *   20000002: Senior Healthcare Support Worker apprenticeship in progress -> partly;
 *   20000003: Fire Safety only -> not a qualification, left out: still unknown;
 *   99999999: matches nobody.
 * So of 6 people: 1 meets, 1 partly, 4 unknown.
 */
const recordRows = (): string[][] => [
  ['Employee Number', 'Course Title', 'Level', 'Status', 'Start Date', 'Date Completed'],
  ['20000001', 'Level 3 Diploma in Healthcare Support', '', 'Completed', '01/09/2022', '30/06/2023'],
  ['20000001', 'Functional Skills English', 'Level 2', 'Passed', '', '01/02/2021'],
  ['20000001', 'Functional Skills Maths', 'Level 2', 'Passed', '', '01/02/2021'],
  ['20000002', 'Senior Healthcare Support Worker apprenticeship', '', 'In progress', '01/09/2025', ''],
  ['20000003', 'Fire Safety Awareness', '', 'Completed', '', '01/01/2026'],
  ['99999999', 'Care Certificate', '', 'Completed', '', '01/01/2026'],
];

test('a lead imports training records, the gaps are no longer all unknown, finds a person by staff number, and undoes the import', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const staff = await writeCsvFixture(host.dir, 'staff.csv', staffRows());
  const records = await writeCsvFixture(host.dir, 'olm-march.csv', recordRows(), { encoding: 'utf-8-bom' });
  await host.signIn(page.request);
  const response = await page.request.post(`${host.origin}/api/settings/organisation-save`, {
    data: { name: 'Northshire Community NHS Trust', odsCode: 'RX9', ics: 'Northshire ICS', ahpFaculty: 'Northshire' },
  });
  expect(((await response.json()) as { ok: boolean }).ok).toBe(true);
  await page.goto(host.url);

  // The staff come first, through the staff import, and their role is mapped (band 3 -> intermediate).
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await page.getByLabel('Choose a staff extract').setInputFiles(staff);
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByRole('button', { name: 'Import 6 rows' }).click();
  await expect(page.getByText(/Imported staff\.csv as import 1/)).toBeVisible();
  await area(page, 'Roles & framework');
  await page.getByLabel('Select all roles shown').check();
  await page.getByRole('button', { name: 'Accept suggestions for selected roles' }).click();
  await expect(page.getByText('Updated 1 role.')).toBeVisible();

  // Before: nobody has a qualification recorded, so every gap is unknown.
  await area(page, 'Gap analysis');
  await expect(page.getByTestId('gaps-people')).toHaveText('6');
  await expect(page.getByTestId('gaps-unknown')).toHaveText('6');

  // 1. Choose the file: the columns are guessed.
  await tab(page, 'Gap analysis', 'Import training records');
  await page.getByLabel('Choose a training records extract').setInputFiles(records);
  await expect(page.getByRole('table', { name: /Which column holds each item/ })).toBeVisible();
  await expect(page.getByLabel('Employee number')).toHaveValue('0');
  await expect(page.getByLabel('Course or qualification')).toHaveValue('1');
  await expect(page.getByLabel('Completion date')).toHaveValue('5');
  await page.getByLabel('Profile name').fill('OLM monthly');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'training-records-mapping.png'), fullPage: true });

  // 2. Check: counts, what each course becomes, and the staff number that matches nobody (counted, never shown).
  await page.getByRole('button', { name: 'Check the file' }).click();
  await expect(page.getByTestId('records-added')).toHaveText('4');
  await expect(page.getByTestId('records-unmatched')).toHaveText('1');
  await expect(page.getByTestId('records-left-out')).toHaveText('1');
  await expect(
    page.getByText(/1 row has a staff number that matches nobody in this database \(line 7\)\./),
  ).toBeVisible();
  await expect(page.getByText('99999999')).toHaveCount(0);
  const courses = page.getByRole('table', { name: 'Courses' });
  await expect(courses.getByLabel('Recorded as, for Senior Healthcare Support Worker apprenticeship')).toHaveValue(
    JSON.stringify({ kind: 'apprenticeship', standard: 'ST0217' }),
  );
  await expect(courses.getByLabel('Recorded as, for Fire Safety Awareness')).toHaveValue(
    JSON.stringify({ kind: 'not-a-qualification' }),
  );
  await page.screenshot({ path: path.join(SCREENSHOTS, 'training-records-check.png'), fullPage: true });
  const importButton = page.getByRole('button', { name: 'Import 4 records' });
  await expect(importButton).toBeDisabled();
  await page.getByLabel(/Import the records of the people found, without this row/).check();

  // 3. Import.
  await importButton.click();
  await expect(
    page.getByText(/Imported olm-march\.csv as import 2: 4 records added and 0 updated for 2 people/),
  ).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'training-records-done.png'), fullPage: true });

  // 4. The gap analysis is no longer all unknown: 1 meets, 1 partly, 4 unknown.
  await page.getByRole('link', { name: 'See the gap analysis' }).click();
  await expect(page.getByTestId('gaps-meets')).toHaveText('1');
  await expect(page.getByTestId('gaps-partly')).toHaveText('1');
  await expect(page.getByTestId('gaps-unknown')).toHaveText('4');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'training-records-gaps.png'), fullPage: true });

  // 5. Find a person by staff number on the Staff page: their record opens; the number is not kept in the box.
  await area(page, 'Workforce');
  await page.getByRole('link', { name: 'Staff', exact: true }).click();
  await page.getByLabel('Find by employee or assignment number').fill('20000002-1');
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await expect(page.getByText(/Found staff member [0-9A-F]{8} by assignment number/)).toBeVisible();
  await expect(page.getByLabel('Find by employee or assignment number')).toHaveValue('');
  const record = page.getByRole('region', { name: /Staff member [0-9A-F]{8}/ });
  await expect(record).toContainText('ST0217');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'training-records-find.png'), fullPage: true });
  await page.getByLabel('Find by employee or assignment number').fill('12345678');
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await expect(page.getByText(/Nobody in this database has that employee or assignment number/)).toBeVisible();

  // 6. Undo the import: every gap is unknown again.
  await area(page, 'Gap analysis');
  await tab(page, 'Gap analysis', 'Import training records');
  const imports = page.getByRole('table', { name: 'Training records imports' });
  page.once('dialog', (dialog) => void dialog.accept());
  await imports.getByRole('button', { name: 'Undo import 2' }).click();
  await expect(page.getByText('Import 2 (olm-march.csv) has been undone.')).toBeVisible();
  await tab(page, 'Gap analysis', 'Summary');
  await expect(page.getByTestId('gaps-unknown')).toHaveText('6');
});

test('a training records file with only a header, or without a course column, is refused with the reason', async ({
  page,
}) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Load the synthetic demo trust' }).click();
  await expect(page.locator('.tag--demo')).toHaveText('Synthetic demo data');
  await area(page, 'Gap analysis');
  await tab(page, 'Gap analysis', 'Import training records');
  const header = await writeCsvFixture(host.dir, 'only-header.csv', [recordRows()[0]!]);
  await page.getByLabel('Choose a training records extract').setInputFiles(header);
  await expect(page.getByText(/only-header\.csv: The file has a header row \(line 1\) but no data rows/)).toBeVisible();
  const noCourse = await writeCsvFixture(host.dir, 'no-course.csv', [
    ['Employee Number', 'Status'],
    ['20000001', 'Completed'],
  ]);
  await page.getByLabel('Choose a training records extract').setInputFiles(noCourse);
  await expect(page.getByText('Still to choose: Course or qualification.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Check the file' })).toBeDisabled();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'training-records-refused.png'), fullPage: true });
});
