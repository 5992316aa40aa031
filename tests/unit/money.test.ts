import { describe, expect, it } from 'vitest';
import {
  formatPence,
  parseMoney,
  penceSchema,
  nonNegativePenceSchema,
  splitLargestRemainder,
  sumPence,
} from '../../shared/common/money';

describe('formatPence', () => {
  it('shows pounds with thousands separators and two decimals', () => {
    expect(formatPence(123456)).toBe('£1,234.56');
    expect(formatPence(-123456)).toBe('-£1,234.56');
    expect(formatPence(0)).toBe('£0.00');
    expect(formatPence(5)).toBe('£0.05');
    expect(formatPence(-5)).toBe('-£0.05');
    expect(formatPence(100000000)).toBe('£1,000,000.00');
    expect(formatPence(99999)).toBe('£999.99');
  });

  it('rounds to whole pounds only at display, halves away from zero', () => {
    expect(formatPence(123456, { pence: false })).toBe('£1,235'); // 56p rounds up
    expect(formatPence(123449, { pence: false })).toBe('£1,234');
    expect(formatPence(150, { pence: false })).toBe('£2');
    expect(formatPence(-150, { pence: false })).toBe('-£2');
    expect(formatPence(-49, { pence: false })).toBe('£0'); // never "-£0"
  });

  it('refuses anything that is not whole pence', () => {
    expect(() => formatPence(1.5)).toThrow(RangeError);
    expect(() => formatPence(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
    expect(() => formatPence(Number.NaN)).toThrow(RangeError);
  });
});

describe('pence schemas', () => {
  it('accepts safe integers only', () => {
    expect(penceSchema.safeParse(-12).success).toBe(true);
    expect(penceSchema.safeParse(1.5).success).toBe(false);
    expect(penceSchema.safeParse(2 ** 53).success).toBe(false);
    expect(nonNegativePenceSchema.safeParse(-1).success).toBe(false);
  });
});

describe('parseMoney', () => {
  const pence = (text: string) => {
    const r = parseMoney(text);
    return r.ok ? r.pence : `error: ${r.message}`;
  };

  it('reads UK amounts with or without separators and the pound sign', () => {
    expect(pence('1234.56')).toBe(123456);
    expect(pence('1,234.56')).toBe(123456);
    expect(pence('£1,234.56')).toBe(123456);
    expect(pence('  £ 1,234.56 ')).toBe(123456);
    expect(pence('1234.5')).toBe(123450);
    expect(pence('1234')).toBe(123400);
    expect(pence('1,234')).toBe(123400); // UK thousands: the home style wins
    expect(pence('1,234,567.89')).toBe(123456789);
    expect(pence('0.07')).toBe(7);
    expect(pence('+12')).toBe(1200);
  });

  it('reads negatives as ledgers write them', () => {
    expect(pence('-1234.56')).toBe(-123456);
    expect(pence('−1234.56')).toBe(-123456); // Unicode minus sign
    expect(pence('(1,234.56)')).toBe(-123456);
    expect(pence('(£1,234.56)')).toBe(-123456);
    expect(pence('-£1,234.56')).toBe(-123456);
    expect(pence('£-1,234.56')).toBe(-123456);
    expect(pence('1234.56-')).toBe(-123456);
    expect(pence('1234.56 CR')).toBe(-123456); // a credit reduces spend
    expect(pence('1234.56cr')).toBe(-123456);
    expect(pence('1234.56 DR')).toBe(123456); // a debit is spend
    expect(pence('-0.00')).toBe(0);
    expect(Object.is(pence('-0.00'), -0)).toBe(false);
  });

  it('reads European amounts only when no UK reading exists', () => {
    expect(pence('1.234,56')).toBe(123456);
    expect(pence('1.234.567,8')).toBe(123456780);
    expect(pence('1234,56')).toBe(123456);
    expect(pence('12,5')).toBe(1250);
    expect(pence('1.234.567')).toBe(123456700); // two dot groups can only be thousands
  });

  it('calls "1.234" ambiguous rather than guessing', () => {
    const r = parseMoney('1.234');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toMatch(/ambiguous/);
      expect(r.message).toMatch(/1,234 pounds/);
    }
    expect(pence('£12.345')).toMatch(/ambiguous/);
  });

  it('never turns an unreadable amount into 0', () => {
    expect(pence('')).toBe('error: blank amount');
    expect(pence('   ')).toBe('error: blank amount');
    expect(pence('1234.567')).toMatch(/more than 2 decimal places/);
    expect(pence('0.125')).toMatch(/more than 2 decimal places/);
    expect(pence('1.234,567')).toMatch(/more than 2 decimal places/);
    expect(pence('abc')).toMatch(/^error/);
    expect(pence('12a')).toMatch(/^error/);
    expect(pence('1,23,456')).toMatch(/^error/); // not a UK grouping
    expect(pence('1,234.56.7')).toMatch(/^error/);
    expect(pence('12.')).toMatch(/^error/);
    expect(pence('£')).toMatch(/no digits/);
    expect(pence('(12')).toMatch(/bracket/);
    expect(pence('-(12)')).toMatch(/more than once/);
    expect(pence('(12) CR')).toMatch(/more than once/);
    expect(pence('€12.00')).toMatch(/pounds sterling/);
    expect(pence('$12.00')).toMatch(/pounds sterling/);
    expect(pence('1.2E+05')).toMatch(/^error/);
    expect(pence('99999999999999999')).toMatch(/too large/);
  });
});

describe('sumPence', () => {
  it('adds whole pence and refuses fractions or overflow', () => {
    expect(sumPence([])).toBe(0);
    expect(sumPence([100, -25, 3])).toBe(78);
    expect(() => sumPence([0.1, 0.2])).toThrow(RangeError);
    expect(() => sumPence([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
  });
});

describe('splitLargestRemainder', () => {
  it('splits £1,000.00 evenly over 12 months with the spare pence going to the first months', () => {
    // 100000 / 12 = 8333 r 4: every share has the same remainder (4/12), so the tie-break by index gives
    // the 4 leftover pence to indices 0..3 (April to July): 8334 x 4 + 8333 x 8 = 33336 + 66664 = 100000.
    const parts = splitLargestRemainder(100000, Array(12).fill(1));
    expect(parts).toEqual([8334, 8334, 8334, 8334, 8333, 8333, 8333, 8333, 8333, 8333, 8333, 8333]);
    expect(sumPence(parts)).toBe(100000);
  });

  it('gives spare pence to the largest remainders, not simply the first index', () => {
    // 100 by weights 1:2:3 (sum 6): exact shares 16.67, 33.33, 50 -> floors 16, 33, 50 = 99, 1 left over.
    // Remainders 4/6, 2/6, 0/6: the first share has the largest remainder -> [17, 33, 50].
    expect(splitLargestRemainder(100, [1, 2, 3])).toEqual([17, 33, 50]);
    // 100 by 3:2:1 -> shares 50, 33.33, 16.67: the last share has the largest remainder -> [50, 33, 17].
    expect(splitLargestRemainder(100, [3, 2, 1])).toEqual([50, 33, 17]);
  });

  it('mirrors negative totals', () => {
    // -100 over three equal parts: |-100| = 34 + 33 + 33, then negated.
    expect(splitLargestRemainder(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
  });

  it('gives nothing to zero weights and handles all-zero cases honestly', () => {
    expect(splitLargestRemainder(101, [0, 1, 0, 1])).toEqual([0, 51, 0, 50]);
    expect(splitLargestRemainder(0, [0, 0])).toEqual([0, 0]);
    expect(() => splitLargestRemainder(1, [0, 0])).toThrow(/every weight is zero/);
    expect(() => splitLargestRemainder(1, [])).toThrow(RangeError);
    expect(() => splitLargestRemainder(1, [-1, 2])).toThrow(RangeError);
    expect(() => splitLargestRemainder(1.5, [1])).toThrow(RangeError);
  });

  it('uses exact arithmetic for fractional weights', () => {
    // 0.1 : 0.2 : 0.7 of 1000 is 100, 200, 700 exactly, despite 0.1 + 0.2 !== 0.3 in floating point.
    expect(splitLargestRemainder(1000, [0.1, 0.2, 0.7])).toEqual([100, 200, 700]);
    expect(splitLargestRemainder(1, [0.5, 0.5])).toEqual([1, 0]);
  });

  it('always sums exactly, even for large totals', () => {
    const total = Number.MAX_SAFE_INTEGER;
    const parts = splitLargestRemainder(total, [3, 7, 11, 13]);
    expect(parts.every(Number.isSafeInteger)).toBe(true);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
  });
});
