import { useMemo } from 'react';
import { DataTable, type Column } from './DataTable';
import { formatCount } from './format';

/** One problem an import found: where it is (file, line or rows, column) and what is wrong. */
export interface Issue {
  file?: string;
  line?: number | readonly number[] | null;
  column?: string | null;
  message: string;
}

interface Numbered {
  issue: Issue;
  index: number;
}

const lines = (line: Issue['line']) =>
  line === null || line === undefined ? '' : typeof line === 'number' ? String(line) : line.join(', ');

/**
 * The rows an import rejected or warns about, as a table. Columns without anything to show (no file, no column
 * named) are left out. `total` is how many problems there are when only the first ones were sent.
 */
export function IssueList({
  caption,
  issues,
  total,
  label,
  scroll = true,
  lineHeader = 'Line',
  messageHeader = 'Problem',
  testId,
}: {
  caption: string;
  issues: readonly Issue[];
  total?: number;
  label?: string;
  scroll?: boolean | string;
  lineHeader?: string;
  messageHeader?: string;
  testId?: string;
}) {
  const rows = useMemo(() => issues.map((issue, index) => ({ issue, index })), [issues]);
  const hasFile = issues.some((i) => i.file);
  const hasColumn = issues.some((i) => i.column !== null && i.column !== undefined && i.column !== '');
  const columns = useMemo(() => {
    const all: (Column<Numbered> | false)[] = [
      hasFile && { id: 'file', header: 'File', cell: (r) => r.issue.file ?? '' },
      { id: 'line', header: lineHeader, numeric: true, cell: (r) => lines(r.issue.line) },
      hasColumn && { id: 'column', header: 'Column', cell: (r) => r.issue.column ?? '' },
      { id: 'message', header: messageHeader, cell: (r) => r.issue.message },
    ];
    return all.filter((c): c is Column<Numbered> => c !== false);
  }, [hasFile, hasColumn, lineHeader, messageHeader]);
  if (issues.length === 0) return null;
  const count = total ?? issues.length;
  return (
    <DataTable
      caption={`${caption} ${count > issues.length ? `(first ${formatCount(issues.length)} of ${formatCount(count)})` : `(${formatCount(count)})`}`}
      label={label}
      testId={testId}
      scroll={scroll}
      columns={columns}
      rows={rows}
      rowKey={(r) => r.index}
    />
  );
}
