import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ESR_HEADERS, writeCsvFixture } from '../fixtures/extracts';
import { startTestHost, type TestHost } from './host';

/**
 * The check screen (issue 10, item 17): 125 identical warnings are one line with a count, expandable to their
 * lines; a file imported before (same SHA-256) is said to be so before anything else, and "Import with" a profile
 * then stops at the check screen instead of importing it again at once.
 */

let host: TestHost;
test.beforeEach(async () => {
  host = await startTestHost();
});
test.afterEach(async () => {
  await host.stop();
});

async function setUpTrust(page: Page) {
  // Signed in as the page is (a one-off code exchanged for a cookie), or with the start's token where the host
  // still hands one out.
  const h = host as unknown as { signIn?: (request: APIRequestContext) => Promise<void>; token?: string };
  if (h.signIn) await h.signIn(page.request);
  const response = await page.request.post(`${host.origin}/api/settings/organisation-save`, {
    data: { name: 'Northshire Community NHS Trust', odsCode: 'RX9', ics: 'Northshire ICS', ahpFaculty: 'Northshire' },
    ...(h.signIn ? {} : { headers: { Authorization: `Bearer ${h.token ?? ''}` } }),
  });
  expect(((await response.json()) as { ok: boolean }).ok).toBe(true);
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Workforce', level: 1 })).toBeVisible();
}

/** 125 physiotherapy assistants on band 5 (each warned about), and one on band 3. */
function rows(): string[][] {
  const row = (n: number, band: string) => [
    String(20_000_000 + n),
    `${20_000_000 + n}-1`,
    'Physiotherapy Assistant',
    'S9E',
    band,
    '37.5',
    '',
    '01/04/2020',
    '',
    '',
    '01/01/1985',
    'F',
    'A White - British',
    'No',
    'Therapies',
    'MSK Physio',
  ];
  return [[...ESR_HEADERS], row(0, 'Band 3'), ...Array.from({ length: 125 }, (_, i) => row(i + 1, 'Band 5'))];
}

test('identical warnings are one line with a count; a file imported before is named first', async ({ page }) => {
  await setUpTrust(page);
  const file = await writeCsvFixture(host.dir, 'band-5.csv', rows());
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await page.getByLabel('Choose a staff extract').setInputFiles(file);
  await expect(page.getByTestId('already-imported')).toHaveCount(0);
  await page.getByLabel('Profile name').fill('ESR monthly');
  await page.getByRole('button', { name: 'Check the file' }).click();

  const warnings = page.getByRole('table').filter({ hasText: 'Warnings (imported, but please check)' });
  await expect(warnings.locator('caption')).toHaveText('Warnings (imported, but please check) (125, 1 different)');
  await expect(warnings.locator('tbody tr')).toHaveCount(1);
  const lines = warnings.locator('details.issue-lines');
  await expect(lines.locator('summary')).toHaveText('125 lines');
  await expect(lines.locator('span')).toBeHidden();
  await lines.locator('summary').click();
  await expect(lines.locator('span')).toContainText('3, 4, 5');
  await expect(lines.locator('span')).toContainText('127');
  await page.getByRole('button', { name: 'Import 126 rows' }).click();
  await expect(page.getByText(/Imported band-5\.csv as import 1/)).toBeVisible();

  // The same file again: said first, on the columns screen and on the check screen; no import happens by itself.
  await page.getByRole('button', { name: 'Import another file' }).click();
  await page.getByLabel('Choose a staff extract').setInputFiles(file);
  const notice = page.getByTestId('already-imported');
  await expect(notice).toHaveText(
    /^This exact file \(same SHA-256\) has already been imported, as import 1 \(band-5\.csv, \d+ \w+ \d{4}, by .+\)\./,
  );
  await page.getByRole('button', { name: 'Import with ESR monthly' }).click();
  const preview = page.getByText('Nothing has changed yet.', { exact: false });
  await expect(preview).toBeVisible();
  await expect(notice).toBeVisible();
  // Before anything else on the check screen.
  expect((await notice.boundingBox())!.y).toBeLessThan((await preview.boundingBox())!.y);
  await expect(page.getByTestId('import-unchanged')).toHaveText('126');
});
