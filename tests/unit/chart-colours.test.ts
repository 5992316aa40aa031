import { describe, expect, it } from 'vitest';
import { CHART_TEXT, contrastRatio, SERIES_COLOURS } from '../../renderer/components/chart-colours';

describe('chart colours', () => {
  it('measures contrast as WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
    // The colours issue 14 found too light: NHS light blue and warm yellow.
    expect(contrastRatio('#41b6e6', '#ffffff')).toBeLessThan(3);
    expect(contrastRatio('#ffb81c', '#ffffff')).toBeLessThan(3);
  });

  it('draws every series at 3:1 or more against white, each colour once, and text at 4.5:1', () => {
    for (const c of SERIES_COLOURS) expect(contrastRatio(c, '#ffffff'), c).toBeGreaterThanOrEqual(3);
    expect(new Set(SERIES_COLOURS).size).toBe(SERIES_COLOURS.length);
    expect(contrastRatio(CHART_TEXT, '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });
});
