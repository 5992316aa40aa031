import {
  SECTION_IDS,
  TOTAL,
  type CellStatus,
  type KeyLabel,
  type MeasureUnit,
  type ReturnCell,
  type ReturnTable,
  type SectionId,
} from '../../../shared/returns/channels';
import {
  interiorId,
  joinModels,
  tableCells,
  type CellProtection,
  type CountTable,
  type DisclosureModel,
} from '../../../shared/returns/disclosure-model';
import { fteFromHoursCenti } from '../../../shared/workforce/channels';

/**
 * A return's tables while they are built: each count carries the id of its cell in the disclosure model, and each
 * figure worked out from counts (FTE, a rate) the counts it depends on, so protection can hide it with them.
 */

/** Counts a figure rests on: hidden when any of `counts` is hidden or any of `parts` is from 1 to the threshold. */
interface Basis {
  counts: string[];
  parts: number[];
}

interface DraftCell extends ReturnCell {
  countId?: string;
  basis?: Basis;
}

type DraftTable = Omit<ReturnTable, 'cells'> & { cells: DraftCell[] };

export interface TableMeta {
  id: string;
  section: SectionId;
  title: string;
  rowDimension: string;
  columnDimension: string;
  rows: KeyLabel[];
  columns: KeyLabel[];
  note?: string | null;
}

export const withTotal = (items: KeyLabel[]): KeyLabel[] => [...items, { key: TOTAL, label: 'Total' }];

/** The model ids of a count table's cells, by row and column key (TOTAL for the margins). */
export type CountIds = (row: string, column: string) => string;

/** The FTE of a count table's cell, by row and column key (TOTAL for the margins). */
export type FteOf = (row: string, column: string) => number;

/** FTE from hours in centi-hours, `hours[r][c]` in the order of the keys, margins added up before converting. */
export function fteOfHours(hours: number[][], rowKeys: string[], columnKeys: string[]): FteOf {
  const sumOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return (row, column) => {
    const r = rowKeys.indexOf(row);
    const c = columnKeys.indexOf(column);
    const centi =
      r >= 0 && c >= 0
        ? hours[r]![c]!
        : r >= 0
          ? sumOf(hours[r]!)
          : c >= 0
            ? sumOf(hours.map((x) => x[c]!))
            : sumOf(hours.flat());
    return fteFromHoursCenti(centi);
  };
}

function idsOf(t: CountTable): CountIds {
  return (row, column) => {
    const r = t.rows.indexOf(row);
    const c = t.columns.indexOf(column);
    if (row === TOTAL && column === TOTAL) return t.grandTotalId ?? `${t.id}/total`;
    if (row === TOTAL) return t.columnTotalIds?.[c] ?? `${t.id}/total/c:${column}`;
    if (column === TOTAL) return t.rowTotalIds?.[r] ?? `${t.id}/r:${row}/total`;
    return interiorId(t, row, column);
  };
}

const MEASURE_LABELS: Record<string, { label: string; unit: MeasureUnit }> = {
  headcount: { label: 'Headcount', unit: 'count' },
  fte: { label: 'FTE', unit: 'fte' },
  percent: { label: 'Per cent', unit: 'percent' },
  count: { label: 'Number', unit: 'count' },
  pence: { label: 'Amount (pence)', unit: 'pence' },
};

export class ReturnTables {
  private readonly tables: DraftTable[] = [];
  private readonly models: DisclosureModel[] = [];

  private table(meta: TableMeta, measures: string[], isProtected: boolean): DraftTable {
    const t: DraftTable = {
      id: meta.id,
      section: meta.section,
      title: meta.title,
      rowDimension: meta.rowDimension,
      columnDimension: meta.columnDimension,
      rows: meta.rows,
      columns: meta.columns,
      measures: measures.map((key) => ({ key, ...(MEASURE_LABELS[key] ?? { label: key, unit: 'count' as const }) })),
      protected: isProtected,
      cells: [],
      note: meta.note ?? null,
    };
    this.tables.push(t);
    return t;
  }

