/**
 * Disclosure control for a return (issue 12): which published counts are hidden, and why.
 *
 * Primary: every count from 1 to the threshold. Secondary, in two passes over the whole return as one system of
 * equations (shared totals are one cell, so linked tables are protected together):
 * 1. Gaussian elimination in the manner of Statistics Norway's GaussSuppression: cells are offered for publication
 *    grand totals first, then totals, zeros and interior cells from the largest down; a cell is published unless
 *    its value together with everything already published and the equations would determine a hidden cell, in
 *    which case it is hidden too. So the smallest cells are the ones hidden, and totals only when unavoidable.
 * 2. Linear independence does not stop an attacker who knows the cells are whole numbers >= 0 and that primary
 *    cells are 1..threshold (a hidden 1 beside a hidden 1 can be pinned down). So for every hidden cell we look for
 *    whole-number alternatives to the true table that keep every published figure (the true values moved along a
 *    direction in the null space of the equations over the hidden cells, within their bounds). If those do not
 *    move a hidden cell by at least 2, one more cell in an equation with it is hidden, and the check runs again.
 * The alternatives are real solutions of what is published, so the attacker's interval for each hidden cell is at
 * least as wide as found here: the audit (electron/services/returns/disclosure-audit.ts) then confirms it exactly.
 */
import type { CellProtection, CountCell, DisclosureModel, TotalEquation } from './disclosure-model';

export const DEFAULT_THRESHOLD = 7;

export const isHidden = (p: CellProtection | undefined): boolean =>
  p === 'suppressed-primary' || p === 'suppressed-secondary';

/** The primary rule on its own: 1..threshold is hidden, 0 is shown. */
export const primaryRule = (value: number, threshold: number): boolean => value >= 1 && value <= threshold;

/**
 * An FTE, rate or percentage beside counts (its headcount, or a rate's numerator and denominator): hidden when any
 * of them is hidden (primary if one of them is primary), or when a count is at most the threshold (a rate over 5
 * people says too much even where the 5 itself is published elsewhere, e.g. as a grand total); shown otherwise.
 */
export function hideWith(
  bases: readonly { value: number; protection: CellProtection }[],
  threshold: number,
): CellProtection {
  if (bases.some((b) => b.protection === 'suppressed-primary' || primaryRule(b.value, threshold)))
    return 'suppressed-primary';
  if (bases.some((b) => b.protection === 'suppressed-secondary')) return 'suppressed-secondary';
  return 'exact';
}

const EPS = 1e-9;

interface Indexed {
  cells: CountCell[];
  index: Map<string, number>;
  /** Each equation as signed coefficients over cell indices: total - sum(parts) = 0. */
  rows: { cols: number[]; coefs: number[] }[];
  /** Equations each cell appears in. */
  equationsOf: number[][];
  /**
   * Never hidden: grand totals (unless they are themselves from 1 to the threshold), and zeros everyone can work out
   * (a total of 0, and the parts of a total of 0): hiding them protects nothing and the audit would find them
   * pinned at 0.
   */
  alwaysShown: boolean[];
}

function indexModel(model: DisclosureModel, threshold: number): Indexed {
  const index = new Map<string, number>();
  model.cells.forEach((c, i) => {
    if (index.has(c.id)) throw new Error(`Cell ${c.id} appears twice in the disclosure model`);
    index.set(c.id, i);
  });
  const at = (id: string): number => {
    const i = index.get(id);
    if (i === undefined) throw new Error(`Equation names ${id}, which is not a cell of the model`);
    return i;
  };
  const rows = model.equations.map((e: TotalEquation) => {
    const coef = new Map<number, number>([[at(e.total), 1]]);
    for (const p of e.parts) coef.set(at(p), (coef.get(at(p)) ?? 0) - 1);
    const cols = [...coef.keys()].filter((k) => coef.get(k) !== 0);
    return { cols, coefs: cols.map((k) => coef.get(k)!) };
  });
  const equationsOf: number[][] = model.cells.map(() => []);
  rows.forEach((r, k) => r.cols.forEach((c) => equationsOf[c]!.push(k)));
  const alwaysShown = model.cells.map(
    (c) => (c.role === 'grand' && !primaryRule(c.value, threshold)) || (c.role === 'total' && c.value === 0),
  );
  for (const e of model.equations)
    if (model.cells[at(e.total)]!.value === 0) for (const p of e.parts) alwaysShown[at(p)] = true;
  return { cells: model.cells, index, rows, equationsOf, alwaysShown };
}

