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

test('the demo trust shows every area of the app filled in, and says it is synthetic', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Load the synthetic demo trust' }).click();
  await expect(page.locator('.tag--demo')).toHaveText('Synthetic demo data');
  await expect(page.locator('.header__org')).toContainText('Demo Valley NHS Foundation Trust (synthetic)');
  await expect(page.getByTestId('total-headcount')).not.toHaveText('0');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-summary.png'), fullPage: true });

  await area(page, 'Roles & framework');
  await expect(page.getByTestId('roles-total')).toHaveText('31');
  await expect(page.getByTestId('roles-mapped')).toHaveText('27');
  await expect(page.getByTestId('roles-agreed')).toHaveText('7');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-roles-framework.png'), fullPage: true });

  await page
    .getByRole('navigation', { name: 'Roles and the framework' })
    .getByRole('link', { name: 'Career pathways', exact: true })
    .click();
  await expect(page.getByRole('heading', { name: 'Therapy support worker to physiotherapist' })).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-pathways.png'), fullPage: true });

  await area(page, 'Gap analysis');
  const people = Number((await page.getByTestId('gaps-people').textContent())!.replace(/,/g, ''));
  const unknown = Number((await page.getByTestId('gaps-unknown').textContent())!.replace(/,/g, ''));
  const meets = Number((await page.getByTestId('gaps-meets').textContent())!.replace(/,/g, ''));
  expect(people).toBeGreaterThan(1500);
  expect(meets).toBeGreaterThan(0);
  expect(unknown).toBeLessThan(people / 2);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-gaps.png'), fullPage: true });

  await area(page, 'Funding');
  await expect(page.getByText('AHP support workforce pump-prime funding (synthetic)').first()).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-funding.png'), fullPage: true });
});
