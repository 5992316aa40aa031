import { useCallback, useMemo, useRef, useState } from 'react';
import { api, useApi } from '../../api';
import { ItemActions } from '../../components/actions';
import { DataTable, type Column, type SortState } from '../../components/DataTable';
import { LabelledField, Notice } from '../../components/forms';
import { formatCount, formatFte } from '../../components/format';
import { STAGES, stageShort } from '../../components/framework';
import { useMessage } from '../../components/message';
import { BAND_CODES, professions, type Band } from '../../../shared/common/reference';
import type { StageId } from '../../../shared/framework';
import type { RoleView } from '../../../shared/workforce/channels';
import {
  NO_FILTER,
  ROLE_SORT_KEYS,
  roleLabel,
  roleList,
  type RoleFilter,
  type RoleSort,
  type RoleSortKey,
} from '../../../shared/workforce/role-list';
import { BULK_PANELS, type BulkKind } from './RoleBulkActions';
import { RoleEditor } from './RoleEditor';
import './workforce.css';
import './roles.css';
import { currentOpener, returnFocus, type Opener } from '../../components/editing';

/** Row height in pixels: `.roles-scroll tbody tr` in roles.css gives rows exactly this. */
const ROW_HEIGHT = 60;

const BULK_BUTTONS: { kind: BulkKind; label: string; least: number }[] = [
  { kind: 'stage', label: 'Set stage', least: 1 },
  { kind: 'agree', label: 'Agree mappings', least: 1 },
  { kind: 'establishment', label: 'Set establishment', least: 1 },
  { kind: 'merge', label: 'Merge', least: 2 },
];

const isSortKey = (id: string): id is RoleSortKey => (ROLE_SORT_KEYS as readonly string[]).includes(id);

function StageCell({ role }: { role: RoleView }) {
  if (!role.stage) return <span className="hint-inline">Not mapped</span>;
  return (
    <>
      {stageShort(role.stage)}{' '}
      <span className={`tag ${role.mappingStatus === 'agreed' ? 'tag--agreed' : 'tag--draft'}`}>
        {role.mappingStatus === 'agreed' ? 'agreed' : 'draft'}
      </span>
    </>
  );
}

/**
 * The trust's job roles: thousands of them, searched, filtered and sorted in memory (shared/workforce/role-list.ts),
 * drawn as a virtualised list. A role is changed in a panel beside the list, so the list keeps its place, and focus
 * goes back to the role's row after saving. Ticked roles take bulk actions: set stage, agree, set establishment,
 * merge.
 */
