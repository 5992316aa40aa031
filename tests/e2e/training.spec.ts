import path from 'node:path';
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

const area = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main areas' }).getByRole('link', { name, exact: true }).click();
const tab = (page: Page, nav: string, name: string) =>
  page.getByRole('navigation', { name: nav }).getByRole('link', { name, exact: true }).click();

test('education rules say which level they mean; the TNA costs later years at the latest pay and takes a new year; the audit trail groups a bulk action', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Load the synthetic demo trust' }).click();
  await expect(page.locator('.tag--demo')).toHaveText('Synthetic demo data');

  // A bulk action to find in the audit trail later: the suggestions accepted for the 4 demo roles not yet mapped.
  await area(page, 'Roles & framework');
  await page.getByLabel('Select all roles shown').check();
  await page.getByRole('button', { name: 'Accept suggestions for selected roles' }).click();
  await expect(page.getByText(/^Updated 4 roles\./)).toBeVisible();

  // 1. The rules as a table, with both kinds of level named.
  await area(page, 'Gap analysis');
  const rules = page.getByTestId('education-requirements');
  const ap = rules.getByRole('row', { name: /Assistant Practitioner/ });
  await expect(ap).toContainText('Career framework level 4');
  await expect(ap).toContainText('RQF level 5 qualification');
  await expect(ap).toContainText('Care Certificate (all 15 standards)');
  await expect(rules.getByRole('row', { name: /Entry level/ })).toContainText('Career framework level 2');

  // 2. Training needs: the title's label points at the title box; only bands with pay points are offered.
  await tab(page, 'Gap analysis', 'Training needs');
  await page.getByRole('button', { name: 'Add a training need' }).click();
  const title = page.getByLabel('Title', { exact: true });
  await expect(title).toHaveJSProperty('tagName', 'INPUT');
  await title.fill('Care Certificate for bank staff');
  await expect(page.getByLabel('Backfill band').locator('option')).toHaveText(['Band 2', 'Band 3', 'Band 4']);
  await page.getByLabel('Cohort size').fill('4');
  await page.getByLabel('Target quarter').fill('2026/27 Q2');
  await page.getByLabel('Tuition per person (£)').fill('0');
  await page.getByLabel('Backfill weeks per person').fill('2');
  await page.getByLabel('Backfill band').selectOption('3');
  // Hand-worked (pence): 2025/26 band 3 entry 2,493,700 x 1 FTE x 2 / 52 x 4 = 383,646.15 -> £3,836.46, no on-cost.
  await expect(page.getByTestId('tna-estimate')).toHaveText(
    'Estimate: tuition £0.00 + backfill £3,836.46 + on-cost £0.00 = £3,836.46',
  );
  await expect(page.getByTestId('tna-estimate-pay')).toContainText(
    '2025/26 pay used for 2026/27: no later pay scale entered',
  );
  await page.getByRole('button', { name: 'Save training need' }).click();
  // The demo's five training needs are all costed at their own year's pay; this one is the only new cost.
  const item = page.getByTestId('tna-table').getByRole('row', { name: /Care Certificate for bank staff/ });
  await expect(item.getByTestId('tna-item-total')).toHaveText('£3,836.46');
  await expect(page.getByTestId('tna-pay-notes')).toContainText(
    '2025/26 pay used for 2026/27: no later pay scale entered',
  );
  const payTable = page.getByTestId('tna-pay-table');
  await expect(payTable.getByRole('row')).toHaveCount(6); // header + 2021/22 to 2025/26
  await expect(payTable.getByRole('row', { name: /2025\/26/ })).toContainText('£24,937 to £26,598');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'training-tna-latest-pay.png'), fullPage: true });

  // 3. The lead adds 2026/27 (made-up figures): band 3 entry £25,836 -> 2,583,600 x 2 / 52 x 4 = 397,476.92 -> £3,974.77.
  await page.getByRole('button', { name: "Add a year's pay points" }).click();
  await expect(page.getByLabel('Pay year')).toHaveValue('2026/27');
  await page.getByLabel('Source').fill('NHS Employers pay scales 2026/27 (test figures)');
  const amounts: [string, string][] = [
    ['Band 2 entry step (£ a year)', '25346'],
    ['Band 2 top step (£ a year)', '25346'],
    ['Band 3 entry step (£ a year)', '25836'],
    ['Band 3 top step (£ a year)', '27556'],
    ['Band 4 entry step (£ a year)', '28475'],
    ['Band 4 top step (£ a year)', '31248'],
  ];
  for (const [label, value] of amounts) await page.getByLabel(label).fill(value);
  await page.getByRole('button', { name: 'Save pay points and re-cost every item' }).click();
  await expect(page.getByText('2026/27 pay points saved; every item was re-costed.')).toBeVisible();
  await expect(item.getByTestId('tna-item-total')).toHaveText('£3,974.77');
  await expect(page.getByTestId('tna-pay-notes')).toHaveCount(0);
  await expect(payTable.getByRole('row', { name: /2026\/27/ })).toContainText('Entered by');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'training-tna-pay-added.png'), fullPage: true });

  // 4. The audit trail: the 4 mappings are one entry, expandable; filters by area.
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  const trail = page.getByTestId('audit-table');
  await expect(trail).toContainText('Agenda for Change pay: pay year 2026/27 added');
  await expect(trail).toContainText('Pay: band 2 entry: £25,346.00');
  await expect(trail).toContainText('Training needs: Care Certificate for bank staff changed');
  await expect(trail).toContainText('Total: £3,836.46 → £3,974.77');
  const bulk = trail.getByRole('row', { name: /Role mapping: 4 roles mapped/ });
  await expect(bulk).toHaveAttribute('data-count', '4');
  await bulk.getByText('Show the 4 changes').click();
  await expect(bulk.locator('ol.audit-rows > li')).toHaveCount(4);
  await expect(bulk).toContainText('Stage: ');
  await expect(bulk.locator('ol.audit-rows > li').filter({ hasText: /^Orthotic technician/ })).toHaveCount(1);
  await page.getByLabel('Area', { exact: true }).selectOption({ label: 'Role mapping' });
  // Header, this bulk entry, and the demo load's two: 27 roles mapped, then 7 of them agreed.
  await expect(trail.getByRole('row')).toHaveCount(4);
  await expect(trail.getByRole('row', { name: /Role mapping: 27 roles mapped/ })).toHaveAttribute('data-count', '27');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'training-audit-trail.png'), fullPage: true });
});
