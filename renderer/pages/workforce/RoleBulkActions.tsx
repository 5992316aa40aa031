import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../../api';
import type { ApiError } from '../../../shared/common/api';
import { FormButtons } from '../../components/actions';
import { ErrorSummary, Field, toNumber, type FieldErrors } from '../../components/forms';
import { formatCount, formatFte } from '../../components/format';
import { STAGES, stageShort } from '../../components/framework';
import type { Message } from '../../components/message';
import type { BulkResult } from '../../../shared/framework/channels';
import type { StageId } from '../../../shared/framework';
import { fteSchema, type RoleView, type ServiceView } from '../../../shared/workforce/channels';
import { roleLabel, roleToKeep } from '../../../shared/workforce/role-list';
import { EditorHeading } from '../../components/EditorHeading';

export type BulkKind = 'stage' | 'agree' | 'establishment' | 'merge';

interface Props {
  roles: readonly RoleView[];
  services: readonly ServiceView[];
  /** The action finished (or failed on the service): what to say; `changed` = reload the list and clear the ticks. */
  onDone: (message: Message, changed: boolean) => void;
  onCancel: () => void;
}

/** A refusal in one line: the service's message and what it says of each field (such as "at most 5,000"). */
const failed = (error: ApiError): FieldErrors => ({
  '(form)': [error.message, ...Object.values(error.details ?? {})].join(' '),
});

const rolesWord = (n: number) => `${formatCount(n)} ${n === 1 ? 'role' : 'roles'}`;

function bulkMessage(result: BulkResult, done: string): Message {
  const skipped = result.skipped.length
    ? ` ${rolesWord(result.skipped.length)} left as they were: ${result.skipped
        .slice(0, 5)
        .map((s) => `${s.title} (${s.reason.replace(/\.$/, '')})`)
        .join('; ')}${result.skipped.length > 5 ? ` and ${formatCount(result.skipped.length - 5)} more` : ''}.`
    : '';
  return { kind: result.skipped.length ? 'info' : 'success', text: `${rolesWord(result.updated)} ${done}.${skipped}` };
}

function Panel({
  title,
  errors,
  labels,
  onSubmit,
  save,
  busy,
  onCancel,
  children,
}: {
  title: string;
  errors: FieldErrors;
  labels: Record<string, string>;
  onSubmit: () => Promise<void>;
  save: string;
  busy: boolean;
  onCancel: () => void;
  children: ReactNode;
}) {
  return (
    <form
      className="panel"
      noValidate
      aria-label={title}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void onSubmit();
      }}
    >
      <EditorHeading>{title}</EditorHeading>
      <ErrorSummary form="bulk" errors={errors} labels={labels} />
      {children}
      <FormButtons save={save} busy={busy} onCancel={onCancel} />
    </form>
  );
}

export function SetStage({ roles, onDone, onCancel }: Props) {
  const [stage, setStage] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!stage) return setErrors({ stage: 'Choose a stage' });
    setBusy(true);
    const result = await api('framework/mapping-bulk', {
      action: 'set-stage',
      roleIds: roles.map((r) => r.id),
      stage: stage as StageId,
    });
    setBusy(false);
    if (!result.ok) return setErrors(failed(result.error));
    onDone(bulkMessage(result.value, `set to ${stageShort(stage as StageId)} (draft mappings)`), true);
  };
  return (
    <Panel
      title={`Set the stage of ${rolesWord(roles.length)}`}
      errors={errors}
      labels={{ stage: 'Stage' }}
      onSubmit={submit}
      save="Set stage"
      busy={busy}
      onCancel={onCancel}
    >
      <p className="hint">An agreed mapping that changes goes back to draft, for the lead to agree again.</p>
      <Field form="bulk" path="stage" label="Stage" errors={errors} width="medium">
        {(p) => (
          <select {...p} className="select" value={stage} onChange={(e) => setStage(e.target.value)}>
            <option value="">Choose a stage</option>
            {STAGES.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        )}
      </Field>
    </Panel>
  );
}

export function AgreeMappings({ roles, onDone, onCancel }: Props) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const mapped = roles.filter((r) => r.stage !== null && r.mappingStatus === 'draft').length;
  const submit = async () => {
    setBusy(true);
    const result = await api('framework/mapping-bulk', { action: 'agree', roleIds: roles.map((r) => r.id) });
    setBusy(false);
    if (!result.ok) return setErrors(failed(result.error));
    onDone(bulkMessage(result.value, 'agreed'), true);
  };
  return (
    <Panel
      title={`Agree the mappings of ${rolesWord(roles.length)}`}
      errors={errors}
      labels={{}}
      onSubmit={submit}
      save="Agree mappings"
      busy={busy}
      onCancel={onCancel}
    >
      <p>
        {rolesWord(mapped)} {mapped === 1 ? 'has' : 'have'} a draft mapping to agree. Roles with no stage, or already
        agreed, are left as they are.
      </p>
    </Panel>
  );
}

