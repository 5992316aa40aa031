import { api, useApi } from '../../api';
import { FormButtons, ItemActions } from '../../components/actions';
import { DataTable } from '../../components/DataTable';
import { useEditing } from '../../components/editing';
import { EditorHeading } from '../../components/EditorHeading';
import { ErrorSummary, Field, Notice, errorsFromApi, useFormState, validate } from '../../components/forms';
import { formatDateTime } from '../../components/format';
import { useMessage } from '../../components/message';
import { trustSaveSchema, type IcsTrust } from '../../../shared/ics/channels';
import './ics.css';

const LABELS = { name: 'Trust name', odsCode: 'ODS code' };

function TrustForm({ editing, onDone }: { editing: IcsTrust | null; onDone: (message: string) => void }) {
  const form = useFormState({ name: editing?.name ?? '', odsCode: editing?.odsCode ?? '' });
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const checked = validate(trustSaveSchema, { ...form.values, id: editing?.id ?? null });
    if (!checked.ok) return form.setErrors(checked.errors);
    form.setBusy(true);
    const result = await api('ics/trust-save', checked.value);
    form.setBusy(false);
    if (!result.ok) return form.setErrors(errorsFromApi(result.error));
    onDone(`${result.value.name} (${result.value.odsCode}) saved.`);
  };
  const title = editing ? `Change ${editing.name}` : 'Add a trust';
  return (
    <form onSubmit={submit} noValidate className="panel" aria-label={title}>
      <EditorHeading>{title}</EditorHeading>
      <ErrorSummary form="trust" errors={form.errors} labels={LABELS} />
      <Field form="trust" path="name" label={LABELS.name} errors={form.errors} width="long">
        {(p) => <input {...p} className="input" type="text" {...form.bind('name')} />}
      </Field>
      <Field
        form="trust"
        path="odsCode"
        label={LABELS.odsCode}
        hint="The trust's organisation code, for example RX1. Its returns are matched to it by this code."
        errors={form.errors}
        width="short"
      >
        {(p) => <input {...p} className="input" type="text" spellCheck={false} {...form.bind('odsCode')} />}
      </Field>
      <FormButtons save="Save trust" busy={form.busy} onCancel={() => onDone('')} />
    </form>
  );
}

/** The ICS's trusts: added by hand, or by the first return collected from each. */
export function TrustsPage() {
  const trusts = useApi('ics/trusts', {});
  const edit = useEditing<IcsTrust>();
  const message = useMessage();
  const list = trusts.data?.trusts;

  const remove = (t: IcsTrust) =>
    message.confirmThen(
      `Take ${t.name} (${t.odsCode}) off the list of trusts?`,
      () => api('ics/trust-delete', { id: t.id }),
      () => `${t.name} taken off the list.`,
      trusts.reload,
    );

  return (
    <>
      <h1>Trusts</h1>
      <p className="lede">
        The trusts in your integrated care system. A trust is added here by hand, or by the first return collected from
        it. Listing every trust lets you see who has not sent a return yet.
      </p>
      {message.notice}
      {trusts.error && <Notice kind="warning">{trusts.error}</Notice>}
      {edit.editing ? (
        <TrustForm
          key={edit.formKey}
          editing={edit.item}
          onDone={(text) => {
            edit.close();
            message.saved(text);
            trusts.reload();
          }}
        />
      ) : (
        <button type="button" className="button" onClick={edit.add}>
          Add a trust
        </button>
      )}
      {list && (
        <DataTable<IcsTrust>
          caption={`Trusts (${list.length})`}
          testId="ics-trusts"
          rows={list}
          rowKey={(t) => t.id}
          empty="No trusts yet. Add them above, or collect their returns under Collected returns."
          columns={[
            { id: 'name', header: 'Trust', rowHeader: true, sortable: true, value: (t) => t.name, cell: (t) => t.name },
            {
              id: 'odsCode',
              header: 'ODS code',
              sortable: true,
              value: (t) => t.odsCode,
              className: 'mono',
              cell: (t) => t.odsCode,
            },
            {
              id: 'addedFrom',
              header: 'Added',
              cell: (t) =>
                `${t.addedFrom === 'hand' ? 'By hand' : 'From its first return'}, ${formatDateTime(t.addedAt)}`,
            },
            {
              id: 'collected',
              header: 'Returns collected',
              numeric: true,
              sortable: true,
              value: (t) => t.collectedReturns,
              cell: (t) => t.collectedReturns,
            },
          ]}
          actions={(t) => (
            <ItemActions
              name={`${t.name} (${t.odsCode})`}
              changeLabel="Rename"
              deleteLabel="Remove"
              onChange={() => edit.setEditing(t)}
              onDelete={() => void remove(t)}
            />
          )}
        />
      )}
    </>
  );
}
