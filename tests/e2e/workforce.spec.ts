import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startTestHost, type TestHost } from './host';

const SCREENSHOTS = path.resolve(import.meta.dirname, '__screenshots__');
let host: TestHost;

test.beforeEach(async () => {
  host = await startTestHost();
});
test.afterEach(async () => {
  await host.stop();
});

test('a lead sets up the trust, adds a service, a role and two staff, and sees the summary', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Set up your organisation' })).toBeVisible();

  // Validation comes from the shared schema: an empty form names every missing field.
  await page.getByRole('button', { name: 'Save organisation' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
  await expect(page.getByText('Enter the trust name').first()).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'organisation-errors.png'), fullPage: true });

  await page.getByLabel('Trust name').fill('Northshire Community NHS Trust');
  await page.getByLabel('ODS code').fill('rx9');
  await page.getByLabel('Integrated care system (ICS)').fill('Northshire ICS');
  await page.getByLabel('AHP faculty', { exact: true }).fill('Northshire AHP Faculty');
  await page.getByRole('button', { name: 'Save organisation' }).click();
  await expect(page.getByRole('heading', { name: 'Workforce', level: 1 })).toBeVisible();
  await expect(page.locator('.header__org')).toContainText('Northshire Community NHS Trust');

  await page.getByRole('link', { name: 'Services', exact: true }).click();
  await page.getByRole('button', { name: 'Add a service' }).click();
  await page.getByLabel('Service or team name').fill('Community rehabilitation');
  await page.getByRole('button', { name: 'Save service' }).click();
  await expect(page.getByRole('cell', { name: 'Community rehabilitation', exact: true })).toBeVisible();

  // A role is a job (title and band); its establishment is held in a service.
  await page.getByRole('link', { name: 'Roles', exact: true }).click();
  await page.getByRole('button', { name: 'Add a role' }).click();
  const editor = page.getByRole('form', { name: 'Add a role' });
  await editor.getByRole('button', { name: 'Save role' }).click();
  await expect(editor.getByRole('alert')).toContainText('Enter the role title');
  await editor.getByLabel('Role title').fill('Rehabilitation assistant');
  await editor.getByLabel('Main profession').selectOption({ label: 'Physiotherapy' });
  await editor.getByLabel('Agenda for Change band').selectOption('3');
  await editor.getByRole('button', { name: 'Add a service' }).click();
  await editor.getByLabel('Service').selectOption({ label: 'Community rehabilitation' });
  await editor.getByLabel('Establishment FTE in Community rehabilitation').fill('2.5');
  await editor.getByRole('button', { name: 'Save role' }).click();
  await expect(
    page.getByText('Rehabilitation assistant saved: 2.50 FTE establishment in 1 service.', { exact: true }),
  ).toBeVisible();
  const roleRow = page.getByRole('row', { name: /Rehabilitation assistant/ });
  await expect(roleRow).toContainText('Community rehabilitation');
  await expect(roleRow).toContainText('2.50');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'roles.png'), fullPage: true });

  await page.getByRole('link', { name: 'Staff', exact: true }).click();
  for (const [hours, year] of [
    ['37.5', '1988'],
    ['18.75', '1996'],
  ] as const) {
    await page.getByRole('button', { name: 'Add a member of staff' }).click();
    await page.getByLabel('Year of birth (optional)').fill(year);
    await page.getByLabel('Sex').selectOption('F');
    await page.getByLabel('Ethnic category').selectOption('A');
    await page.getByLabel('Disability').selectOption('no');
    // The role picker: type part of the title, choose the role (it shows band, services and staff).
    const picker = page.getByRole('combobox', { name: 'Role', exact: true });
    await picker.fill('rehab');
    await expect(page.getByRole('option', { name: /Rehabilitation assistant \(band 3\)/ })).toContainText(
      /Band 3 · 1 service · \d staff/,
    );
    if (year === '1988')
      await page
        .locator('fieldset', { hasText: 'Assignment 1' })
        .screenshot({ path: path.join(SCREENSHOTS, 'role-picker.png') });
    await picker.press('ArrowDown');
    await picker.press('Enter');
    await expect(picker).toHaveValue('Rehabilitation assistant (band 3)');
    await page.getByLabel('Service', { exact: true }).selectOption({ label: 'Community rehabilitation' });
    await page.getByLabel('Contracted hours a week').fill(hours);
    await page.getByLabel('Start date').fill('2022-05-03');
    await page.getByRole('button', { name: 'Save staff member' }).click();
    await expect(page.getByText(/Staff member [0-9A-F]{8} saved/)).toBeVisible();
  }
  await expect(page.locator('.staff-scroll caption')).toHaveText('Staff: 2 people');

  await page.getByRole('link', { name: 'Summary', exact: true }).click();
  await expect(page.getByTestId('total-headcount')).toHaveText('2');
  await expect(page.getByTestId('total-fte')).toHaveText('1.50');
  await expect(page.getByTestId('total-establishment')).toHaveText('2.50');
  await expect(page.getByTestId('total-vacancy')).toHaveText('1.00');
  const row = page
    .getByRole('table', { name: 'Headcount and FTE by profession and band' })
    .getByRole('row', { name: /Physiotherapy/ });
  await expect(row).toContainText('3');
  await expect(row).toContainText('1.50');
  await expect(page.locator('figure.chart svg.recharts-surface').first()).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'workforce-summary.png'), fullPage: true });

  // The command line reads the same database and prints the same figures.
  const cli = JSON.parse(
    execFileSync(process.execPath, ['build/scripts/run-node.mjs', 'cli', 'summary', '--json', '--db', host.dbPath], {
      cwd: path.resolve(import.meta.dirname, '../..'),
    }).toString(),
  ) as { headcount: number; fte: number; vacancyFte: number };
  expect(cli).toMatchObject({ headcount: 2, fte: 1.5, establishmentFte: 2.5, vacancyFte: 1 });
});

