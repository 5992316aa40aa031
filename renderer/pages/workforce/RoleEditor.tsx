import { useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import { ActionButton, FormButtons } from '../../components/actions';
import {
  ErrorSummary,
  Field,
  Notice,
  errorsFromApi,
  toNumber,
  validate,
  type FieldErrors,
} from '../../components/forms';
import { formatCount, formatFte } from '../../components/format';
import { BAND_CODES, professions } from '../../../shared/common/reference';
import { formatPence, parseMoney } from '../../../shared/common/money';
import {
  postsSaveInputSchema,
  roleInputSchema,
  type PostView,
  type RoleView,
  type ServiceView,
} from '../../../shared/workforce/channels';

const LABELS: Record<string, string> = {
  title: 'Role title',
  profession: 'Main profession',
  band: 'Agenda for Change band',
};

/** A post line as typed: the service, its establishment and its budget in pounds. */
interface LineDraft {
  key: string;
  postId: number | null;
  serviceId: string;
  establishment: string;
  budget: string;
  headcount: number;
  inPostFte: number;
}

const lineFrom = (p: PostView): LineDraft => ({
  key: `post-${p.id}`,
  postId: p.id,
  serviceId: String(p.serviceId),
  establishment: String(p.establishmentFte),
  budget: p.budgetPence === null ? '' : formatPence(p.budgetPence).replace('£', ''),
  headcount: p.headcount,
  inPostFte: p.inPostFte,
});

let newLines = 0;
const blankLine = (serviceId = ''): LineDraft => ({
  key: `new-${++newLines}`,
  postId: null,
  serviceId,
  establishment: '',
  budget: '',
  headcount: 0,
  inPostFte: 0,
});

/** The post lines as the bulk channel takes them, or field errors keyed `lines.N.field`. */
function checkLines(
  lines: LineDraft[],
  roleId: number,
):
  | { ok: true; lines: { roleId: number; serviceId: number; establishmentFte: number; budgetPence: number | null }[] }
  | {
      ok: false;
      errors: FieldErrors;
      labels: Record<string, string>;
    } {
  const errors: FieldErrors = {};
  const labels: Record<string, string> = {};
  const out = [];
  const seen = new Set<string>();
  for (const [i, line] of lines.entries()) {
    const at = (k: string, label: string, message: string) => {
      errors[`lines.${i}.${k}`] = message;
      labels[`lines.${i}.${k}`] = `Line ${i + 1}, ${label}`;
    };
    if (!line.serviceId) at('serviceId', 'service', 'Choose a service');
    else if (seen.has(line.serviceId)) at('serviceId', 'service', 'This service has a line already');
    seen.add(line.serviceId);
    const fte = line.establishment.trim() === '' ? 0 : toNumber(line.establishment);
    let budgetPence: number | null = null;
    if (line.budget.trim() !== '') {
      const money = parseMoney(line.budget);
      if (!money.ok) at('budget', 'budget', 'Enter the budget in pounds, for example 52,000');
      else if (money.pence < 0) at('budget', 'budget', 'The budget cannot be negative');
      else budgetPence = money.pence;
    }
    out.push({ roleId, serviceId: Number(line.serviceId), establishmentFte: fte ?? 0, budgetPence });
  }
  if (out.length > 0) {
    const checked = postsSaveInputSchema.safeParse({ lines: out });
    if (!checked.success)
      for (const issue of checked.error.issues) {
        const [, index, field] = issue.path;
        if (typeof index === 'number' && field === 'establishmentFte') {
          errors[`lines.${index}.establishment`] = issue.message;
          labels[`lines.${index}.establishment`] = `Line ${index + 1}, establishment`;
        }
      }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors, labels } : { ok: true, lines: out };
}

/**
 * Adds a role, or changes one and its post lines (its establishment FTE and budget in each service), in a panel
 * beside the list so the list does not move. Saving answers the saved role to the page.
 */
export function RoleEditor({
  role,
  services,
  onSaved,
  onCancel,
}: {
  role: RoleView | null;
  services: readonly ServiceView[];
  onSaved: (role: RoleView, message: string) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState({
    title: role?.title ?? '',
    band: role?.band ?? '',
    profession: role?.profession ?? '',
  });
  const [lines, setLines] = useState<LineDraft[] | null>(role ? null : []);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [labels, setLabels] = useState<Record<string, string>>(LABELS);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  const roleId = role?.id;
  useEffect(() => heading.current?.focus(), [roleId]);
  useEffect(() => {
    if (roleId === undefined) return;
    let live = true;
    void api('workforce/posts', { roleId }).then((result) => {
      if (!live) return;
      if (result.ok) setLines(result.value.map(lineFrom));
      else setErrors({ '(form)': result.error.message });
    });
    return () => {
      live = false;
    };
  }, [roleId]);

  const bind = (key: keyof typeof values) => ({
    value: values[key],
    onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value })),
  });
  const setLine = (key: string, change: Partial<LineDraft>) =>
    setLines((all) => (all ?? []).map((l) => (l.key === key ? { ...l, ...change } : l)));

  const removeLine = async (line: LineDraft) => {
    if (line.postId === null) return setLines((all) => (all ?? []).filter((l) => l.key !== line.key));
    const name = services.find((s) => String(s.id) === line.serviceId)?.name ?? 'this service';
    if (!window.confirm(`Remove ${values.title || 'this role'} from ${name}? Its establishment there is deleted.`))
      return;
    const result = await api('workforce/post-delete', { id: line.postId });
    if (!result.ok) return setErrors({ '(form)': result.error.message });
    setLines((all) => (all ?? []).filter((l) => l.key !== line.key));
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const checked = validate(roleInputSchema, { ...(role ? { id: role.id } : {}), ...values });
    const lineCheck = checkLines(lines ?? [], role?.id ?? 1);
    const allErrors = { ...(checked.ok ? {} : checked.errors), ...(lineCheck.ok ? {} : lineCheck.errors) };
    setLabels({ ...LABELS, ...(lineCheck.ok ? {} : lineCheck.labels) });
    if (!checked.ok || !lineCheck.ok) return setErrors(allErrors);
    setBusy(true);
    const saved = await api('workforce/role-save', checked.value);
    if (!saved.ok) {
      setBusy(false);
      return setErrors(errorsFromApi(saved.error));
    }
    let message = `${saved.value.title} saved.`;
    if (lineCheck.lines.length > 0) {
      const result = await api('workforce/posts-save', {
        lines: lineCheck.lines.map((l) => ({ ...l, roleId: saved.value.id })),
      });
      if (!result.ok) {
        setBusy(false);
        return setErrors({ '(form)': `${message} Its establishment was not: ${result.error.message}` });
      }
    }
    const fresh = await api('workforce/roles', {});
    setBusy(false);
    const after = fresh.ok ? fresh.value.find((r) => r.id === saved.value.id) : undefined;
    if (after)
      message = `${after.title} saved: ${formatFte(after.establishmentFte)} FTE establishment in ${formatCount(after.serviceCount)} ${after.serviceCount === 1 ? 'service' : 'services'}.`;
    onSaved(after ?? saved.value, message);
  };

  const name = role ? `Change ${role.title}` : 'Add a role';
  return (
    <form
      onSubmit={submit}
      noValidate
      className="panel role-editor"
      aria-labelledby="role-editor-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) onCancel();
      }}
    >
      <h3 id="role-editor-title" tabIndex={-1} ref={heading}>
        {name}
        {role && <span className="visually-hidden"> (band {role.band})</span>}
      </h3>
      <ErrorSummary form="role" errors={errors} labels={labels} />
      {role?.mixed && <Notice kind="info">{role.mixed}.</Notice>}
      <Field form="role" path="title" label={LABELS.title!} errors={errors} width="long">
        {(p) => <input {...p} className="input" type="text" {...bind('title')} />}
      </Field>
      <div className="role-editor__pair">
        <Field form="role" path="band" label={LABELS.band!} errors={errors}>
          {(p) => (
            <select {...p} className="select" {...bind('band')}>
              <option value="">Choose a band</option>
              {BAND_CODES.map((b) => (
                <option key={b} value={b}>
                  Band {b}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          form="role"
          path="profession"
          label={LABELS.profession!}
          hint="The profession most of its staff carry"
          errors={errors}
        >
          {(p) => (
            <select {...p} className="select" {...bind('profession')}>
              <option value="">Choose a profession</option>
              {professions.items.map((pr) => (
                <option key={pr.code} value={pr.code}>
                  {pr.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      <fieldset className="fieldset role-editor__lines">
        <legend>Establishment in each service</legend>
        {lines === null ? (
          <p>Loading its services…</p>
        ) : (
          <>
            {lines.length === 0 && <p className="hint">Not in any service yet.</p>}
            {lines.map((line, i) => {
              const taken = new Set(lines.filter((l) => l.key !== line.key).map((l) => l.serviceId));
              const service = services.find((s) => String(s.id) === line.serviceId);
              return (
                <div key={line.key} className="role-editor__line" role="group" aria-label={`Line ${i + 1}`}>
                  {line.postId === null ? (
                    <Field form="role" path={`lines.${i}.serviceId`} label="Service" errors={errors}>
                      {(p) => (
                        <select
                          {...p}
                          className="select"
                          value={line.serviceId}
                          onChange={(e) => setLine(line.key, { serviceId: e.target.value })}
                        >
                          <option value="">Choose a service</option>
                          {services
                            .filter((s) => !taken.has(String(s.id)))
                            .map((s) => (
                              <option key={s.id} value={s.id}>
                                {s.name}
                              </option>
                            ))}
                        </select>
                      )}
                    </Field>
                  ) : (
                    <div className="role-editor__service">
                      <strong>{service?.name ?? 'Service'}</strong>
                      <span className="hint">
                        {formatCount(line.headcount)} staff, {formatFte(line.inPostFte)} FTE in post
                      </span>
                    </div>
                  )}
                  <Field
                    form="role"
                    path={`lines.${i}.establishment`}
                    label={`Establishment FTE${service ? ` in ${service.name}` : ''}`}
                    errors={errors}
                    width="short"
                  >
                    {(p) => (
                      <input
                        {...p}
                        className="input"
                        type="text"
                        inputMode="decimal"
                        value={line.establishment}
                        onChange={(e) => setLine(line.key, { establishment: e.target.value })}
                      />
                    )}
                  </Field>
                  <Field
                    form="role"
                    path={`lines.${i}.budget`}
                    label={`Budget £ (optional)${service ? ` in ${service.name}` : ''}`}
                    errors={errors}
                    width="short"
                  >
                    {(p) => (
                      <input
                        {...p}
                        className="input"
                        type="text"
                        inputMode="decimal"
                        value={line.budget}
                        onChange={(e) => setLine(line.key, { budget: e.target.value })}
                      />
                    )}
                  </Field>
                  {line.headcount === 0 && (
                    <ActionButton
                      label="Remove"
                      name={`the line in ${service?.name ?? 'this service'}`}
                      danger
                      onClick={() => void removeLine(line)}
                    />
                  )}
                </div>
              );
            })}
            {lines.length < services.length && (
              <button
                type="button"
                className="button button--secondary"
                onClick={() => setLines((all) => [...(all ?? []), blankLine()])}
              >
                Add a service
              </button>
            )}
          </>
        )}
      </fieldset>
      <FormButtons save="Save role" busy={busy} onCancel={onCancel} />
    </form>
  );
}
