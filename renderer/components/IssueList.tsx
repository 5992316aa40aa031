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

/** Issues with the same file, column and message, shown as one row (in the order the first one came). */
interface Group {
  key: string;
  first: Issue;
  lines: number[];
  count: number;
}

const lines = (line: Issue['line']) =>
  line === null || line === undefined ? '' : typeof line === 'number' ? String(line) : line.join(', ');

function linesOf(issue: Issue): number[] {
  return issue.line === null || issue.line === undefined
    ? []
    : typeof issue.line === 'number'
      ? [issue.line]
      : [...issue.line];
}

/** Identical problems (same file, column and message) in one group each, in the order first seen. */
export function groupIssues(issues: readonly Issue[]): Group[] {
  const groups = new Map<string, Group>();
  for (const issue of issues) {
    const key = JSON.stringify([issue.file ?? '', issue.column ?? '', issue.message]);
    const group = groups.get(key);
    if (group) {
      group.count++;
      group.lines.push(...linesOf(issue));
    } else groups.set(key, { key, first: issue, lines: linesOf(issue), count: 1 });
  }
  return [...groups.values()];
}

/** The lines of a group: "7" for one; for several, their number, expandable to the full list. */
function GroupLines({ group, lineHeader }: { group: Group; lineHeader: string }) {
  if (group.count === 1) return <>{lines(group.first.line)}</>;
  const listed = group.lines.map((n) => formatCount(n)).join(', ');
  return (
    <details className="issue-lines">
      <summary>
        {formatCount(group.count)} {lineHeader.toLowerCase().replace(/([^s])$/, '$1s')}
      </summary>
      <span>{listed}</span>
    </details>
  );
}

/**
 * The rows an import rejected or warns about, as a table. Identical problems (same column and message, e.g. 125
 * rows with the same band warning) are one row with how many there are, expandable to their lines. Columns
 * without anything to show (no file, no column named) are left out. `total` is how many problems there are when
 * only the first ones were sent.
 */
export function IssueList({
  caption,
  issues,
  total,
  label,
  lineHeader = 'Line',
  messageHeader = 'Problem',
  testId,
}: {
  caption: string;
  issues: readonly Issue[];
  total?: number;
  label?: string;
  lineHeader?: string;
  messageHeader?: string;
  testId?: string;
}) {
  const groups = useMemo(() => groupIssues(issues), [issues]);
  const hasFile = issues.some((i) => i.file);
  const hasColumn = issues.some((i) => i.column !== null && i.column !== undefined && i.column !== '');
  const columns = useMemo(() => {
    const all: (Column<Group> | false)[] = [
      hasFile && { id: 'file', header: 'File', cell: (g) => g.first.file ?? '' },
      { id: 'line', header: lineHeader, numeric: true, cell: (g) => <GroupLines group={g} lineHeader={lineHeader} /> },
      hasColumn && { id: 'column', header: 'Column', cell: (g) => g.first.column ?? '' },
      { id: 'message', header: messageHeader, cell: (g) => g.first.message },
    ];
    return all.filter((c): c is Column<Group> => c !== false);
  }, [hasFile, hasColumn, lineHeader, messageHeader]);
  if (issues.length === 0) return null;
  const count = total ?? issues.length;
  const shown =
    count > issues.length ? `first ${formatCount(issues.length)} of ${formatCount(count)}` : formatCount(count);
  const kinds = groups.length < issues.length ? `, ${formatCount(groups.length)} different` : '';
  return (
    <DataTable
      caption={`${caption} (${shown}${kinds})`}
      label={label}
      testId={testId}
      columns={columns}
      rows={groups}
      rowKey={(g) => g.key}
    />
  );
}
