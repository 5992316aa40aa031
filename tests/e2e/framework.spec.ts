import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { expect, test, type Page } from '@playwright/test';
import { startTestHost, type TestHost } from './host';

const SCREENSHOTS = path.resolve(import.meta.dirname, '__screenshots__');
const ROOT = path.resolve(import.meta.dirname, '../..');
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
const cli = (...args: string[]) =>
  execFileSync(process.execPath, ['build/scripts/run-node.mjs', 'cli', ...args, '--db', host.dbPath], {
    cwd: ROOT,
  }).toString();

test('a lead maps the demo trust, sees variation and gaps, costs training, draws a pathway and exports', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Load the synthetic demo trust' }).click();
  await expect(page.locator('.tag--demo')).toHaveText('Synthetic demo data');

  // 1. Role mapping: 16 roles with suggestions, none applied until accepted.
  await area(page, 'Roles & framework');
  await expect(page.getByTestId('roles-total')).toHaveText('16');
  await expect(page.getByTestId('roles-mapped')).toHaveText('0');
  await expect(page.getByTestId('current-version')).toHaveText('hee-2021.1');
  await page.getByLabel('Select all roles shown').check();
  await expect(page.getByTestId('selected-count')).toHaveText('16');
  await page.getByRole('button', { name: 'Accept suggestions for selected roles' }).click();
  await expect(page.getByText('Updated 16 roles.')).toBeVisible();
  await expect(page.getByTestId('roles-mapped')).toHaveText('16');
  const theatreRow = page.locator('tr', {
    has: page.getByRole('link', { name: 'Theatre support worker', exact: true }),
  });
  await expect(theatreRow.locator('td').nth(7)).toHaveText('Entry level');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'framework-mapping.png'), fullPage: true });

  // Open one role, write the rationale and assess Domain 1, and agree it.
  await page.getByRole('link', { name: 'Senior theatre support worker', exact: true }).click();
  await expect(page.getByTestId('suggested-stage')).toHaveText('Intermediate (Senior Support Worker)');
  // Only Domain 1 is shipped; the editor says so plainly where domains 2 to 8 would show their text.
  await expect(page.getByTestId('descriptors-missing')).toHaveText(
    /^Framework hee-2021\.1 has no descriptor text for domains 2 to 8\. The app does not ship it: no public copy could be confirmed\./,
  );
  await page
    .getByLabel('Rationale')
    .fill('Works alone with a registered ODP on call; job description asks for level 3.');
  await page.getByLabel('Rating for domain 1').selectOption('meets');
  await page.getByLabel('Evidence for domain 1').fill('Job description, section 4');
  await page.getByRole('button', { name: 'Save and agree' }).click();
  await expect(page.getByText('Senior theatre support worker: mapping agreed.')).toBeVisible();
  await expect(page.getByTestId('mapping-status')).toContainText('agreed by');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'framework-role-editor.png'), fullPage: true });
  await page.getByRole('link', { name: 'Back to all roles' }).click();
  await expect(page.getByTestId('roles-agreed')).toHaveText('1');

  // 2. Variation: physiotherapy has three intermediate roles at band 3 (hand-counted from the demo roles).
  await tab(page, 'Roles and the framework', 'Variation');
  const matrix = page.getByTestId('variation-matrix');
  await matrix.getByRole('button', { name: '3 Physiotherapy roles at Intermediate, Band 3' }).click();
  const drill = page.getByTestId('drill-down');
  await expect(drill.getByRole('row')).toHaveCount(4);
  for (const title of [
    'Children therapy support worker',
    'Rehabilitation assistant',
    'Senior therapy support worker',
  ]) {
    await expect(drill.getByRole('link', { name: title })).toBeVisible();
  }
  await expect(page.getByRole('heading', { name: 'Findings to work through (3)' })).toBeVisible();
  await expect(page.getByTestId('variation')).toHaveAttribute('data-render-ms', /\d/);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'framework-variation.png'), fullPage: true });

  // 3. A person's education gap: the first intermediate person gets RQF 3 + Functional Skills English and maths 2.
  await area(page, 'Gap analysis');
  await expect(page.getByTestId('gaps-meets')).toHaveText('0');
  const people = Number((await page.getByTestId('gaps-people').textContent())!.replace(/,/g, ''));
  expect(people).toBeGreaterThan(150);
  await expect(page.getByTestId('gaps-unknown')).toHaveText(String(people));
  await tab(page, 'Gap analysis', 'People');
  await page.getByLabel('Stage', { exact: true }).selectOption('intermediate');
  await page.getByTestId('gap-people').getByRole('link').first().click();
  await expect(page.getByTestId('gap-now')).toContainText('Unknown');
  const addQualification = async (fill: () => Promise<void>) => {
    await page.getByRole('button', { name: 'Add a qualification' }).click();
    await fill();
    await page.getByRole('button', { name: 'Save qualification' }).click();
    await expect(page.getByText('Qualification added.')).toBeVisible();
  };
  await addQualification(async () => {
    await page.getByLabel('Type of qualification').selectOption('rqf');
    await page.getByLabel('Title').fill('Level 3 Diploma in Healthcare Support');
    await page.getByLabel('RQF level').fill('3');
  });
  await addQualification(async () => {
    await page.getByLabel('Type of qualification').selectOption('functional-skills-english');
    await page.getByLabel('Functional Skills level').selectOption('2');
  });
  await addQualification(async () => {
    await page.getByLabel('Type of qualification').selectOption('functional-skills-maths');
    await page.getByLabel('Functional Skills level').selectOption('2');
  });
  // Hand-worked: intermediate needs RQF 3 + FS level 2 in both -> meets. Assistant practitioner needs level 5 and the Care Certificate -> partly.
  await expect(page.getByTestId('gap-now')).toContainText(
    'Intermediate (Senior Support Worker) (Career framework level 3): Meets',
  );
  await expect(page.getByTestId('gap-next')).toContainText(
    'Assistant Practitioner (Career framework level 4): Partly meets',
  );
  await expect(page.getByTestId('gap-next')).toContainText('Domain 1 education asks for an RQF level 5 qualification');
  await expect(page.getByTestId('gap-next')).toContainText('Care Certificate');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'framework-person-gap.png'), fullPage: true });

  // The summary follows: one person meets; the gap to the next stage points to three routes.
  await tab(page, 'Gap analysis', 'Summary');
  await expect(page.getByTestId('gaps-meets')).toHaveText('1');
  await expect(page.getByTestId('gaps-unknown')).toHaveText(String(people - 1));
  const demand = page.getByTestId('route-demand');
  const st0215 = demand.getByRole('row', { name: /Assistant Practitioner apprenticeship/ });
  await expect(st0215.locator('td').nth(0)).toHaveText('0'); // to meet their current stage
  await expect(st0215.locator('td').nth(1)).toHaveText('1'); // to progress to the next stage
  await expect(page.locator('figure.chart svg.recharts-surface').first()).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'framework-gaps.png'), fullPage: true });

  // 4. A costed TNA item: on-cost 21.5%, then ST0215 for 2 people from the gap list.
  await tab(page, 'Gap analysis', 'Training needs');
  await page.getByLabel('On-cost percentage on backfill pay').fill('21.5');
  await page.getByRole('button', { name: 'Save settings and re-cost every item' }).click();
  await expect(page.getByText('Settings saved; every item was re-costed.')).toBeVisible();
  await tab(page, 'Gap analysis', 'Summary');
  await demand.getByRole('link', { name: /Plan training for Assistant Practitioner apprenticeship/ }).click();
  await expect(page.getByLabel('Route', { exact: true })).toHaveValue('ST0215');
  await expect(page.getByLabel('Cohort size')).toHaveValue('1');
  await page.getByLabel('Cohort size').fill('2');
  await page.getByLabel('Target quarter').fill('2022/23 Q2');
  await page.getByLabel('Backfill weeks per person').fill('10');
  await expect(page.getByLabel('Tuition per person (£)')).toHaveValue('12000.00');
  await expect(page.getByLabel('Backfill band')).toHaveValue('4');
  // Hand-worked (pence): tuition 1,200,000 x 2 = 2,400,000; backfill 2,394,900 (band 4 entry, 2022/23) x 1 x 10/52 x 2 = 921,115.38;
  // on-cost 21.5% = 198,039.81; total 3,519,155.19 -> 3,519,155p = £35,191.55 (backfill shown 921,115, on-cost 198,040).
  await expect(page.getByTestId('tna-estimate')).toHaveText(
    'Estimate: tuition £24,000.00 + backfill £9,211.15 + on-cost £1,980.40 = £35,191.55',
  );
  await page.getByRole('button', { name: 'Save training need' }).click();
  await expect(page.getByTestId('tna-total')).toHaveText('£35,191.55');
  const row = page.getByTestId('tna-table').getByRole('row', { name: /Assistant Practitioner/ });
  await expect(row).toContainText('£24,000.00');
  await expect(row).toContainText('£9,211.15');
  await expect(row).toContainText('£1,980.40');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'framework-tna.png'), fullPage: true });

  // 5. A career pathway: theatre support worker -> senior theatre support worker -> registered ODP.
  await area(page, 'Roles & framework');
  const headcount = async (title: string) =>
    Number(
      await page
        .locator('tr', { has: page.getByRole('link', { name: title, exact: true }) })
        .locator('td')
        .nth(5)
        .textContent(),
    );
  const entryStaff = await headcount('Theatre support worker');
  const seniorStaff = await headcount('Senior theatre support worker');
  await tab(page, 'Roles and the framework', 'Career pathways');
  await page.getByRole('button', { name: 'Draw a pathway' }).click();
  await page.getByLabel('Pathway name').fill('Theatre support worker to ODP');
  // Role pickers: type, then choose the role from the list.
  await page.getByLabel('Step 1 role').fill('theatre support worker band 2');
  await page.getByRole('option', { name: /^Theatre support worker \(band 2\)/ }).click();
  await page.getByLabel('Step 2 role').fill('senior theatre');
  await page.getByRole('option', { name: /^Senior theatre support worker \(band 3\)/ }).click();
  await page.getByRole('button', { name: 'Add a step' }).click();
  await page.getByLabel('Step 3 is').selectOption('registered-profession');
  await page.getByLabel('Step 3 profession').selectOption({ label: 'Operating department practice' });
  await page.getByLabel('Step 3 route in').selectOption('degree-apprenticeship');
  await page.getByLabel('Step 3 education needed').selectOption('assistant-practitioner');
  await page.getByRole('button', { name: 'Save pathway' }).click();
  await expect(page.getByText('Pathway Theatre support worker to ODP saved.')).toBeVisible();
  await expect(page.getByRole('img', { name: /Diagram: Theatre support worker to ODP/ })).toBeVisible();
  const steps = page.locator('[data-testid^="pathway-table-"]').getByRole('row');
  await expect(steps.nth(1)).toContainText(`Theatre support worker`);
  await expect(steps.nth(1).locator('td').nth(4)).toHaveText(String(entryStaff));
  await expect(steps.nth(1).locator('td').nth(5)).toHaveText('0'); // no theatre staff have qualifications recorded
  await expect(steps.nth(2).locator('td').nth(4)).toHaveText(String(seniorStaff));
  await expect(steps.nth(3)).toContainText('Registered Operating department practice');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'framework-pathway.png'), fullPage: true });

  // 6. Exports: the role map as Excel from the screen; the gap analysis and TNA from the command line.
  await tab(page, 'Roles and the framework', 'Role mapping');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download role map (Excel)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^role-map-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(fs.readFileSync((await file.path())!) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  // The note that counts are not protected, the header, 16 roles.
  expect(ws.rowCount).toBe(18);
  expect(String(ws.getRow(1).getCell(1).value)).toMatch(/^Counts are not protected for publication/);
  expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
  const statuses = Array.from({ length: 16 }, (_, i) => ws.getRow(i + 3).getCell(9).value);
  expect(statuses.filter((s) => s === 'agreed')).toHaveLength(1);
  expect(statuses.filter((s) => s === 'draft')).toHaveLength(15);

  const gaps = JSON.parse(cli('gaps', '--json')) as { totals: { meets: number; people: number } };
  expect(gaps.totals).toMatchObject({ meets: 1, people });
  const tna = JSON.parse(cli('tna', '--json')) as {
    totalPence: number;
    items: { totalPence: number; backfillPence: number }[];
  };
  expect(tna.totalPence).toBe(3519155);
  expect(tna.items[0]).toMatchObject({ totalPence: 3519155, backfillPence: 921115 });
  const csvPath = path.join(host.dir, 'role-map.csv');
  expect(cli('mapping', 'export', '--format', 'csv', '--to', csvPath)).toContain('Wrote');
  const csvLines = fs.readFileSync(csvPath, 'utf8').split('\r\n');
  expect(csvLines[0]).toMatch(/^\uFEFFCounts are not protected for publication/);
  expect(csvLines[1]).toMatch(/^Role,Service,Profession/);
});

