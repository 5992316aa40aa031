import { describe, expect, it } from 'vitest';
import {
  ageBand,
  bmeShare,
  formatRate,
  isSmallCount,
  leaverRate,
  roundForDisplay,
  stabilityIndex,
  vacancyRate,
} from '../../shared/picture/metrics';

describe('leaver rate', () => {
  it('worked example', () => {
    // 6 leavers; headcount 50 at start and 70 at end; average (50 + 70) / 2 = 60; 6 / 60 x 100 = 10.0
    expect(leaverRate(6, 50, 70)).toBe(10);
    expect(formatRate(leaverRate(6, 50, 70))).toBe('10.0');
  });
  it('awkward fraction', () => {
    // 5 leavers; headcount 40 and 44; average 42; 5 / 42 x 100 = 11.904... -> 11.9
    expect(roundForDisplay(leaverRate(5, 40, 44))).toBe(11.9);
  });
  it('no staff at either end gives no rate, not 0%', () => {
    expect(leaverRate(0, 0, 0)).toBeNull();
    expect(formatRate(leaverRate(0, 0, 0))).toBe('—');
  });
  it('refuses negative counts', () => {
    expect(() => leaverRate(-1, 10, 10)).toThrow(RangeError);
  });
});

describe('stability index', () => {
  it('worked example', () => {
    // 40 staff in post a year ago; 34 of today's staff have a year or more of service; 34 / 40 x 100 = 85.0
    expect(stabilityIndex(34, 40)).toBe(85);
    // 2 / 3 x 100 = 66.666... -> 66.7
    expect(roundForDisplay(stabilityIndex(2, 3))).toBe(66.7);
    expect(stabilityIndex(0, 0)).toBeNull();
  });
});

describe('vacancy rate', () => {
  it('worked example', () => {
    // establishment 25.0 FTE, 21.4 FTE in post; (25 - 21.4) / 25 x 100 = 3.6 / 25 x 100 = 14.4
    expect(roundForDisplay(vacancyRate(25, 21.4))).toBe(14.4);
    // over establishment: 10 funded, 10.5 in post; -0.5 / 10 x 100 = -5.0
    expect(roundForDisplay(vacancyRate(10, 10.5))).toBe(-5);
    expect(vacancyRate(0, 3)).toBeNull();
  });
});

describe('rounding for display', () => {
  it('rounds half away from zero without binary artefacts', () => {
    expect(roundForDisplay(10.05)).toBe(10.1);
    expect(roundForDisplay(-10.05)).toBe(-10.1);
    expect(roundForDisplay(0.25)).toBe(0.3);
    expect(roundForDisplay(1.005, 2)).toBe(1.01);
    expect(roundForDisplay(12.34)).toBe(12.3);
    expect(roundForDisplay(-0.04)).toBe(0);
    expect(roundForDisplay(1e-9)).toBe(0);
    expect(roundForDisplay(null)).toBeNull();
    expect(formatRate(7)).toBe('7.0');
  });
});

describe('age bands', () => {
  it('uses the as-at year minus the year of birth', () => {
    // as at 2022-03-31: born 2003 -> 19 -> under 20; 2002 -> 20; 1998 -> 24; 1997 -> 25; 1958 -> 64; 1957 -> 65
    expect(ageBand(2003, '2022-03-31')).toBe('under-20');
    expect(ageBand(2002, '2022-03-31')).toBe('20-24');
    expect(ageBand(1998, '2022-03-31')).toBe('20-24');
    expect(ageBand(1997, '2022-03-31')).toBe('25-29');
    expect(ageBand(1958, '2022-03-31')).toBe('60-64');
    expect(ageBand(1957, '2022-03-31')).toBe('65-plus');
    expect(ageBand(null, '2022-03-31')).toBe('unknown');
    expect(ageBand(2030, '2022-03-31')).toBe('unknown');
  });
});

describe('BME share', () => {
  it('leaves not stated and not known out of the denominator', () => {
    // BME: H 3 + N 2 = 5; white: A 12 + C 3 = 15; not stated Z 4 and not known 99 1 excluded; 5 / 20 x 100 = 25.0
    const share = bmeShare({ A: 12, C: 3, H: 3, N: 2, Z: 4, '99': 1 });
    expect(share).toEqual({ bme: 5, white: 15, notStatedOrKnown: 5, unrecognised: 0, percent: 25 });
  });
  it('gives no share when nobody has a known category', () => {
    expect(bmeShare({ Z: 3 }).percent).toBeNull();
    expect(bmeShare({ Q: 2 }).unrecognised).toBe(2);
  });
});

describe('small counts', () => {
  it('marks 1 to 7 by default, never 0', () => {
    expect([0, 1, 7, 8].map((n) => isSmallCount(n))).toEqual([false, true, true, false]);
    expect(isSmallCount(9, 10)).toBe(true);
  });
});
