import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLD, hideWith, protect } from '../../shared/returns/disclosure';
import { joinModels, tableCells, type CellProtection } from '../../shared/returns/disclosure-model';
import { bruteForceIntervals, linkedTable, randomTable, seeded } from '../fixtures/disclosure';

const hiddenOf = (p: Map<string, CellProtection>): Record<string, CellProtection> =>
  Object.fromEntries([...p].filter(([, s]) => s !== 'exact'));

describe('protect: primary and secondary suppression', () => {
  it('hides a small cell and three more in a rectangle, choosing the smallest partners', () => {
    // 3 is primary. In its row the smallest other cell is 20 (y), in its column 15 (row b); the rectangle closes
    // at b/y = 25. Every total stays published.
    const t = tableCells({
      id: 'T',
      rows: ['a', 'b', 'c'],
      columns: ['x', 'y', 'z'],
      values: [
        [3, 20, 30],
        [15, 25, 35],
        [40, 45, 50],
      ],
    });
    expect(hiddenOf(protect(t, DEFAULT_THRESHOLD))).toEqual({
      'T/r:a/c:x': 'suppressed-primary',
      'T/r:a/c:y': 'suppressed-secondary',
      'T/r:b/c:x': 'suppressed-secondary',
      'T/r:b/c:y': 'suppressed-secondary',
    });
  });

  it('shows zeros, and hides nothing when no count is 1..threshold', () => {
    const t = tableCells({
      id: 'Z',
      rows: ['a', 'b'],
      columns: ['x', 'y'],
      values: [
        [0, 12],
        [8, 0],
      ],
    });
    expect(hiddenOf(protect(t, 7))).toEqual({});
    const withSmall = tableCells({
      id: 'S',
      rows: ['a', 'b', 'c'],
      columns: ['x', 'y', 'z'],
      values: [
        [0, 4, 30],
        [0, 25, 35],
        [0, 45, 50],
      ],
    });
    const p = protect(withSmall, 7);
    for (const r of ['a', 'b', 'c']) expect(p.get(`S/r:${r}/c:x`)).toBe('exact');
    expect(p.get('S/r:a/c:y')).toBe('suppressed-primary');
  });

  it('hides counts up to the threshold it is given, and only those, as primary', () => {
    const t = tableCells({
      id: 'T',
      rows: ['a', 'b'],
      columns: ['x', 'y'],
      values: [
        [10, 11],
        [12, 13],
      ],
    });
    expect(hiddenOf(protect(t, 7))).toEqual({});
    expect(protect(t, 10).get('T/r:a/c:x')).toBe('suppressed-primary');
    expect(protect(t, 10).get('T/r:a/c:y')).not.toBe('suppressed-primary');
    expect(() => protect(t, 0)).toThrow(/threshold/);
  });

  it('never hides a grand total, even when every other cell is hidden', () => {
    const t = tableCells({
      id: 'G',
      rows: ['a', 'b'],
      columns: ['x', 'y'],
      values: [
        [1, 2],
        [3, 4],
      ],
    });
    const p = protect(t, 7);
    expect(p.get('G/total')).toBe('exact');
    expect([...p.values()].filter((s) => s === 'exact')).toHaveLength(1);
  });

  it('hides a total only when interior cells cannot do: a one-row table must hide its total', () => {
    // One row: each column total equals its single cell, so hiding the 5 means hiding its column total too.
    const t = tableCells({ id: 'O', rows: ['a'], columns: ['x', 'y', 'z'], values: [[5, 30, 40]] });
    const p = protect(t, 7);
    expect(p.get('O/r:a/c:x')).toBe('suppressed-primary');
    expect(p.get('O/total/c:x')).toBe('suppressed-primary');
    expect(p.get('O/total')).toBe('exact');
    const brute = bruteForceIntervals(t, p, 7);
    for (const [, i] of brute) expect(i.max - i.min).toBeGreaterThanOrEqual(2);
  });

  it('protects linked tables together: a stage total shared by two tables is one cell with one status', () => {
    const b1 = {
      id: 'B1',
      rows: ['entry', 'inter', 'ap'],
      columns: ['PHY', 'OT', 'SLT'],
      values: [
        [40, 30, 12],
        [25, 20, 9],
        [6, 0, 0],
      ],
    };
    const b2 = {
      id: 'B2',
      rows: b1.rows,
      columns: ['b2', 'b3', 'b4'],
      values: [
        [70, 12, 0],
        [10, 40, 4],
        [0, 0, 6],
      ],
      rowTotalIds: b1.rows.map((r) => `B1/r:${r}/total`),
      grandTotalId: 'B1/total',
    };
    const model = joinModels([tableCells(b1), tableCells(b2)]);
    const p = protect(model, 7);
    expect(p.get('B1/r:ap/total')).toBe('suppressed-primary');
    expect(p.get('B1/total')).toBe('exact');
    // No hidden cell can be narrowed below 2 values using both tables' totals.
    for (const [id, i] of bruteForceIntervals(model, p, 7)) expect(i.max - i.min, id).toBeGreaterThanOrEqual(2);
  });

  it('is deterministic: the same model gives the same result, whatever the order of its cells', () => {
    const rand = seeded(12);
    const first = randomTable(rand, 'A', 4, 5);
    const model = joinModels([tableCells(first), tableCells(linkedTable(rand, first, 'B', 3))]);
    const once = protect(model, 7);
    expect(protect(model, 7)).toEqual(once);
    const shuffled = { cells: [...model.cells].reverse(), equations: [...model.equations].reverse() };
    expect(hiddenOf(protect(shuffled, 7))).toEqual(hiddenOf(once));
  });

  it('keeps every hidden cell at least 2 wide on small random tables (checked by enumeration)', () => {
    const rand = seeded(2026);
    // 2 x 2 and 2 x 3 with counts up to 12 keep the enumeration quick; larger tables go through the audit's LP.
    for (let k = 0; k < 40; k++) {
      const t = tableCells(randomTable(rand, 'R', 2, 2 + (k % 2), 12));
      const p = protect(t, 7);
      for (const [id, i] of bruteForceIntervals(t, p, 7)) expect(i.max - i.min, id).toBeGreaterThanOrEqual(2);
    }
  });

  it('rejects a model that is not counts, or names an unknown cell', () => {
    expect(() => protect({ cells: [{ id: 'a', value: 1.5, role: 'interior' }], equations: [] }, 7)).toThrow(/count/);
    expect(() =>
      protect({ cells: [{ id: 'a', value: 1, role: 'total' }], equations: [{ total: 'a', parts: ['b'] }] }, 7),
    ).toThrow(/b/);
  });
});

describe('hideWith: FTE, rates and percentages beside counts', () => {
  it('follows its counts: hidden with them, primary when one is small', () => {
    expect(hideWith([{ value: 40, protection: 'exact' }], 7)).toBe('exact');
    expect(hideWith([{ value: 40, protection: 'suppressed-secondary' }], 7)).toBe('suppressed-secondary');
    expect(hideWith([{ value: 3, protection: 'suppressed-primary' }], 7)).toBe('suppressed-primary');
    // A leaver rate: 2 leavers of 50 (the 2 hidden), or 10 of a published grand total of 6 people.
    expect(
      hideWith(
        [
          { value: 2, protection: 'suppressed-primary' },
          { value: 50, protection: 'exact' },
        ],
        7,
      ),
    ).toBe('suppressed-primary');
    expect(hideWith([{ value: 6, protection: 'exact' }], 7)).toBe('suppressed-primary');
    expect(hideWith([{ value: 0, protection: 'exact' }], 7)).toBe('exact');
  });
});
