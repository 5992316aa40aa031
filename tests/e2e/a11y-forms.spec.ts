import { expect, test, type Locator, type Page } from '@playwright/test';
import { startTestHost, type TestHost } from './host';

// WCAG 2.1 3.3.1 and 3.3.3 (issue 14, items 5 to 7): forms submitted empty say what to do in plain English, at
// each field as well as in the summary, and every id on the page is unique (so each label names its own field).

let host: TestHost;
test.beforeEach(async () => {
  host = await startTestHost();
});
test.afterEach(async () => {
  await host.stop();
});

const raw = /Invalid input|Invalid option|expected|received (?:undefined|null|string|number|boolean|object|array)/i;

const area = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main areas' }).getByRole('link', { name, exact: true }).click();
const tab = (page: Page, nav: string, name: string) =>
  page.getByRole('navigation', { name: nav }).getByRole('link', { name, exact: true }).click();

async function duplicateIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const seen = new Set<string>();
    const dupes = new Set<string>();
    for (const el of document.querySelectorAll('[id]')) {
      if (seen.has(el.id)) dupes.add(el.id);
      seen.add(el.id);
    }
    return [...dupes];
  });
}

/**
 * The summary has focus and plain messages; every field it links to is marked invalid and described by an
 * element carrying that field's message. Returns the messages shown.
 */
async function checkErrors(page: Page, form: Locator): Promise<string[]> {
  const summary = form.locator('.error-summary');
  await expect(summary).toBeFocused();
  const items = await summary.locator('li').allInnerTexts();
  expect(items.length).toBeGreaterThan(0);
  for (const text of items) expect(text).not.toMatch(raw);

  const links = summary.locator('li a');
  const count = await links.count();
  expect(count).toBe(items.length);
  for (let i = 0; i < count; i++) {
    const href = (await links.nth(i).getAttribute('href'))!;
    const field = page.locator(`[id="${href.slice(1)}"]`);
    await expect(field, `${href} is marked invalid`).toHaveAttribute('aria-invalid', 'true');
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    const descriptions = await Promise.all(
      describedBy
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => page.locator(`[id="${id}"]`).innerText()),
    );
    const linkText = await links.nth(i).innerText();
    const shown = descriptions.map((d) => d.replace(/^Error:\s*/, '').trim()).filter((d) => linkText.endsWith(d));
    expect(shown, `${href} is described by its message "${linkText}"`).not.toEqual([]);
  }
  expect(await duplicateIds(page)).toEqual([]);
  return items;
}

test('forms submitted empty say what to do at each field, in plain English, with no duplicate ids', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Load the synthetic demo trust' }).click();
  await expect(page.locator('.tag--demo')).toHaveText('Synthetic demo data');

  // A member of staff.
  await area(page, 'Workforce');
  await page.getByRole('link', { name: 'Staff', exact: true }).click();
  await page.getByRole('button', { name: 'Add a member of staff' }).click();
  await page.getByRole('button', { name: 'Save staff member' }).click();
  const staff = await checkErrors(page, page.getByRole('form', { name: 'Add a member of staff' }));
  expect(staff).toEqual(
    expect.arrayContaining([
      'Sex: Choose the sex recorded for this person',
      'Disability: Choose whether this person has declared a disability',
      'Assignment 1 role: Choose a role',
      'Assignment 1 service: Choose a service',
      'Assignment 1 start date: Enter the start date',
    ]),
  );

  // A training need: the title's label names the title box, not a heading.
  await area(page, 'Gap analysis');
  await tab(page, 'Gap analysis', 'Training needs');
  await page.getByRole('button', { name: 'Add a training need' }).click();
  expect(await duplicateIds(page)).toEqual([]);
  await expect(page.getByLabel('Title', { exact: true })).toHaveJSProperty('tagName', 'INPUT');
  await page.getByLabel('Cohort size').fill('');
  await page.getByRole('button', { name: 'Save training need' }).click();
  const tna = await checkErrors(page, page.getByRole('form', { name: 'Add a training need' }));
  expect(tna).toEqual(expect.arrayContaining([expect.stringMatching(/Enter a title$/)]));
  expect(tna).toEqual(expect.arrayContaining([expect.stringMatching(/Enter the number of people$/)]));

  // A qualification: first with no type, then a type with nothing filled in.
  await tab(page, 'Gap analysis', 'People');
  await page.getByTestId('gap-people').getByRole('link').first().click();
  await page.getByRole('button', { name: 'Add a qualification' }).click();
  const qualification = page.getByRole('form', { name: 'Add a qualification' });
  await page.getByRole('button', { name: 'Save qualification' }).click();
  expect(await checkErrors(page, qualification)).toEqual(['Type: Choose the type of qualification']);
  await page.getByLabel('Type of qualification').selectOption('rqf');
  await page.getByRole('button', { name: 'Save qualification' }).click();
  expect(await checkErrors(page, qualification)).toEqual(
    expect.arrayContaining(['Title: Enter the title', 'RQF level: Enter the RQF level, a number from 1 to 8']),
  );

  // A career pathway: the name's error is at the name box too.
  await area(page, 'Roles & framework');
  await tab(page, 'Roles and the framework', 'Career pathways');
  await page.getByRole('button', { name: 'Draw a pathway' }).click();
  await page.getByRole('button', { name: 'Save pathway' }).click();
  const pathway = page.getByRole('form', { name: 'Draw a pathway' });
  expect(await checkErrors(page, pathway)).toEqual(
    expect.arrayContaining(['Name: Enter a name for the pathway', 'Step 1 roles: Choose at least one role']),
  );
  await expect(pathway.getByLabel('Pathway name')).toHaveAccessibleDescription(/Enter a name for the pathway/);
});
