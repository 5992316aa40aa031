import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { contrastRatio } from '../../renderer/components/chart-colours';
import { startTestHost, type TestHost } from './host';

// WCAG 2.1 AA items a person checking by hand found and the axe rules do not: focus on ticks and rounds (2.4.7),
// charts as unnamed tab stops, and chart colours against white (1.4.11, 1.4.3).

const SCREENSHOTS = path.resolve(import.meta.dirname, '__screenshots__');
let host: TestHost;

test.beforeEach(async () => {
  host = await startTestHost();
});
test.afterEach(async () => {
  await host.stop();
});

async function loadDemo(page: Page) {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Load the synthetic demo trust' }).click();
  await expect(page.locator('.tag--demo')).toHaveText('Synthetic demo data');
}

async function visit(page: Page, hash: string) {
  await page.evaluate((h) => {
    window.location.hash = h;
  }, hash);
  await expect(page.locator('main')).not.toContainText('Loading…');
}

/** "rgb(r, g, b)" or "#rrggbb" as #rrggbb; null for anything transparent. */
function toHex(colour: string): string | null {
  if (/^#[0-9a-f]{6}$/i.test(colour)) return colour.toLowerCase();
  const m = /^rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\)$/.exec(colour);
  if (!m || (m[4] !== undefined && Number(m[4]) === 0)) return null;
  return `#${[m[1], m[2], m[3]].map((n) => Number(n).toString(16).padStart(2, '0')).join('')}`;
}

/** The focused element's ring: a solid outline at least 2px wide, or a box-shadow, in colours that are not transparent. */
async function focusRing(locator: Locator) {
  return locator.evaluate((el) => {
    const s = getComputedStyle(el);
    return {
      outlineStyle: s.outlineStyle,
      outlineWidth: s.outlineWidth,
      outlineColor: s.outlineColor,
      boxShadow: s.boxShadow,
    };
  });
}

function expectVisibleRing(ring: {
  outlineStyle: string;
  outlineWidth: string;
  outlineColor: string;
  boxShadow: string;
}) {
  const outline =
    ring.outlineStyle !== 'none' && parseFloat(ring.outlineWidth) >= 2 && toHex(ring.outlineColor) !== null;
  const shadowColours = [...ring.boxShadow.matchAll(/rgba?\([^)]*\)/g)].map((m) => toHex(m[0]));
  const shadow = ring.boxShadow !== 'none' && shadowColours.some((c) => c !== null);
  expect(outline || shadow, JSON.stringify(ring)).toBe(true);
  // A dark ring is what shows on white: yellow alone is 1.1:1.
  const colours = [toHex(ring.outlineColor), ...shadowColours].filter((c): c is string => c !== null);
  expect(Math.max(...colours.map((c) => contrastRatio(c, '#ffffff'))), JSON.stringify(ring)).toBeGreaterThanOrEqual(3);
}

/** Presses Tab until focus is on an element matching the selector (or fails after 60 presses). */
async function tabTo(page: Page, selector: string) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

const CHART_PAGES = ['#/workforce/summary', '#/workforce/picture', '#/gaps/summary', '#/funding/overview'];

test('no chart is a tab stop, and every chart has a table beside it', async ({ page }) => {
  test.setTimeout(120_000);
  await loadDemo(page);
  const hashes = new Set<string>(CHART_PAGES);
  for (const area of await page.getByRole('navigation', { name: 'Main areas' }).getByRole('link').all()) {
    const href = await area.getAttribute('href');
    if (!href) continue;
    hashes.add(href);
    await visit(page, href);
    for (const tab of await page.locator('nav.tabs a').all()) {
      const tabHref = await tab.getAttribute('href');
      if (tabHref) hashes.add(tabHref);
    }
  }
  let charts = 0;
  for (const hash of hashes) {
    await visit(page, hash);
    const figures = page.locator('figure.chart:has(.recharts-wrapper)');
    await figures
      .first()
      .locator('svg')
      .first()
      .waitFor({ timeout: CHART_PAGES.includes(hash) ? 10_000 : 500 })
      .catch(() => undefined);
    const count = await figures.count();
    charts += count;
    const stops = await page.evaluate(() =>
      [...document.querySelectorAll('[role="application"], figure.chart [tabindex]')]
        .filter((el) => el.getAttribute('tabindex') !== '-1' || el.getAttribute('role') === 'application')
        .map((el) => el.outerHTML.slice(0, 120)),
    );
    expect(stops, hash).toEqual([]);
    for (let i = 0; i < count; i++) {
      await expect(figures.nth(i), hash).toHaveAttribute('aria-label', /^Chart: /);
      await expect(
        figures.nth(i).locator('xpath=ancestor::*[contains(@class,"chart-and-table")]//table'),
        hash,
      ).not.toHaveCount(0);
    }
  }
  // Summary 2, Picture 7, Gaps 1, Funding 2 with the demo trust (fewer would mean a page was not looked at).
  expect(charts).toBeGreaterThanOrEqual(11);

  // Tab from the page top through each chart page: focus never lands inside a chart.
  for (const hash of CHART_PAGES) {
    await visit(page, hash);
    await page.locator('figure.chart svg').first().waitFor();
    await page.locator('h1').first().click();
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const inChart = await page.evaluate(() => {
        const el = document.activeElement;
        return el?.closest('figure.chart') ? el.outerHTML.slice(0, 120) : null;
      });
      expect(inChart, `${hash}, Tab ${i + 1}`).toBeNull();
    }
  }
});

