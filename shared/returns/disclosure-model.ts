/**
 * The shape disclosure control works on (issue 12): every published count of a return as one cell, and every
 * published total as an equation "total = sum of parts". Tables that share totals (the stage x profession and the
 * stage x band tables share the stage totals and the grand total) simply use the same cell id for them, so
 * protection and the audit see the whole return as one system of equations.
 *
 * Built by the returns builder (electron/services/returns) from the return's tables with `tableCells`; protected
 * with `protect` and checked with `auditProtection` (shared/returns/disclosure.ts and the audit beside it).
 */

/** A published count: a whole number of people, 0 or more. */
export interface CountCell {
  /** Unique in the return, e.g. "B1/r:entry/c:PHY"; a shared total has one id wherever it appears. */
  id: string;
  value: number;
  /** Grand totals are never hidden. */
  role: 'interior' | 'total' | 'grand';
}

/** A published total: the value of `total` is the sum of the values of `parts`. */
export interface TotalEquation {
  total: string;
  parts: string[];
}

export interface DisclosureModel {
  cells: CountCell[];
  equations: TotalEquation[];
}

export type CellProtection = 'exact' | 'suppressed-primary' | 'suppressed-secondary';

/** What the audit found for one hidden cell: the range an attacker could narrow it to from what is published. */
export interface HiddenInterval {
  id: string;
  min: number;
  max: number;
}

export interface AuditResult {
  ok: boolean;
  /** One per hidden cell. */
  intervals: HiddenInterval[];
  /** Hidden cells whose interval is narrower than 2 or holds a single value: what makes the audit fail. */
  exposed: HiddenInterval[];
  ms: number;
}

/** A two-way table with its margins, as the returns show them. */
export interface CountTable {
  /** Prefix of its cell ids, e.g. "B1". */
  id: string;
  rows: string[];
  columns: string[];
  /** values[r][c], whole numbers >= 0. */
  values: number[][];
  /**
   * Ids to use for the row totals, column totals and grand total, when another table publishes the same totals
   * (defaults: `${id}/r:${row}/total`, `${id}/total/c:${column}`, `${id}/total`).
   */
  rowTotalIds?: string[];
  columnTotalIds?: string[];
  grandTotalId?: string;
}

export const interiorId = (t: Pick<CountTable, 'id'>, row: string, column: string): string =>
  `${t.id}/r:${row}/c:${column}`;

/**
 * The cells and equations of a table with its margins: each row adds up to its row total, each column to its
 * column total, and the row totals to the grand total (the column totals add up to it too).
 */
export function tableCells(t: CountTable): DisclosureModel {
  const rowIds = t.rowTotalIds ?? t.rows.map((r) => `${t.id}/r:${r}/total`);
  const colIds = t.columnTotalIds ?? t.columns.map((c) => `${t.id}/total/c:${c}`);
  const grand = t.grandTotalId ?? `${t.id}/total`;
  const cells: CountCell[] = [];
  const equations: TotalEquation[] = [];
  t.rows.forEach((r, i) => {
    t.columns.forEach((c, j) => cells.push({ id: interiorId(t, r, c), value: t.values[i]![j]!, role: 'interior' }));
    cells.push({ id: rowIds[i]!, value: t.values[i]!.reduce((a, b) => a + b, 0), role: 'total' });
    equations.push({ total: rowIds[i]!, parts: t.columns.map((c) => interiorId(t, r, c)) });
  });
  t.columns.forEach((c, j) => {
    cells.push({ id: colIds[j]!, value: t.values.reduce((a, row) => a + row[j]!, 0), role: 'total' });
    equations.push({ total: colIds[j]!, parts: t.rows.map((r) => interiorId(t, r, c)) });
  });
  cells.push({ id: grand, value: t.values.flat().reduce((a, b) => a + b, 0), role: 'grand' });
  equations.push({ total: grand, parts: rowIds });
  equations.push({ total: grand, parts: colIds });
  return { cells, equations };
}

/** Several tables as one model: a cell id that appears in more than one table is one cell (its values agree). */
export function joinModels(models: DisclosureModel[]): DisclosureModel {
  const cells = new Map<string, CountCell>();
  for (const m of models)
    for (const c of m.cells) {
      const seen = cells.get(c.id);
      if (seen && seen.value !== c.value)
        throw new Error(`Cell ${c.id} is published as ${seen.value} and as ${c.value}: shared totals must agree`);
      if (!seen || (seen.role !== 'grand' && c.role === 'grand')) cells.set(c.id, c);
    }
  return { cells: [...cells.values()], equations: models.flatMap((m) => m.equations) };
}
