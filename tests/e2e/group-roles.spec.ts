import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ESR_HEADERS, writeCsvFixture } from '../fixtures/extracts';
import { startTestHost, type TestHost } from './host';

const SCREENSHOTS = path.resolve(import.meta.dirname, '__screenshots__');
let host: TestHost;

test.beforeEach(async () => {
  host = await startTestHost();
});
test.afterEach(async () => {
  await host.stop();
});

/**
 * An extract whose job titles are typed several ways, as ESR's are:
 *   band 3: "Therapy Assistant - Acute" (3), "therapy assistant" (2), "Therapy  Assistant (Community)" (2);
 *   band 3: "Rehab Assistant" (2), "Rehab-Assistant" (1);
 *   band 4: "Occupational Therapy Assistant" (2), "OT Asst" (1);
 *   band 3: "Dietetic Assistant" (1), a job of its own.
 * The import makes 8 roles; the app suggests 3 groups (3 + 2 + 2 roles), which merge into 3 roles, leaving 4.
 */
function extract(): string[][] {
  let n = 0;
  const rows = (count: number, title: string, band: string, code: string, service: string) =>
    Array.from({ length: count }, () => {
      n++;
      const employee = String(40_000_000 + n);
      return [
        employee,
        `${employee}-1`,
        title,
        code,
        band,
        '37.5',
        '1.00',
        '01/04/2020',
        '',
        '',
        '01/01/1985',
        n % 2 ? 'F' : 'M',
        'A White - British',
        'No',
        'Therapies',
        service,
      ];
    });
  return [
    [...ESR_HEADERS],
    ...rows(3, 'Therapy Assistant - Acute', 'Band 3', 'S9E', 'Acute Therapies'),
    ...rows(2, 'therapy assistant', 'Band 3', 'S9E', 'Community Rehab'),
    ...rows(2, 'Therapy  Assistant (Community)', 'Band 3', 'S9E', 'Community Rehab'),
    ...rows(2, 'Rehab Assistant', 'Band 3', 'S9C', 'Acute Therapies'),
    ...rows(1, 'Rehab-Assistant', 'Band 3', 'S9C', 'Stroke Unit'),
    ...rows(2, 'Occupational Therapy Assistant', 'Band 4', 'S9C', 'Acute Therapies'),
    ...rows(1, 'OT Asst', 'Band 4', 'S9C', 'Community Rehab'),
    ...rows(1, 'Dietetic Assistant', 'Band 3', 'S9B', 'Acute Therapies'),
  ];
}

async function post<T>(page: Page, channel: string, data: unknown): Promise<T> {
  const response = await page.request.post(`${host.origin}/api/${channel}`, { data });
  const body = (await response.json()) as { ok: boolean; value: T; error?: unknown };
  if (!body.ok) throw new Error(`${channel}: ${JSON.stringify(body.error)}`);
  return body.value;
}

