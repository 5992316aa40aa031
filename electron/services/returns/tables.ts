import {
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
   * the disclosure model. `fte`, when given, adds the FTE of each cell (hours in centi-hours added the same way).
   * Shared margins: pass the ids of another table's totals. A `single` table (one column of counts, e.g. leavers by stage)
   * publishes no Total column.
   */
  counts(
    meta: TableMeta,
    values: number[][],
    options: { shareRows?: CountIds; fteHours?: number[][]; measure?: string; single?: boolean } = {},
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
      options.fteHours ? [measure, 'fte'] : [measure],
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
        if (options.fteHours) {
          const hours = at(options.fteHours, r, c);
          t.cells.push({
            row,
            column,
            measure: 'fte',
            value: fteFromHoursCenti(hours),
            status: 'exact',
            basis: { counts: [countId], parts: [value] },
          });
        }
      }),
    );
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
    return this.tables.map((t) => ({
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
