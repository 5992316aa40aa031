import { useMemo, useState } from 'react';
import { api, useApi } from '../../api';
import { LabelledField, Notice } from '../../components/forms';
import { formatCount, formatDateTime } from '../../components/format';
import { Stat, StatCards } from '../../components/stats';
import { DataTable } from '../../components/DataTable';
import type { ChannelInput } from '../../../shared/contract';
import type { BulkResult, MappingRow } from '../../../shared/framework/channels';
import type { StageId } from '../../../shared/framework/index';
import { ExportButtons, Loading, STAGES, stageShort } from '../../components/framework';

type StatusFilter = 'all' | 'unmapped' | 'draft' | 'agreed' | 'retired' | 'differs';

function matches(
  r: MappingRow,
  f: { text: string; profession: string; service: string; status: StatusFilter },
): boolean {
  if (f.text && !`${r.title} ${r.services} ${r.occupationCode ?? ''}`.toLowerCase().includes(f.text.toLowerCase()))
    return false;
  if (f.profession && r.profession !== f.profession) return false;
  if (f.service && !r.serviceIds.includes(Number(f.service))) return false;
  const m = r.mapping;
  switch (f.status) {
    case 'unmapped':
      return !m?.stage;
    case 'draft':
      return m?.status === 'draft';
    case 'agreed':
      return m?.status === 'agreed';
    case 'retired':
      return !!m?.versionRetired;
    case 'differs':
      return !!m?.stage && !!r.suggestion && r.suggestion.stage !== m.stage;
    default:
      return true;
  }
}

function MappingStatus({ mapping }: { mapping: MappingRow['mapping'] }) {
  if (!mapping) return null;
  return (
    <>
      <span className={`tag fw-mapping-status fw-mapping-status--${mapping.status}`}>
        {mapping.status === 'agreed' ? 'Agreed' : 'Draft'}
      </span>
      {mapping.versionRetired && (
        <span className="tag fw-retired" title={`Mapped against ${mapping.frameworkVersion}, which has been retired`}>
          Retired version {mapping.frameworkVersion}
        </span>
      )}
      {mapping.agreedBy && mapping.agreedAt && (
        <div className="fw-sub">
          {mapping.agreedBy}, {formatDateTime(mapping.agreedAt)}
        </div>
      )}
    </>
  );
}