export function RolesView() {
  const roles = useApi('workforce/roles', {});
  const services = useApi('workforce/services', {});
  const message = useMessage();
  const [filter, setFilter] = useState<RoleFilter>(NO_FILTER);
  const [sort, setSort] = useState<RoleSort>({ key: 'title', desc: false });
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [editing, setEditing] = useState<RoleView | 'new' | null>(null);
  const [bulk, setBulk] = useState<BulkKind | null>(null);
  const bulkOpener = useRef<Opener | null>(null);
  /** Closes a bulk panel and puts focus back on its button (or the heading, if the button is now disabled). */
  const closeBulk = () => {
    setBulk(null);
    requestAnimationFrame(() => returnFocus(bulkOpener.current));
  };
  const listRef = useRef<HTMLDivElement>(null);

  const all = roles.data;
  const shown = useMemo(() => (all ? roleList(all, filter, sort) : []), [all, filter, sort]);
  const chosen = useMemo(() => (all ?? []).filter((r) => selected.has(r.id)), [all, selected]);
  const allShownChosen = shown.length > 0 && shown.every((r) => selected.has(r.id));
  const filtered = JSON.stringify(filter) !== JSON.stringify(NO_FILTER);

  const set = <K extends keyof RoleFilter>(key: K, value: RoleFilter[K]) => setFilter((f) => ({ ...f, [key]: value }));
  const toggle = useCallback(
    (id: number) =>
      setSelected((s) => {
        const next = new Set(s);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );

  /** Focus the row's Change button (or the list, if the row has scrolled out of the drawn rows). */
  const focusRow = (id: number) =>
    requestAnimationFrame(() => {
      const button = listRef.current?.querySelector<HTMLButtonElement>(`tr[data-role-id="${id}"] .link-button`);
      (button ?? listRef.current?.querySelector<HTMLElement>('.roles-scroll'))?.focus({ preventScroll: true });
    });

  const closeEditor = (id?: number) => {
    setEditing(null);
    if (id !== undefined) focusRow(id);
    // A new role cancelled: back to the "Add a role" button, drawn again as the panel closes.
    else requestAnimationFrame(() => returnFocus({ element: null, text: 'Add a role' }));
  };

  const remove = (r: RoleView) =>
    message.confirmThen(
      `Delete ${roleLabel(r)}?`,
      () => api('workforce/role-delete', { id: r.id }),
      () => `${r.title} deleted.`,
      roles.reload,
    );

  const columns = useMemo<Column<RoleView>[]>(
    () => [
      {
        id: 'select',
        header: (
          <input
            type="checkbox"
            className="checkbox-inline"
            aria-label={`Select all ${shown.length} roles shown`}
            checked={allShownChosen}
            onChange={() =>
              setSelected((s) => {
                const next = new Set(s);
                for (const r of shown)
                  if (allShownChosen) next.delete(r.id);
                  else next.add(r.id);
                return next;
              })
            }
          />
        ),
        className: 'select-cell',
        cell: (r) => (
          <input
            type="checkbox"
            className="checkbox-inline"
            aria-label={`Select ${roleLabel(r)}`}
            checked={selected.has(r.id)}
            onChange={() => toggle(r.id)}
          />
        ),
      },
      {
        id: 'title',
        header: 'Role',
        rowHeader: true,
        sortable: true,
        cell: (r) => <span className="clamp-2">{r.title}</span>,
      },
      { id: 'band', header: 'Band', sortable: true, cell: (r) => r.band },
      {
        id: 'profession',
        header: 'Main profession',
        sortable: true,
        cell: (r) => (
          <span className="clamp-2">
            {r.professionName}
            {r.mixed && (
              <span className="tag tag--mixed" title={r.mixed}>
                mixed<span className="visually-hidden">: {r.mixed}</span>
              </span>
            )}
          </span>
        ),
      },
      {
        id: 'services',
        header: 'Services',
        sortable: true,
        cell: (r) =>
          r.serviceCount === 0 ? (
            <span className="hint-inline">None</span>
          ) : (
            <span className="clamp-2">
              {r.serviceCount === 1 ? r.services : `${r.serviceCount} services: ${r.services}`}
            </span>
          ),
      },
      { id: 'headcount', header: 'Staff', numeric: true, sortable: true, cell: (r) => formatCount(r.headcount) },
      { id: 'inPostFte', header: 'In post FTE', numeric: true, sortable: true, cell: (r) => formatFte(r.inPostFte) },
      {
        id: 'establishmentFte',
        header: 'Establishment FTE',
        numeric: true,
        sortable: true,
        cell: (r) => formatFte(r.establishmentFte),
      },
      {
        id: 'stage',
        header: 'Stage',
        sortable: true,
        cell: (r) => (
          <>
            <StageCell role={r} />
            {r.conflicts > 0 && (
              <span className="tag tag--conflict" title="Mappings from merged roles wait for you to choose one">
                {formatCount(r.conflicts)} {r.conflicts === 1 ? 'conflict' : 'conflicts'}
              </span>
            )}
          </>
        ),
      },
    ],
    [shown, allShownChosen, selected, toggle],
  );

  const onSortChange = useCallback((s: SortState) => {
    if (isSortKey(s.id)) setSort({ key: s.id, desc: s.desc });
  }, []);

  const noServices = services.data && services.data.length === 0;
  const Bulk = bulk ? BULK_PANELS[bulk] : null;
  const editingRole = editing === 'new' ? null : editing;
  return (
    <section aria-labelledby="roles-title">
      <h2 id="roles-title">Job roles</h2>
      <p className="hint">
        A role is a job: its title and band. Its services and the establishment it holds in each are its post lines.
      </p>
      {message.notice}
      {roles.error && <Notice kind="warning">{roles.error}</Notice>}
      {noServices && (
        <Notice kind="info">
          Add a service first: a role's establishment is held in a service.{' '}
          <a href="#/workforce/services">Go to Services</a>
        </Notice>
      )}
      {editing === null && !noServices && (
        <button type="button" className="button" onClick={() => setEditing('new')}>
          Add a role
        </button>
      )}

      <div className="filters role-filters" role="search" aria-label="Find roles">
        <LabelledField htmlFor="roles-search" label="Search" width="medium">
          <input
            id="roles-search"
            className="input"
            type="search"
            value={filter.search}
            onChange={(e) => set('search', e.target.value)}
          />
        </LabelledField>
        <LabelledField htmlFor="roles-profession" label="Profession">
          <select
            id="roles-profession"
            className="select"
            value={filter.profession ?? ''}
            onChange={(e) => set('profession', e.target.value || null)}
          >
            <option value="">All</option>
            {professions.items.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
        </LabelledField>
        <LabelledField htmlFor="roles-band" label="Band">
          <select
            id="roles-band"
            className="select"
            value={filter.band ?? ''}
            onChange={(e) => set('band', (e.target.value || null) as Band | null)}
          >
            <option value="">All</option>
            {BAND_CODES.map((b) => (
              <option key={b} value={b}>
                Band {b}
              </option>
            ))}
          </select>
        </LabelledField>
        <LabelledField htmlFor="roles-service" label="Service">
          <select
            id="roles-service"
            className="select"
            value={filter.serviceId ?? ''}
            onChange={(e) => set('serviceId', e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">All</option>
            {services.data?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </LabelledField>
        <LabelledField htmlFor="roles-stage" label="Stage">
          <select
            id="roles-stage"
            className="select"
            value={filter.stage ?? ''}
            onChange={(e) => set('stage', (e.target.value || null) as StageId | 'none' | null)}
          >
            <option value="">All</option>
            {STAGES.map((s) => (
              <option key={s.id} value={s.id}>
                {stageShort(s.id)}
              </option>
            ))}
            <option value="none">No stage</option>
          </select>
        </LabelledField>
        <LabelledField htmlFor="roles-mapping" label="Mapping">
          <select
            id="roles-mapping"
            className="select"
            value={filter.mapping ?? ''}
            onChange={(e) => set('mapping', (e.target.value || null) as RoleFilter['mapping'])}
          >
            <option value="">All</option>
            <option value="unmapped">Not mapped</option>
            <option value="draft">Draft</option>
            <option value="agreed">Agreed</option>
          </select>
        </LabelledField>
        <LabelledField htmlFor="roles-staff" label="Staff in post">
          <select
            id="roles-staff"
            className="select"
            value={filter.staff ?? ''}
            onChange={(e) => set('staff', (e.target.value || null) as RoleFilter['staff'])}
          >
            <option value="">All</option>
            <option value="with">Has staff</option>
            <option value="without">No staff</option>
          </select>
        </LabelledField>
        {filtered && (
          <button type="button" className="button button--secondary" onClick={() => setFilter(NO_FILTER)}>
            Clear filters
          </button>
        )}
      </div>

      <div className="role-toolbar">
        <p role="status" className="role-toolbar__count" data-testid="roles-count">
          {all
            ? filtered
              ? `${formatCount(shown.length)} of ${formatCount(all.length)} roles match`
              : `${formatCount(all.length)} ${all.length === 1 ? 'role' : 'roles'}`
            : 'Loading roles…'}
          {selected.size > 0 && `; ${formatCount(selected.size)} selected`}
        </p>
        {shown.length > 1 && !allShownChosen && (
          <button
            type="button"
            className="link-button"
            onClick={() => setSelected((s) => new Set([...s, ...shown.map((r) => r.id)]))}
          >
            {`Select all ${formatCount(shown.length)} ${filtered ? 'matching roles' : 'roles'}`}
          </button>
        )}
        {selected.size > 0 && (
          <button type="button" className="link-button" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
        )}
        <div className="button-group role-toolbar__actions" role="group" aria-label="With the selected roles">
          {BULK_BUTTONS.map((b) => (
            <button
              key={b.kind}
              type="button"
              className="button button--secondary"
              disabled={selected.size < b.least}
              aria-pressed={bulk === b.kind}
              onClick={() => {
                setEditing(null);
                bulkOpener.current = currentOpener();
                setBulk(b.kind);
              }}
            >
              {b.label}
            </button>
          ))}
        </div>
      </div>

      {Bulk && services.data && (
        <Bulk
          key={bulk}
          roles={chosen}
          services={services.data}
          onCancel={closeBulk}
          onDone={(m, changed) => {
            message.setMessage(m);
            closeBulk();
            if (changed) {
              setSelected(new Set());
              roles.reload();
            }
          }}
        />
      )}

      <div className={editing ? 'roles-layout roles-layout--editing' : 'roles-layout'} ref={listRef}>
        <DataTable
          caption={`Roles: ${formatCount(shown.length)}${filtered ? ` of ${formatCount(all?.length ?? 0)}` : ''}`}
          captionHidden
          label="Roles"
          testId="roles-table"
          columns={columns}
          rows={shown}
          rowKey={(r) => r.id}
          rowAttributes={(r) => ({
            'data-role-id': r.id,
            ...(editingRole?.id === r.id ? { 'data-editing': 'true' } : {}),
          })}
          sort={{ id: sort.key, desc: sort.desc }}
          onSortChange={onSortChange}
          manualSorting
          empty={all && all.length > 0 ? 'No role matches these filters.' : 'No roles yet.'}
          actions={(r) => (
            <ItemActions
              name={roleLabel(r)}
              onChange={() => {
                setBulk(null);
                setEditing(r);
              }}
              onDelete={r.headcount === 0 ? () => void remove(r) : undefined}
            />
          )}
          virtual={{ rowHeight: ROW_HEIGHT, overscan: 12, className: 'roles-scroll', label: 'Roles list, scrollable' }}
        />
        {editing !== null && services.data && (
          <div className="roles-layout__panel">
            <RoleEditor
              key={editing === 'new' ? 'new' : editing.id}
              role={editingRole}
              services={services.data}
              onCancel={() => closeEditor(editingRole?.id)}
              onSaved={(saved, text) => {
                message.setMessage({ kind: 'success', text });
                roles.reload();
                closeEditor(saved.id);
              }}
            />
          </div>
        )}
      </div>
    </section>
  );
}