test('the synthetic demo trust loads, is labelled, and settings show the database', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Load the synthetic demo trust' }).click();
  await expect(page.locator('.tag--demo')).toHaveText('Synthetic demo data');
  await expect(page.getByTestId('total-headcount')).not.toHaveText('0');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-summary.png'), fullPage: true });

  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(page.getByTestId('db-path')).toHaveText(host.dbPath);
  await expect(page.getByTestId('schema-version')).toContainText('up to date');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Back up now' }).click();
  expect((await download).suggestedFilename()).toMatch(/^workforce-backup-\d{8}-\d{6}\.sqlite$/);
  await expect(page.getByText(/Backup workforce-backup-.* created/)).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'settings.png'), fullPage: true });
});

test('the API refuses calls without the session cookie or from another origin; the address signs in once', async ({
  request,
  browser,
}) => {
  const noCookie = await request.post(`${host.origin}/api/workforce/summary`, { data: {} });
  expect(noCookie.status()).toBe(401);
  // The page's way in: the printed code, posted once, answers the session cookie.
  await host.signIn(request);
  const foreign = await request.post(`${host.origin}/api/workforce/summary`, {
    data: {},
    headers: { Origin: 'http://evil.example' },
  });
  expect(foreign.status()).toBe(403);
  const ok = await request.post(`${host.origin}/api/workforce/summary`, { data: {} });
  expect(ok.status()).toBe(200);
  expect(((await ok.json()) as { ok: boolean }).ok).toBe(true);
  const state = await request.storageState();
  const session = state.cookies.find((c) => c.name.startsWith('ahp-session-'));
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', domain: '127.0.0.1', path: '/' });

  // The code is used up: a second browser opening the same address is not signed in, and says what to do.
  const again = await request.post(`${host.origin}/sign-in`, { data: { code: host.code } });
  expect(again.status()).toBe(401);
  const other = await browser.newContext();
  try {
    const page = await other.newPage();
    await page.goto(host.url);
    await expect(page.getByText(/not signed in to the app/).first()).toBeVisible();
    expect(page.url()).not.toContain(host.code);
    expect((await other.cookies()).length).toBe(0);
  } finally {
    await other.close();
  }
});