export function MappingView() {
  const list = useApi('framework/mappings', {});
  const [filter, setFilter] = useState({ text: '', profession: '', service: '', status: 'all' as StatusFilter });
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [bulkStage, setBulkStage] = useState<StageId | ''>('');
  const [result, setResult] = useState<{
    kind: 'success' | 'warning';
    text: string;
    skipped?: BulkResult['skipped'];
  }>();
  const [busy, setBusy] = useState(false);

  const rows = useMemo(() => list.data?.rows ?? [], [list.data]);
  const shown = useMemo(() => rows.filter((r) => matches(r, filter)), [rows, filter]);
  const professions = useMemo(
    () =>
      [...new Map(rows.map((r) => [r.profession, r.professionName])).entries()].sort((a, b) =>
        a[1].localeCompare(b[1]),
      ),
    [rows],
  );
  const serviceList = useApi('workforce/services', {});
  const services = useMemo(
    () => (serviceList.data ?? []).map((s) => [String(s.id), s.name] as const),
    [serviceList.data],
  );
  if (!list.data) return <Loading error={list.error} />;

  const mapped = rows.filter((r) => r.mapping?.stage).length;
  const agreed = rows.filter((r) => r.mapping?.status === 'agreed').length;
  const retired = rows.filter((r) => r.mapping?.versionRetired).length;
  const selectedShown = shown.filter((r) => selected.has(r.roleId));
  const allShownSelected = shown.length > 0 && selectedShown.length === shown.length;

  const toggle = (id: number) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const toggleAll = () => setSelected(allShownSelected ? new Set() : new Set(shown.map((r) => r.roleId)));

  const bulk = async (input: ChannelInput<'framework/mapping-bulk'>) => {
    setBusy(true);
    const r = await api('framework/mapping-bulk', input);
    setBusy(false);
    if (!r.ok) return setResult({ kind: 'warning', text: r.error.message });
    setResult({
      kind: 'success',
      text: `Updated ${r.value.updated} role${r.value.updated === 1 ? '' : 's'}.${r.value.skipped.length ? ` Skipped ${r.value.skipped.length}:` : ''}`,
      skipped: r.value.skipped,
    });
    setSelected(new Set());
    list.reload();
  };
  const ids = selectedShown.map((r) => r.roleId);

  return (
    <section aria-labelledby="mapping-title">
      <h2 id="mapping-title">Map local roles to the framework</h2>
      <p className="hint">
        Framework version <strong data-testid="current-version">{list.data.currentVersion}</strong>. The app suggests a
        stage from each role's occupation code, band and title; a suggestion is only used when you accept it. The
        framework is not a banding guide.
      </p>
      <StatCards>
        <Stat label="Roles" testId="roles-total">
          {formatCount(rows.length)}
        </Stat>
        <Stat label="Mapped" testId="roles-mapped">
          {formatCount(mapped)}
        </Stat>
        <Stat label="Agreed" testId="roles-agreed">
          {formatCount(agreed)}
        </Stat>
        <Stat label="Against a retired version" testId="roles-retired">
          {formatCount(retired)}
        </Stat>
      </StatCards>

      <div className="field-row fw-filters">
        <LabelledField htmlFor="map-search" label="Search roles" width="medium">
          <input
            id="map-search"
            className="input"
            type="search"
            value={filter.text}
            onChange={(e) => setFilter({ ...filter, text: e.target.value })}
          />
        </LabelledField>
        <LabelledField htmlFor="map-profession" label="Profession" width="medium">
          <select
            id="map-profession"
            className="select"
            value={filter.profession}
            onChange={(e) => setFilter({ ...filter, profession: e.target.value })}
          >
            <option value="">All professions</option>
            {professions.map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
        </LabelledField>
        <LabelledField htmlFor="map-service" label="Service" width="medium">
          <select
            id="map-service"
            className="select"
            value={filter.service}
            onChange={(e) => setFilter({ ...filter, service: e.target.value })}
          >
            <option value="">All services</option>
            {services.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </LabelledField>
        <LabelledField htmlFor="map-status" label="Show" width="medium">
          <select
            id="map-status"
            className="select"
            value={filter.status}
            onChange={(e) => setFilter({ ...filter, status: e.target.value as StatusFilter })}
          >
            <option value="all">All roles</option>
            <option value="unmapped">Not mapped yet</option>
            <option value="draft">Draft</option>
            <option value="agreed">Agreed</option>
            <option value="retired">Mapped against a retired version</option>
            <option value="differs">Stage differs from the suggestion</option>
          </select>
        </LabelledField>
      </div>

      <div className="panel fw-bulk" aria-label="Actions for selected roles">
        <h3>
          Selected: <span data-testid="selected-count">{selectedShown.length}</span> of {shown.length} shown
        </h3>
        <div className="button-group">
          <button
            type="button"
            className="button"
            disabled={busy || ids.length === 0}
            onClick={() => bulk({ action: 'accept-suggestion', roleIds: ids })}
          >
            Accept suggestions for selected roles
          </button>
          <button
            type="button"
            className="button button--secondary"
            disabled={busy || ids.length === 0}
            onClick={() => bulk({ action: 'agree', roleIds: ids })}
          >
            Mark selected as agreed
          </button>
        </div>
        <div className="field-row">
          <LabelledField htmlFor="bulk-stage" label="Set the stage of selected roles to" width="medium">
            <select
              id="bulk-stage"
              className="select"
              value={bulkStage}
              onChange={(e) => setBulkStage(e.target.value as StageId | '')}
            >
              <option value="">Choose a stage</option>
              {STAGES.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </LabelledField>
          <div className="field">
            <span className="field__label" aria-hidden="true">
              &nbsp;
            </span>
            <button
              type="button"
              className="button button--secondary"
              disabled={busy || ids.length === 0 || !bulkStage}
              onClick={() => bulkStage && bulk({ action: 'set-stage', roleIds: ids, stage: bulkStage })}
            >
              Set stage
            </button>
          </div>
        </div>
        {result && (
          <Notice kind={result.kind}>
            {result.text}
            {result.skipped && result.skipped.length > 0 && (
              <ul>
                {result.skipped.map((s) => (
                  <li key={s.roleId}>
                    {s.title}: {s.reason}
                  </li>
                ))}
              </ul>
            )}
          </Notice>
        )}
      </div>

      <DataTable
        caption={`Roles (${shown.length} shown of ${rows.length})`}
        className="fw-mapping"
        columns={[
          {
            id: 'select',
            header: (
              <input
                type="checkbox"
                aria-label="Select all roles shown"
                checked={allShownSelected}
                onChange={toggleAll}
              />
            ),
            cell: (r) => (
              <input
                type="checkbox"
                aria-label={`Select ${r.title}, band ${r.band}`}
                checked={selected.has(r.roleId)}
                onChange={() => toggle(r.roleId)}
              />
            ),
          },
          {
            id: 'role',
            header: 'Role',
            cell: (r) => (
              <>
                <a href={`#/framework/mapping/${r.roleId}`}>{r.title}</a>
                <div className="fw-sub">{r.services}</div>
              </>
            ),
          },
          { id: 'profession', header: 'Profession', cell: (r) => r.professionName },
          { id: 'code', header: 'Code', className: 'mono', cell: (r) => r.occupationCode ?? '' },
          { id: 'band', header: 'Band', cell: (r) => r.band },
          { id: 'staff', header: 'Staff', numeric: true, cell: (r) => formatCount(r.headcount) },
          {
            id: 'suggestion',
            header: 'Suggestion (not applied)',
            cell: (r) =>
              r.suggestion ? (
                <details>
                  <summary>
                    {stageShort(r.suggestion.stage)} <span className="fw-sub">({r.suggestion.strength})</span>
                  </summary>
                  <p className="fw-sub">{r.suggestion.reason}</p>
                </details>
              ) : (
                <span className="fw-sub">None</span>
              ),
          },
          {
            id: 'stage',
            header: 'Mapped stage',
            cellAttributes: (r) => ({ 'data-testid': `stage-${r.roleId}` }),
            cell: (r) => (r.mapping?.stage ? stageShort(r.mapping.stage) : <span className="fw-sub">Not mapped</span>),
          },
          { id: 'status', header: 'Status', cell: (r) => <MappingStatus mapping={r.mapping} /> },
        ]}
        rows={shown}
        rowKey={(r) => r.roleId}
        rowAttributes={(r) => ({ 'data-role-id': r.roleId })}
      />
      <h3>Export the role map</h3>
      <ExportButtons what="role-map" label="role map" />
    </section>
  );
}