/** Order in which cells are offered for publication: the earlier, the more we want it shown. */
function publicationOrder(cells: CountCell[]): number[] {
  const rank = (c: CountCell): number => (c.role === 'grand' ? 0 : c.role === 'total' ? 1 : c.value === 0 ? 2 : 3);
  return cells
    .map((_, i) => i)
    .sort((a, b) => {
      const ca = cells[a]!;
      const cb = cells[b]!;
      return rank(ca) - rank(cb) || cb.value - ca.value || (ca.id < cb.id ? -1 : ca.id > cb.id ? 1 : 0);
    });
}

/**
 * Pass 1. Keeps an echelon basis of what is known (the equations, then each published cell) and, for every hidden
 * cell, its unit vector reduced against that basis: the cell is determined exactly when its residual is zero.
 */
function gaussSecondary(ix: Indexed, hidden: boolean[]): void {
  const n = ix.cells.length;
  const basis: { pivot: number; v: Float64Array }[] = [];
  const reduce = (v: Float64Array): number => {
    for (const b of basis) {
      const f = v[b.pivot]!;
      if (Math.abs(f) > EPS) for (let j = 0; j < n; j++) v[j]! -= f * b.v[j]!;
    }
    let pivot = -1;
    let best = EPS;
    for (let j = 0; j < n; j++)
      if (Math.abs(v[j]!) > best) {
        best = Math.abs(v[j]!);
        pivot = j;
      }
    return pivot;
  };
  const residuals: Float64Array[] = [];
  const addToBasis = (v: Float64Array, pivot: number): void => {
    const p = v[pivot]!;
    for (let j = 0; j < n; j++) v[j]! /= p;
    for (const b of basis) {
      const f = b.v[pivot]!;
      if (Math.abs(f) > EPS) for (let j = 0; j < n; j++) b.v[j]! -= f * v[j]!;
    }
    basis.push({ pivot, v });
    for (const r of residuals) {
      const f = r[pivot]!;
      if (Math.abs(f) > EPS) for (let j = 0; j < n; j++) r[j]! -= f * v[j]!;
    }
  };
  for (const row of ix.rows) {
    const v = new Float64Array(n);
    row.cols.forEach((c, k) => (v[c] = row.coefs[k]!));
    const pivot = reduce(v);
    if (pivot >= 0) addToBasis(v, pivot);
  }
  const unit = (i: number): Float64Array => {
    const v = new Float64Array(n);
    v[i] = 1;
    return v;
  };
  for (let i = 0; i < n; i++)
    if (hidden[i]) {
      const r = unit(i);
      reduce(r);
      residuals.push(r);
    }
  for (const i of publicationOrder(ix.cells)) {
    if (hidden[i]) continue;
    const v = unit(i);
    const pivot = reduce(v);
    if (pivot < 0) continue; // already determined by what is published: showing it tells nothing new
    // Publishing i determines a hidden cell exactly when that cell's residual is a multiple of i's.
    const reveals =
      !ix.alwaysShown[i] &&
      residuals.some((r) => {
        const f = r[pivot]! / v[pivot]!;
        if (Math.abs(f) <= EPS) return false;
        for (let j = 0; j < n; j++) if (Math.abs(r[j]! - f * v[j]!) > EPS) return false;
        return true;
      });
    if (reveals) {
      hidden[i] = true;
      const r = unit(i);
      reduce(r);
      residuals.push(r);
    } else addToBasis(v, pivot);
  }
}

/**
 * Integer directions spanning the null space of the equations over the hidden cells (published cells are fixed,
 * so they drop out): moving the hidden cells along one keeps every published figure. From the reduced row echelon
 * form, one direction per free hidden cell, scaled to whole numbers and checked exactly.
 */