test('a refused descriptor import lists the problems and changes nothing', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Load the synthetic demo trust' }).click();
  await expect(page.locator('.tag--demo')).toBeVisible();
  await area(page, 'Roles & framework');
  await tab(page, 'Roles and the framework', 'Framework versions');
  await expect(page.getByTestId('descriptors-missing')).toContainText(
    'has no descriptor text for domains 2 to 8. The app does not ship it: no public copy could be confirmed. Download the template',
  );
  const csv = [
    'domain,item,stage,text',
    '2,2.1,entry,Supports service users.',
    '2,2.1,intermediate,',
    '9,9.1,entry,Unknown domain',
  ].join('\r\n');
  await page
    .getByLabel('Filled template (CSV or Excel)')
    .setInputFiles({ name: 'descriptors.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Check the file' }).click();
  const problems = page.getByTestId('import-problems');
  await expect(problems).toContainText('nothing has been changed');
  await expect(problems).toContainText('Item 2.1 has no row for assistant-practitioner');
  await expect(problems).toContainText('the text is empty');
  await expect(problems).toContainText('Domain "9" is not one of the framework');
  await expect(page.getByTestId('versions').getByRole('row')).toHaveCount(2);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'framework-import-refused.png'), fullPage: true });
});

// Also measures the render time (target < 100 ms) and prints it; a benchmark figure, not a pass/fail timing.
test('the variation matrix renders 2,000 roles', async ({ page }) => {
  test.setTimeout(180_000);
  // The page's own request context, signed in: the page then shares its session cookie.
  const request = page.request;
  await host.signIn(request);
  const post = async (channel: string, data: unknown) => {
    const r = await request.post(`${host.origin}/api/${channel}`, { data });
    const body = (await r.json()) as { ok: boolean; value: unknown; error?: unknown };
    if (!body.ok) throw new Error(`${channel}: ${JSON.stringify(body.error)}`);
    return body.value;
  };
  await post('settings/demo-load', {});
  const services = (await post('workforce/services', {})) as { id: number }[];
  const professions = ['PHY', 'OT', 'SLT', 'DIE', 'POD', 'RAD', 'ODP', 'ORT', 'PO', 'ART'];
  const bands = ['2', '3', '4', '5'] as const;
  const ids: number[] = [];
  for (let i = 0; i < 1984; i += 16) {
    const batch = await Promise.all(
      Array.from({ length: 16 }, (_, j) => {
        const n = i + j;
        return post('workforce/role-save', {
          title: `Support role ${n % 97}`,
          serviceId: services[n % services.length]!.id,
          profession: professions[n % professions.length],
          occupationCode: null,
          band: bands[n % bands.length],
          establishmentFte: 1,
        }) as Promise<{ id: number }>;
      }),
    );
    ids.push(...batch.map((r) => r.id));
  }
  const stages = ['entry', 'intermediate', 'assistant-practitioner'] as const;
  for (const [k, stage] of stages.entries())
    await post('framework/mapping-bulk', { action: 'set-stage', roleIds: ids.filter((_, i) => i % 4 === k), stage });

  await page.goto(host.url);
  await expect(page.locator('.tag--demo')).toBeVisible();
  const timings: number[] = [];
  for (let run = 0; run < 5; run++) {
    await page.goto(`${host.origin}/#/workforce`);
    await page.goto(`${host.origin}/#/framework/variation`);
    const section = page.getByTestId('variation');
    await expect(section).toHaveAttribute('data-render-ms', /\d/);
    timings.push(Number(await section.getAttribute('data-render-ms')));
  }
  const rows = await page.getByTestId('variation-matrix').getByRole('row').count();
  timings.sort((a, b) => a - b);
  const median = timings[2]!;
  console.log(
    `variation matrix, 2,000 roles (${rows - 1} matrix rows): render ${timings.join(' / ')} ms, median ${median} ms`,
  );
  test.info().annotations.push({ type: 'variation render ms (median of 5)', description: String(median) });
  await page.screenshot({ path: path.join(SCREENSHOTS, 'framework-variation-2000.png') });
  expect(rows).toBeGreaterThan(10);
  expect(timings.every((t) => Number.isFinite(t) && t > 0)).toBe(true);
});