test('ticks, rounds and the scrolling table show a visible focus ring when tabbed to', async ({ page }) => {
  await loadDemo(page);

  await visit(page, '#/workforce/summary');
  await page.getByRole('heading', { name: 'Headcount and FTE' }).click();
  await tabTo(page, 'input[type="radio"]');
  const radio = page.locator('input[type="radio"]:focus');
  await expect(radio).toHaveCount(1);
  expectVisibleRing(await focusRing(radio));
  // Not focused, the same round has no ring: the change is what the keyboard user sees.
  const same = page.getByRole('radio', { checked: true }).first();
  await page.getByRole('heading', { name: 'Headcount and FTE' }).click();
  expect((await focusRing(same)).outlineStyle).toBe('none');

  await visit(page, '#/framework/mapping');
  const all = page.getByRole('checkbox', { name: 'Select all roles shown' });
  await all.waitFor();
  await page.locator('caption', { hasText: /^Roles \(/ }).click();
  await tabTo(page, 'input[type="checkbox"]');
  await expect(all).toBeFocused();
  expectVisibleRing(await focusRing(all));
  await page.screenshot({ path: path.join(SCREENSHOTS, 'a11y-focus-checkbox.png') });

  await visit(page, '#/workforce/picture');
  const period = page.getByRole('radio').first();
  await period.waitFor();
  await period.focus();
  await page.keyboard.press('ArrowDown');
  const focusedRadio = page.locator('input[type="radio"]:focus');
  await expect(focusedRadio).toHaveCount(1);
  expectVisibleRing(await focusRing(focusedRadio));
  await page.screenshot({ path: path.join(SCREENSHOTS, 'a11y-focus-radio.png') });

  await visit(page, '#/workforce/staff');
  const scrollBox = page.locator('.scroll-box').first();
  await scrollBox.waitFor();
  await scrollBox.focus();
  expectVisibleRing(await focusRing(scrollBox));
});

test('chart bars and lines are 3:1 against white and their legend text is dark', async ({ page }) => {
  test.setTimeout(90_000);
  await loadDemo(page);
  let marks = 0;
  for (const hash of CHART_PAGES) {
    await visit(page, hash);
    await page.locator('figure.chart .recharts-legend-item, figure.chart .recharts-bar-rectangle').first().waitFor();
    const found = await page.evaluate(() => ({
      fills: [
        ...document.querySelectorAll(
          'figure.chart .recharts-bar-rectangle path, figure.chart .recharts-bar-rectangle rect',
        ),
      ].map((el) => el.getAttribute('fill') ?? ''),
      strokes: [...document.querySelectorAll('figure.chart .recharts-line-curve')].map(
        (el) => el.getAttribute('stroke') ?? '',
      ),
      legendText: [...document.querySelectorAll('figure.chart .recharts-legend-item-text')].map(
        (el) => getComputedStyle(el).color,
      ),
    }));
    for (const colour of [...found.fills, ...found.strokes]) {
      const hex = toHex(colour);
      expect(hex, `${hash} ${colour}`).not.toBeNull();
      expect(contrastRatio(hex ?? '#ffffff', '#ffffff'), `${hash} ${colour}`).toBeGreaterThanOrEqual(3);
    }
    for (const colour of found.legendText) {
      expect(contrastRatio(toHex(colour) ?? '#ffffff', '#ffffff'), `${hash} legend ${colour}`).toBeGreaterThanOrEqual(
        4.5,
      );
    }
    marks += found.fills.length + found.strokes.length;
  }
  expect(marks).toBeGreaterThan(20);

  // Stacked segments meet along a white edge, so neighbours in similar colours stay apart.
  await visit(page, '#/gaps/summary');
  const segment = page.locator('figure.chart .recharts-bar-rectangle path').first();
  await segment.waitFor();
  expect(await segment.getAttribute('stroke')).toBe('#ffffff');
  expect(Number(await segment.getAttribute('stroke-width'))).toBeGreaterThanOrEqual(1);
  // The tooltip's lines are dark text too, not the series colours.
  await segment.hover();
  const items = page.locator('figure.chart .recharts-tooltip-item');
  await expect(items.first()).toBeVisible();
  for (const colour of await items.evaluateAll((els) => els.map((el) => getComputedStyle(el).color)))
    expect(contrastRatio(toHex(colour) ?? '#ffffff', '#ffffff'), `tooltip ${colour}`).toBeGreaterThanOrEqual(4.5);
  await page
    .locator('figure.chart')
    .first()
    .screenshot({ path: path.join(SCREENSHOTS, 'a11y-gaps-chart.png') });
});
