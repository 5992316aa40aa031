import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { returnFileSchema } from '../../shared/returns/file';
const ICS_NAME = 'North Example ICS'; // as in tests/fixtures/ics-trusts.ts
import { startTestHost, type TestHost } from './host';

/**
 * The ICS view (issue 13) in Chromium: an ICS lead sets up an ICS database, collects five real trusts' exact
 * returns (built through the import by tests/fixtures/ics-trusts.ts), sees who is missing, has a changed file
 * refused, compares the trusts and signs off the ICS return.
 */

const SHOTS = '/tmp/ics-shots';
let host: TestHost;
let dir: string;
let files: string[];
let edited: string;
let correction: string;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ahp-ics-e2e-'));
  // The fixture runs under tsx, as the integration tests' resolver does: Playwright's ESM loader cannot resolve the
  // services' extensionless package imports (ajv/dist/2020).
  const repo = path.resolve(import.meta.dirname, '../..');
  // Coastal Care (RN4) also signs off a corrected version 2, sent later.
  const script = `import { FIVE_TRUSTS, trustReturnFile } from './tests/fixtures/ics-trusts.ts';
    (async () => {
      const files = [];
      for (const spec of FIVE_TRUSTS)
        for (const f of await trustReturnFile(${JSON.stringify(dir)}, spec, { correct: spec.odsCode === 'RN4' }))
          files.push(f.file);
      console.log(JSON.stringify(files));
    })();`;
  const out = execFileSync(process.execPath, [path.join(repo, 'node_modules/tsx/dist/cli.mjs'), '-e', script], {
    cwd: repo,
    encoding: 'utf8',
  });
  const all = JSON.parse(out.trim().split('\n').pop()!) as string[];
  correction = all.find((f) => f.includes('RN4-2025-26-v2'))!;
  files = all.filter((f) => f !== correction);
  // One figure changed by hand after the trust signed it off: its hash no longer matches.
  const file = returnFileSchema.parse(JSON.parse(fs.readFileSync(files[1]!, 'utf8')));
  const cell = file.tables.find((t) => t.id === 'B1')!.cells.find((c) => (c.value ?? 0) > 0)!;
  cell.value = cell.value! + 1;
  edited = path.join(dir, 'RN2-edited.json');
  fs.writeFileSync(edited, JSON.stringify(file));
});
test.afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});
test.beforeEach(async () => {
  host = await startTestHost();
});
test.afterEach(async () => {
  await host.stop();
});

const area = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main areas' }).getByRole('link', { name, exact: true }).click();
const step = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Steps of this return' }).getByRole('link', { name, exact: true }).click();

/**
 * The page at 1366 and at 320 wide; at 320 nothing may scroll sideways but a table inside its own box. The axe
 * rules for WCAG 2.1 AA pass at both widths.
 */
