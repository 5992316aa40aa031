import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  bloomExpectedFalseAlarms,
  bloomFalsePositiveRate,
  PseudonymBloomFilter,
} from '../../electron/services/common/bloom';

// Deterministic stand-ins for pseudonyms: 32 hex characters of a hash, as the import stages them.
const key = (n: number) => createHash('sha256').update(`key ${n}`).digest('hex').slice(0, 32);

describe('PseudonymBloomFilter', () => {
  it('never says no to a key it was given (no false negatives)', () => {
    const filter = new PseudonymBloomFilter(16);
    const keys = Array.from({ length: 20_000 }, (_, i) => key(i));
    for (const k of keys) filter.add(filter.positions(k));
    expect(keys.every((k) => filter.mayContain(filter.positions(k)))).toBe(true);
  });

  it('says no to most keys it was not given, at about the rate it is designed for', () => {
    // 2^16 bits, 5,000 keys, 3 positions each: (1 - e^(-3 x 5000 / 65536))^3 = 0.2046^3 = 0.86%.
    const filter = new PseudonymBloomFilter(16);
    for (let i = 0; i < 5_000; i++) filter.add(filter.positions(key(i)));
    const design = bloomFalsePositiveRate(filter.bits, 5_000);
    expect(design).toBeCloseTo(0.00856, 4);
    let alarms = 0;
    const tries = 100_000;
    for (let i = 0; i < tries; i++) if (filter.mayContain(filter.positions(key(1_000_000 + i)))) alarms++;
    // Expected 856; the keys are fixed, so this measures the filter, never chance.
    expect(alarms / tries).toBeGreaterThan(design * 0.8);
    expect(alarms / tries).toBeLessThan(design * 1.2);
  });

  it("the import's size (2^26 bits, 8 MiB) keeps false alarms rare up to 500,000 rows", () => {
    expect(new PseudonymBloomFilter(26).bits / 8 / 1024 / 1024).toBe(8);
    // After 500,000 keys one new key in about 93,000 is a false alarm.
    expect(bloomFalsePositiveRate(2 ** 26, 500_000)).toBeCloseTo(1.08e-5, 6);
    // Over a whole file, each row tested before it is added: 0.04 false alarms at 200,000 rows, 1.4 at 500,000.
    expect(bloomExpectedFalseAlarms(2 ** 26, 200_000)).toBeCloseTo(0.035, 3);
    expect(bloomExpectedFalseAlarms(2 ** 26, 500_000)).toBeCloseTo(1.36, 2);
  });

  it('refuses a size its positions cannot address', () => {
    expect(() => new PseudonymBloomFilter(29)).toThrow(RangeError);
    expect(() => new PseudonymBloomFilter(4)).toThrow(RangeError);
  });
});
