import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

// Checks shared by the WCAG 2.1 AA specs (issue 14): each reports what is wrong on the page as it is now, so one
// walk through the app can check every screen and state without starting again.

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** axe's WCAG 2.1 A and AA rules, as "rule: where" lines (none expected). */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return result.violations.map(
    (v) =>
      `${v.id}: ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(' | ')}`,
  );
}

/** Ids used more than once, and things the keyboard reaches that have no name a screen reader could read out. */
export async function idAndNameProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const el of document.querySelectorAll('[id]')) {
      if (seen.has(el.id)) problems.push(`duplicate id "${el.id}"`);
      seen.add(el.id);
    }
    const focusable = document.querySelectorAll<HTMLElement>(
      'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"])',
    );
    const textOf = (ids: string) =>
      ids
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ');
    for (const el of focusable) {
      if (el.getClientRects().length === 0 || (el as HTMLButtonElement).disabled) continue;
      const labels = 'labels' in el ? [...((el as HTMLInputElement).labels ?? [])] : [];
      const name = [
        el.getAttribute('aria-label'),
        textOf(el.getAttribute('aria-labelledby') ?? ''),
        ...labels.map((l) => l.textContent),
        el instanceof HTMLInputElement ? '' : el.textContent,
        el.getAttribute('title'),
        el instanceof HTMLInputElement && ['submit', 'button'].includes(el.type) ? el.value : '',
        [...el.querySelectorAll('img[alt]')].map((i) => i.getAttribute('alt')).join(''),
      ]
        .join('')
        .trim();
      if (!name) problems.push(`no accessible name: ${el.outerHTML.slice(0, 100)}`);
    }
    return problems;
  });
}

/**
 * At 320 px (a phone, or 400% zoom of a 1280 px window) and 640 px (200%), the page never scrolls sideways as a
 * whole (WCAG 1.4.10); wide tables scroll in their own box. Puts the viewport back afterwards.
 */
export async function reflowProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  const original = page.viewportSize() ?? { width: 1366, height: 900 };
  for (const width of [320, 640]) {
    await page.setViewportSize({ width, height: 800 });
    const fits = () =>
      page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1).catch(() => false);
    // Charts redraw to the new width a moment after the resize.
    await expect
      .poll(fits, { timeout: 2_000 })
      .toBe(true)
      .catch(() => undefined);
    if (!(await fits())) {
      const detail = await page.evaluate(() => {
        const widest = [...document.querySelectorAll<HTMLElement>('main *')]
          .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
          .slice(0, 3)
          .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
        return `${document.documentElement.scrollWidth}px wide (${widest.join(', ')})`;
      });
      problems.push(`scrolls sideways at ${width}px: ${detail}`);
    }
  }
  await page.setViewportSize(original);
  return problems;
}

/**
 * Each visible tick box and round changes how it looks when it takes focus, with an outline or shadow at least
 * 2 px (WCAG 2.4.7). Checks up to `limit` of each kind on the page.
 */
export async function focusRingProblems(page: Page, limit = 4): Promise<string[]> {
  const problems: string[] = [];
  for (const kind of ['checkbox', 'radio']) {
    const boxes = page.locator(`main input[type="${kind}"]:visible`);
    const count = Math.min(await boxes.count(), limit);
    for (let i = 0; i < count; i++) {
      const box = boxes.nth(i);
      const before = await box.evaluate((el) => {
        (el as HTMLElement).blur();
        const s = getComputedStyle(el);
        return { outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth, boxShadow: s.boxShadow };
      });
      await box.focus();
      const after = await box.evaluate((el) => {
        const s = getComputedStyle(el);
        return { outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth, boxShadow: s.boxShadow };
      });
      const visible =
        (after.outlineStyle !== 'none' && parseFloat(after.outlineWidth) >= 2) || after.boxShadow !== 'none';
      if (!visible || JSON.stringify(before) === JSON.stringify(after)) {
        const name = await box.evaluate((el) => el.outerHTML.slice(0, 100));
        problems.push(`${kind} shows no focus: ${name} ${JSON.stringify(after)}`);
      }
    }
  }
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  return problems;
}
