/**
 * A Bloom filter over pseudonyms (hex text of a keyed hash, at least 32 characters): `mayContain` false proves a
 * key was never added; true may be a false alarm, so the caller then checks for real. The hex is already
 * uniformly random, so the three bit positions are read straight from it (characters 13 to 32, apart from the
 * first 13, which the staging table uses as its integer key) instead of hashing again.
 */

/** How many positions a key sets. */
export const BLOOM_HASHES = 3;

/** The positions of one key, worked out once and used for both the test and the add. */
export type BloomPositions = readonly [number, number, number];

export class PseudonymBloomFilter {
  private readonly words: Uint32Array;
  private readonly mask: number;

  /** `bitsLog2` up to 28 (each position is read from 7 hex characters): 26 gives 2^26 bits, 8 MiB. */
  constructor(readonly bitsLog2: number) {
    if (!Number.isInteger(bitsLog2) || bitsLog2 < 5 || bitsLog2 > 28)
      throw new RangeError(`bitsLog2 is 5 to 28, got ${bitsLog2}`);
    this.words = new Uint32Array(2 ** bitsLog2 / 32);
    this.mask = 2 ** bitsLog2 - 1;
  }

  get bits(): number {
    return this.mask + 1;
  }

  positions(key: string): BloomPositions {
    return [
      Number.parseInt(key.slice(13, 20), 16) & this.mask,
      Number.parseInt(key.slice(20, 27), 16) & this.mask,
      Number.parseInt(key.slice(25, 32), 16) & this.mask,
    ];
  }

  mayContain([a, b, c]: BloomPositions): boolean {
    return this.isSet(a) && this.isSet(b) && this.isSet(c);
  }

  add(positions: BloomPositions): void {
    for (const bit of positions) this.words[bit >>> 5]! |= 1 << (bit & 31);
  }

  private isSet(bit: number): boolean {
    return (this.words[bit >>> 5]! & (1 << (bit & 31))) !== 0;
  }
}

/** The chance that a key never added is reported as maybe there, once `added` keys are in: (1 - e^(-kn/m))^k. */
export function bloomFalsePositiveRate(bits: number, added: number, hashes = BLOOM_HASHES): number {
  return (1 - Math.exp((-hashes * added) / bits)) ** hashes;
}

/** False alarms expected while `keys` distinct keys are tested and added one by one: the sum of the rate so far. */
export function bloomExpectedFalseAlarms(bits: number, keys: number, hashes = BLOOM_HASHES): number {
  let total = 0;
  for (let added = 0; added < keys; added++) total += bloomFalsePositiveRate(bits, added, hashes);
  return total;
}
