import { useEffect, useId, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import {
  columnFilteringFeature,
  createFilteredRowModel,
  createSortedRowModel,
  filterFn_includesString,
  functionalUpdate,
  globalFilteringFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type Row,
  type RowData,
  type SortingState,
  type Updater,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ScrollBox } from './ScrollBox';

/**
 * The app's data table: NHS.UK table styles (`.table` in styles.css), a caption, `scope="col"` headers,
 * numbers right-aligned in tabular figures, and, where a page asks for them, sorting, a text filter,
 * summary and total rows, and virtualised rows for long lists. TanStack Table (v9, `useTable`) keeps the
 * row model and sort state; the markup is ours.
 */

type DataAttributes = { [key: `data-${string}`]: string | number | undefined };
export type CellAttributes = DataAttributes & { title?: string };

export interface Column<T> {
  /** Unique within the table; summary and footer rows name their cells by it. */
  id: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** What sorting and the text filter read; a column without it is neither sortable nor searched. */
  value?: (row: T) => string | number | null | undefined;
  /** Right-aligned (class `num`), header included. */
  numeric?: boolean;
  /** The cell is the row's header: `<th scope="row">`. */
  rowHeader?: boolean;
  /** A sort button in the header (needs `value`, or a table sorted by the service). */
  sortable?: boolean;
  /** Extra classes for each body cell: `mono`, `actions`, or a class chosen per row such as `over`. */
  className?: string | ((row: T) => string | undefined);
  cellAttributes?: (row: T) => CellAttributes;
}

/** A row written by the page under the data rows or in the footer: a label (a row header) and cells by column id. */
export interface SummaryRow {
  key: string;
  label: ReactNode;
  /** How many columns the label spans (1 when left out). */
  span?: number;
  cells?: Readonly<Record<string, ReactNode>>;
}

export interface SortState {
  id: string;
  desc: boolean;
}

export interface VirtualRows {
  /** Fixed row height in pixels (the CSS must give rows this height). */
  rowHeight: number;
  overscan?: number;
  /** Classes of the scrolling box around the table, which sets its height. */
  className: string;
  /** Accessible name of the scrolling box. */
  label: string;
  /** The rows in view changed (indexes into the sorted rows): fetch what they need. */
  onRangeChange?: (first: number, last: number) => void;
}

export interface DataTableProps<T> {
  caption: ReactNode;
  captionHidden?: boolean;
  /** The table's accessible name when it should differ from the caption. */
  label?: string;
  columns: readonly Column<T>[];
  /** A last column of buttons for each row (Change, Delete): named "Actions" for screen readers, blank on screen. */
  actions?: (row: T) => ReactNode;
  rows: readonly T[];
  rowKey: (row: T) => string | number;
  rowAttributes?: (row: T) => DataAttributes;
  /** Text for a row whose data has not arrived yet; the row is then one cell across the table. */
  rowPlaceholder?: (row: T) => ReactNode | undefined;
  testId?: string;
  /** Classes beside `table`, such as `funding-grid`. */
  className?: string;
  /** Classes for the box around the table, which scrolls sideways when the table is wider than the page. */
  scroll?: string;
  /** Show the header row (default true). */
  header?: boolean;
  /** Shown in one cell across the table when there are no rows. */
  empty?: ReactNode;
  summaryRows?: readonly SummaryRow[];
  footer?: readonly SummaryRow[];
  /** Controlled sort; with `manualSorting` the rows arrive sorted (by the service) and are not reordered. */
  sort?: SortState | null;
  defaultSort?: SortState;
  onSortChange?: (sort: SortState) => void;
  manualSorting?: boolean;
  /** Keeps the rows whose searchable columns (those with `value`) contain this text, ignoring case. */
  filter?: string;
  virtual?: VirtualRows;
}

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  columnFilteringFeature,
  globalFilteringFeature,
  filteredRowModel: createFilteredRowModel(),
  filterFns: { includesString: filterFn_includesString },
});
type Features = typeof features;

/** What the row model needs to know of a column: id, sortable, searchable. */
type ColumnShape = [string, boolean, boolean];

const collator = new Intl.Collator('en-GB', { numeric: true, sensitivity: 'base' });

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined || a === '') return 1;
  if (b === null || b === undefined || b === '') return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

