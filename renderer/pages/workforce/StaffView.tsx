import { useState } from 'react';
import { api, useApi } from '../../api';
import { ErrorSummary, Field, Notice, errorsFromApi, toNumber, useFormState, validate, type FieldErrors } from '../../components/forms';
import { formatCount, formatDate, formatFte } from '../../components/format';
import { ethnicCategories } from '../../../shared/reference';
import {
  DISABILITY_LABELS,
  HOURS_PER_FTE,
  SEX_CODES,
  SEX_LABELS,
  personInputSchema,
  type PersonView,
  type RoleView,
} from '../../../shared/workforce';

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
  contractedHours: string;
  startDate: string;
  endDate: string;
  leavingReason: string;
}

const blankAssignment = (): AssignmentDraft => ({ roleId: '', contractedHours: '37.5', startDate: '', endDate: '', leavingReason: '' });

function AssignmentFields({
  index,
  draft,
  roles,
  errors,
  onChange,
  onRemove,
}: {
  index: number;
  draft: AssignmentDraft;
  roles: RoleView[];
  errors: FieldErrors;
  onChange: (d: AssignmentDraft) => void;
  onRemove?: () => void;
}) {
  const path = (k: string) => `assignments.${index}.${k}`;
  const set = (k: keyof AssignmentDraft) => (e: { target: { value: string } }) => onChange({ ...draft, [k]: e.target.value });
  const hours = toNumber(draft.contractedHours);
  return (
    <fieldset className="fieldset">
      <legend>Assignment {index + 1}</legend>
      <Field form="person" path={path('roleId')} label="Role" errors={errors} width="long">
        {(p) => (
          <select {...p} className="select" value={draft.roleId} onChange={set('roleId')}>
            <option value="">Choose a role</option>
            {roles.map((r) => (
              <option key={r.id} value={r.id}>
                {r.title} ({r.serviceName}, band {r.band})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field form="person" path={path('contractedHours')} label="Contracted hours a week" hint={`${HOURS_PER_FTE} hours = 1.0 FTE`} errors={errors} width="short">
        {(p) => <input {...p} className="input" type="text" inputMode="decimal" value={draft.contractedHours} onChange={set('contractedHours')} />}
      </Field>
      {hours !== undefined && Number.isFinite(hours) && hours >= 0 && <p className="hint">That is {formatFte(hours / HOURS_PER_FTE)} FTE.</p>}
      <div className="field-row">
        <Field form="person" path={path('startDate')} label="Start date" errors={errors} width="short">
          {(p) => <input {...p} className="input" type="date" value={draft.startDate} onChange={set('startDate')} />}
        </Field>
        <Field form="person" path={path('endDate')} label="End date (if they have left)" errors={errors} width="short">
          {(p) => <input {...p} className="input" type="date" value={draft.endDate} onChange={set('endDate')} />}
        </Field>
      </div>
      {draft.endDate && (
        <Field form="person" path={path('leavingReason')} label="Leaving reason (optional)" errors={errors} width="long">
          {(p) => <input {...p} className="input" type="text" value={draft.leavingReason} onChange={set('leavingReason')} />}
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

function PersonForm({ editing, roles, onDone }: { editing: PersonView | null; roles: RoleView[]; onDone: (message: string) => void }) {
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
        contractedHours: toNumber(a.contractedHours),
        startDate: a.startDate,
        endDate: a.endDate === '' ? null : a.endDate,
        leavingReason: a.leavingReason,
      })),
    };
    const checked = validate(personInputSchema, input);
    if (!checked.ok) return form.setErrors(checked.errors);
    form.setBusy(true);
    const result = await api('staff/save', checked.value);
    form.setBusy(false);
    if (!result.ok) return form.setErrors(errorsFromApi(result.error));
    onDone(`Staff member ${result.value.ref} saved.`);
  };

  const labels = { ...LABELS };
  assignments.forEach((_, i) => {
    labels[`assignments.${i}.roleId`] = `Assignment ${i + 1} role`;
    labels[`assignments.${i}.contractedHours`] = `Assignment ${i + 1} hours`;
    labels[`assignments.${i}.startDate`] = `Assignment ${i + 1} start date`;
    labels[`assignments.${i}.endDate`] = `Assignment ${i + 1} end date`;
  });

  return (
    <form onSubmit={submit} noValidate className="panel" aria-label={editing ? `Change staff member ${editing.ref}` : 'Add a member of staff'}>
      <h3>{editing ? `Change staff member ${editing.ref}` : 'Add a member of staff'}</h3>
      <ErrorSummary form="person" errors={form.errors} labels={labels} />
      <Field
        form="person"
        path="staffNumber"
        label={editing ? 'Staff number (optional, leave blank to keep)' : 'Staff number (optional)'}
        hint="Turned into a pseudonym before it is saved: the number itself is never stored."
        errors={form.errors}
        width="medium"
      >
        {(p) => <input {...p} className="input" type="text" autoComplete="off" spellCheck={false} {...form.bind('staffNumber')} />}
      </Field>
      <Field form="person" path="yearOfBirth" label="Year of birth (optional)" hint="Only the year is kept" errors={form.errors} width="short">
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
          errors={form.errors}
          onChange={(d) => setAssignments((list) => list.map((x, j) => (j === i ? d : x)))}
          onRemove={assignments.length > 1 ? () => setAssignments((list) => list.filter((_, j) => j !== i)) : undefined}
        />
      ))}
      <button type="button" className="button button--secondary" onClick={() => setAssignments((list) => [...list, blankAssignment()])}>
        Add another assignment
      </button>
      <div className="button-group">
        <button type="submit" className="button" disabled={form.busy}>
          Save staff member
        </button>
        <button type="button" className="button button--secondary" onClick={() => onDone('')}>
          Cancel
        </button>
      </div>
    </form>
  );
}

const PAGE = 100;

export function StaffView() {
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [reloadKey, setReloadKey] = useState(0);
  const staff = useApi('staff/list', { search, offset, limit: PAGE }, String(reloadKey));
  const roles = useApi('roles/list', {});
  const [editing, setEditing] = useState<PersonView | 'new' | null>(null);
  const [message, setMessage] = useState<{ kind: 'success' | 'warning'; text: string }>();
  const ethnicName = new Map(ethnicCategories.items.map((c) => [c.code, c.name]));

  const remove = async (p: PersonView) => {
    if (!window.confirm(`Remove staff member ${p.ref} and all their assignments?`)) return;
    const result = await api('staff/delete', { id: p.id });
    setMessage(result.ok ? { kind: 'success', text: `Staff member ${p.ref} removed.` } : { kind: 'warning', text: result.error.message });
    setReloadKey((k) => k + 1);
  };

  const noRoles = roles.data && roles.data.length === 0;
  const total = staff.data?.total ?? 0;
  return (
    <section aria-labelledby="staff-title">
      <h2 id="staff-title">Staff</h2>
      <p className="hint">People are shown by a short reference. Names and staff numbers are never stored.</p>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      {staff.error && <Notice kind="warning">{staff.error}</Notice>}
      {noRoles && (
        <Notice kind="info">
          Add a role first: every assignment is to a role. <a href="#/workforce/roles">Go to Roles</a>
        </Notice>
      )}
      {editing && roles.data ? (
        <PersonForm
          key={editing === 'new' ? 'new' : editing.id}
          editing={editing === 'new' ? null : editing}
          roles={roles.data}
          onDone={(text) => {
            setEditing(null);
            if (text) setMessage({ kind: 'success', text });
            setReloadKey((k) => k + 1);
          }}
        />
      ) : (
        !noRoles && (
          <button type="button" className="button" onClick={() => setEditing('new')}>
            Add a member of staff
          </button>
        )
      )}
      <div className="field field--medium">
        <label className="field__label" htmlFor="staff-search">
          Search by reference or role
        </label>
        <input
          id="staff-search"
          className="input"
          type="search"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setOffset(0);
          }}
        />
      </div>
      {staff.data && (
        <>
          <div className="table-scroll">
            <table className="table">
              <caption>
                Staff: {total === 0 ? 'none' : `${formatCount(offset + 1)} to ${formatCount(Math.min(offset + PAGE, total))} of ${formatCount(total)}`}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Reference</th>
                  <th scope="col">Role(s)</th>
                  <th scope="col" className="num">FTE</th>
                  <th scope="col">Started</th>
                  <th scope="col">Left</th>
                  <th scope="col">Year of birth</th>
                  <th scope="col">Sex</th>
                  <th scope="col">Ethnic category</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {staff.data.people.map((p) => (
                  <tr key={p.id}>
                    <td className="mono">{p.ref}</td>
                    <td>{p.assignments.map((a) => a.roleTitle).join('; ')}</td>
                    <td className="num">{formatFte(p.assignments.filter((a) => !a.endDate).reduce((s, a) => s + a.fte, 0))}</td>
                    <td>{p.assignments.map((a) => formatDate(a.startDate)).join('; ')}</td>
                    <td>{p.assignments.map((a) => formatDate(a.endDate)).filter(Boolean).join('; ')}</td>
                    <td>{p.yearOfBirth ?? ''}</td>
                    <td>{SEX_LABELS[p.sex]}</td>
                    <td>{ethnicName.get(p.ethnicCategory) ?? p.ethnicCategory}</td>
                    <td className="actions">
                      <button type="button" className="link-button" onClick={() => setEditing(p)}>
                        Change<span className="visually-hidden"> {p.ref}</span>
                      </button>
                      <button type="button" className="link-button link-button--danger" onClick={() => remove(p)}>
                        Remove<span className="visually-hidden"> {p.ref}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {total > PAGE && (
            <nav className="pagination" aria-label="Staff pages">
              <button type="button" className="button button--secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                Previous
              </button>
              <button type="button" className="button button--secondary" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
                Next
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}
