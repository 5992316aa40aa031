import path from 'node:path';
import Database from 'better-sqlite3';
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

const EXTRA_ROLES = 5000;
const PROFESSIONS = ['PHY', 'OT', 'SLT', 'DIE', 'POD'];

/**
 * The demo trust, then 5,000 more roles written straight into its database (as a trust with per-service titles
 * would have after an import), each in one or two of the demo's services with an establishment.
 */
async function largeTrust(page: Page): Promise<void> {
  await host.signIn(page.request);
  const loaded = await page.request.post(`${host.origin}/api/settings/demo-load`, { data: { staff: 300 } });
  expect(((await loaded.json()) as { ok: boolean }).ok).toBe(true);
  const db = new Database(host.dbPath);
  try {
    db.pragma('busy_timeout = 5000');
    const services = db.prepare('SELECT id FROM service ORDER BY id').pluck().all() as number[];
    const role = db.prepare('INSERT INTO role (title, band, profession_code) VALUES (?, ?, ?)');
    const post = db.prepare('INSERT INTO post (role_id, service_id, establishment_fte_centi) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (let i = 1; i <= EXTRA_ROLES; i++) {
        const id = Number(
          role.run(`Generated support role ${String(i).padStart(4, '0')}`, String(2 + (i % 3)), PROFESSIONS[i % 5])
            .lastInsertRowid,
        );
        post.run(id, services[i % services.length], 100 + (i % 7) * 25);
        if (i % 4 === 0) post.run(id, services[(i + 1) % services.length], 50);
      }
    })();
  } finally {
    db.close();
  }
}

