import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { establishmentReport, smallStaffExtract } from '../fixtures/establishment';
import { startTestHost, type TestHost } from './host';

/**
 * Issue 11, item 4: the lead imports a staff extract, then finance's establishment report (tests/fixtures/
 * establishment.ts), matches "Physio Helper" by hand to the Physiotherapy Assistant role, leaves the line for an
 * unknown cost centre out, imports, sees the vacancy on the Summary and undoes the import.
 *   Physiotherapy Assistant in MSK Physio: 2.00 + 1.50 + 0.50 = 4.00 WTE against 3.00 in post: vacancy 1.00.
 *   Therapy Support Worker in Community Therapy: 2.00 against 1.50: vacancy 0.50. Trust: 6.00 - 4.50 = 1.50.
 */

const SCREENSHOTS = path.resolve(import.meta.dirname, '__screenshots__');
let host: TestHost;
test.beforeEach(async () => {
  host = await startTestHost();
});
test.afterEach(async () => {
  await host.stop();
});

test('a lead imports the establishment, matches a line by hand, sees vacancy on the Summary and undoes it', async ({
  page,
}) => {
  const staff = path.join(host.dir, 'staff.csv');
  fs.writeFileSync(staff, smallStaffExtract());
  const report = path.join(host.dir, 'establishment-2026.csv');
  fs.writeFileSync(report, establishmentReport());
  await host.signIn(page.request);
  const organisation = await page.request.post(`${host.origin}/api/settings/organisation-save`, {
    data: {
      name: 'Northshire Community NHS Trust',
      odsCode: 'RX9',
      ics: 'Northshire ICS',
      ahpFaculty: 'Northshire AHP Faculty',
    },
  });
  expect(((await organisation.json()) as { ok: boolean }).ok).toBe(true);
  await page.goto(host.url);
  page.on('dialog', (dialog) => void dialog.accept());

  // The staff extract, through the staff import.
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await page.getByLabel('Choose a staff extract').setInputFiles(staff);
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByRole('button', { name: 'Import 5 rows' }).click();
  await expect(page.getByText(/Imported staff\.csv as import 1/)).toBeVisible();

  // The establishment report: columns guessed.
  await page.getByRole('link', { name: 'Establishment', exact: true }).click();
  await expect(page).toHaveURL(/#\/workforce\/establishment$/);
  await page.getByLabel('Choose an establishment report').setInputFiles(report);
  await expect(page.getByLabel('Funded WTE')).toHaveValue('4');
  await expect(page.getByLabel('Job title or role')).toHaveValue('2');
  await page.getByRole('button', { name: 'Check the file' }).click();
  await expect(page.getByTestId('establishment-matched')).toHaveText('3');
  await expect(page.getByTestId('establishment-unmatched')).toHaveText('2');
  await expect(page.getByTestId('establishment-combined')).toContainText('1 post line is on more than one line');
  await expect(page.getByRole('button', { name: 'Import the establishment' })).toBeDisabled();
  await expect(page.getByTestId('establishment-waiting')).toHaveText(
    'Before importing: match the unmatched lines, or choose to leave them out.',
  );

  // Match "Physio Helper" to the Physiotherapy Assistant role, found by typing.
  const helper = page.getByRole('group', { name: /Role Physio Helper, band 3/ });
  await helper.getByLabel('Find a role for Physio Helper').fill('physiotherapy');
  await helper
    .getByLabel('Match to a role for Physio Helper')
    .selectOption({ label: 'Physiotherapy Assistant (band 3), MSK Physio' });
  await page.getByRole('button', { name: 'Check again with these matches' }).click();
  await expect(page.getByTestId('establishment-matched')).toHaveText('4');
  await expect(page.getByTestId('establishment-unmatched')).toHaveText('1');
  await expect(helper).toContainText('Matched.');
  const vacancy = page.getByTestId('establishment-vacancy');
  await expect(vacancy.getByRole('row', { name: /After this import 6\.00 4\.50 1\.50/ })).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'establishment-check.png'), fullPage: true });

  await page.getByLabel(/Leave the 1 unmatched line out of this import/).check();
  await page.getByRole('button', { name: 'Import the establishment' }).click();
  await expect(page.getByText(/Imported establishment-2026\.csv as establishment import 2/)).toBeVisible();
  await expect(page.getByTestId('establishment-changed')).toHaveText('2');

  // Vacancy for the whole trust on the Summary.
  await page.getByRole('link', { name: 'See vacancy on the Summary' }).click();
  await expect(page.getByTestId('total-establishment')).toHaveText('6.00');
  await expect(page.getByTestId('total-vacancy')).toContainText('1.50');
  const byRole = page.getByRole('table', { name: 'Establishment and vacancy by role' });
  await expect(
    byRole.getByRole('row', { name: /Physiotherapy Assistant \(band 3\) MSK Physio 4\.00 3\.00 1\.00/ }),
  ).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'establishment-summary.png'), fullPage: true });

  // Undo puts the establishments back.
  await page.getByRole('link', { name: 'Establishment', exact: true }).click();
  await page.getByRole('button', { name: /Undo.*establishment import 2/ }).click();
  await expect(page.getByText(/Establishment import 2 \(establishment-2026\.csv\) has been undone/)).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'establishment-undone.png'), fullPage: true });
  await page.getByRole('link', { name: 'Summary', exact: true }).click();
  await expect(page.getByTestId('total-establishment')).toHaveText('0.00');
});
