import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, useApi } from '../../api';
import { FormButtons } from '../../components/actions';
import { DataTable } from '../../components/DataTable';
import { currentOpener, returnFocus, useEditing, type Opener } from '../../components/editing';
import {
  ErrorSummary,
  Field,
  LabelledField,
  Notice,
  errorsFromApi,
  toNumber,
  useFormState,
  validate,
  type FieldErrors,
} from '../../components/forms';
import { useMessage } from '../../components/message';
import { RolePicker } from '../../components/RolePicker';
import { formatCount, formatDate, formatDateTime, formatFte } from '../../components/format';
import { BAND_CODES, ethnicCategories, professions, type Band } from '../../../shared/common/reference';
import { STAFF_SORTS, type StaffRow } from '../../../shared/workforce/channels';
import { QUALIFICATION_KIND_LABELS } from '../../../shared/training/education';
import './workforce.css';
import {
  DISABILITY_LABELS,
  HOURS_PER_FTE,
  SEX_CODES,
  SEX_LABELS,
  personInputSchema,
  type PersonView,
  type RoleView,
  type ServiceView,
} from '../../../shared/workforce/channels';
import { EditorHeading } from '../../components/EditorHeading';

const LABELS: Record<string, string> = {
  staffNumber: 'Staff number',
  yearOfBirth: 'Year of birth',
  sex: 'Sex',
  ethnicCategory: 'Ethnic category',
  disability: 'Disability',
  assignments: 'Assignments',
};

interface AssignmentDraft {
  id?: number;
  roleId: string;
  serviceId: string;
  contractedHours: string;
  startDate: string;
  endDate: string;
  leavingReason: string;
}

const blankAssignment = (): AssignmentDraft => ({
  roleId: '',
  serviceId: '',
  contractedHours: '37.5',
  startDate: '',
  endDate: '',
  leavingReason: '',
});

