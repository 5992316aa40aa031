import { z } from 'zod';

/** Money is integer pence everywhere; pounds exist only in text typed by a person or shown to one. */

export const penceSchema = z.int({ error: 'Amounts are whole pence within the safe integer range' });
export const nonNegativePenceSchema = penceSchema.min(0, 'The amount cannot be negative');

export type ParseMoneyResult = { ok: true; pence: number } | { ok: false; message: string };

function assertPence(p: number, what = 'amount'): void {
  if (!Number.isSafeInteger(p)) throw new RangeError(`The ${what} must be whole pence (a safe integer), got ${p}`);
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * "£1,234.56" / "-£1,234.56". With `pence: false` the amount is rounded to whole pounds, halves away from
 * zero (so -£0.50 shows "-£1"), and a value that rounds to nothing shows "£0", never "-£0".
 */
export function formatPence(p: number, options: { pence?: boolean } = {}): string {
  assertPence(p);
  const showPence = options.pence ?? true;
  const abs = Math.abs(p);
  let pounds = Math.floor(abs / 100);
  const rest = abs % 100;
  let text: string;
  if (showPence) {
    text = `${groupThousands(String(pounds))}.${String(rest).padStart(2, '0')}`;
  } else {
    if (rest >= 50) pounds += 1;
    text = groupThousands(String(pounds));
  }
  const isZero = showPence ? abs === 0 : pounds === 0;
  return `${p < 0 && !isZero ? '-' : ''}£${text}`;
}

const fail = (message: string): ParseMoneyResult => ({ ok: false, message });

// UK is the home style. A European reading is used only when the text cannot be read the UK way.
const UK = /^(?:[1-9]\d{0,2}(?:,\d{3})+|\d+)(?:\.(\d+))?$/;
const EUROPEAN = /^(?:[1-9]\d{0,2}(?:\.\d{3})+|\d+)(?:,(\d+))?$/;

/**
 * Reads an amount as typed or exported: "1234.56", "1,234.56", "£1,234.56", "-1234.56", "(1,234.56)",
 * "1234.56-" (trailing minus, as some ledgers export), "1234.56 CR" (credit: negative) / "1234.56 DR"
 * (debit: positive, since a debit on an expenditure ledger is spend), and European "1.234,56".
 * Never returns 0 for text it cannot read.
 */
export function parseMoney(text: string): ParseMoneyResult {
  const original = text.trim();
  if (original === '') return fail('blank amount');
  let s = original.replace(/\u2212/g, '-');
  let negatives = 0;
  let pounds = 0;

  const crdr = /\s*(?<![A-Z])(CR|DR)\.?$/i.exec(s);
  if (crdr) {
    if (crdr[1]!.toUpperCase() === 'CR') negatives += 1;
    s = s.slice(0, crdr.index).trim();
  }
  // Signs, brackets and the pound sign may come in any order: "-£5", "£-5", "(£5)", "£5-".
  for (let before = ''; before !== s;) {
    before = s;
    if (s.startsWith('(') && s.endsWith(')')) {
      negatives += 1;
      s = s.slice(1, -1).trim();
    }
    if (s.startsWith('-')) negatives += 1;
    if (s.endsWith('-')) negatives += 1;
    if (s.startsWith('£')) pounds += 1;
    s = s.replace(/^[-+£]|-$/g, '').trim();
  }
  if (/[()]/.test(s)) return fail(`"${original}" has an unmatched bracket`);
  if (pounds > 1) return fail(`"${original}" has more than one pound sign`);
  if (negatives > 1) return fail(`"${original}" is marked negative more than once`);
  if (/[$€¥]|EUR|USD/i.test(s)) return fail(`"${original}" is not in pounds sterling`);
  if (s === '') return fail(`"${original}" has no digits`);
  if (!/^[\d.,]+$/.test(s)) return fail(`"${original}" is not an amount of money`);

  const uk = UK.exec(s);
  const eu = EUROPEAN.exec(s);
  let whole: string;
  let decimals: string;
  if (uk) {
    whole = s.replace(/\.\d*$/, '').replace(/,/g, '');
    decimals = uk[1] ?? '';
    if (decimals.length > 2 && eu) {
      return fail(
        `"${original}" is ambiguous: it could be ${groupThousands(s.replace(/\./g, ''))} pounds written the European way, ` +
          `or pounds with ${decimals.length} decimal places. Write it as ${s.replace(/\./g, '')} or ${s.replace(/\./g, ',')}.00`,
      );
    }
  } else if (eu) {
    whole = s.replace(/,\d*$/, '').replace(/\./g, '');
    decimals = eu[1] ?? '';
  } else {
    return fail(`"${original}" is not an amount of money: check the commas and decimal point`);
  }
  if (decimals.length > 2) return fail(`"${original}" has more than 2 decimal places`);

  const pence = Number(whole) * 100 + Number(decimals.padEnd(2, '0'));
  if (!Number.isSafeInteger(pence)) return fail(`"${original}" is too large`);
  return { ok: true, pence: negatives === 1 && pence !== 0 ? -pence : pence };
}

export function sumPence(values: readonly number[]): number {
  let total = 0;
  for (const v of values) {
    assertPence(v);
    total += v;
    if (!Number.isSafeInteger(total)) throw new RangeError('The total is too large to hold in pence exactly');
  }
  return total;
}

/** A finite non-negative double as an exact integer numerator over 2^exponent (doubles are binary fractions). */
function exactBinaryFraction(w: number): { numerator: bigint; exponent: number } {
  let scaled = w;
  let exponent = 0;
  while (!Number.isInteger(scaled)) {
    scaled *= 2;
    exponent += 1;
  }
  return { numerator: BigInt(scaled), exponent };
}

/**
 * Splits `totalPence` in proportion to `weights` into whole pence that add up to the total exactly.
 * Largest remainder method in exact integer arithmetic: every part gets the floor of its share, then the
 * pence left over go one each to the largest remainders; equal remainders go to the earlier index.
 * A negative total is split as its absolute value and negated, so -£1 splits like £1 with signs flipped.
 */
export function splitLargestRemainder(totalPence: number, weights: readonly number[]): number[] {
  assertPence(totalPence, 'total');
  if (weights.length === 0) throw new RangeError('Nothing to split the amount across');
  for (const w of weights) {
    if (!Number.isFinite(w) || w < 0) throw new RangeError(`Weights must be finite and not negative, got ${w}`);
  }
  const fractions = weights.map(exactBinaryFraction);
  const maxExponent = Math.max(...fractions.map((f) => f.exponent));
  const scaled = fractions.map((f) => f.numerator << BigInt(maxExponent - f.exponent));
  const weightSum = scaled.reduce((a, b) => a + b, 0n);
  if (weightSum === 0n) {
    if (totalPence === 0) return weights.map(() => 0);
    throw new RangeError('Cannot split a non-zero amount when every weight is zero');
  }

  const total = BigInt(Math.abs(totalPence));
  const shares = scaled.map((w, index) => ({
    index,
    floor: (total * w) / weightSum,
    remainder: (total * w) % weightSum,
  }));
  let leftover = total - shares.reduce((a, s) => a + s.floor, 0n);
  const byRemainder = [...shares].sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  const parts = shares.map((s) => s.floor);
  for (const s of byRemainder) {
    if (leftover === 0n) break;
    parts[s.index]! += 1n;
    leftover -= 1n;
  }
  const sign = totalPence < 0 ? -1 : 1;
  return parts.map((p) => (p === 0n ? 0 : sign * Number(p)));
}
