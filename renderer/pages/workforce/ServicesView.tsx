import { useState } from 'react';
import { api, useApi } from '../../api';
import { ErrorSummary, Field, Notice, errorsFromApi, useFormState, validate } from '../../components/forms';
import { serviceInputSchema, type ServiceView } from '../../../shared/workforce';

const LABELS = { name: 'Service or team name', costCentre: 'Cost centre' };

function ServiceForm({ editing, onDone }: { editing: ServiceView | null; onDone: (message: string) => void }) {
  const form = useFormState({ name: editing?.name ?? '', costCentre: editing?.costCentre ?? '' });
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const checked = validate(serviceInputSchema, { ...form.values, ...(editing ? { id: editing.id } : {}) });
    if (!checked.ok) return form.setErrors(checked.errors);
    form.setBusy(true);
    const result = await api('services/save', checked.value);
    form.setBusy(false);
    if (!result.ok) return form.setErrors(errorsFromApi(result.error));
    onDone(`${result.value.name} saved.`);
  };
  return (
    <form onSubmit={submit} noValidate className="panel" aria-label={editing ? `Change ${editing.name}` : 'Add a service'}>
      <h3>{editing ? `Change ${editing.name}` : 'Add a service'}</h3>
      <ErrorSummary form="service" errors={form.errors} labels={LABELS} />
      <Field form="service" path="name" label={LABELS.name} errors={form.errors} width="long">
        {(p) => <input {...p} className="input" type="text" {...form.bind('name')} />}
      </Field>
      <Field form="service" path="costCentre" label={`${LABELS.costCentre} (optional)`} errors={form.errors} width="short">
        {(p) => <input {...p} className="input" type="text" {...form.bind('costCentre')} />}
      </Field>
      <div className="button-group">
        <button type="submit" className="button" disabled={form.busy}>
          Save service
        </button>
        <button type="button" className="button button--secondary" onClick={() => onDone('')}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function ServicesView() {
  const services = useApi('services/list', {});
  const [editing, setEditing] = useState<ServiceView | 'new' | null>(null);
  const [message, setMessage] = useState<{ kind: 'success' | 'warning'; text: string }>();

  const remove = async (s: ServiceView) => {
    if (!window.confirm(`Delete ${s.name}?`)) return;
    const result = await api('services/delete', { id: s.id });
    setMessage(result.ok ? { kind: 'success', text: `${s.name} deleted.` } : { kind: 'warning', text: result.error.message });
    services.reload();
  };

  return (
    <section aria-labelledby="services-title">
      <h2 id="services-title">Services and teams</h2>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      {services.error && <Notice kind="warning">{services.error}</Notice>}
      {editing ? (
        <ServiceForm
          key={editing === 'new' ? 'new' : editing.id}
          editing={editing === 'new' ? null : editing}
          onDone={(text) => {
            setEditing(null);
            if (text) setMessage({ kind: 'success', text });
            services.reload();
          }}
        />
      ) : (
        <button type="button" className="button" onClick={() => setEditing('new')}>
          Add a service
        </button>
      )}
      {services.data && services.data.length > 0 && (
        <table className="table">
          <caption>Services ({services.data.length})</caption>
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Cost centre</th>
              <th scope="col" className="num">Roles</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {services.data.map((s) => (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td>{s.costCentre ?? ''}</td>
                <td className="num">{s.roleCount}</td>
                <td className="actions">
                  <button type="button" className="link-button" onClick={() => setEditing(s)}>
                    Change<span className="visually-hidden"> {s.name}</span>
                  </button>
                  <button type="button" className="link-button link-button--danger" onClick={() => remove(s)}>
                    Delete<span className="visually-hidden"> {s.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