function AssignmentFields({
  index,
  draft,
  roles,
  services,
  errors,
  onChange,
  onRemove,
}: {
  index: number;
  draft: AssignmentDraft;
  roles: RoleView[];
  services: ServiceView[];
  errors: FieldErrors;
  onChange: (d: AssignmentDraft) => void;
  onRemove?: () => void;
}) {
  const path = (k: string) => `assignments.${index}.${k}`;
  const set = (k: keyof AssignmentDraft) => (e: { target: { value: string } }) =>
    onChange({ ...draft, [k]: e.target.value });
  const hours = toNumber(draft.contractedHours);
  return (
    <fieldset className="fieldset">
      <legend>Assignment {index + 1}</legend>
      <Field form="person" path={path('roleId')} label="Role" errors={errors} width="long">
        {(p) => (
          <RolePicker {...p} roles={roles} value={draft.roleId} onChange={(roleId) => onChange({ ...draft, roleId })} />
        )}
      </Field>
      <Field form="person" path={path('serviceId')} label="Service" errors={errors} width="medium">
        {(p) => (
          <select {...p} className="select" value={draft.serviceId} onChange={set('serviceId')}>
            <option value="">Choose a service</option>
            {services.map((sv) => (
              <option key={sv.id} value={sv.id}>
                {sv.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        form="person"
        path={path('contractedHours')}
        label="Contracted hours a week"
        hint={`${HOURS_PER_FTE} hours = 1.0 FTE`}
        errors={errors}
        width="short"
      >
        {(p) => (
          <input
            {...p}
            className="input"
            type="text"
            inputMode="decimal"
            value={draft.contractedHours}
            onChange={set('contractedHours')}
          />
        )}
      </Field>
      {hours !== undefined && Number.isFinite(hours) && hours >= 0 && (
        <p className="hint">That is {formatFte(hours / HOURS_PER_FTE)} FTE.</p>
      )}
      <div className="field-row">
        <Field form="person" path={path('startDate')} label="Start date" errors={errors} width="short">
          {(p) => <input {...p} className="input" type="date" value={draft.startDate} onChange={set('startDate')} />}
        </Field>
        <Field form="person" path={path('endDate')} label="End date (if they have left)" errors={errors} width="short">
          {(p) => <input {...p} className="input" type="date" value={draft.endDate} onChange={set('endDate')} />}
        </Field>
      </div>
      {draft.endDate && (
        <Field
          form="person"
          path={path('leavingReason')}
          label="Leaving reason (optional)"
          errors={errors}
          width="long"
        >
          {(p) => (
            <input {...p} className="input" type="text" value={draft.leavingReason} onChange={set('leavingReason')} />
          )}
        </Field>
      )}
      {onRemove && (
        <button type="button" className="link-button link-button--danger" onClick={onRemove}>
          Remove assignment {index + 1}
        </button>
      )}
    </fieldset>
  );
}

function PersonForm({
  editing,
  roles,
  services,
  onDone,
}: {
  editing: PersonView | null;
  roles: RoleView[];
  services: ServiceView[];
  onDone: (message: string) => void;
}) {
  const form = useFormState({
    staffNumber: '',
    yearOfBirth: editing?.yearOfBirth ? String(editing.yearOfBirth) : '',
    sex: editing?.sex ?? '',
    ethnicCategory: editing?.ethnicCategory ?? '',
    disability: editing?.disability ?? '',
  });
  const [assignments, setAssignments] = useState<AssignmentDraft[]>(
    editing
      ? editing.assignments.map((a) => ({
          id: a.id,
          roleId: String(a.roleId),
          serviceId: String(a.serviceId),
          contractedHours: String(a.contractedHours),
          startDate: a.startDate,
          endDate: a.endDate ?? '',
          leavingReason: a.leavingReason ?? '',
        }))
      : [blankAssignment()],
  );

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const input = {
      ...(editing ? { id: editing.id } : {}),
      staffNumber: form.values.staffNumber,
      yearOfBirth: form.values.yearOfBirth.trim() === '' ? null : toNumber(form.values.yearOfBirth),
      sex: form.values.sex || undefined,
      ethnicCategory: form.values.ethnicCategory,
      disability: form.values.disability || undefined,
      assignments: assignments.map((a) => ({
        ...(a.id ? { id: a.id } : {}),
        roleId: toNumber(a.roleId),
        serviceId: toNumber(a.serviceId),
        contractedHours: toNumber(a.contractedHours),
        startDate: a.startDate,
        endDate: a.endDate === '' ? null : a.endDate,
        leavingReason: a.leavingReason,
      })),
    };
    const checked = validate(personInputSchema, input);
    if (!checked.ok) return form.setErrors(checked.errors);
    form.setBusy(true);
    const result = await api('workforce/person-save', checked.value);
    form.setBusy(false);
    if (!result.ok) return form.setErrors(errorsFromApi(result.error));
    onDone(`Staff member ${result.value.ref} saved.`);
  };

  const labels = { ...LABELS };
  assignments.forEach((_, i) => {
    labels[`assignments.${i}.roleId`] = `Assignment ${i + 1} role`;
    labels[`assignments.${i}.serviceId`] = `Assignment ${i + 1} service`;
    labels[`assignments.${i}.contractedHours`] = `Assignment ${i + 1} hours`;
    labels[`assignments.${i}.startDate`] = `Assignment ${i + 1} start date`;
    labels[`assignments.${i}.endDate`] = `Assignment ${i + 1} end date`;
  });

  return (
    <form
      onSubmit={submit}
      noValidate
      className="panel"
      aria-label={editing ? `Change staff member ${editing.ref}` : 'Add a member of staff'}
    >
      <EditorHeading>{editing ? `Change staff member ${editing.ref}` : 'Add a member of staff'}</EditorHeading>
      <ErrorSummary form="person" errors={form.errors} labels={labels} />
      <Field
        form="person"
        path="staffNumber"
        label={editing ? 'Staff number (optional, leave blank to keep)' : 'Staff number (optional)'}
        hint="Turned into a pseudonym before it is saved: the number itself is never stored."
        errors={form.errors}
        width="medium"
      >
        {(p) => (
          <input
            {...p}
            className="input"
            type="text"
            autoComplete="off"
            spellCheck={false}
            {...form.bind('staffNumber')}
          />
        )}
      </Field>
      <Field
        form="person"
        path="yearOfBirth"
        label="Year of birth (optional)"
        hint="Only the year is kept"
        errors={form.errors}
        width="short"
      >
        {(p) => <input {...p} className="input" type="text" inputMode="numeric" {...form.bind('yearOfBirth')} />}
      </Field>
      <Field form="person" path="sex" label={LABELS.sex!} errors={form.errors} width="medium">
        {(p) => (
          <select {...p} className="select" {...form.bind('sex')}>
            <option value="">Choose</option>
            {SEX_CODES.map((c) => (
              <option key={c} value={c}>
                {SEX_LABELS[c]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field form="person" path="ethnicCategory" label={LABELS.ethnicCategory!} errors={form.errors} width="long">
        {(p) => (
          <select {...p} className="select" {...form.bind('ethnicCategory')}>
            <option value="">Choose</option>
            {ethnicCategories.items.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field form="person" path="disability" label={LABELS.disability!} errors={form.errors} width="medium">
        {(p) => (
          <select {...p} className="select" {...form.bind('disability')}>
            <option value="">Choose</option>
            {Object.entries(DISABILITY_LABELS).map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {form.errors.assignments && <p className="field__error">{form.errors.assignments}</p>}
      {assignments.map((a, i) => (
        <AssignmentFields
          key={a.id ?? `new-${i}`}
          index={i}
          draft={a}
          roles={roles}
          services={services}
          errors={form.errors}
          onChange={(d) => setAssignments((list) => list.map((x, j) => (j === i ? d : x)))}
          onRemove={assignments.length > 1 ? () => setAssignments((list) => list.filter((_, j) => j !== i)) : undefined}
        />
      ))}
      <button
        type="button"
        className="button button--secondary"
        onClick={() => setAssignments((list) => [...list, blankAssignment()])}
      >
        Add another assignment
      </button>
      <FormButtons save="Save staff member" busy={form.busy} onCancel={() => onDone('')} />
    </form>
  );
}

type SortKey = (typeof STAFF_SORTS)[number];
const ROW_HEIGHT = 41;
const FETCH_BLOCK = 200;

/** Lines fetched as they scroll into view, kept while the order stays the same. */
function useStaffRows(ids: number[], reloadKey: string) {
  const [rows, setRows] = useState<Map<number, StaffRow>>(new Map());
  const pending = useRef(new Set<number>());
  useEffect(() => {
    setRows(new Map());
    pending.current.clear();
  }, [reloadKey]);
  const need = useCallback(
    (start: number, end: number) => {
      const from = Math.max(0, start - FETCH_BLOCK / 4);
      const wanted = ids
        .slice(from, Math.min(ids.length, from + FETCH_BLOCK))
        .filter((id) => !rows.has(id) && !pending.current.has(id));
      if (wanted.length === 0 || end < start) return;
      for (const id of wanted) pending.current.add(id);
      void api('workforce/staff-rows', { ids: wanted }).then((result) => {
        for (const id of wanted) pending.current.delete(id);
        if (!result.ok) return;
        setRows((old) => {
          const next = new Map(old);
          for (const row of result.value) next.set(row.id, row);
          return next;
        });
      });
    },
    [ids, rows],
  );
  return { rows, need };
}

function PersonRecord({
  id,
  onChange,
  onRemove,
  onClose,
}: {
  id: number;
  onChange: (p: PersonView) => void;
  onRemove: (p: PersonView) => void;
  onClose: () => void;
}) {
  const record = useApi('workforce/staff-record', { id });
  const ethnicName = new Map(ethnicCategories.items.map((c) => [c.code, c.name]));
  if (record.error) return <Notice kind="warning">{record.error}</Notice>;
  if (!record.data) return <p>Loading…</p>;
  const { person, imports, qualifications } = record.data;
  return (
    <section className="panel record" aria-labelledby="record-title">
      <EditorHeading id="record-title">Staff member {person.ref}</EditorHeading>
      <dl className="summary-list">
        <div>
          <dt>Year of birth</dt>
          <dd>{person.yearOfBirth ?? 'Not known'}</dd>
        </div>
        <div>
          <dt>Sex</dt>
          <dd>{SEX_LABELS[person.sex]}</dd>
        </div>
        <div>
          <dt>Ethnic category</dt>
          <dd>{ethnicName.get(person.ethnicCategory) ?? person.ethnicCategory}</dd>
        </div>
        <div>
          <dt>Disability</dt>
          <dd>{DISABILITY_LABELS[person.disability]}</dd>
        </div>
      </dl>
      <DataTable
        caption="Assignments"
        columns={[
          { id: 'ref', header: 'Reference', className: 'mono', cell: (a) => a.ref },
          { id: 'role', header: 'Role', cell: (a) => a.roleTitle },
          { id: 'service', header: 'Service', cell: (a) => a.serviceName },
          { id: 'hours', header: 'Hours', numeric: true, cell: (a) => formatFte(a.contractedHours) },
          { id: 'fte', header: 'FTE', numeric: true, cell: (a) => formatFte(a.fte) },
          { id: 'start', header: 'Start', cell: (a) => formatDate(a.startDate) },
          { id: 'end', header: 'End', cell: (a) => formatDate(a.endDate) },
          { id: 'reason', header: 'Leaving reason', cell: (a) => a.leavingReason ?? '' },
        ]}
        rows={person.assignments}
        rowKey={(a) => a.id}
      />
      <DataTable
        caption="Education and qualifications"
        header={qualifications.length > 0}
        empty="None recorded."
        columns={[
          {
            id: 'kind',
            header: 'Kind',
            cell: (q) => QUALIFICATION_KIND_LABELS[q.kind as keyof typeof QUALIFICATION_KIND_LABELS] ?? q.kind,
          },
          { id: 'title', header: 'Title', cell: (q) => q.title ?? '' },
          { id: 'level', header: 'Level', cell: (q) => q.level ?? '' },
          { id: 'status', header: 'Status', cell: (q) => q.status },
          { id: 'start', header: 'Start', cell: (q) => formatDate(q.startDate) },
          { id: 'end', header: 'End', cell: (q) => formatDate(q.endDate) },
        ]}
        rows={qualifications}
        rowKey={(q) => q.id}
      />
      <DataTable
        caption="Import history"
        header={imports.length > 0}
        empty="Entered by hand, not imported."
        columns={[
          { id: 'batch', header: 'Import', numeric: true, cell: (i) => i.batchId },
          { id: 'file', header: 'File', cell: (i) => i.fileName },
          { id: 'when', header: 'When', cell: (i) => formatDateTime(i.committedAt) },
          {
            id: 'action',
            header: 'What it did',
            cell: (i) =>
              `${i.action === 'added' ? 'Added this person' : 'Updated their record'}${i.undone ? ' (undone)' : ''}`,
          },
        ]}
        rows={imports}
        rowKey={(i) => i.batchId}
      />
      <div className="button-group">
        <button type="button" className="button" onClick={() => onChange(person)}>
          Change {person.ref}
        </button>
        <button type="button" className="button button--warning" onClick={() => onRemove(person)}>
          Remove {person.ref}
        </button>
        <button type="button" className="button button--secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </section>
  );
}

/**
 * Find someone by the employee or assignment number the lead types: the app hashes it as an import does and opens
 * the person. The number is cleared from the box as soon as it has been looked up, and never stored or logged.
 */
function FindByNumber({ onFound }: { onFound: (personId: number, text: string) => void }) {
  const [number, setNumber] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const find = async () => {
    if (!number.trim()) return setProblem('Type an employee or assignment number.');
    setBusy(true);
    const result = await api('workforce/person-find', { number });
    setBusy(false);
    setNumber('');
    if (!result.ok) return setProblem(result.error.message);
    setProblem(null);
    onFound(
      result.value.personId,
      `Found staff member ${result.value.ref} by ${result.value.matchedBy} number. The number you typed has not been kept.`,
    );
  };
  return (
    <form
      className="filters"
      role="search"
      aria-label="Find by staff number"
      onSubmit={(e) => {
        e.preventDefault();
        void find();
      }}
    >
      <LabelledField
        htmlFor="staff-find-number"
        label="Find by employee or assignment number"
        width="medium"
        hint="Turned into its pseudonym to find the person; never stored or logged."
      >
        <input
          id="staff-find-number"
          className="input"
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={number}
          onChange={(e) => setNumber(e.target.value)}
        />
      </LabelledField>
      <button type="submit" className="button button--secondary" disabled={busy}>
        Find
      </button>
      {problem && <Notice kind="warning">{problem}</Notice>}
    </form>
  );
}

export function StaffView() {
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<'all' | 'in-post' | 'left'>('all');
  const [profession, setProfession] = useState('');
  const [band, setBand] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; direction: 'asc' | 'desc' }>({ key: 'ref', direction: 'asc' });
  const [reloadKey, setReloadKey] = useState(0);
  const query = {
    search,
    status,
    profession: profession || null,
    band: (band || null) as Band | null,
    sort: sort.key,
    direction: sort.direction,
  };
  const index = useApi('workforce/staff-index', query, String(reloadKey));
  const ids = useMemo(() => index.data?.ids ?? [], [index.data]);
  const rowsKey = `${JSON.stringify(query)}|${reloadKey}|${ids.length}`;
  const { rows, need } = useStaffRows(ids, rowsKey);
  const roles = useApi('workforce/roles', {});
  const services = useApi('workforce/services', {});
  const edit = useEditing<PersonView>();
  const [open, setOpen] = useState<number | null>(null);
  const recordOpener = useRef<Opener | null>(null);
  const message = useMessage();
  const ethnicName = new Map(ethnicCategories.items.map((c) => [c.code, c.name]));
  const staffRows = useMemo(() => ids.map((id) => ({ id })), [ids]);
  /** A cell of a line fetched as it scrolls into view (lines not fetched yet show "Loading…" across the row). */
  const loaded = (render: (p: StaffRow) => ReactNode) => (r: { id: number }) => {
    const p = rows.get(r.id);
    return p ? render(p) : null;
  };

  const remove = (p: PersonView) =>
    message.confirmThen(
      `Remove staff member ${p.ref} and all their assignments?`,
      () => api('workforce/person-delete', { id: p.id }),
      () => `Staff member ${p.ref} removed.`,
      () => {
        setOpen(null);
        setReloadKey((k) => k + 1);
      },
    );

  const noRoles = roles.data && roles.data.length === 0;
  const total = index.data?.total ?? 0;
  return (
    <section aria-labelledby="staff-title">
      <h2 id="staff-title">Staff</h2>
      <p className="hint">
        People are shown by a short reference. Names and staff numbers are never stored. Choose a reference to see the
        person's record.
      </p>
      {message.notice}
      {index.error && <Notice kind="warning">{index.error}</Notice>}
      {noRoles && (
        <Notice kind="info">
          Add a role first: every assignment is to a role. <a href="#/workforce/roles">Go to Roles</a>, or{' '}
          <a href="#/workforce/import">import a staff extract</a>.
        </Notice>
      )}
      {edit.editing && roles.data && services.data ? (
        <PersonForm
          key={edit.formKey}
          editing={edit.item}
          roles={roles.data}
          services={services.data}
          onDone={(text) => {
            edit.close();
            message.saved(text);
            setReloadKey((k) => k + 1);
          }}
        />
      ) : (
        !noRoles && (
          <button type="button" className="button" onClick={edit.add}>
            Add a member of staff
          </button>
        )
      )}
      <FindByNumber
        onFound={(personId, text) => {
          edit.close();
          setOpen(personId);
          message.setMessage({ kind: 'info', text });
        }}
      />
      {open !== null && !edit.editing && (
        <PersonRecord
          key={`${open}-${reloadKey}`}
          id={open}
          onChange={(p) => edit.setEditing(p)}
          onRemove={(p) => void remove(p)}
          onClose={() => {
            setOpen(null);
            requestAnimationFrame(() => returnFocus(recordOpener.current));
          }}
        />
      )}
      <div className="filters">
        <LabelledField htmlFor="staff-search" label="Search by reference or role" width="medium">
          <input
            id="staff-search"
            className="input"
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </LabelledField>
        <LabelledField htmlFor="staff-status" label="Show">
          <select
            id="staff-status"
            className="select"
            value={status}
            onChange={(e) => setStatus(e.target.value as typeof status)}
          >
            <option value="all">Everyone</option>
            <option value="in-post">In post today</option>
            <option value="left">Left</option>
          </select>
        </LabelledField>
        <LabelledField htmlFor="staff-profession" label="Profession">
          <select
            id="staff-profession"
            className="select"
            value={profession}
            onChange={(e) => setProfession(e.target.value)}
          >
            <option value="">All</option>
            {professions.items.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
        </LabelledField>
        <LabelledField htmlFor="staff-band" label="Band">
          <select id="staff-band" className="select" value={band} onChange={(e) => setBand(e.target.value)}>
            <option value="">All</option>
            {BAND_CODES.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </LabelledField>
      </div>
      <DataTable
        caption={`Staff: ${index.loading && !index.data ? 'loading…' : `${formatCount(total)} ${total === 1 ? 'person' : 'people'}`}`}
        columns={[
          {
            id: 'ref',
            header: 'Reference',
            sortable: true,
            className: 'mono',
            cell: loaded((p) => (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  recordOpener.current = currentOpener();
                  setOpen(p.id);
                }}
              >
                {p.ref}
              </button>
            )),
          },
          {
            id: 'role',
            header: 'Role(s)',
            sortable: true,
            cell: loaded((p) => p.roles),
            cellAttributes: (r) => ({ title: rows.get(r.id)?.roles }),
          },
          { id: 'profession', header: 'Profession', sortable: true, cell: loaded((p) => p.professions) },
          { id: 'band', header: 'Band', sortable: true, cell: loaded((p) => p.bands) },
          { id: 'fte', header: 'FTE now', sortable: true, numeric: true, cell: loaded((p) => formatFte(p.fte)) },
          { id: 'started', header: 'Started', sortable: true, cell: loaded((p) => formatDate(p.started)) },
          { id: 'left', header: 'Left', sortable: true, cell: loaded((p) => formatDate(p.left)) },
          {
            id: 'yearOfBirth',
            header: 'Year of birth',
            sortable: true,
            numeric: true,
            cell: loaded((p) => p.yearOfBirth ?? ''),
          },
          { id: 'sex', header: 'Sex', cell: loaded((p) => SEX_LABELS[p.sex]) },
          {
            id: 'ethnic',
            header: 'Ethnic category',
            cell: loaded((p) => ethnicName.get(p.ethnicCategory) ?? p.ethnicCategory),
            cellAttributes: (r) => ({ title: ethnicName.get(rows.get(r.id)?.ethnicCategory ?? '') }),
          },
        ]}
        rows={staffRows}
        rowKey={(r) => r.id}
        rowPlaceholder={(r) => (rows.has(r.id) ? undefined : 'Loading…')}
        sort={{ id: sort.key, desc: sort.direction === 'desc' }}
        onSortChange={(s) => {
          const key = STAFF_SORTS.find((k) => k === s.id);
          if (key) setSort({ key, direction: s.desc ? 'desc' : 'asc' });
        }}
        manualSorting
        virtual={{
          rowHeight: ROW_HEIGHT,
          overscan: 12,
          className: 'staff-scroll',
          label: 'Staff list, scrollable',
          onRangeChange: need,
        }}
      />
    </section>
  );
}
