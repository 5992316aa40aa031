import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import { startTestHost, type TestHost } from './host';

const SCREENSHOTS = path.resolve(import.meta.dirname, '__screenshots__');
let host: TestHost;

test.beforeEach(async () => {
  host = await startTestHost();
});
test.afterEach(async () => {
  await host.stop();
});

test('vacancy says what it covers; the picture defines its figures and downloads its tables', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Load the synthetic demo trust' }).click();
  await expect(page.locator('.tag--demo')).toHaveText('Synthetic demo data');
  await expect(page.getByTestId('vacancy-coverage')).toHaveText(
    /^Vacancy covers all 46 post lines, each with an establishment set: [\d,.]+ FTE in post\.$/,
  );

  // One role loses its establishment: vacancy leaves it out, and says so (issue 10, item 13).
  await page.getByRole('link', { name: 'Roles', exact: true }).click();
  await page.getByLabel('Search').fill('podiatry assistant');
  await page.getByRole('button', { name: /^Change Podiatry assistant \(band/ }).click();
  // It is in two services: both post lines lose their establishment.
  const fields = page.getByLabel(/^Establishment FTE in /);
  await expect(fields).toHaveCount(2);
  for (const field of await fields.all()) await field.fill('0');
  await page.getByRole('button', { name: 'Save role' }).click();
  await expect(page.getByText(/^Podiatry assistant saved: 0\.00 FTE establishment in 2 services\.$/)).toBeVisible();
  await expect(page.getByRole('button', { name: /^Change Podiatry assistant \(band/ })).toBeFocused();
  await page.getByRole('link', { name: 'Summary', exact: true }).click();
  await expect(page.getByTestId('vacancy-coverage')).toHaveText(
    /^Vacancy covers the 44 of 46 post lines with an establishment set: [\d,.]+ of [\d,.]+ FTE in post \(\d+\.\d%\)\.$/,
  );
  await expect(page.getByRole('status').filter({ hasText: 'Vacancy covers' })).toContainText(
    'Set the establishment of the other post lines on the Roles tab, or import it on the Establishment tab.',
  );
  const podiatry = page
    .getByRole('table', { name: 'Establishment and vacancy by role' })
    .getByRole('row', { name: /Podiatry assistant \(band 3\)/ });
  await expect(podiatry).toContainText('(no establishment set)');
  // The same by service and by role in a service.
  await page.getByRole('radio', { name: 'Role in a service' }).check();
  await expect(
    page
      .getByRole('table', { name: 'Establishment and vacancy by role in a service' })
      .getByRole('row', { name: /Podiatry assistant\b(?! practitioner)/ })
      .first(),
  ).toContainText('(no establishment set)');
  await page.getByRole('radio', { name: 'Service', exact: true }).check();
  await expect(page.getByRole('table', { name: 'Establishment and vacancy by service' })).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'summary-vacancy-coverage.png'), fullPage: true });

  // The picture: definitions beside the figures (item 17), the same coverage, and the downloads.
  await page.getByRole('link', { name: 'Picture', exact: true }).click();
  const definitions = page.getByRole('region', { name: 'What these figures mean' });
  await expect(definitions).toContainText('Starter');
  await expect(definitions).toContainText(/Someone not in post on \d\d\/\d\d\/\d{4}, the day before the period/);
  await expect(definitions).toContainText('Moving from one role to another makes nobody a starter or a leaver.');
  await expect(definitions).toContainText('Leaver rate');
  await expect(definitions).toContainText('Stability index');
  await expect(page.getByTestId('vacancy-coverage')).toContainText('Vacancy covers the 44 of 46 post lines');
  const byService = page.getByRole('table', { name: 'Vacancy by service' });
  await expect(byService.getByRole('row', { name: /^Podiatry / })).toContainText('2 of 3 post lines');
  await expect(byService.getByRole('row', { name: /^Community rehabilitation / })).toContainText('9 of 10 post lines');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'picture-definitions.png'), fullPage: true });

  const xlsxDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: "Download the picture's tables (Excel)" }).click();
  const xlsx = await xlsxDownload;
  expect(xlsx.suggestedFilename()).toMatch(/^workforce-picture-\d{4}-04-01-to-\d{4}-03-31\.xlsx$/);
  const saved = path.join(host.dir, xlsx.suggestedFilename());
  await xlsx.saveAs(saved);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(saved);
  expect(wb.worksheets.map((w) => w.name)).toContain('Starters and leavers');
  expect(wb.worksheets.at(-1)!.name).toBe('About');
  expect(String(wb.getWorksheet('Starters and leavers')!.getRow(1).getCell(1).value)).toMatch(
    /^Counts are not protected for publication/,
  );
  await expect(page.getByText(`${xlsx.suggestedFilename()} created.`)).toBeVisible();

  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: "Download the picture's tables (CSV)" }).click();
  const csv = await csvDownload;
  const csvPath = path.join(host.dir, csv.suggestedFilename());
  await csv.saveAs(csvPath);
  const lines = fs
    .readFileSync(csvPath, 'utf8')
    .replace(/^\uFEFF/, '')
    .split('\r\n');
  expect(lines[0]).toMatch(/^"?Counts are not protected for publication/);
  expect(lines[1]).toBe('Table,Group,Measure,Value,Small (1 to 7)');
  expect(lines.some((l) => l.startsWith('Headline figures,Starters,Headcount,'))).toBe(true);
});