function cellClass<T>(column: Column<T>, row: T): string | undefined {
  const extra = typeof column.className === 'function' ? column.className(row) : column.className;
  return [column.numeric ? 'num' : '', extra ?? ''].filter(Boolean).join(' ') || undefined;
}

function ariaSort(sorted: false | 'asc' | 'desc'): 'ascending' | 'descending' | undefined {
  return sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined;
}

/** Keeps the previous array while its items are the same objects, so a page's inline `.filter()` does not rebuild the row model. */
function useStableRows<T>(rows: readonly T[]): readonly T[] {
  const previous = useRef(rows);
  const same = previous.current.length === rows.length && previous.current.every((r, i) => r === rows[i]);
  if (!same) previous.current = rows;
  return previous.current;
}

const ACTIONS_HEADER = <span className="visually-hidden">Actions</span>;

export function DataTable<T extends RowData>(props: DataTableProps<T>) {
  const { virtual, actions } = props;
  const columns = useMemo<readonly Column<T>[]>(
    () =>
      actions
        ? [...props.columns, { id: 'actions', header: ACTIONS_HEADER, className: 'actions', cell: actions }]
        : props.columns,
    [props.columns, actions],
  );
  const latest = useRef(columns);
  latest.current = columns;
  const shape = JSON.stringify(columns.map((c): ColumnShape => [c.id, Boolean(c.sortable), Boolean(c.value)]));
  // Column definitions change only when the set of columns does; the accessors read the page's latest columns.
  const definitions = useMemo<ColumnDef<Features, T>[]>(
    () =>
      (JSON.parse(shape) as ColumnShape[]).map(([id, sortable, searchable]) => ({
        id,
        accessorFn: (row: T) => latest.current.find((x) => x.id === id)?.value?.(row) ?? null,
        enableSorting: sortable,
        enableGlobalFilter: searchable,
        sortFn: (a: Row<Features, T>, b: Row<Features, T>, columnId: string) =>
          compareValues(a.getValue(columnId), b.getValue(columnId)),
      })),
    [shape],
  );
  const data = useStableRows(props.rows);
  const [ownSort, setOwnSort] = useState<SortState | null>(props.defaultSort ?? null);
  const sort = props.sort !== undefined ? props.sort : ownSort;
  const sortId = sort?.id;
  const sortDesc = sort?.desc ?? false;
  const sorting: SortingState = useMemo(
    () => (sortId === undefined ? [] : [{ id: sortId, desc: sortDesc }]),
    [sortId, sortDesc],
  );

  const table = useTable({
    features,
    columns: definitions,
    data,
    getRowId: (row: T) => String(props.rowKey(row)),
    state: { sorting, globalFilter: props.filter ?? '' },
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = functionalUpdate(updater, sorting)[0];
      if (!next) return;
      if (props.sort === undefined) setOwnSort(next);
      props.onSortChange?.(next);
    },
    onGlobalFilterChange: () => undefined,
    manualSorting: props.manualSorting ?? false,
    enableMultiSort: false,
    enableSortingRemoval: false,
    globalFilterFn: 'includesString',
    getColumnCanGlobalFilter: (column) => Boolean(latest.current.find((c) => c.id === column.id)?.value),
  });
  const rows = table.getRowModel().rows;
  const scrollRef = useRef<HTMLDivElement>(null);
  const captionId = useId();
  const showHeader = props.header ?? true;

  const headerRow = (
    <tr aria-rowindex={virtual ? 1 : undefined}>
      {columns.map((c) => {
        const column = table.getColumn(c.id);
        const sorted = c.sortable && column ? column.getIsSorted() : false;
        return (
          <th key={c.id} scope="col" className={c.numeric ? 'num' : undefined} aria-sort={ariaSort(sorted)}>
            {c.sortable && column ? (
              <button type="button" className="sort-button" onClick={() => column.toggleSorting(sorted === 'asc')}>
                {c.header}
                {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
              </button>
            ) : (
              c.header
            )}
          </th>
        );
      })}
    </tr>
  );

  const renderRow = (row: Row<Features, T>, index: number, measure?: (row: HTMLTableRowElement | null) => void) => {
    const item = row.original;
    const placeholder = props.rowPlaceholder?.(item);
    return (
      <tr
        key={row.id}
        ref={measure}
        {...props.rowAttributes?.(item)}
        {...(virtual ? { 'aria-rowindex': index + 2, 'data-index': index } : {})}
      >
        {placeholder !== undefined ? (
          <td colSpan={columns.length} className="hint">
            {placeholder}
          </td>
        ) : (
          columns.map((c) => {
            const attributes = { className: cellClass(c, item), ...c.cellAttributes?.(item) };
            return c.rowHeader ? (
              <th key={c.id} scope="row" {...attributes}>
                {c.cell(item)}
              </th>
            ) : (
              <td key={c.id} {...attributes}>
                {c.cell(item)}
              </td>
            );
          })
        )}
      </tr>
    );
  };

  const table_ = (
    <table
      className={props.className ? `table ${props.className}` : 'table'}
      aria-label={props.label}
      data-testid={props.testId}
      aria-rowcount={virtual ? rows.length + 1 : undefined}
    >
      <caption id={captionId} className={props.captionHidden ? 'visually-hidden' : undefined}>
        {props.caption}
      </caption>
      {showHeader && <thead>{headerRow}</thead>}
      <tbody>
        {virtual ? (
          <VirtualBody rows={rows} virtual={virtual} scrollRef={scrollRef} span={columns.length} render={renderRow} />
        ) : (
          rows.map((row, index) => renderRow(row, index))
        )}
        {rows.length === 0 && props.empty !== undefined && (
          <tr>
            <td colSpan={columns.length}>{props.empty}</td>
          </tr>
        )}
        {props.summaryRows?.map((s) => (
          <SummaryLine key={s.key} row={s} columns={columns} />
        ))}
      </tbody>
      {props.footer && props.footer.length > 0 && (
        <tfoot>
          {props.footer.map((s) => (
            <SummaryLine key={s.key} row={s} columns={columns} />
          ))}
        </tfoot>
      )}
    </table>
  );

  if (virtual) {
    return (
      <div className={`${virtual.className} scroll-box`} ref={scrollRef} tabIndex={0} aria-label={virtual.label}>
        {table_}
      </div>
    );
  }
  return (
    <ScrollBox className={props.scroll} {...(props.label ? { label: props.label } : { labelledBy: captionId })}>
      {table_}
    </ScrollBox>
  );
}

