import { useState } from 'react';
import { api, useApi } from '../../api';
import { ActionButton, FormButtons, ItemActions } from '../../components/actions';
import { DataTable } from '../../components/DataTable';
import { useEditing } from '../../components/editing';
import {
  ErrorSummary,
  Field,
  Notice,
  errorsFromApi,
  useFormState,
  validate,
  type FieldErrors,
} from '../../components/forms';
import { formatDate } from '../../components/format';
import { useMessage } from '../../components/message';
import {
  FUNDING_SOURCE_LABELS,
  FUNDING_SOURCES,
  firstPhaseChecklist,
  fundingStreamInputSchema,
  type ConditionItem,
  type FundingStreamView,
} from '../../../shared/funding/streams';
import { Money, penceFromText, textFromPence } from './common';
import { EditorHeading } from '../../components/EditorHeading';

const LABELS: Record<string, string> = {
  source: 'Source',
  name: 'Name of the funding stream',
  financialYear: 'Financial year',
  allocatedPence: 'Amount allocated',
  conditions: 'Conditions',
  deadline: 'Deadline',
  owner: 'Owner',
};

function StreamForm({
  editing,
  year,
  onDone,
}: {
  editing: FundingStreamView | null;
  year: string;
  onDone: (message: string, year?: string) => void;
}) {
  const { values, errors, setErrors, busy, setBusy, bind } = useFormState({
    source: editing?.source ?? 'hee-pump-prime',
    name: editing?.name ?? '',
    financialYear: editing?.financialYear ?? year,
    allocated: textFromPence(editing?.allocatedPence),
    conditions: editing?.conditions ?? '',
    deadline: editing?.deadline ?? '',
    owner: editing?.owner ?? '',
  });
  const [receipts, setReceipts] = useState(
    editing?.receipts.map((r) => ({ date: r.date, amount: textFromPence(r.amountPence) })) ?? [],
  );
  const [checklist, setChecklist] = useState<ConditionItem[]>(editing?.checklist ?? []);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const moneyErrors: FieldErrors = {};
    const allocated = penceFromText(values.allocated);
    if (allocated.error) moneyErrors.allocatedPence = allocated.error;
    const parsedReceipts = receipts.map((r, i) => {
      const p = penceFromText(r.amount);
      if (p.error) moneyErrors[`receipts.${i}.amountPence`] = p.error;
      return { date: r.date, amountPence: p.pence };
    });
    const input = {
      ...(editing ? { id: editing.id } : {}),
      source: values.source,
      name: values.name,
      financialYear: values.financialYear,
      allocatedPence: allocated.pence,
      receipts: parsedReceipts,
      conditions: values.conditions,
      checklist,
      deadline: values.deadline === '' ? null : values.deadline,
      owner: values.owner,
    };
    const checked = validate(fundingStreamInputSchema, input);
    if (!checked.ok || Object.keys(moneyErrors).length > 0)
      return setErrors({ ...(checked.ok ? {} : checked.errors), ...moneyErrors });
    setBusy(true);
    const result = await api('funding/stream-save', checked.value);
    setBusy(false);
    if (!result.ok) return setErrors(errorsFromApi(result.error));
    onDone(`${result.value.name} saved.`, result.value.financialYear);
  };

  return (
    <form
      onSubmit={submit}
      noValidate
      className="panel"
      aria-label={editing ? `Change ${editing.name}` : 'Add a funding stream'}
    >
      <EditorHeading>{editing ? `Change ${editing.name}` : 'Add a funding stream'}</EditorHeading>
      <ErrorSummary form="stream" errors={errors} labels={LABELS} />
      <Field form="stream" path="source" label={LABELS.source!} errors={errors} width="medium">
        {(p) => (
          <select {...p} className="select" {...bind('source')}>
            {FUNDING_SOURCES.map((s) => (
              <option key={s} value={s}>
                {FUNDING_SOURCE_LABELS[s]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        form="stream"
        path="name"
        label={LABELS.name!}
        hint="For example: HEE pump prime 2021/22"
        errors={errors}
        width="long"
      >
        {(p) => <input {...p} className="input" type="text" {...bind('name')} />}
      </Field>
      <div className="field-row">
        <Field
          form="stream"
          path="financialYear"
          label={LABELS.financialYear!}
          hint="April to March, like 2021/22"
          errors={errors}
          width="short"
        >
          {(p) => <input {...p} className="input" type="text" {...bind('financialYear')} />}
        </Field>
        <Field
          form="stream"
          path="allocatedPence"
          label={LABELS.allocatedPence!}
          hint="In pounds, as in your allocation letter"
          errors={errors}
          width="short"
        >
          {(p) => <input {...p} className="input" type="text" inputMode="decimal" {...bind('allocated')} />}
        </Field>
        <Field
          form="stream"
          path="deadline"
          label={`${LABELS.deadline!} (optional)`}
          hint="When the conditions must be met"
          errors={errors}
          width="short"
        >
          {(p) => <input {...p} className="input" type="date" {...bind('deadline')} />}
        </Field>
      </div>
      <Field
        form="stream"
        path="owner"
        label={`${LABELS.owner!} (optional)`}
        hint="Who is accountable for this money"
        errors={errors}
        width="medium"
      >
        {(p) => <input {...p} className="input" type="text" {...bind('owner')} />}
      </Field>

      <fieldset className="fieldset">
        <legend>Money received</legend>
        <p className="hint">Each payment with its date. Record money paid back as a negative amount.</p>
        {receipts.map((r, i) => (
          <div className="funding-row" key={i}>
            <Field
              form="stream"
              path={`receipts.${i}.date`}
              label={`Payment ${i + 1} date`}
              errors={errors}
              width="short"
            >
              {(p) => (
                <input
                  {...p}
                  className="input"
                  type="date"
                  value={r.date}
                  onChange={(e) =>
                    setReceipts((rs) => rs.map((x, j) => (j === i ? { ...x, date: e.target.value } : x)))
                  }
                />
              )}
            </Field>
            <Field
              form="stream"
              path={`receipts.${i}.amountPence`}
              label={`Payment ${i + 1} amount`}
              errors={errors}
              width="short"
            >
              {(p) => (
                <input
                  {...p}
                  className="input"
                  type="text"
                  inputMode="decimal"
                  value={r.amount}
                  onChange={(e) =>
                    setReceipts((rs) => rs.map((x, j) => (j === i ? { ...x, amount: e.target.value } : x)))
                  }
                />
              )}
            </Field>
            <ActionButton
              label="Remove"
              name={`payment ${i + 1}`}
              danger
              onClick={() => setReceipts((rs) => rs.filter((_, j) => j !== i))}
            />
          </div>
        ))}
        <button
          type="button"
          className="button button--secondary"
          onClick={() => setReceipts((rs) => [...rs, { date: '', amount: '' }])}
        >
          Add a payment received
        </button>
      </fieldset>

      <fieldset className="fieldset">
        <legend>Conditions</legend>
        <Field
          form="stream"
          path="conditions"
          label="Conditions as written (optional)"
          hint="Paste the conditions from the offer letter"
          errors={errors}
          width="long"
        >
          {(p) => <textarea {...p} className="input" rows={3} {...bind('conditions')} />}
        </Field>
        <p className="field__label">Checklist</p>
        {checklist.length === 0 && <p className="hint">No checklist items yet.</p>}
        <ul className="funding-checklist">
          {checklist.map((c, i) => (
            <li key={i}>
              <input
                type="checkbox"
                aria-label={`Met: ${c.text || `item ${i + 1}`}`}
                checked={c.done}
                onChange={(e) =>
                  setChecklist((cs) => cs.map((x, j) => (j === i ? { ...x, done: e.target.checked } : x)))
                }
              />
              <input
                type="text"
                className="input"
                aria-label={`Checklist item ${i + 1}`}
                value={c.text}
                onChange={(e) => setChecklist((cs) => cs.map((x, j) => (j === i ? { ...x, text: e.target.value } : x)))}
              />
              <ActionButton
                label="Remove"
                name={`item ${i + 1}`}
                danger
                onClick={() => setChecklist((cs) => cs.filter((_, j) => j !== i))}
              />
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => setChecklist((cs) => [...cs, { text: '', done: false }])}
        >
          Add a checklist item
        </button>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => setChecklist((cs) => [...cs, ...firstPhaseChecklist()])}
        >
          Add the 2021/22 first-phase requirements
        </button>
      </fieldset>
      <FormButtons save="Save funding stream" busy={busy} onCancel={() => onDone('')} />
    </form>
  );
}

export function StreamsView({ year, onChanged }: { year: string; onChanged: (year: string) => void }) {
  const streams = useApi('funding/streams', { financialYear: year });
  const edit = useEditing<FundingStreamView>();
  const message = useMessage();

  const remove = (s: FundingStreamView) =>
    message.confirmThen(
      `Delete ${s.name}?`,
      () => api('funding/stream-delete', { id: s.id }),
      () => `${s.name} deleted.`,
      () => {
        streams.reload();
        onChanged(year);
      },
    );

  return (
    <section aria-labelledby="streams-title">
      <h2 id="streams-title">Funding streams in {year}</h2>
      {message.notice}
      {streams.error && <Notice kind="warning">{streams.error}</Notice>}
      {edit.editing ? (
        <StreamForm
          key={edit.formKey}
          editing={edit.item}
          year={year}
          onDone={(text, savedYear) => {
            edit.close();
            message.saved(text);
            streams.reload();
            if (savedYear) onChanged(savedYear);
          }}
        />
      ) : (
        <button type="button" className="button" onClick={edit.add}>
          Add a funding stream
        </button>
      )}
      {streams.data && streams.data.length === 0 && <p>No funding streams in {year} yet.</p>}
      {streams.data && streams.data.length > 0 && (
        <DataTable
          caption={`Funding streams (${streams.data.length})`}
          scroll="funding-scroll"
          columns={[
            { id: 'name', header: 'Stream', cell: (s) => s.name },
            { id: 'source', header: 'Source', cell: (s) => FUNDING_SOURCE_LABELS[s.source] },
            { id: 'owner', header: 'Owner', cell: (s) => s.owner },
            { id: 'deadline', header: 'Deadline', cell: (s) => formatDate(s.deadline) },
            { id: 'allocated', header: 'Allocated', numeric: true, cell: (s) => <Money pence={s.allocatedPence} /> },
            { id: 'received', header: 'Received', numeric: true, cell: (s) => <Money pence={s.receivedPence} /> },
            { id: 'planned', header: 'Planned', numeric: true, cell: (s) => <Money pence={s.plannedPence} /> },
            {
              id: 'conditions',
              header: 'Conditions met',
              cell: (s) =>
                s.checklist.length === 0
                  ? 'No checklist'
                  : `${s.checklist.filter((c) => c.done).length} of ${s.checklist.length}`,
            },
          ]}
          actions={(s) => (
            <ItemActions name={s.name} onChange={() => edit.setEditing(s)} onDelete={() => void remove(s)} />
          )}
          rows={streams.data}
          rowKey={(s) => s.id}
        />
      )}
    </section>
  );
}