  /**
   * A two-way table of headcounts with its margins (`values[r][c]`, rows and columns without the totals), added to
   * the disclosure model. `fte`, when given, adds the FTE of each cell. Shared margins: pass the ids of another
   * table's totals (`shareRows`: its row totals and grand total are this table's; `shareColumns`: this table's
   * column totals are the other's row totals, as the ICS's trusts-by-stage table shares the stage totals). A
   * `single` table (one column of counts, e.g. leavers by stage) publishes no Total column.
   */
  counts(
    meta: TableMeta,
    values: number[][],
    options: { shareRows?: CountIds; shareColumns?: CountIds; fte?: FteOf; measure?: string; single?: boolean } = {},
  ): CountIds {
    const rowKeys = meta.rows.map((r) => r.key);
    const colKeys = meta.columns.map((c) => c.key);
    const oneColumn = options.single === true;
    if (oneColumn && colKeys.length !== 1) throw new Error(`${meta.id}: a single-column table has one column`);
    const ct: CountTable = { id: meta.id, rows: rowKeys, columns: colKeys, values };
    if (options.shareRows) {
      ct.rowTotalIds = rowKeys.map((r) => options.shareRows!(r, TOTAL));
      ct.grandTotalId = options.shareRows(TOTAL, TOTAL);
    }
    if (options.shareColumns) {
      ct.columnTotalIds = colKeys.map((c) => options.shareColumns!(c, TOTAL));
      ct.grandTotalId = options.shareColumns(TOTAL, TOTAL);
    }
    if (oneColumn) {
      if (!options.shareRows) {
        ct.rowTotalIds = rowKeys.map((r) => interiorId(ct, r, colKeys[0]!));
        ct.grandTotalId = `${meta.id}/total`;
      }
      ct.columnTotalIds = [ct.grandTotalId!];
    }
    this.models.push(tableCells(ct));
    const ids = idsOf(ct);
    const measure = options.measure ?? 'headcount';
    const t = this.table(
      { ...meta, rows: withTotal(meta.rows), columns: oneColumn ? meta.columns : withTotal(meta.columns) },
      options.fte ? [measure, 'fte'] : [measure],
      true,
    );
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const at = (m: number[][], r: number, c: number): number =>
      r < rowKeys.length && c < colKeys.length
        ? m[r]![c]!
        : r < rowKeys.length
          ? sum(m[r]!)
          : c < colKeys.length
            ? sum(m.map((row) => row[c]!))
            : sum(m.flat());
    const rowsOut = [...rowKeys, TOTAL];
    const colsOut = oneColumn ? colKeys : [...colKeys, TOTAL];
    rowsOut.forEach((row, r) =>
      colsOut.forEach((column, c) => {
        const countId = ids(row, column);
        const value = at(values, r, c);
        t.cells.push({ row, column, measure, value, status: 'exact', countId });
        if (options.fte) {
          t.cells.push({
            row,
            column,
            measure: 'fte',
            value: options.fte(row, column),
            status: 'exact',
            basis: { counts: [countId], parts: [value] },
          });
        }
      }),
    );
    return ids;
  }

  /**
   * Counts by row in columns that are not parts of one whole (e.g. each trust's leavers, and its staff a year ago),
   * each column adding up to a total published elsewhere (`columns[].totalId`): no row totals are published. The
   * Total row repeats those totals.
   */
  byColumns(meta: TableMeta, columns: { key: string; label: string; totalId: string }[], values: number[][]): CountIds {
    const rowKeys = meta.rows.map((r) => r.key);
    const model: DisclosureModel = { cells: [], equations: [] };
    columns.forEach((col, c) => {
      const parts = rowKeys.map((row) => interiorId({ id: meta.id }, row, col.key));
      rowKeys.forEach((_, r) => model.cells.push({ id: parts[r]!, value: values[r]![c]!, role: 'interior' }));
      model.cells.push({ id: col.totalId, value: values.reduce((a, row) => a + row[c]!, 0), role: 'total' });
      model.equations.push({ total: col.totalId, parts });
    });
    this.models.push(model);
    const ids: CountIds = (row, column) =>
      row === TOTAL ? columns.find((c) => c.key === column)!.totalId : interiorId({ id: meta.id }, row, column);
    const t = this.table({ ...meta, rows: withTotal(meta.rows), columns }, ['headcount'], true);
    for (const row of [...rowKeys, TOTAL])
      columns.forEach((col, c) => {
        const value = row === TOTAL ? values.reduce((a, v) => a + v[c]!, 0) : values[rowKeys.indexOf(row)]![c]!;
        t.cells.push({
          row,
          column: col.key,
          measure: 'headcount',
          value,
          status: 'exact',
          countId: ids(row, col.key),
        });
      });
    return ids;
  }

  /** Figures worked out from counts (FTE, rates) or not about people (money, roles): `basis` null for the latter. */
  figures(
    meta: TableMeta,
    measures: string[],
    cells: { row: string; column: string; measure: string; value: number | null; basis: Basis | null }[],
    isProtected: boolean,
  ): void {
    const t = this.table(meta, measures, isProtected);
    for (const c of cells)
      t.cells.push({
        row: c.row,
        column: c.column,
        measure: c.measure,
        value: c.value,
        status: 'exact',
        ...(c.basis ? { basis: c.basis } : {}),
      });
  }

  model(): DisclosureModel {
    return joinModels(this.models);
  }

  /** The tables with each cell's status from the protection; values stay exact (the versions blank them). */
  resolve(protection: Map<string, CellProtection>, threshold: number): ReturnTable[] {
    const small = (n: number) => n >= 1 && n <= threshold;
    const statusOf = (c: DraftCell): CellStatus => {
      if (c.value === null) return 'not-applicable';
      if (c.countId) return protection.get(c.countId) ?? 'exact';
      if (!c.basis) return 'exact';
      const hidden = c.basis.counts.map((id) => protection.get(id) ?? 'exact');
      if (hidden.includes('suppressed-secondary')) return 'suppressed-secondary';
      if (hidden.includes('suppressed-primary') || c.basis.parts.some(small)) return 'suppressed-primary';
      return 'exact';
    };
    // In the order of their ids (B1, B2... D3, D3P, D4), whatever order they were built in: a table whose figures
    // rest on another's is built after it, and an ICS return's trust comparison is built last.
    const order = (t: DraftTable) => SECTION_IDS.indexOf(t.section);
    const sorted = [...this.tables].sort(
      (a, b) => order(a) - order(b) || a.id.localeCompare(b.id, 'en', { numeric: true }),
    );
    return sorted.map((t) => ({
      ...t,
      cells: t.cells.map((c) => ({
        row: c.row,
        column: c.column,
        measure: c.measure,
        value: c.value,
        status: statusOf(c),
      })),
    }));
  }
}

/** A rate's basis: numerator, denominator and what is left, each a count an attacker could otherwise work back to. */
export const rateBasis = (counts: string[], numerator: number, denominator: number): Basis => ({
  counts,
  parts: [numerator, denominator, denominator - numerator],
});