function nullDirections(
  ix: Indexed,
  unordered: number[],
  status: (CellProtection | undefined)[],
): Map<number, number>[] {
  // Cells with room to move become the pivots and the tight ones (primary, small) the free cells, so that each
  // direction moves one tight cell against cells that can absorb it.
  const room = (c: number): number => (status[c] === 'suppressed-primary' ? -1 : ix.cells[c]!.value);
  const hiddenCells = [...unordered].sort((a, b) => room(b) - room(a) || a - b);
  const pos = new Map(hiddenCells.map((c, k) => [c, k]));
  const h = hiddenCells.length;
  const m: Float64Array[] = [];
  for (const row of ix.rows) {
    if (!row.cols.some((c) => pos.has(c))) continue;
    const v = new Float64Array(h);
    row.cols.forEach((c, k) => {
      const p = pos.get(c);
      if (p !== undefined) v[p] = row.coefs[k]!;
    });
    m.push(v);
  }
  const pivotCols: number[] = [];
  let r = 0;
  for (let c = 0; c < h && r < m.length; c++) {
    let best = r;
    for (let i = r + 1; i < m.length; i++) if (Math.abs(m[i]![c]!) > Math.abs(m[best]![c]!)) best = i;
    if (Math.abs(m[best]![c]!) <= EPS) continue;
    [m[r], m[best]] = [m[best]!, m[r]!];
    const pr = m[r]!;
    const p = pr[c]!;
    for (let j = 0; j < h; j++) pr[j]! /= p;
    for (let i = 0; i < m.length; i++) {
      if (i === r) continue;
      const f = m[i]![c]!;
      if (Math.abs(f) > EPS) for (let j = 0; j < h; j++) m[i]![j]! -= f * pr[j]!;
    }
    pivotCols.push(c);
    r++;
  }
  const isPivot = new Set(pivotCols);
  const directions: Map<number, number>[] = [];
  for (let f = 0; f < h; f++) {
    if (isPivot.has(f)) continue;
    const raw = new Map<number, number>([[f, 1]]);
    pivotCols.forEach((pc, i) => {
      const v = -m[i]![f]!;
      if (Math.abs(v) > EPS) raw.set(pc, v);
    });
    const scale = [1, 2, 3, 4, 5, 6, 8, 10, 12].find((s) =>
      [...raw.values()].every((v) => Math.abs(v * s - Math.round(v * s)) < 1e-6),
    );
    if (scale === undefined) continue;
    const d = new Map<number, number>();
    for (const [k, v] of raw) d.set(hiddenCells[k]!, Math.round(v * scale));
    const exact = ix.rows.every((row) => row.cols.reduce((s, c, k) => s + row.coefs[k]! * (d.get(c) ?? 0), 0) === 0);
    if (exact) directions.push(d);
  }
  return directions;
}

/** For each hidden cell, how far whole-number alternatives along the null directions can move it (a lower bound). */
function witnessWidths(ix: Indexed, status: (CellProtection | undefined)[], threshold: number): Map<number, number> {
  const hiddenCells = status.flatMap((s, i) => (isHidden(s) ? [i] : []));
  const widths = new Map(hiddenCells.map((c) => [c, 0]));
  for (const d of nullDirections(ix, hiddenCells, status)) {
    let lo = -Infinity;
    let hi = Infinity;
    for (const [c, k] of d) {
      const v = ix.cells[c]!.value;
      const primary = status[c] === 'suppressed-primary';
      const min = primary ? 1 : 0;
      const max = primary ? threshold : Infinity;
      // min <= v + t*k <= max
      const a = (min - v) / k;
      const b = (max - v) / k;
      lo = Math.max(lo, Math.ceil(Math.min(a, b) - 1e-9));
      hi = Math.min(hi, Math.floor(Math.max(a, b) + 1e-9));
    }
    const span = hi - lo;
    for (const [c, k] of d) widths.set(c, Math.max(widths.get(c)!, Math.abs(k) * span));
  }
  return widths;
}

/** Pass 2: hides more cells next to each cell that cannot be moved by 2, until none is left or none can be. */
function widenIntervals(ix: Indexed, status: (CellProtection | undefined)[], threshold: number): void {
  // Partners worth hiding can move both ways: non-zero interior cells first (smallest first), then non-zero totals;
  // a hidden zero can only go up, so zeros come last.
  const rank = (c: CountCell): number => (c.value === 0 ? 2 : 0) + (c.role === 'interior' ? 0 : 1);
  const preferred = (a: number, b: number): number => {
    const ca = ix.cells[a]!;
    const cb = ix.cells[b]!;
    return rank(ca) - rank(cb) || ca.value - cb.value || (ca.id < cb.id ? -1 : ca.id > cb.id ? 1 : 0);
  };
  for (;;) {
    const widths = witnessWidths(ix, status, threshold);
    const exposed = [...widths].filter(([, w]) => w < 2).map(([c]) => c);
    if (exposed.length === 0) return;
    const neighboursOf = (c: number): number[] =>
      [
        ...new Set(
          ix.equationsOf[c]!.flatMap((k) => ix.rows[k]!.cols.filter((o) => !isHidden(status[o]) && !ix.alwaysShown[o])),
        ),
      ].sort(preferred);
    // Nothing left to hide beside any of them (e.g. a grand total of 1..threshold): the audit will say so.
    const c = exposed.find((e) => neighboursOf(e).length > 0);
    if (c === undefined) return;
    const neighbours = neighboursOf(c);
    // The first partner of the most preferred kind (a few tried) that frees the cell on its own, else the first:
    // a total that would free it at once is still not taken while an interior cell can start a way round.
    let pick = neighbours[0]!;
    const kind = rank(ix.cells[pick]!);
    for (const o of neighbours.filter((n) => rank(ix.cells[n]!) === kind).slice(0, LOOKAHEAD)) {
      status[o] = 'suppressed-secondary';
      const freed = witnessWidths(ix, status, threshold).get(c)! >= 2;
      status[o] = undefined;
      if (freed) {
        pick = o;
        break;
      }
    }
    status[pick] = 'suppressed-secondary';
  }
}