export function SetEstablishment({ roles, services, onDone, onCancel }: Props) {
  const [serviceId, setServiceId] = useState('');
  const [fte, setFte] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const service = services.find((s) => String(s.id) === serviceId);
  const already = service ? roles.filter((r) => r.serviceIds.includes(service.id)).length : 0;
  const submit = async () => {
    const problems: FieldErrors = {};
    if (!serviceId) problems.serviceId = 'Choose a service';
    const value = toNumber(fte);
    const checked = fteSchema.safeParse(value);
    if (value === undefined) problems.fte = 'Enter the funded FTE for each role';
    else if (!checked.success) problems.fte = checked.error.issues[0]?.message ?? 'Enter a number';
    if (Object.keys(problems).length > 0 || !checked.success) return setErrors(problems);
    setBusy(true);
    const result = await api('workforce/posts-save', {
      lines: roles.map((r) => ({ roleId: r.id, serviceId: Number(serviceId), establishmentFte: checked.data })),
    });
    setBusy(false);
    if (!result.ok) return setErrors(failed(result.error));
    const { updated, created } = result.value;
    onDone(
      {
        kind: 'success',
        text: `Establishment set to ${formatFte(checked.data)} FTE in ${service?.name ?? 'the service'} for ${rolesWord(roles.length)}: ${formatCount(updated)} changed, ${formatCount(created)} added to the service, ${formatCount(roles.length - updated - created)} already so.`,
      },
      true,
    );
  };
  return (
    <Panel
      title={`Set the establishment of ${rolesWord(roles.length)}`}
      errors={errors}
      labels={{ serviceId: 'Service', fte: 'Establishment FTE' }}
      onSubmit={submit}
      save="Set establishment"
      busy={busy}
      onCancel={onCancel}
    >
      <p className="hint">
        Each chosen role gets the same funded FTE in one service. A role not yet in that service is added to it.
      </p>
      <Field form="bulk" path="serviceId" label="Service" errors={errors} width="medium">
        {(p) => (
          <select {...p} className="select" value={serviceId} onChange={(e) => setServiceId(e.target.value)}>
            <option value="">Choose a service</option>
            {services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {service && (
        <p className="hint">
          {rolesWord(already)} of {formatCount(roles.length)} already in {service.name}.
        </p>
      )}
      <Field form="bulk" path="fte" label="Establishment FTE for each role" errors={errors} width="short">
        {(p) => (
          <input
            {...p}
            className="input"
            type="text"
            inputMode="decimal"
            value={fte}
            onChange={(e) => setFte(e.target.value)}
          />
        )}
      </Field>
    </Panel>
  );
}

const mappingText = (r: RoleView) =>
  r.stage ? `${stageShort(r.stage)} (${r.mappingStatus === 'agreed' ? 'agreed' : 'draft'})` : 'not mapped';

export function MergeRoles({ roles, onDone, onCancel }: Props) {
  const suggested = useMemo(() => roleToKeep(roles), [roles]);
  const [keep, setKeep] = useState(String(suggested?.id ?? ''));
  const [title, setTitle] = useState('');
  const mappings = new Set(roles.filter((r) => r.stage !== null).map((r) => `${r.stage}:${r.mappingStatus}`));
  const [keepMapping, setKeepMapping] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const into = roles.find((r) => String(r.id) === keep);
  const submit = async () => {
    if (!into) return setErrors({ keep: 'Choose the role to keep' });
    setBusy(true);
    const result = await api('workforce/roles-merge', {
      roleIds: roles.map((r) => r.id),
      intoRoleId: into.id,
      ...(title.trim() ? { title: title.trim() } : {}),
      ...(mappings.size > 1 ? { keepMappingOf: keepMapping === '' ? null : Number(keepMapping) } : {}),
    });
    setBusy(false);
    if (!result.ok) return setErrors(failed(result.error));
    onDone(
      {
        kind: 'success',
        text: `${formatCount(result.value.merged.length)} roles merged into ${result.value.intoTitle}. The merge can be undone.`,
      },
      true,
    );
  };
  return (
    <Panel
      title={`Merge ${rolesWord(roles.length)} into one`}
      errors={errors}
      labels={{ keep: 'Role to keep', title: 'New title' }}
      onSubmit={submit}
      save="Merge roles"
      busy={busy}
      onCancel={onCancel}
    >
      <p className="hint">
        The staff, services and establishment of every chosen role move to the one you keep. The one with most staff is
        chosen to start with.
      </p>
      <fieldset className="fieldset merge-keep" id="bulk-keep">
        <legend>Role to keep</legend>
        {errors.keep && <p className="field__error">{errors.keep}</p>}
        {roles.map((r) => (
          <div className="checkbox" key={r.id}>
            <input
              type="radio"
              id={`merge-keep-${r.id}`}
              name="merge-keep"
              value={r.id}
              checked={keep === String(r.id)}
              onChange={() => setKeep(String(r.id))}
            />
            <label htmlFor={`merge-keep-${r.id}`}>
              {roleLabel(r)}: {formatCount(r.headcount)} staff, {formatCount(r.serviceCount)}{' '}
              {r.serviceCount === 1 ? 'service' : 'services'}, {mappingText(r)}
            </label>
          </div>
        ))}
      </fieldset>
      <Field
        form="bulk"
        path="title"
        label="New title (optional)"
        hint={into ? `Leave blank to keep ${into.title}` : undefined}
        errors={errors}
        width="long"
      >
        {(p) => <input {...p} className="input" type="text" value={title} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      {mappings.size > 1 && (
        <Field
          form="bulk"
          path="keepMapping"
          label="The roles are mapped differently: keep the mapping of"
          hint="Or keep none now and settle the difference later from the role's conflicts"
          errors={errors}
          width="long"
        >
          {(p) => (
            <select {...p} className="select" value={keepMapping} onChange={(e) => setKeepMapping(e.target.value)}>
              <option value="">None yet: settle it later</option>
              {roles
                .filter((r) => r.stage !== null)
                .map((r) => (
                  <option key={r.id} value={r.id}>
                    {roleLabel(r)}: {mappingText(r)}
                  </option>
                ))}
            </select>
          )}
        </Field>
      )}
    </Panel>
  );
}

export const BULK_PANELS: Record<BulkKind, (props: Props) => ReactNode> = {
  stage: SetStage,
  agree: AgreeMappings,
  establishment: SetEstablishment,
  merge: MergeRoles,
};
