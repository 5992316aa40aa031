import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { axeViolations, focusRingProblems, idAndNameProblems, reflowProblems } from './a11y-check';
import { startTestHost, type TestHost } from './host';

// WCAG 2.1 AA on every screen of the demo trust (issue 14): axe's A and AA rules, reflow at 320 and 640 px, unique
// ids, named controls, visible focus on ticks and rounds, a title naming the area and tab, and focus on the new
// page's heading after each move. The screens are found from the app's own navigation, so a new area or tab is
// checked without changing this file. One host and one page for the whole walk keep it quick.

test.describe.configure({ mode: 'serial' });

const APP = 'AHP Support Workforce Planner';
let host: TestHost;
let context: BrowserContext;
let page: Page;
/** Every screen the walk checked, with the buttons on it that open a panel, for the panel test. */
const screens = new Map<string, string[]>();

test.beforeAll(async ({ browser }) => {
  host = await startTestHost();
  // axe needs a page of a context made with newContext, not browser.newPage.
  context = await browser.newContext({
    viewport: { width: 1366, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
  // Counts the app's calls in flight, so a screen is checked once its data has arrived rather than after a guess.
  await context.addInitScript(() => {
    const w = window as Window & { pendingCalls?: number };
    w.pendingCalls = 0;
    const original = window.fetch.bind(window);
    window.fetch = async (...args: Parameters<typeof fetch>) => {
      w.pendingCalls = (w.pendingCalls ?? 0) + 1;
      try {
        return await original(...args);
      } finally {
        w.pendingCalls = (w.pendingCalls ?? 1) - 1;
      }
    };
  });
  page = await context.newPage();
});
test.afterAll(async () => {
  await context.close();
  await host.stop();
});

async function visit(hash: string) {
  await page.evaluate((h) => {
    window.location.hash = h;
  }, hash);
  await settle();
  await expect(page.locator('main')).not.toContainText(/Loading/, { timeout: 15_000 });
  await expect(page.locator('main [aria-busy="true"]')).toHaveCount(0);
}

/** Waits until no call has been in flight for two frames in a row (a screen's data can ask for more data). */
async function settle() {
  let quiet = 0;
  for (let i = 0; i < 200 && quiet < 2; i++) {
    const pending = await page.evaluate(
      () =>
        new Promise<number>((resolve) =>
          requestAnimationFrame(() =>
            setTimeout(() => resolve((window as Window & { pendingCalls?: number }).pendingCalls ?? 0), 20),
          ),
        ),
    );
    quiet = pending === 0 ? quiet + 1 : 0;
  }
}

/** Buttons outside any form that open an add, draw or change panel: one "Change" per screen, as every row's is alike. */
async function panelOpeners(): Promise<string[]> {
  return page.locator('main button[type="button"]').evaluateAll((buttons) => {
    const names = buttons
      .filter((b) => !b.closest('form') && b.getClientRects().length > 0 && !(b as HTMLButtonElement).disabled)
      .map((b) => b.textContent?.trim() ?? '')
      .filter((name) => /^(Add|Draw|Type in|Change)\b/.test(name));
    const change = names.find((n) => n.startsWith('Change'));
    return [...new Set(names.filter((n) => !n.startsWith('Change')).concat(change ? [change] : []))];
  });
}

/** Focus is on the page's h1, or on the heading of what the address opened (an editor, a person). */
async function focusOnHeading(): Promise<boolean> {
  return page.evaluate(() => document.activeElement?.matches('main h1, main [data-route-focus]') ?? false);
}

/** The title names the tab (when there are tabs), then the area, then the app. */
async function titleProblems(): Promise<string[]> {
  const expected = async () =>
    page.evaluate((app) => {
      const area = document.querySelector('nav[aria-label="Main areas"] a[aria-current="page"]')?.textContent ?? '';
      const tab = document.querySelector('main nav.tabs a[aria-current="page"]')?.textContent ?? null;
      const title = document.title;
      const ok = title.endsWith(` – ${area} – ${app}`) || title === `${area} – ${app}`;
      return ok && (tab === null || title.startsWith(`${tab} – `)) ? '' : `title "${title}" (area ${area}, tab ${tab})`;
    }, APP);
  await expect
    .poll(expected, { timeout: 3_000 })
    .toBe('')
    .catch(() => undefined);
  const problem = await expected();
  return problem ? [problem] : [];
}

/**
 * Visits every area in the main navigation, every tab of each, and one screen of each kind linked by an id from
 * them, checking each; records each screen's panel openers in `found`. Answers the kinds of screens reached by an id.
 */
async function walk(found: Map<string, string[]>): Promise<Set<string>> {
  const areas = await page
    .getByRole('navigation', { name: 'Main areas' })
    .getByRole('link')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  expect(areas.length).toBeGreaterThanOrEqual(6);
  const queue = [...areas];
  const seen = new Set(queue);
  const kinds = new Set<string>();
  while (queue.length > 0) {
    const hash = queue.shift()!;
    await visit(hash);
    const links = await page.evaluate(() => ({
      tabs: [...document.querySelectorAll('main nav.tabs a')].map((a) => a.getAttribute('href') ?? ''),
      links: [...document.querySelectorAll('main a[href^="#/"]')].map((a) => a.getAttribute('href') ?? ''),
    }));
    for (const href of links.tabs) {
      if (!seen.has(href)) queue.push(href);
      seen.add(href);
    }
    // One screen of each kind reached by an id (a role's mapping, a person, a return), not all 2,000 people.
    for (const href of links.links) {
      const kind = `${href.split('/').slice(0, 3).join('/').replace(/\d+/g, 'N')}/…`;
      if (seen.has(href) || !/\d/.test(href) || kinds.has(kind)) continue;
      kinds.add(kind);
      seen.add(href);
      queue.push(href);
    }
    // An area's own address shows its first tab, which is checked at the tab's address.
    if (areas.includes(hash) && links.tabs.length > 0) continue;
    expect.soft(await focusOnHeading(), `${hash}: focus on the heading after the move`).toBe(true);
    await checkScreen(hash);
    found.set(hash, await panelOpeners());
  }
  return kinds;
}

/** Opens each recorded panel: focus moves into it, it passes the checks, sent empty it shows errors, and cancelling gives focus back. */
async function checkPanels(found: Map<string, string[]>): Promise<number> {
  let panels = 0;
  for (const [hash, openers] of found) {
    if (openers.length === 0) continue;
    await visit(hash);
    for (const name of openers) {
      const where = `${hash} "${name}"`;
      const opener = page.locator('main').getByRole('button', { name, exact: true }).first();
      await opener.click();
      await expect
        .poll(
          () => page.evaluate(() => document.activeElement?.matches('main :is(h2, h3, h4, input, select, textarea)')),
          {
            message: `${where}: focus moves into the panel`,
          },
        )
        .toBe(true);
      expect.soft([...(await axeViolations(page)), ...(await idAndNameProblems(page))], where).toEqual([]);
      panels++;

      const form = page.locator('main form').filter({ has: page.locator(':focus') });
      if ((await form.count()) !== 1) continue;
      if (!name.startsWith('Change')) {
        await form.locator('button[type="submit"]').first().click();
        const summary = form.locator('.error-summary');
        if (await summary.isVisible({ timeout: 3_000 }).catch(() => false)) {
          await expect(page, where).toHaveTitle(/^Error: /);
          expect
            .soft(
              [...(await axeViolations(page)), ...(await idAndNameProblems(page)), ...(await reflowProblems(page))],
              `${where} sent empty`,
            )
            .toEqual([]);
        }
      }
      const cancel = form.getByRole('button', { name: 'Cancel', exact: true });
      if ((await form.count()) === 1 && (await cancel.count()) === 1) {
        await cancel.click();
        // Back on the opener; or, where cancelling a panel opened by its own address leaves that address, on the
        // new page's heading.
        await expect
          .poll(
            () =>
              page.evaluate(
                ([opener, from]) => {
                  const el = document.activeElement;
                  if (window.location.hash !== from && el?.matches('main h1')) return opener;
                  return el?.textContent?.trim() ?? '';
                },
                [name, hash],
              ),
            { message: `${where}: focus back on the button that opened it` },
          )
          .toBe(name);
        await expect(page).not.toHaveTitle(/^Error: /);
      } else {
        await visit(hash);
      }
    }
  }
  return panels;
}

async function checkScreen(where: string) {
  const problems = [
    ...(await axeViolations(page)),
    ...(await idAndNameProblems(page)),
    ...(await titleProblems()),
    ...(await focusRingProblems(page)),
    ...(await reflowProblems(page)),
  ];
  expect.soft(problems, where).toEqual([]);
}

test('the set-up screen, before any trust, passes the checks, and an empty submit puts "Error:" in the title', async () => {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Set up your organisation', level: 1 })).toBeVisible();
  await checkScreen('set-up');
  await page.getByRole('button', { name: 'Save organisation' }).click();
  await expect(page.locator('.error-summary')).toBeFocused();
  await expect(page).toHaveTitle(`Error: Workforce – ${APP}`);
  expect.soft(await axeViolations(page), 'set-up with errors').toEqual([]);
  expect.soft(await reflowProblems(page), 'set-up with errors').toEqual([]);
});

test('every area, tab and screen linked from them passes the checks at full width, 640 px and 320 px', async () => {
  test.setTimeout(240_000);
  await page.getByRole('button', { name: 'Load the synthetic demo trust' }).click();
  await expect(page.locator('.tag--demo')).toHaveText('Synthetic demo data');
  await expect(page).not.toHaveTitle(/^Error/);

  // A return, so its steps are walked too (the demo trust has none).
  await visit('#/returns');
  await page.getByRole('button', { name: 'Start the return' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Return for/ })).toBeVisible();
  await expect.poll(focusOnHeading).toBe(true);

  const kinds = await walk(screens);
  // Workforce 9, framework 4, gaps 4, funding 6, returns list and 5 steps, settings, and some by id.
  expect(screens.size).toBeGreaterThanOrEqual(30);
  expect([...kinds]).toEqual(
    expect.arrayContaining(['#/framework/mapping/…', '#/gaps/person/…', '#/gaps/tna/…', '#/returns/N/…']),
  );
});

test('every add and change panel takes focus, passes the checks, shows errors when sent empty, and gives focus back', async () => {
  test.setTimeout(180_000);
  expect(screens.size).toBeGreaterThan(0);
  const panels = await checkPanels(screens);
  // Staff, roles, services, streams, plan lines, ledger, rules, pathways, training needs, pay points and more.
  expect(panels).toBeGreaterThanOrEqual(12);
});

test('every screen and panel of an ICS database (the demo ICS) passes the same checks', async () => {
  test.setTimeout(240_000);
  const trustHost = host;
  host = await startTestHost();
  try {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Load the synthetic demo ICS' }).click();
    await expect(page.getByRole('heading', { name: 'ICS picture', level: 1 })).toBeVisible({ timeout: 60_000 });
    // An ICS return, so its steps are walked too.
    await visit('#/returns');
    await page.getByRole('button', { name: 'Start the return' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /^ICS return for/ })).toBeVisible();
    const icsScreens = new Map<string, string[]>();
    const kinds = await walk(icsScreens);
    // Trusts, collected returns, ICS picture, the return list and its 5 steps, funding's tabs and settings.
    expect(icsScreens.size).toBeGreaterThanOrEqual(12);
    expect([...kinds]).toEqual(expect.arrayContaining(['#/returns/N/…']));
    expect(await checkPanels(icsScreens)).toBeGreaterThanOrEqual(2);
  } finally {
    await host.stop();
    host = trustHost;
  }
});
