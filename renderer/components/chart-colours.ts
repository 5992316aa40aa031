/**
 * The colours every chart draws with. Each is at least 3:1 against white (WCAG 1.4.11), so a bar stands out
 * from the page; stacked segments are kept apart by a white border rather than by contrast with each other,
 * since no ten colours dark enough for white can also all be 3:1 from their neighbours.
 */

export const CHART_TEXT = '#212b32';

export const BLUE = '#005eb8';
export const AMBER = '#b35900';
export const PURPLE = '#330072';
export const GREEN = '#007f3b';
export const PINK = '#ae2573';
export const GREY = '#768692';
export const RED = '#d5281b';
export const TEAL = '#00796b';
export const DARK_BLUE = '#003087';
export const PLUM = '#7c2855';

/** Series in order: neighbours differ in hue as well as lightness. */
export const SERIES_COLOURS: readonly string[] = [BLUE, AMBER, PURPLE, GREEN, PINK, GREY, RED, TEAL, DARK_BLUE, PLUM];

export function seriesColour(index: number): string {
  return SERIES_COLOURS[index % SERIES_COLOURS.length] ?? BLUE;
}

/** Props for a segment of a stacked bar: a white edge (3:1 against every series colour) between neighbours. */
export const STACKED_SEGMENT = { stroke: '#ffffff', strokeWidth: 2 } as const;

function channel(v: number): number {
  const s = v / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of #rrggbb. */
export function relativeLuminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`Not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => channel(parseInt(h ?? '0', 16)));
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

/** WCAG contrast ratio between two #rrggbb colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}
