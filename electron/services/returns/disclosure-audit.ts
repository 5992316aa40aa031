/**
 * The audit that plays the attacker (issue 12): for every hidden cell, the smallest and largest value consistent
 * with everything the return publishes. Unknowns are the hidden cells (whole numbers >= 0, primary ones 1..threshold);
 * published cells are constants; the equations are the published totals. A hidden cell is exposed when its range is
 * narrower than 2 (a single value included). Solved with HiGHS (the `highs` package, WebAssembly).
 *
 * Speed: the WebAssembly is loaded once per process; the hidden cells are split into groups that share no equation
 * and each group is one solver model, built once and re-solved with a new objective per bound (simplex warm-starts
 * from the previous basis). Each bound is first solved as a linear program: if its optimal point is whole numbers it
 * is also the whole-number optimum (the usual case: the equations of a table with margins are totally unimodular,
 * so simplex vertices are whole), and only otherwise is the same bound solved again with integrality.
 */
import loadHighs, { type Highs, type Model } from 'highs';
import type {
  AuditResult,
  CellProtection,
  DisclosureModel,
  HiddenInterval,
} from '../../../shared/returns/disclosure-model';
import { isHidden } from '../../../shared/returns/disclosure';

let solver: Promise<Highs> | undefined;
const highs = (): Promise<Highs> => (solver ??= loadHighs());

interface Group {
  cells: number[];
  rows: { cols: number[]; coefs: number[]; rhs: number }[];
}

/** The hidden cells as independent groups, each with the equations over them (published cells moved to the right). */
function groups(model: DisclosureModel, hiddenIndex: Map<string, number>): Group[] {
  const parent = [...hiddenIndex.values()];
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  const values = new Map(model.cells.map((c) => [c.id, c.value]));
  const rows: { cols: number[]; coefs: number[]; rhs: number }[] = [];
  for (const e of model.equations) {
    const coef = new Map<number, number>();
    let rhs = 0;
    const term = (id: string, sign: number): void => {
      const h = hiddenIndex.get(id);
      if (h !== undefined) coef.set(h, (coef.get(h) ?? 0) + sign);
      else {
        const v = values.get(id);
        if (v === undefined) throw new Error(`Equation names ${id}, which is not a cell of the model`);
        rhs -= sign * v;
      }
    };
    term(e.total, 1);
    for (const p of e.parts) term(p, -1);
    const cols = [...coef.keys()].filter((k) => coef.get(k) !== 0);
    if (cols.length === 0) {
      if (rhs !== 0) throw new Error(`The published figures do not add up: ${e.total} is not the sum of its parts`);
      continue;
    }
    for (let k = 1; k < cols.length; k++) parent[find(cols[k]!)] = find(cols[0]!);
    rows.push({ cols, coefs: cols.map((k) => coef.get(k)!), rhs });
  }
  const byRoot = new Map<number, Group>();
  for (const h of hiddenIndex.values()) {
    const root = find(h);
    if (!byRoot.has(root)) byRoot.set(root, { cells: [], rows: [] });
    byRoot.get(root)!.cells.push(h);
  }
  for (const r of rows) byRoot.get(find(r.cols[0]!))!.rows.push(r);
  return [...byRoot.values()];
}

const whole = (xs: ArrayLike<number>): boolean => {
  for (let i = 0; i < xs.length; i++) if (Math.abs(xs[i]! - Math.round(xs[i]!)) > 1e-6) return false;
  return true;
};

function solveGroup(
  hs: Highs,
  g: Group,
  lower: (h: number) => number,
  upper: (h: number) => number,
): { min: number; max: number }[] {
  const local = new Map(g.cells.map((h, k) => [h, k]));
  const n = g.cells.length;
  const starts = [0];
  const indices: number[] = [];
  const coefs: number[] = [];
  for (const r of g.rows) {
    r.cols.forEach((c, k) => {
      indices.push(local.get(c)!);
      coefs.push(r.coefs[k]!);
    });
    starts.push(indices.length);
  }
  const rhs = g.rows.map((r) => r.rhs);
  const colUpper = g.cells.map((h) => (upper(h) === Infinity ? hs.infinity : upper(h)));
  const model: Model = hs.createModel({
    numCols: n,
    numRows: g.rows.length,
    colCost: new Float64Array(n),
    colLower: g.cells.map(lower),
    colUpper,
    rowLower: rhs,
    rowUpper: rhs,
    matrix: { format: 'csr', numRows: g.rows.length, numCols: n, starts, indices, values: coefs },
  });
  const continuous = hs.constants.variableType.continuous;
  const integer = hs.constants.variableType.integer;
  try {
    model.options.set({ output_flag: false });
    const bound = (k: number, sense: 'minimize' | 'maximize'): number => {
      model.changeObjectiveSense(hs.constants.objectiveSense[sense]);
      model.changeColCost(k, 1);
      try {
        model.run();
        let status = model.getModelStatus();
        if (status === hs.constants.modelStatus.unbounded) return sense === 'maximize' ? Infinity : -Infinity;
        if (status !== hs.constants.modelStatus.optimal)
          throw new Error(`The disclosure audit could not solve its model (HiGHS model status ${status})`);
        if (whole(model.getSolution().colValue)) return Math.round(model.getObjectiveValue());
        model.changeColsIntegrality({ kind: 'range', from: 0, to: n - 1 }, new Int32Array(n).fill(integer));
        try {
          model.run();
          status = model.getModelStatus();
          if (status !== hs.constants.modelStatus.optimal)
            throw new Error(`The disclosure audit could not solve its whole-number model (HiGHS status ${status})`);
          return Math.round(model.getObjectiveValue());
        } finally {
          model.changeColsIntegrality({ kind: 'range', from: 0, to: n - 1 }, new Int32Array(n).fill(continuous));
        }
      } finally {
        model.changeColCost(k, 0);
      }
    };
    return g.cells.map((_, k) => ({ min: bound(k, 'minimize'), max: bound(k, 'maximize') }));
  } finally {
    model.dispose();
  }
}

/**
 * For every hidden cell, the range an attacker can narrow it to; `ok` only if every range is at least 2 wide.
 * A cell nothing bounds from above has `max: Infinity`.
 */
export async function auditProtection(
  model: DisclosureModel,
  protection: Map<string, CellProtection>,
  threshold: number,
): Promise<AuditResult> {
  const started = performance.now();
  const hiddenIds = model.cells.filter((c) => isHidden(protection.get(c.id))).map((c) => c.id);
  const hiddenIndex = new Map(hiddenIds.map((id, k) => [id, k]));
  const primary = hiddenIds.map((id) => protection.get(id) === 'suppressed-primary');
  const intervals: HiddenInterval[] = hiddenIds.map((id) => ({ id, min: 0, max: 0 }));
  // Built first even with nothing hidden: it also checks that the published figures add up.
  const independent = groups(model, hiddenIndex);
  if (hiddenIds.length > 0) {
    const hs = await highs();
    for (const g of independent) {
      const found = solveGroup(
        hs,
        g,
        (h) => (primary[h] ? 1 : 0),
        (h) => (primary[h] ? threshold : Infinity),
      );
      g.cells.forEach((h, k) => (intervals[h] = { id: hiddenIds[h]!, ...found[k]! }));
    }
  }
  const exposed = intervals.filter((i) => i.max - i.min < 2);
  return { ok: exposed.length === 0, intervals, exposed, ms: performance.now() - started };
}
