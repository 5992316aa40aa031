import { describe, expect, it } from 'vitest';
import { auditProtection } from '../../electron/services/returns/disclosure-audit';
import { protect } from '../../shared/returns/disclosure';
import {
  interiorId,
  joinModels,
  tableCells,
  type CellProtection,
  type CountTable,
} from '../../shared/returns/disclosure-model';
import { bruteForceIntervals, linkedTable, randomTable, seeded } from '../fixtures/disclosure';
import { buildModel, staff } from '../bench/disclosure';

const T = 7;

describe('the disclosure audit (HiGHS, playing the attacker)', () => {
  it('rejects the known-bad table: one hidden cell per row beside its row total, naming each exposed cell', async () => {
    const t: CountTable = {
      id: 'BAD',
      rows: ['a', 'b', 'c'],
      columns: ['x', 'y', 'z'],
      values: [
        [3, 20, 30],
        [15, 5, 35],
        [40, 45, 2],
      ],
    };
    const model = tableCells(t);
    const protection = new Map<string, CellProtection>(model.cells.map((c) => [c.id, 'exact']));
    const small = [interiorId(t, 'a', 'x'), interiorId(t, 'b', 'y'), interiorId(t, 'c', 'z')];
    for (const id of small) protection.set(id, 'suppressed-primary');
    const result = await auditProtection(model, protection, T);
    expect(result.ok).toBe(false);
    // Each is its row total less the two published cells beside it.
    expect(result.exposed).toEqual([
      { id: 'BAD/r:a/c:x', min: 3, max: 3 },
      { id: 'BAD/r:b/c:y', min: 5, max: 5 },
      { id: 'BAD/r:c/c:z', min: 2, max: 2 },
    ]);
    expect(result.intervals).toHaveLength(3);
  });

  it('passes the worked 3 x 3 example, with the attacker ranges worked out by hand', async () => {
    const model = tableCells({
      id: 'T',
      rows: ['a', 'b', 'c'],
      columns: ['x', 'y', 'z'],
      values: [
        [3, 20, 30],
        [15, 25, 35],
        [40, 45, 50],
      ],
    });
    const result = await auditProtection(model, protect(model, T), T);
    // The rectangle moves together: a/x from 1 to 7 (primary), so a/y 16..22, b/x 11..17, b/y 23..29.
    expect(result).toMatchObject({
      ok: true,
      exposed: [],
      intervals: [
        { id: 'T/r:a/c:x', min: 1, max: 7 },
        { id: 'T/r:a/c:y', min: 16, max: 22 },
        { id: 'T/r:b/c:x', min: 11, max: 17 },
        { id: 'T/r:b/c:y', min: 23, max: 29 },
      ],
    });
  });

  it('catches what linear algebra misses: two hidden 1s in a rectangle are pinned by being at least 1', async () => {
    const t: CountTable = {
      id: 'P',
      rows: ['a', 'b'],
      columns: ['x', 'y'],
      values: [
        [1, 30],
        [1, 30],
      ],
    };
    const model = tableCells(t);
    const protection = new Map<string, CellProtection>(model.cells.map((c) => [c.id, 'exact']));
    protection.set('P/r:a/c:x', 'suppressed-primary');
    protection.set('P/r:b/c:x', 'suppressed-primary');
    protection.set('P/r:a/c:y', 'suppressed-secondary');
    protection.set('P/r:b/c:y', 'suppressed-secondary');
    // Column x adds up to 2 and both are at least 1: each is exactly 1.
    const result = await auditProtection(model, protection, T);
    expect(result.ok).toBe(false);
    expect(result.exposed.map((e) => e.id).sort()).toEqual(['P/r:a/c:x', 'P/r:a/c:y', 'P/r:b/c:x', 'P/r:b/c:y']);
    // protect itself hides more (here the column total), and then passes.
    expect((await auditProtection(model, protect(model, T), T)).ok).toBe(true);
  });

  it('hides a grand total that is itself 1..threshold, so that its one small cell is not given away', async () => {
    const model = tableCells({
      id: 'S',
      rows: ['a', 'b'],
      columns: ['x', 'y'],
      values: [
        [1, 0],
        [0, 0],
      ],
    });
    const protection = protect(model, T);
    expect(protection.get('S/total')).toBe('suppressed-primary');
    const result = await auditProtection(model, protection, T);
    expect(result.exposed).toEqual([]);
  });

  it('passes protect on 200 random tables of 2 x 2 to 6 x 8 with many small counts', async () => {
    const rand = seeded(12_2026);
    let hidden = 0;
    for (let k = 0; k < 200; k++) {
      const model = tableCells(randomTable(rand, 'R', 2 + Math.floor(rand() * 5), 2 + Math.floor(rand() * 7)));
      const protection = protect(model, T);
      hidden += [...protection.values()].filter((s) => s !== 'exact').length;
      const result = await auditProtection(model, protection, T);
      expect(result.exposed, JSON.stringify(model.cells.map((c) => c.value))).toEqual([]);
      for (const c of model.cells)
        if (c.role === 'grand' && (c.value === 0 || c.value > T)) expect(protection.get(c.id)).toBe('exact');
    }
    expect(hidden).toBeGreaterThan(0);
  });

  it('passes protect on 60 random returns of linked tables sharing their row totals and grand total', async () => {
    const rand = seeded(13);
    for (let k = 0; k < 60; k++) {
      const rows = 2 + Math.floor(rand() * 4);
      const first = randomTable(rand, 'B1', rows, 2 + Math.floor(rand() * 6));
      const model = joinModels([
        tableCells(first),
        tableCells(linkedTable(rand, first, 'B2', 2 + Math.floor(rand() * 5))),
        tableCells(linkedTable(rand, first, 'F1', 2 + Math.floor(rand() * 3))),
      ]);
      const result = await auditProtection(model, protect(model, T), T);
      expect(result.exposed).toEqual([]);
    }
  });

  it('passes protect on a whole return at 20,000 staff: B, D, E and F tables, the by-stage ones sharing totals', async () => {
    const model = buildModel(staff(20_000));
    const protection = protect(model, T);
    const result = await auditProtection(model, protection, T);
    expect(result.exposed).toEqual([]);
    expect([...protection.values()].filter((s) => s === 'suppressed-primary').length).toBeGreaterThan(5);
    for (const c of model.cells)
      if (c.role === 'grand' && (c.value === 0 || c.value > T)) expect(protection.get(c.id)).toBe('exact');
  });

  it('agrees with a brute-force enumeration on tiny tables with random hidden cells', async () => {
    const rand = seeded(99);
    let exposedSeen = 0;
    for (let k = 0; k < 60; k++) {
      const model = tableCells(randomTable(rand, 'E', 2, 2 + (k % 2), 10));
      const protection = new Map<string, CellProtection>();
      for (const c of model.cells) {
        const small = c.value >= 1 && c.value <= T;
        protection.set(
          c.id,
          small ? 'suppressed-primary' : c.role !== 'grand' && rand() < 0.35 ? 'suppressed-secondary' : 'exact',
        );
      }
      const brute = bruteForceIntervals(model, protection, T);
      const result = await auditProtection(model, protection, T);
      expect(Object.fromEntries(result.intervals.map((i) => [i.id, { min: i.min, max: i.max }]))).toEqual(
        Object.fromEntries(brute),
      );
      exposedSeen += result.exposed.length;
    }
    expect(exposedSeen).toBeGreaterThan(0);
  });

  it('reports a cell that nothing bounds from above as unbounded, and rejects figures that do not add up', async () => {
    const open = await auditProtection(
      { cells: [{ id: 'lone', value: 12, role: 'interior' }], equations: [] },
      new Map([['lone', 'suppressed-secondary']]),
      T,
    );
    expect(open.intervals).toEqual([{ id: 'lone', min: 0, max: Infinity }]);
    expect(open.ok).toBe(true);
    const wrong = {
      cells: [
        { id: 'a', value: 2, role: 'interior' as const },
        { id: 'b', value: 3, role: 'interior' as const },
        { id: 't', value: 9, role: 'grand' as const },
      ],
      equations: [{ total: 't', parts: ['a', 'b'] }],
    };
    await expect(auditProtection(wrong, new Map(), T)).rejects.toThrow(/do not add up/);
  });
});
