import { useState } from 'react';
import { useApi } from '../../api';
import { DataTable } from '../../components/DataTable';
import { LabelledField, Notice } from '../../components/forms';
import {
  type CellStatus,
  type ReturnDiff,
  type ReturnTable,
  type ReturnVersionKind,
  type ReturnView,
} from '../../../shared/returns/channels';
import { formatFigure, statusText, versionLabel } from './common';
import { textPathLabel, textValue } from './text-paths';

/** Short enough for a column; the preview's legend says the rest. */
const HIDDEN_IN_WORDS: Record<CellStatus, string> = {
  exact: 'Blank',
  'not-applicable': 'Not applicable',
  'suppressed-primary': '[c] hidden: a small number',
  'suppressed-secondary': '[c] hidden so the others cannot be worked out',
};

type ChangedCell = ReturnDiff['cells'][number];
type CellValue = NonNullable<ChangedCell['before']>;

/** Two versions of a period side by side, cell by cell: what changed, from what to what. */
export function CompareView({ view }: { view: ReturnView }) {
  const list = useApi('returns/list', {});
  const others = (list.data?.returns ?? []).filter((r) => r.period === view.period && r.id !== view.id);
  const [chosen, setChosen] = useState<number | null>(null);
  const [version, setVersion] = useState<ReturnVersionKind>('exact');
  const otherId = chosen ?? others.find((r) => r.version === view.version - 1)?.id ?? others[0]?.id ?? null;

  if (list.data && others.length === 0)
    return (
      <>
        <h2>Compare versions</h2>
        <p>
          There is only one version of the {view.period} return. Make a corrected version from{' '}
          <a href={`#/returns/${view.id}/sign-off`}>Sign off and send</a> once this one is signed off, then compare them
          here.
        </p>
      </>
    );
  return (
    <>
      <h2>Compare versions</h2>
      <div className="field-row">
        <LabelledField htmlFor="compare-with" label="Compare this version with" width="long">
          <select
            id="compare-with"
            className="select"
            value={otherId ?? ''}
            onChange={(e) => setChosen(Number(e.target.value))}
          >
            {others.map((r) => (
              <option key={r.id} value={r.id}>
                {versionLabel(r)} ({statusText(r)})
              </option>
            ))}
          </select>
        </LabelledField>
        <LabelledField htmlFor="compare-version" label="Figures compared" width="medium">
          <select
            id="compare-version"
            className="select"
            value={version}
            onChange={(e) => setVersion(e.target.value === 'publication' ? 'publication' : 'exact')}
          >
            <option value="exact">Exact figures (ICS data-sharing version)</option>
            <option value="publication">Publication version (as published, hidden cells included)</option>
          </select>
        </LabelledField>
      </div>
      {otherId !== null && <Differences view={view} otherId={otherId} version={version} />}
    </>
  );
}

function Differences({ view, otherId, version }: { view: ReturnView; otherId: number; version: ReturnVersionKind }) {
  const older = otherId < view.id;
  const diff = useApi('returns/diff', {
    fromId: older ? otherId : view.id,
    toId: older ? view.id : otherId,
    version,
  });
  if (diff.error) return <Notice kind="warning">{diff.error}</Notice>;
  if (!diff.data) return <p aria-busy="true">Comparing…</p>;
  const d = diff.data;
  const tables = new Map<string, ReturnTable>(view.content.tables.map((t) => [t.id, t]));
  const fromName = versionLabel(d.from);
  const toName = versionLabel(d.to);

  return (
    <>
      <p data-testid="compare-summary">
        From {fromName} to {toName}: {d.cells.length.toLocaleString('en-GB')}{' '}
        {d.cells.length === 1 ? 'cell changed' : 'cells changed'}, {d.unchangedCells.toLocaleString('en-GB')} unchanged
        {d.text.length > 0 ? `, ${d.text.length} text ${d.text.length === 1 ? 'entry' : 'entries'} changed` : ''}.
      </p>
      {d.to.correctionReason && (
        <p>
          <strong>Reason for the correction:</strong> {d.to.correctionReason}
        </p>
      )}
      <DataTable<ChangedCell>
        caption={`Cells that changed from ${fromName} to ${toName}`}
        testId="compare-cells"
        rows={d.cells}
        rowKey={(c) => `${c.table}|${c.row}|${c.column}|${c.measure}`}
        empty="No figures changed."
        columns={[
          {
            id: 'table',
            header: 'Table',
            cell: (c) => {
              const t = tables.get(c.table);
              return t ? `${t.id}: ${t.title}` : c.table;
            },
          },
          { id: 'row', header: 'Row', rowHeader: true, cell: (c) => labelOf(tables.get(c.table), 'rows', c.row) },
          { id: 'column', header: 'Column', cell: (c) => labelOf(tables.get(c.table), 'columns', c.column) },
          { id: 'measure', header: 'Measure', cell: (c) => measureOf(tables.get(c.table), c.measure).label },
          {
            id: 'before',
            header: fromName,
            numeric: true,
            cell: (c) => describe(c.before, tables.get(c.table), c.measure),
          },
          {
            id: 'after',
            header: toName,
            numeric: true,
            className: 'return-changed',
            cell: (c) => (
              <>
                <span className="return-changed__tag">Changed to</span>{' '}
                {describe(c.after, tables.get(c.table), c.measure)}
              </>
            ),
          },
        ]}
      />
      {d.text.length > 0 && (
        <DataTable<ReturnDiff['text'][number]>
          caption="Text that changed"
          rows={d.text}
          rowKey={(t) => t.path}
          columns={[
            { id: 'path', header: 'Where', rowHeader: true, cell: (t) => textPathLabel(t.path, view.content) },
            { id: 'before', header: fromName, cell: (t) => textValue(t.before) },
            {
              id: 'after',
              header: toName,
              className: 'return-changed',
              cell: (t) => (
                <>
                  <span className="return-changed__tag">Changed to</span> {textValue(t.after)}
                </>
              ),
            },
          ]}
        />
      )}
    </>
  );
}

function labelOf(table: ReturnTable | undefined, axis: 'rows' | 'columns', key: string): string {
  return table?.[axis].find((k) => k.key === key)?.label ?? key;
}

function measureOf(table: ReturnTable | undefined, key: string) {
  return table?.measures.find((m) => m.key === key) ?? { key, label: key, unit: 'count' as const };
}

function describe(cell: CellValue | null, table: ReturnTable | undefined, measure: string): string {
  if (cell === null) return 'Not in this version';
  if (cell.status === 'exact' && cell.value !== null) return formatFigure(cell.value, measureOf(table, measure).unit);
  return HIDDEN_IN_WORDS[cell.status];
}
