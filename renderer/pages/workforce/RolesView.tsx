import { api, useApi } from '../../api';
import { FormButtons, ItemActions } from '../../components/actions';
import { DataTable } from '../../components/DataTable';
import { useEditing } from '../../components/editing';
import { ErrorSummary, Field, Notice, errorsFromApi, useFormState, validate } from '../../components/forms';
import { useMessage } from '../../components/message';
import { formatCount, formatFte } from '../../components/format';
import { BAND_CODES, professions } from '../../../shared/common/reference';
import { roleInputSchema, type RoleView } from '../../../shared/workforce/channels';

const LABELS = {
  title: 'Role title',
  profession: 'Main profession',
  band: 'Agenda for Change band',
};

function RoleForm({ editing, onDone }: { editing: RoleView | null; onDone: (message: string) => void }) {
  const form = useFormState({
    title: editing?.title ?? '',
    profession: editing?.profession ?? '',
    band: editing?.band ?? '',
  });

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const input = {
      ...(editing ? { id: editing.id } : {}),
      ...form.values,
    };
    const checked = validate(roleInputSchema, input);
    if (!checked.ok) return form.setErrors(checked.errors);
    form.setBusy(true);
    const result = await api('workforce/role-save', checked.value);
    form.setBusy(false);
    if (!result.ok) return form.setErrors(errorsFromApi(result.error));
    onDone(`${result.value.title} saved.`);
  };

  return (
    <form
      onSubmit={submit}
      noValidate
      className="panel"
      aria-label={editing ? `Change ${editing.title}` : 'Add a role'}
    >
      <h3>{editing ? `Change ${editing.title}` : 'Add a role'}</h3>
      <ErrorSummary form="role" errors={form.errors} labels={LABELS} />
      <Field
        form="role"
        path="title"
        label={LABELS.title}
        hint="The local job title, for example Therapy support worker"
        errors={form.errors}
        width="long"
      >
        {(p) => <input {...p} className="input" type="text" {...form.bind('title')} />}
      </Field>
      <Field form="role" path="profession" label={LABELS.profession} errors={form.errors} width="medium">
        {(p) => (
          <select {...p} className="select" {...form.bind('profession')}>
            <option value="">Choose a profession</option>
            {professions.items.map((pr) => (
              <option key={pr.code} value={pr.code}>
                {pr.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field form="role" path="band" label={LABELS.band} errors={form.errors} width="short">
        {(p) => (
          <select {...p} className="select" {...form.bind('band')}>
            <option value="">Choose a band</option>
            {BAND_CODES.map((b) => (
              <option key={b} value={b}>
                Band {b}
              </option>
            ))}
          </select>
        )}
      </Field>
      <FormButtons save="Save role" busy={form.busy} onCancel={() => onDone('')} />
    </form>
  );
}

export function RolesView() {
  const roles = useApi('workforce/roles', {});
  const services = useApi('workforce/services', {});
  const edit = useEditing<RoleView>();
  const message = useMessage();

  const remove = (r: RoleView) =>
    message.confirmThen(
      `Delete ${r.title}?`,
      () => api('workforce/role-delete', { id: r.id }),
      () => `${r.title} deleted.`,
      roles.reload,
    );

  const noServices = services.data && services.data.length === 0;
  return (
    <section aria-labelledby="roles-title">
      <h2 id="roles-title">Local roles</h2>
      {message.notice}
      {roles.error && <Notice kind="warning">{roles.error}</Notice>}
      {noServices && (
        <Notice kind="info">
          Add a service first: every role belongs to a service. <a href="#/workforce/services">Go to Services</a>
        </Notice>
      )}
      {edit.editing && services.data ? (
        <RoleForm
          key={edit.formKey}
          editing={edit.item}
          onDone={(text) => {
            edit.close();
            message.saved(text);
            roles.reload();
          }}
        />
      ) : (
        !noServices && (
          <button type="button" className="button" onClick={edit.add}>
            Add a role
          </button>
        )
      )}
      {roles.data && roles.data.length > 0 && (
        <DataTable
          caption={`Roles (${roles.data.length})`}
          scroll
          columns={[
            { id: 'title', header: 'Role', cell: (r) => r.title },
            { id: 'service', header: 'Services', cell: (r) => r.services },
            { id: 'profession', header: 'Profession', cell: (r) => r.professionName },
            { id: 'code', header: 'Main code', cell: (r) => r.occupationCode ?? '' },
            { id: 'band', header: 'Band', cell: (r) => r.band },
            {
              id: 'establishment',
              header: 'Establishment FTE',
              numeric: true,
              cell: (r) => formatFte(r.establishmentFte),
            },
            { id: 'inPost', header: 'In post FTE', numeric: true, cell: (r) => formatFte(r.inPostFte) },
            { id: 'headcount', header: 'Headcount', numeric: true, cell: (r) => formatCount(r.headcount) },
          ]}
          actions={(r) => (
            <ItemActions name={r.title} onChange={() => edit.setEditing(r)} onDelete={() => void remove(r)} />
          )}
          rows={roles.data}
          rowKey={(r) => r.id}
        />
      )}
    </section>
  );
}