function SummaryLine<T>({ row, columns }: { row: SummaryRow; columns: readonly Column<T>[] }) {
  const span = row.span ?? 1;
  return (
    <tr>
      <th scope="row" colSpan={span > 1 ? span : undefined}>
        {row.label}
      </th>
      {columns.slice(span).map((c) => (
        <td key={c.id} className={c.numeric ? 'num' : undefined}>
          {row.cells?.[c.id]}
        </td>
      ))}
    </tr>
  );
}

/** Only the rows in view are in the page; spacer rows above and below keep the scroll height right. */
function VirtualBody<T extends RowData>({
  rows,
  virtual,
  scrollRef,
  span,
  render,
}: {
  rows: Row<Features, T>[];
  virtual: VirtualRows;
  scrollRef: RefObject<HTMLDivElement | null>;
  span: number;
  render: (row: Row<Features, T>, index: number, measure: (row: HTMLTableRowElement | null) => void) => ReactNode;
}) {
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => virtual.rowHeight,
    overscan: virtual.overscan ?? 12,
  });
  // This body's layout effects run before the scrolling box around the table gets its ref, so on the first render the
  // virtualizer finds no box to watch. One more render once mounted finds it: without it a table mounted with its rows
  // already there (a summary, an opened <details>) drew none of them.
  const [, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;
  const { onRangeChange } = virtual;
  useEffect(() => onRangeChange?.(first, last), [first, last, onRangeChange]);
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  return (
    <>
      {paddingTop > 0 && (
        <tr aria-hidden="true" style={{ height: paddingTop }}>
          <td colSpan={span} />
        </tr>
      )}
      {items.map((item) => {
        const row = rows[item.index];
        return row ? render(row, item.index, virtualizer.measureElement) : null;
      })}
      {paddingBottom > 0 && (
        <tr aria-hidden="true" style={{ height: paddingBottom }}>
          <td colSpan={span} />
        </tr>
      )}
    </>
  );
}