test('the Roles list at 5,000 roles: filters, sorts, edits a row far down without moving, and the Summary stays short', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await largeTrust(page);
  await page.goto(`${host.origin}/#/workforce/roles`);
  const count = page.getByTestId('roles-count');
  await expect(count).toHaveText(/^5,0\d\d roles$/);
  const list = page.locator('.roles-scroll');
  const filters = page.getByRole('search', { name: 'Find roles' });
  // Virtualised: a few dozen rows in the page, not thousands, and the page itself stays short.
  expect(await page.locator('.roles-scroll tbody tr[data-role-id]').count()).toBeLessThan(80);
  expect(await page.evaluate(() => document.body.scrollHeight)).toBeLessThan(3000);

  // Search and filters.
  await filters.getByLabel('Search', { exact: true }).fill('generated role 0042');
  await expect(count).toHaveText(/^1 of 5,0\d\d roles match$/);
  await filters.getByLabel('Search', { exact: true }).fill('generated support');
  await filters.getByLabel('Band', { exact: true }).selectOption('3');
  await filters.getByLabel('Profession', { exact: true }).selectOption({ label: 'Occupational therapy' });
  // i % 3 = 1 (band 3) and i % 5 = 1 (OT): i = 1, 16, 31, ... 4,996: 334 roles.
  await expect(count).toHaveText(/^334 of 5,0\d\d roles match$/);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await filters.getByLabel('Search', { exact: true }).fill('generated support');
  await expect(count).toHaveText(/^5,000 of 5,0\d\d roles match$/);

  // Sorted by title to start with; one click on the header sorts it the other way: the last generated role first.
  const roleHeader = page.getByRole('columnheader', { name: /^Role/ });
  await expect(roleHeader).toHaveAttribute('aria-sort', 'ascending');
  await roleHeader.getByRole('button').click();
  await expect(roleHeader).toHaveAttribute('aria-sort', 'descending');
  await expect(page.locator('.roles-scroll tbody tr[data-role-id]').first()).toContainText(
    'Generated support role 5000',
  );

  // Scroll far down, change a row there: the list does not jump, and focus comes back to the row.
  await list.evaluate((el) => (el.scrollTop = 60 * 3000)); // rows are 60 px (RolesView ROW_HEIGHT)
  const target = page
    .locator('.roles-scroll tbody tr[data-role-id]')
    .filter({ hasText: 'Generated support role 2000' });
  await expect(target).toBeVisible();
  const before = await list.evaluate((el) => el.scrollTop);
  await target.getByRole('button', { name: /^Change Generated support role 2000/ }).click();
  const editor = page.getByRole('form', { name: /Change Generated support role 2000/ });
  await expect(editor).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'roles-editing.png') });
  await editor.getByLabel('Role title').fill('Generated support role 2000 renamed');
  await editor
    .getByLabel(/^Establishment FTE in /)
    .first()
    .fill('4.5');
  await editor.getByRole('button', { name: 'Save role' }).click();
  await expect(page.getByText(/Generated support role 2000 renamed saved: [\d.]+ FTE establishment/)).toBeVisible();
  await expect(editor).toBeHidden();
  expect(Math.abs((await list.evaluate((el) => el.scrollTop)) - before)).toBeLessThan(2);
  const renamed = page
    .locator('.roles-scroll tbody tr[data-role-id]')
    .filter({ hasText: 'Generated support role 2000 renamed' });
  // Role 2000 is in two services (every fourth role is): 4.50 in the first and 0.50 in the other.
  await expect(renamed).toContainText('5.00');
  await expect(renamed.getByRole('button', { name: /^Change / })).toBeFocused();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'roles-large-list.png') });

  // Bulk: tick every matching role in one band of one profession and set their establishment in a service.
  await filters.getByLabel('Search', { exact: true }).fill('generated support');
  await filters.getByLabel('Band', { exact: true }).selectOption('4');
  await filters.getByLabel('Profession', { exact: true }).selectOption({ label: 'Physiotherapy' });
  await expect(count).toHaveText(/^\d+ of 5,0\d\d roles match$/);
  const matching = Number(/^(\d+)/.exec((await count.textContent()) ?? '')![1]);
  await page.getByRole('button', { name: /^Select all \d+ matching roles$/ }).click();
  await expect(count).toContainText(`${matching} selected`);
  await page.getByRole('button', { name: 'Set establishment' }).click();
  const bulk = page.getByRole('form', { name: /Set the establishment of/ });
  await bulk.getByLabel('Service').selectOption({ index: 1 });
  await bulk.getByLabel('Establishment FTE for each role').fill('-1');
  await bulk.getByRole('button', { name: 'Set establishment' }).click();
  await expect(bulk.getByRole('alert')).toContainText('FTE cannot be negative');
  await bulk.getByLabel('Establishment FTE for each role').fill('2');
  await bulk.getByRole('button', { name: 'Set establishment' }).click();
  await expect(page.getByText(new RegExp(`Establishment set to 2.00 FTE in .* for ${matching} roles`))).toBeVisible();

  // Merge: the role kept to start with is the one with most staff; the lead may pick another and rename it.
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await filters.getByLabel('Search', { exact: true }).fill('theatre support worker');
  const rows = page.locator('.roles-scroll tbody tr[data-role-id]');
  await expect(rows).toHaveCount(2);
  const staffOf = async (i: number) => Number(await rows.nth(i).locator('td').nth(4).textContent());
  const bigger = (await staffOf(0)) >= (await staffOf(1)) ? 0 : 1;
  const biggerTitle = (await rows.nth(bigger).locator('th').textContent())!;
  await page.getByRole('button', { name: /^Select all 2 matching roles$/ }).click();
  await page.getByRole('button', { name: 'Merge', exact: true }).click();
  const merge = page.getByRole('form', { name: 'Merge 2 roles into one' });
  await expect(merge.getByRole('radio', { checked: true })).toHaveAccessibleName(new RegExp(`^${biggerTitle} \\(band`));
  await expect(merge.getByLabel('New title (optional)')).toBeVisible();
  await merge.getByRole('button', { name: 'Cancel' }).click();
  await expect(merge).toBeHidden();

  // The Summary: vacancy by role, by service and by both, and still a normal page length.
  await page.getByRole('link', { name: 'Summary', exact: true }).click();
  await expect(page.getByTestId('total-headcount')).not.toHaveText('0');
  await expect(page.getByRole('figure', { name: /top 15 roles/ })).toBeVisible();
  await expect(page.getByText(/Other roles \(5,0\d\d\)/).first()).toBeAttached();
  expect(await page.evaluate(() => document.body.scrollHeight)).toBeLessThan(6000);
  const byRole = page.getByRole('table', { name: 'Establishment and vacancy by role' });
  await expect(byRole.locator('tbody tr[data-index]').first()).toBeVisible();
  expect(await byRole.locator('tbody tr[data-index]').count()).toBeLessThan(80);
  await page.getByRole('radio', { name: 'Role in a service' }).check();
  await page.getByLabel('Find roles in services in the table').fill('generated support role 2000');
  await expect(
    page.getByRole('table', { name: 'Establishment and vacancy by role in a service' }).getByRole('row', {
      name: /Generated support role 2000 renamed/,
    }),
    // Its two services, and the one the bulk action above added (it is a band 4 physiotherapy role).
  ).toHaveCount(3);
  expect(await page.evaluate(() => document.body.scrollHeight)).toBeLessThan(6000);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'summary-large.png'), fullPage: true });

  await page.getByRole('link', { name: 'Picture', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Vacancy' })).toBeVisible();
  // The whole page drawn (its last tables too) before it is measured.
  await expect(
    page
      .getByRole('table', { name: /^Diversity by stage/ })
      .or(page.getByRole('table', { name: 'Disability' }))
      .first(),
  ).toBeVisible();
  const closedHeight = await page.evaluate(() => document.body.scrollHeight);
  await page
    .locator('summary')
    .filter({ hasText: /^Vacancy by role/ })
    .click();
  await expect(page.getByRole('figure', { name: /top 15 roles by FTE/ })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Vacancy by role' })).toBeVisible();
  // Drawn rows only: a few dozen of the 6,000-odd lines.
  const drawn = await page.getByRole('table', { name: 'Vacancy by role' }).locator('tbody tr[data-index]').count();
  expect(drawn).toBeGreaterThan(5);
  expect(drawn).toBeLessThan(80);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'picture-large.png'), fullPage: true });
  // Opening it adds the chart of 15 bars and a table in its own scrolling box, whatever the number of roles.
  expect(await page.evaluate(() => document.body.scrollHeight)).toBeLessThan(closedHeight + 2000);
});
