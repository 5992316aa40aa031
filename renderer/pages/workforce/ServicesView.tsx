import { api, useApi } from '../../api';
import { FormButtons, ItemActions } from '../../components/actions';
import { DataTable } from '../../components/DataTable';
import { useEditing } from '../../components/editing';
import { ErrorSummary, Field, Notice, errorsFromApi, useFormState, validate } from '../../components/forms';
import { useMessage } from '../../components/message';
import { serviceInputSchema, type ServiceView } from '../../../shared/workforce/channels';
import { EditorHeading } from '../../components/EditorHeading';

const LABELS = { name: 'Service or team name', costCentre: 'Cost centre' };

function ServiceForm({ editing, onDone }: { editing: ServiceView | null; onDone: (message: string) => void }) {
  const form = useFormState({ name: editing?.name ?? '', costCentre: editing?.costCentre ?? '' });
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const checked = validate(serviceInputSchema, { ...form.values, ...(editing ? { id: editing.id } : {}) });
    if (!checked.ok) return form.setErrors(checked.errors);
    form.setBusy(true);
    const result = await api('workforce/service-save', checked.value);
    form.setBusy(false);
    if (!result.ok) return form.setErrors(errorsFromApi(result.error));
    onDone(`${result.value.name} saved.`);
  };
  return (
    <form
      onSubmit={submit}
      noValidate
      className="panel"
      aria-label={editing ? `Change ${editing.name}` : 'Add a service'}
    >
      <EditorHeading>{editing ? `Change ${editing.name}` : 'Add a service'}</EditorHeading>
      <ErrorSummary form="service" errors={form.errors} labels={LABELS} />
      <Field form="service" path="name" label={LABELS.name} errors={form.errors} width="long">
        {(p) => <input {...p} className="input" type="text" {...form.bind('name')} />}
      </Field>
      <Field
        form="service"
        path="costCentre"
        label={`${LABELS.costCentre} (optional)`}
        errors={form.errors}
        width="short"
      >
        {(p) => <input {...p} className="input" type="text" {...form.bind('costCentre')} />}
      </Field>
      <FormButtons save="Save service" busy={form.busy} onCancel={() => onDone('')} />
    </form>
  );
}

export function ServicesView() {
  const services = useApi('workforce/services', {});
  const edit = useEditing<ServiceView>();
  const message = useMessage();

  const remove = (s: ServiceView) =>
    message.confirmThen(
      `Delete ${s.name}?`,
      () => api('workforce/service-delete', { id: s.id }),
      () => `${s.name} deleted.`,
      services.reload,
    );

  return (
    <section aria-labelledby="services-title">
      <h2 id="services-title">Services and teams</h2>
      {message.notice}
      {services.error && <Notice kind="warning">{services.error}</Notice>}
      {edit.editing ? (
        <ServiceForm
          key={edit.formKey}
          editing={edit.item}
          onDone={(text) => {
            edit.close();
            message.saved(text);
            services.reload();
          }}
        />
      ) : (
        <button type="button" className="button" onClick={edit.add}>
          Add a service
        </button>
      )}
      {services.data && services.data.length > 0 && (
        <DataTable
          caption={`Services (${services.data.length})`}
          columns={[
            { id: 'name', header: 'Service', cell: (s) => s.name },
            { id: 'costCentre', header: 'Cost centre', cell: (s) => s.costCentre ?? '' },
            { id: 'roles', header: 'Roles', numeric: true, cell: (s) => s.roleCount },
          ]}
          actions={(s) => (
            <ItemActions name={s.name} onChange={() => edit.setEditing(s)} onDelete={() => void remove(s)} />
          )}
          rows={services.data}
          rowKey={(s) => s.id}
        />
      )}
    </section>
  );
}