test('a lead merges near-duplicate roles, renames one, undoes one and settles a mapping conflict', async ({ page }) => {
  const file = await writeCsvFixture(host.dir, 'staff.csv', extract());
  await host.signIn(page.request);
  await post(page, 'settings/organisation-save', {
    name: 'Northshire Community NHS Trust',
    odsCode: 'RX9',
    ics: 'Northshire ICS',
    ahpFaculty: 'Northshire AHP Faculty',
  });
  await page.goto(host.url);

  // Import through the wizard.
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await page.getByLabel('Choose a staff extract').setInputFiles(file);
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByRole('button', { name: 'Import 14 rows' }).click();
  await expect(page.getByText(/Imported staff\.csv as import 1/)).toBeVisible();

  // The two rehab roles carry different agreed mappings (as a lead may have set them before grouping).
  const roles = await post<{ id: number; title: string }[]>(page, 'workforce/roles', {});
  expect(roles).toHaveLength(8);
  const id = (title: string) => roles.find((r) => r.title === title)!.id;
  for (const [title, stage] of [
    ['Rehab Assistant', 'entry'],
    ['Rehab-Assistant', 'intermediate'],
  ] as const) {
    await post(page, 'framework/mapping-save', {
      roleId: id(title),
      stage,
      rationale: `Mapped as ${stage}`,
      assessments: [],
    });
    await post(page, 'framework/mapping-bulk', { action: 'agree', roleIds: [id(title)] });
  }

  // 1. The suggestions, each with its reason.
  await page.getByRole('link', { name: 'Group roles', exact: true }).click();
  await expect(page).toHaveURL(/#\/workforce\/group$/);
  await expect(page.getByRole('heading', { name: 'Suggested groups (3)' })).toBeVisible();
  const therapy = page.getByRole('form', { name: 'Suggested group: Therapy Assistant - Acute, band 3' });
  await expect(therapy).toContainText("Same title apart from case, ' - Acute' and ' (Community)'. 7 staff in post.");
  await expect(
    page.getByRole('form', { name: 'Suggested group: Occupational Therapy Assistant, band 4' }),
  ).toContainText("Same title apart from 'OT' for 'occupational therapy' and 'Asst' for 'assistant'");
  await page.screenshot({ path: path.join(SCREENSHOTS, 'roles-suggestions.png'), fullPage: true });

  // 2. Merge all: the rehab pair is refused (their agreed mappings differ) and says which to choose.
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Merge all 3 suggested groups' }).click();
  await expect(page.getByText(/Merged 2 of 3 suggested groups\. Not merged/)).toBeVisible();
  await expect(page.getByText(/These roles carry different agreed mappings, so choose which one/)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Suggested groups (1)' })).toBeVisible();

  // 3. Merge the rehab pair with a new title, settling the mapping later.
  const rehab = page.getByRole('form', { name: /Suggested group: Rehab/ });
  await rehab.getByLabel(/None now/).check();
  await rehab.getByLabel('New title for the merged role (optional)').fill('Rehabilitation Assistant');
  await rehab.getByRole('button', { name: 'Merge these 2 roles' }).click();
  await expect(
    page.getByText(/Merged into Rehabilitation Assistant\. Their mappings differ, so none was chosen/),
  ).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Suggested groups (0)' })).toBeVisible();
  expect(await post<unknown[]>(page, 'workforce/roles', {})).toHaveLength(4);

  // 4. The conflict, candidates side by side; keep the intermediate one.
  await expect(page.getByRole('heading', { name: 'Mapping conflicts to settle (1)' })).toBeVisible();
  const conflict = page.getByRole('form', { name: 'Settle the mapping of Rehabilitation Assistant' });
  await expect(conflict.getByRole('row')).toHaveCount(3);
  await expect(conflict.getByRole('row', { name: /Rehab-Assistant, band 3 .* Intermediate .* Agreed/ })).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'roles-conflict.png'), fullPage: true });
  await conflict.getByLabel(/Keep the mapping from Rehab-Assistant/).check();
  await conflict.getByRole('button', { name: 'Settle the mapping' }).click();
  await expect(page.getByText('Rehabilitation Assistant: mapping conflict settled.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Mapping conflicts to settle (0)' })).toBeVisible();

  // 5. The merges: the rehab one cannot be undone now (its mapping was settled since), the therapy one can.
  const merges = page.getByRole('table', { name: 'Merges made' });
  await expect(merges.getByRole('row')).toHaveCount(4);
  await expect(merges.getByRole('row', { name: /Rehabilitation Assistant/ })).toContainText(
    "It cannot be undone: the merged role's mapping conflicts were settled on",
  );
  await page.screenshot({ path: path.join(SCREENSHOTS, 'roles-merges.png'), fullPage: true });
  page.once('dialog', (dialog) => void dialog.accept());
  await merges.getByRole('button', { name: 'Undo the merge into Therapy Assistant - Acute' }).click();
  await expect(
    page.getByText(/Merge undone: therapy assistant; Therapy Assistant \(Community\) are roles of their own again/),
  ).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Suggested groups (1)' })).toBeVisible();
  await expect(merges.getByRole('row', { name: /Therapy Assistant - Acute/ })).toContainText(
    'This merge was undone on',
  );
  expect(await post<unknown[]>(page, 'workforce/roles', {})).toHaveLength(6);
});
