import { DataTable } from './DataTable';

/**
 * "Which column holds each item?": one row per item an import reads, a choice of the file's columns and the first
 * values found there. The staff, training records and establishment imports all map their columns with it.
 */
export function ColumnMappingTable<F extends string>(props: {
  fields: readonly F[];
  labels: Record<F, string>;
  required: readonly F[];
  /** A note beside an item, e.g. "(hours or FTE required)" for either of a pair. */
  note?: (field: F) => string | null;
  /** Prefix of each choice's id, so that its label points at it. */
  idPrefix: string;
  fileName: string;
  headers: readonly string[];
  sampleRows: readonly { cells: readonly string[] }[];
  mapping: Partial<Record<F, number | null>>;
  onChange: (field: F, column: number | null) => void;
}) {
  const { mapping } = props;
  const sample = (index: number | null | undefined) =>
    index === null || index === undefined
      ? ''
      : props.sampleRows
          .map((r) => r.cells[index])
          .filter(Boolean)
          .slice(0, 2)
          .join(', ');
  return (
    <DataTable
      caption="Which column holds each item? Required items are marked."
      className="mapping-table"
      columns={[
        {
          id: 'item',
          header: 'Item',
          cell: ({ field }) => {
            const note = props.note?.(field) ?? null;
            return (
              <>
                <label htmlFor={`${props.idPrefix}-${field}`}>{props.labels[field]}</label>
                {props.required.includes(field) && <span className="required">required</span>}
                {note && <span className="sample"> {note}</span>}
              </>
            );
          },
        },
        {
          id: 'column',
          header: `Column in ${props.fileName}`,
          cell: ({ field }) => (
            <select
              id={`${props.idPrefix}-${field}`}
              className="select"
              value={mapping[field] ?? ''}
              onChange={(e) => props.onChange(field, e.target.value === '' ? null : Number(e.target.value))}
            >
              <option value="">Not in this file</option>
              {props.headers.map((h, i) => (
                <option key={`${h}-${i}`} value={i}>
                  {h || `Column ${i + 1}`}
                </option>
              ))}
            </select>
          ),
        },
        { id: 'sample', header: 'First values', className: 'sample', cell: ({ field }) => sample(mapping[field]) },
      ]}
      rows={props.fields.map((field) => ({ field }))}
      rowKey={(r) => r.field}
    />
  );
}
