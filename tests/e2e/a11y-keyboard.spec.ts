import { expect, test, type Page } from '@playwright/test';
import { startTestHost, type TestHost } from './host';

// WCAG 2.1.1 and 2.4.3 (issue 14): three everyday jobs done with the keyboard alone (Tab, Shift+Tab, Enter, Space,
// arrow keys and typing). Locators are used only to check what happened, never to click or fill.

let host: TestHost;
test.beforeEach(async () => {
  host = await startTestHost();
});
test.afterEach(async () => {
  await host.stop();
});

interface Focused {
  name: string;
  tag: string;
  type: string;
  href: string;
  value: string;
}

/** The focused element: its name as a screen reader would mostly read it, and what it is. */
async function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return { name: '', tag: '', type: '', href: '', value: '' };
    const byId = (ids: string | null) =>
      ids
        ? ids
            .split(/\s+/)
            .map((id) => document.getElementById(id)?.textContent ?? '')
            .join(' ')
        : null;
    const labels =
      el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement
        ? [...(el.labels ?? [])]
        : [];
    const name =
      el.getAttribute('aria-label') ??
      byId(el.getAttribute('aria-labelledby')) ??
      (labels.length > 0 ? labels.map((l) => l.textContent).join(' ') : el.textContent) ??
      '';
    return {
      name: name.replace(/\s+/g, ' ').trim(),
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute('type') ?? '',
      href: el.getAttribute('href') ?? '',
      value: (el as HTMLInputElement).value ?? '',
    };
  });
}

/** Presses Tab (or Shift+Tab) until the focused element is the one wanted; fails after `max` presses. */
async function tabTo(
  page: Page,
  wanted: string | RegExp | ((f: Focused) => boolean),
  { back = false, max = 250 } = {},
): Promise<Focused> {
  const matches = (f: Focused) =>
    typeof wanted === 'function' ? wanted(f) : typeof wanted === 'string' ? f.name === wanted : wanted.test(f.name);
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (matches(f)) return f;
  }
  throw new Error(`${back ? 'Shift+Tab' : 'Tab'} never reached ${String(wanted)}`);
}

async function press(page: Page, wanted: string | RegExp) {
  await tabTo(page, wanted);
  await page.keyboard.press('Enter');
}

/** Clears a text box that has focus and types into it. */
async function retype(page: Page, text: string) {
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

const headingFocused = (page: Page, name: string | RegExp) =>
  expect(page.locator(':focus')).toHaveText(name instanceof RegExp ? name : new RegExp(`^${name}`));

test('with the keyboard alone: add a funding stream, map a role to a stage and record a qualification', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.goto(host.url);
  await press(page, 'Load the synthetic demo trust');
  await expect(page.locator('.tag--demo')).toHaveText('Synthetic demo data');

  // A funding stream. Each move to a new page puts focus on its heading; the form's heading takes focus as it opens.
  await press(page, 'Funding');
  await expect(page.getByRole('heading', { level: 1, name: 'Funding' })).toBeFocused();
  await press(page, 'Streams');
  await expect(page).toHaveTitle(/^Streams – Funding – /);
  await press(page, 'Add a funding stream');
  await headingFocused(page, 'Add a funding stream');
  await tabTo(page, 'Name of the funding stream');
  await page.keyboard.type('Support worker conference bursaries');
  await tabTo(page, 'Financial year');
  await retype(page, '2022/23');
  await tabTo(page, 'Amount allocated');
  await page.keyboard.type('7,500');
  await press(page, 'Save funding stream');
  await expect(page.getByText('Support worker conference bursaries saved.')).toBeVisible();
  // Back on the button that opened the form, ready for the next one.
  await expect(page.getByRole('button', { name: 'Add a funding stream' })).toBeFocused();
  await expect(page.getByRole('row', { name: /Support worker conference bursaries/ })).toContainText('£7,500.00');

  // A role mapped to a stage: the stage is a group of rounds, chosen with the arrow keys.
  await tabTo(page, 'Roles & framework', { back: true });
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Roles and the framework' })).toBeFocused();
  await press(page, 'Orthotic technician');
  await expect(page.getByRole('heading', { level: 2, name: 'Orthotic technician' })).toBeFocused();
  await tabTo(page, (f) => f.type === 'radio');
  for (let i = 0; i < 8 && !/^Intermediate/.test((await focused(page)).name); i++) {
    await page.keyboard.press('ArrowDown');
  }
  await expect(page.getByRole('radio', { name: /^Intermediate/ })).toBeChecked();
  await tabTo(page, 'Rationale');
  await page.keyboard.type('Makes and fits orthoses to a prescription, working alone once signed off.');
  await press(page, 'Save as draft');
  await expect(page.getByText('Orthotic technician: mapping saved as a draft.')).toBeVisible();
  await expect(page.getByTestId('mapping-status')).toContainText(/draft/i);

  // A qualification recorded against a person.
  await tabTo(page, 'Gap analysis', { back: true });
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await press(page, 'People');
  const person = await tabTo(page, (f) => f.href.startsWith('#/gaps/person/'));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: `Staff member ${person.name}` })).toBeFocused();
  await press(page, 'Add a qualification');
  await headingFocused(page, 'Add a qualification');
  await tabTo(page, 'Type of qualification');
  for (let i = 0; i < 12 && (await focused(page)).value !== 'rqf'; i++) await page.keyboard.press('ArrowDown');
  await expect(page.getByLabel('Type of qualification')).toHaveValue('rqf');
  await tabTo(page, 'Title');
  await page.keyboard.type('Level 3 Diploma in Clinical Healthcare Support');
  await tabTo(page, 'RQF level');
  await page.keyboard.type('3');
  await press(page, 'Save qualification');
  await expect(page.getByTestId('qualifications')).toContainText('Level 3 Diploma in Clinical Healthcare Support');
  await expect(page.getByRole('button', { name: 'Add a qualification' })).toBeFocused();
  // The saved notice was read out from a live region already in the page.
  await expect(
    page
      .getByRole('status')
      .filter({ hasText: /saved|added|recorded/i })
      .first(),
  ).toBeVisible();
});