async function shots(page: Page, name: string) {
  const axe = async () =>
    (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations.map(
      (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  expect.soft(await axe(), `${name}: axe at 1366 px`).toEqual([]);
  await page.screenshot({ path: path.join(SHOTS, `${name}-1366.png`), fullPage: true });
  await page.setViewportSize({ width: 320, height: 800 });
  await expect
    .soft(
      async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320),
      `${name} at 320 px`,
    )
    .toPass({ timeout: 2000 });
  await page.screenshot({ path: path.join(SHOTS, `${name}-320.png`), fullPage: true });
  expect.soft(await axe(), `${name}: axe at 320 px`).toEqual([]);
  await page.setViewportSize({ width: 1366, height: 900 });
}

async function download(page: Page, name: string, ext: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  expect(file.suggestedFilename()).toMatch(new RegExp(`QNX.*\\.${ext}$`));
  const saved = path.join(SHOTS, file.suggestedFilename());
  await file.saveAs(saved);
  return fs.readFileSync(saved);
}

test('an ICS lead collects five trusts’ returns, sees who is missing, compares the trusts and signs off the ICS return', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.goto(host.url);

  // First run: the database is for an ICS, and the form says so.
  await expect(page.getByRole('heading', { name: 'Set up your organisation' })).toBeVisible();
  await expect(page.getByLabel('Trust name')).toBeVisible();
  await page.getByRole('radio', { name: 'An ICS / AHP faculty' }).check();
  await expect(page.getByLabel('Trust name')).toHaveCount(0);
  await page.getByLabel('ICS name').fill('North Example Integrated Care Board');
  await page.getByLabel('ODS code').fill('qnx');
  await page.getByLabel(/Integrated care system \(ICS\)/).fill(ICS_NAME);
  await page.getByLabel('AHP faculty', { exact: true }).fill('North Example AHP Faculty');
  await shots(page, 'ics-first-run');
  await page.getByRole('button', { name: 'Save organisation' }).click();

  const nav = page.getByRole('navigation', { name: 'Main areas' });
  await expect(nav.getByRole('link')).toHaveText([
    'Trusts',
    'Collected returns',
    'ICS picture',
    'ICS return',
    'Funding',
    'Settings',
  ]);
  await expect(page.getByRole('heading', { name: 'Trusts', level: 1 })).toBeVisible();
  // The address follows: an ICS database has no Workforce area.
  await expect(page).toHaveURL(/#\/trusts$/);

  await area(page, 'ICS picture');
  await expect(page.getByText('No trust has sent a return for this period yet')).toBeVisible();

  // Four trusts' returns at once, through the file chooser.
  await area(page, 'Collected returns');
  await page.getByLabel('Return files').setInputFiles(files.slice(0, 4));
  await expect(page.getByTestId('return-files-chosen')).toContainText('4 files');
  await page.getByRole('button', { name: 'Check and add the returns' }).click();
  await expect(page.getByTestId('add-summary')).toHaveText('4 files checked: 4 returns added.');
  await expect(page.getByTestId('add-outcomes').locator('tbody tr[data-outcome="added"]')).toHaveCount(4);
  await expect(page.getByLabel('Period', { exact: true })).toHaveValue('2025/26');
  await expect(page.getByTestId('sent-count')).toHaveText('4 of 4');

  // The fifth trust is on the list before its return comes: a clashing ODS code is refused at the field.
  await area(page, 'Trusts');
  await expect(page.getByTestId('ics-trusts').locator('tbody tr')).toHaveCount(4);
  await page.getByRole('button', { name: 'Add a trust' }).click();
  await page.getByLabel('Trust name').fill('Valley Health NHS Foundation Trust');
  await page.getByLabel('ODS code').fill('R 5');
  await page.getByRole('button', { name: 'Save trust' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText('ODS code');
  await page.getByLabel('ODS code').fill('RN1');
  await page.getByRole('button', { name: 'Save trust' }).click();
  await expect(page.locator('#trust-odsCode-error')).toContainText(
    'Northgate Hospitals NHS Trust already has this ODS code',
  );
  await shots(page, 'ics-trust-refused');
  await page.getByLabel('ODS code').fill('RN5');
  await page.getByRole('button', { name: 'Save trust' }).click();
  await expect(page.getByText('Valley Health NHS Foundation Trust (RN5) saved.')).toBeVisible();
  await shots(page, 'ics-trusts');

  await area(page, 'Collected returns');
  await expect(page.getByTestId('sent-count')).toHaveText('4 of 5');
  await expect(page.getByTestId('missing-count')).toHaveText('1');
  await expect(page.getByTestId('ics-status').locator('tr[data-sent="no"]')).toContainText(
    'Valley Health NHS Foundation Trust (RN5)',
  );
  await shots(page, 'ics-collected-four');

  // The fifth, and a file changed after sign-off, dropped together: one added, one refused with the reason.
  const dropped = await page.evaluateHandle(
    (named) => {
      const transfer = new DataTransfer();
      for (const f of named) transfer.items.add(new File([f.text], f.name, { type: 'application/json' }));
      return transfer;
    },
    [files[4]!, edited].map((f) => ({ name: path.basename(f), text: fs.readFileSync(f, 'utf8') })),
  );
  await page.locator('.file-drop').dispatchEvent('drop', { dataTransfer: dropped });
  await expect(page.getByTestId('return-files-chosen')).toContainText('2 files');
  await page.getByRole('button', { name: 'Check and add the returns' }).click();
  await expect(page.getByTestId('add-summary')).toContainText('1 return added');
  const refused = page.getByTestId('add-outcomes').locator('tr[data-outcome="refused"]');
  await expect(refused).toContainText('RN2-edited.json');
  await expect(refused).toContainText('Refused');
  await expect(refused).toContainText(/changed since the trust signed it off/);
  await expect(page.getByTestId('sent-count')).toHaveText('5 of 5');
  await expect(page.getByTestId('ics-collected').locator('tbody tr')).toHaveCount(5);

  // Coastal Care's corrected version replaces its first: both kept, the first marked with the trust's reason.
  await page.getByLabel('Return files').setInputFiles(correction);
  await page.getByRole('button', { name: 'Check and add the returns' }).click();
  await expect(page.getByTestId('add-outcomes').locator('tr[data-outcome="added-superseding"]')).toContainText(
    'Added: replaces an earlier version',
  );
  await expect(page.getByTestId('ics-collected').locator('tbody tr')).toHaveCount(6);
  await expect(page.getByTestId('ics-collected').locator('tr[data-superseded="yes"]')).toContainText(
    'Replaced by version 2: A leaver in February was missing from the first extract',
  );
  await expect(page.getByTestId('ics-status').locator('tr', { hasText: 'RN4' })).toContainText('2');
  await shots(page, 'ics-collected');

  // The picture: every trust included, sorted by headcount, a chart of one measure with its table.
  await area(page, 'ICS picture');
  await expect(page.getByTestId('picture-included').locator('tbody tr')).toHaveCount(5);
  await expect(page.getByTestId('picture-missing')).toHaveCount(0);
  const comparison = page.getByTestId('picture-comparison');
  await comparison.getByRole('button', { name: 'Headcount' }).click();
  await expect(comparison.getByRole('columnheader', { name: /Headcount/ })).toHaveAttribute('aria-sort', 'ascending');
  const headcounts = async () =>
    (await comparison.locator('tbody tr td:nth-child(2)').allTextContents())
      .slice(0, 5)
      .map((t) => Number(t.replace(/,/g, '')));
  const ascending = await headcounts();
  expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
  await comparison.getByRole('button', { name: /Headcount/ }).click();
  expect(await headcounts()).toEqual([...ascending].reverse());
  await expect(comparison.locator('tbody tr', { hasText: 'ICS as a whole' })).toContainText(
    ascending.reduce((a, b) => a + b, 0).toLocaleString('en-GB'),
  );
  // A chart beside each measure, with its table.
  const charts = page.getByRole('region', { name: 'Each measure by trust' });
  await expect(charts.getByRole('heading', { level: 3 })).toHaveCount(8);
  // The fixture trusts have no establishment nor allocation: those two measures have a table but nothing to draw.
  await expect(charts.getByRole('figure')).toHaveCount(6);
  await expect(page.getByRole('figure', { name: 'Chart: Leaver rate (%) by trust' })).toBeVisible();
  await expect(page.getByTestId('picture-chart-table-leaver-rate').locator('tbody tr')).toHaveCount(6);
  await expect(page.getByTestId('picture-tables').locator('table[data-table="B1"]')).toBeVisible();
  await expect(
    page.getByRole('figure', { name: 'Chart: Headcount by trust' }).locator('.recharts-bar-rectangle'),
  ).toHaveCount(5);
  await shots(page, 'ics-picture');

  // The ICS return: built from the collected returns, checked, signed off and exported.
  await area(page, 'ICS return');
  await expect(page.getByRole('heading', { name: 'ICS returns', level: 1 })).toBeVisible();
  await page.getByLabel('Period').selectOption({ label: '2025/26 (whole year)' });
  await page.getByRole('button', { name: 'Start the return' }).click();
  await expect(page.getByRole('heading', { name: /ICS return for 2025\/26/, level: 1 })).toBeVisible();
  await expect(page.getByTestId('return-no-errors')).toBeVisible();
  await expect(page.getByTestId('return-audit')).toContainText('Passed');
  const warnings = page.getByRole('checkbox', { name: /I have read warning/ });
  if ((await warnings.count()) > 0) {
    for (const box of await warnings.all()) await box.check();
    await page.getByLabel('Why the return can go ahead with these warnings').fill('Reviewed at the ICS faculty board.');
    await page.getByRole('button', { name: 'Accept the warnings and run the checks' }).click();
  }
  await expect(page.getByTestId('return-status')).toHaveText('Checked');
  await shots(page, 'ics-return-checks');

  await step(page, 'Preview');
  const sections = page.getByTestId('return-sections');
  await expect(sections.locator('dt', { hasText: /^ICS$/ })).toBeVisible();
  for (const id of ['B5', 'B6', 'B7', 'D5', 'E7', 'F5'])
    await expect(sections.locator(`table[data-table="${id}"]`)).toHaveCount(1);
  await expect(sections.locator('table[data-table="G1"] caption')).toContainText('Funding by trust');
  await shots(page, 'ics-return-preview');

  await step(page, 'Sign off and send');
  await page.getByLabel('Your name').fill('Ash ICS Lead');
  await page.getByLabel('Your role').fill('ICS AHP faculty lead');
  await page.getByLabel(/I confirm the return for 2025\/26/).check();
  await page.getByRole('button', { name: 'Sign off the return' }).click();
  await expect(page.getByTestId('return-status')).toHaveText('Signed off');
  await download(page, 'Download the return (Excel)', 'xlsx');
  const csv = (await download(page, 'Download the return (CSV)', 'csv')).toString('utf8');
  expect(csv).toContain('B5');
  const json = JSON.parse((await download(page, 'Download the return (JSON)', 'json')).toString('utf8')) as {
    schemaVersion: number;
  };
  expect(json.schemaVersion).toBe(1);
  const pdf = await download(page, 'Download the return (PDF)', 'pdf');
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  await shots(page, 'ics-return-signed');

  // Settings says who the database is for.
  await area(page, 'Settings');
  await expect(page.getByTestId('organisation-kind')).toContainText('An ICS / AHP faculty');
  await expect(page.getByLabel('ICS name')).toHaveValue('North Example Integrated Care Board');
  await shots(page, 'ics-settings');
});

test('the demo ICS loads from the first-run screen and opens on its picture', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Load the synthetic demo ICS' }).click();
  await expect(page.getByRole('heading', { name: 'ICS picture', level: 1 })).toBeVisible({ timeout: 60_000 });
  await expect(
    page.getByRole('navigation', { name: 'Main areas' }).getByRole('link', { name: 'ICS picture' }),
  ).toHaveAttribute('aria-current', 'page');
  await expect(page.getByText('Demo Northern Mental Health Trust (synthetic)').first()).toBeVisible();
  await shots(page, 'ics-demo-picture');
});