const LOOKAHEAD = 2;

/**
 * A hidden cell that is the only hidden cell of an equation can be worked out from it (e.g. a column total that is
 * the grand total minus columns of 0): hiding it protects nothing, so it is shown if `mayShow` allows (small counts
 * stay hidden).
 */
function showDerivable(ix: Indexed, status: (CellProtection | undefined)[], mayShow: (cell: number) => boolean): void {
  for (let changed = true; changed;) {
    changed = false;
    for (const row of ix.rows) {
      const hidden = row.cols.filter((c) => isHidden(status[c]));
      const only = hidden[0];
      if (hidden.length === 1 && only !== undefined && mayShow(only)) {
        status[only] = undefined;
        changed = true;
      }
    }
  }
}

/**
 * Which cells of a return to hide. Pure and deterministic: the same model gives the same result. Grand totals are
 * hidden only when they are themselves from 1 to the threshold; other totals only where no interior cell would do.
 */
export function protect(model: DisclosureModel, threshold: number): Map<string, CellProtection> {
  if (!Number.isInteger(threshold) || threshold < 1) throw new Error(`The threshold must be a whole number >= 1`);
  // Sorted first, so that the result does not depend on the order the builder listed cells and equations in.
  const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const key = (e: TotalEquation): string => [e.total, ...[...e.parts].sort(byId)].join('\u0000');
  const ix = indexModel(
    {
      cells: [...model.cells].sort((a, b) => byId(a.id, b.id)),
      equations: [...model.equations].sort((a, b) => byId(key(a), key(b))),
    },
    threshold,
  );
  const status: (CellProtection | undefined)[] = ix.cells.map((c) => {
    if (!Number.isInteger(c.value) || c.value < 0) throw new Error(`Cell ${c.id} is not a count: ${c.value}`);
    // A grand total of 1..threshold is itself a small number (e.g. 3 leavers in the year): hidden like any other.
    return primaryRule(c.value, threshold) ? 'suppressed-primary' : undefined;
  });
  const hidden = status.map(isHidden);
  if (hidden.some(Boolean)) {
    gaussSecondary(ix, hidden);
    hidden.forEach((h, i) => {
      if (h && !status[i]) status[i] = 'suppressed-secondary';
    });
    widenIntervals(ix, status, threshold);
    showDerivable(ix, status, (c) => status[c] === 'suppressed-secondary');
  }
  return new Map(ix.cells.map((c, i) => [c.id, status[i] ?? 'exact']));
}

/**
 * The last resort when `protect` cannot pass the audit (a very small trust, where every breakdown is a handful of
 * people): every count is hidden but the grand totals (unless small) and the zeros a published total of 0 gives
 * away, so the return publishes its totals and nothing that locates a person. Every hidden cell is marked secondary:
 * were the small ones marked primary, "1 to the threshold" beside a total would itself pin them (two hidden cells
 * marked primary under a total of 14 can only be 7 and 7). A hidden cell anyone can work out anyway (the only hidden
 * cell of a total) is shown, unless it is small.
 */
export function protectTotalsOnly(model: DisclosureModel, threshold: number): Map<string, CellProtection> {
  const ix = indexModel(model, threshold);
  const shown = ix.cells.map((c) => c.role === 'grand' && !primaryRule(c.value, threshold));
  for (let changed = true; changed;) {
    changed = false;
    for (const e of model.equations) {
      const total = ix.index.get(e.total)!;
      if (!shown[total] || ix.cells[total]!.value !== 0) continue;
      for (const part of e.parts) {
        const k = ix.index.get(part)!;
        if (k !== total && !shown[k]) changed = shown[k] = true;
      }
    }
  }
  const status: (CellProtection | undefined)[] = shown.map((s) => (s ? undefined : 'suppressed-secondary'));
  showDerivable(ix, status, (c) => !primaryRule(ix.cells[c]!.value, threshold));
  return new Map(ix.cells.map((c, i) => [c.id, status[i] ?? 'exact']));
}
