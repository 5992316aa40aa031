import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startTestHost, type TestHost } from './host';

const SHOTS = '/tmp/returns-e2e';
let host: TestHost;

test.beforeEach(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  host = await startTestHost();
});
test.afterEach(async () => {
  await host.stop();
});

const step = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Steps of this return' }).getByRole('link', { name, exact: true }).click();

async function download(page: Page, name: string, ext: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  expect(file.suggestedFilename()).toMatch(new RegExp(`\\.${ext}$`));
  expect(file.suggestedFilename()).toContain('XDEMO');
  const saved = path.join(SHOTS, file.suggestedFilename());
  await file.saveAs(saved);
  const bytes = fs.readFileSync(saved);
  expect(bytes.length).toBeGreaterThan(0);
  return bytes;
}

test('a lead builds the 2025/26 return, checks it, writes the readiness section, previews it, signs it off, exports it, corrects it and compares', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Load the synthetic demo trust' }).click();
  await expect(page.locator('.tag--demo')).toHaveText('Synthetic demo data');

  await page
    .getByRole('navigation', { name: 'Main areas' })
    .getByRole('link', { name: 'Returns', exact: true })
    .click();
  await expect(page.getByRole('heading', { name: 'Returns', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle('Returns – AHP Support Workforce Planner');
  await expect(page.getByTestId('returns-list')).toContainText('No returns yet');

  // Start: the as-at date follows the period chosen.
  await page.getByLabel('Period').selectOption({ label: '2025/26 quarter 2 (July to September)' });
  await expect(page.getByLabel('Figures as at')).toHaveValue('2025-09-30');
  await page.getByLabel('Period').selectOption({ label: '2025/26 (whole year)' });
  await expect(page.getByLabel('Figures as at')).toHaveValue('2026-03-31');
  await page.getByRole('button', { name: 'Start the return' }).click();

  // Checks: no errors for the demo trust; the warnings are listed.
  await expect(page.getByRole('heading', { name: /Return for 2025\/26/, level: 1 })).toBeVisible();
  await expect(page.getByTestId('return-status')).toHaveText('Draft');
  await expect(page).toHaveTitle(/^Checks – Return 2025\/26 version 1 – Returns – AHP Support Workforce Planner$/);
  await expect(page.getByTestId('return-no-errors')).toBeVisible();
  await expect(page.getByTestId('return-audit')).toContainText('Passed');
  await expect(page.getByTestId('return-warnings')).toContainText('Readiness and actions');
  await page.screenshot({ path: path.join(SHOTS, 'returns-checks.png'), fullPage: true });

  // Readiness: a RAG status, what was done, a next action with owner and date, risks.
  await step(page, 'Readiness and actions');
  const scope = page.getByRole('group', { name: 'Scope the current workforce supporting AHP services' });
  await scope.getByRole('radio', { name: /^Green/ }).check();
  await scope.getByLabel('What was done').fill('Workforce scoped from ESR and the rota system; 27 of 31 roles mapped.');
  await scope.getByRole('button', { name: /Add a next action/ }).click();
  await scope.getByLabel('Action 1', { exact: true }).fill('Agree the last four role mappings');
  await scope.getByLabel('Owner of action 1').fill('AHP faculty lead');
  await scope.getByLabel('Action 1 due by').fill('2026-06-30');
  await scope.getByLabel('Risks').fill('Service managers have little time in Q1.');
  await page.getByRole('button', { name: 'Save readiness and actions' }).click();
  await expect(page.getByText('Readiness and actions saved')).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'returns-readiness.png'), fullPage: true });

  // Preview: the publication version hides small numbers and says why, in text as well as on screen.
  await step(page, 'Preview');
  await expect(page.getByTestId('hidden-legend')).toContainText('1 to 7');
  const sections = page.getByTestId('return-sections');
  await expect(sections.getByRole('heading', { name: 'H. Readiness and actions' })).toBeVisible();
  await expect(sections).toContainText('Agree the last four role mappings');
  const primary = sections.locator('[data-status="suppressed-primary"]').first();
  await expect(primary).toContainText('[c]');
  await expect(primary.locator('.visually-hidden')).toHaveText('hidden: 1 to 7');
  await expect(page.getByTestId('return-hidden-count')).toContainText('cells are hidden');
  await expect(page.getByTestId('return-marking')).toHaveCount(0);
  await page.screenshot({ path: path.join(SHOTS, 'returns-preview-publication.png'), fullPage: true });
  await primary.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, 'returns-preview-hidden-cells.png') });
  await page.getByLabel(/ICS data-sharing version/).check();
  await expect(page.getByTestId('return-marking')).toContainText(
    'OFFICIAL-SENSITIVE: for the ICS under its data-sharing agreement',
  );
  await expect(sections.locator('[data-status]')).toHaveCount(0);
  await page.screenshot({ path: path.join(SHOTS, 'returns-preview-exact.png') });
  await page.getByLabel(/Publication version/).check();

  // Sign-off waits for the warnings; they are acknowledged one by one with a reason.
  await step(page, 'Sign off and send');
  await expect(page.getByText(/Acknowledge them with a reason/)).toBeVisible();
  await step(page, 'Checks');
  await page.getByRole('button', { name: 'Accept the warnings and run the checks' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Say why the return can go ahead');
  for (const box of await page.getByRole('checkbox', { name: /I have read warning/ }).all()) await box.check();
  await page
    .getByLabel('Why the return can go ahead with these warnings')
    .fill('Draft roles are agreed at the June workforce group; funding lines are allocated in Q1.');
  await page.getByRole('button', { name: 'Accept the warnings and run the checks' }).click();
  await expect(page.getByTestId('return-status')).toHaveText('Checked');

  await step(page, 'Sign off and send');
  await page.getByRole('button', { name: 'Sign off the return' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText('Enter the name');
  await page.getByLabel('Your name').fill('Alex Morgan');
  await page.getByLabel('Your role').fill('AHP faculty lead');
  await page.getByLabel(/I confirm the return for 2025\/26/).check();
  await page.getByRole('button', { name: 'Sign off the return' }).click();
  await expect(page.getByTestId('return-status')).toHaveText('Signed off');
  await expect(page.getByTestId('return-hash')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(page.getByTestId('return-previous-hash')).toContainText('None');
  const firstHash = (await page.getByTestId('return-hash').textContent())!;
  await page.screenshot({ path: path.join(SHOTS, 'returns-signed.png'), fullPage: true });

  await download(page, 'Download the return (Excel)', 'xlsx');
  const csv = (await download(page, 'Download the return (CSV)', 'csv')).toString('utf8');
  expect(csv.replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toBe(
    'ods_code,period,version,section,table,row_dimension,row,column_dimension,column,measure,value,status',
  );
  expect(csv).toContain('suppressed-primary');
  const json = JSON.parse((await download(page, 'Download the return (JSON)', 'json')).toString('utf8')) as {
    schemaVersion: number;
  };
  expect(json.schemaVersion).toBe(1);
  const pdf = await download(page, 'Download the return (PDF)', 'pdf');
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

  await expect(page.getByLabel('Date sent')).not.toHaveValue('');
  await page.getByRole('button', { name: 'Mark as sent' }).click();
  await expect(page.getByTestId('return-status')).toHaveText('Sent');

  // Later the ICS asks for counts up to 10 to be hidden: a correction is a new version of the same period, with its
  // reason, built with the new threshold; then the two versions are compared.
  await page.getByRole('link', { name: 'Back to returns' }).click();
  await page.getByText('Small-number threshold').click();
  await page.getByLabel('Hide counts from 1 to').fill('10');
  await page.getByRole('button', { name: 'Save the threshold' }).click();
  await expect(page.getByText('Counts from 1 to 10 will be hidden')).toBeVisible();
  await page.getByRole('link', { name: /2025\/26 version 1/ }).click();
  await step(page, 'Sign off and send');
  await page.getByRole('button', { name: 'Make a corrected version' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText('Say why');
  await page.getByLabel('Reason for the correction').fill('The ICS now hides counts up to 10.');
  await page.getByRole('button', { name: 'Make a corrected version' }).click();
  await expect(page.getByRole('heading', { name: /Return for 2025\/26 version 2/, level: 1 })).toBeVisible();
  await expect(page.getByTestId('return-summary')).toContainText('The ICS now hides counts up to 10.');

  await step(page, 'Readiness and actions');
  const scope2 = page.getByRole('group', { name: 'Scope the current workforce supporting AHP services' });
  await scope2.getByRole('radio', { name: /^Amber/ }).check();
  await page.getByRole('button', { name: 'Save readiness and actions' }).click();
  await expect(page.getByText('Readiness and actions saved')).toBeVisible();

  await step(page, 'Compare versions');
  await expect(page.getByLabel('Compare this version with')).toContainText('2025/26 version 1');
  await expect(page.getByTestId('compare-summary')).toContainText('From 2025/26 version 1 to 2025/26 version 2');
  await expect(page.getByTestId('compare-summary')).toContainText('0 cells changed');
  await page
    .getByLabel('Figures compared')
    .selectOption({ label: 'Publication version (as published, hidden cells included)' });
  const changed = page.getByTestId('compare-cells');
  await expect(changed.locator('td.return-changed').first()).toContainText('Changed to');
  await expect(page.getByRole('table', { name: 'Text that changed' })).toContainText(
    'Scope the current workforce supporting AHP services: RAG status',
  );
  await page.screenshot({ path: path.join(SHOTS, 'returns-compare.png'), fullPage: true });

  // The list shows both versions; the first keeps its hash and who signed it.
  await page.getByRole('link', { name: 'Back to returns' }).click();
  const list = page.getByTestId('returns-list');
  await expect(list.getByRole('row')).toHaveCount(3);
  await expect(list).toContainText(firstHash.slice(0, 12));
  await expect(list).toContainText('Alex Morgan, AHP faculty lead');
  await page.screenshot({ path: path.join(SHOTS, 'returns-list.png'), fullPage: true });

  // A draft can be deleted.
  await page.getByRole('link', { name: /2025\/26 version 2/ }).click();
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Delete this draft' }).click();
  await expect(page.getByRole('heading', { name: 'Returns', level: 1 })).toBeVisible();
  await expect(page.getByTestId('returns-list').getByRole('row')).toHaveCount(2);
});
