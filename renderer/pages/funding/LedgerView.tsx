import { useState } from 'react';
import { api, useApi } from '../../api';
import { FormButtons, ItemActions, Pagination } from '../../components/actions';
import { DataTable } from '../../components/DataTable';
import {
  ErrorSummary,
  Field,
  LabelledField,
  Notice,
  errorsFromApi,
  useFormState,
  validate,
} from '../../components/forms';
import { formatDate, formatDateTime } from '../../components/format';
import { useMessage } from '../../components/message';
import { ledgerEntryInputSchema, type LedgerRowView } from '../../../shared/funding/ledger';
import type { PlanLineView } from '../../../shared/funding/plan';
import { Money, money, penceFromText } from './common';
import { EditorHeading } from '../../components/EditorHeading';
import { useEditing } from '../../components/editing';

const PAGE = 50;
const LABELS: Record<string, string> = {
  kind: 'Actual or commitment',
  date: 'Date',
  amountPence: 'Amount',
  description: 'Description',
  costCentre: 'Cost centre',
  accountCode: 'Account code',
  planLineId: 'Plan line',
};

function LineSelect({
  id,
  lines,
  value,
  onChange,
  blank,
}: {
  id: string;
  lines: PlanLineView[];
  value: string;
  onChange: (v: string) => void;
  blank: string;
}) {
  return (
    <select id={id} className="select" value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{blank}</option>
      {lines.map((l) => (
        <option key={l.id} value={l.id}>
          {l.description} ({l.categoryLabel})
        </option>
      ))}
    </select>
  );
}

function EntryForm({ lines, onDone }: { lines: PlanLineView[]; onDone: (message: string) => void }) {
  const { values, setValues, errors, setErrors, busy, setBusy, bind } = useFormState({
    kind: 'actual',
    date: '',
    amount: '',
    description: '',
    costCentre: '',
    accountCode: '',
    planLineId: '',
  });
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const amount = penceFromText(values.amount);
    const input = {
      ...values,
      amountPence: amount.pence,
      planLineId: values.planLineId ? Number(values.planLineId) : null,
    };
    const checked = validate(ledgerEntryInputSchema, input);
    if (!checked.ok || amount.error)
      return setErrors({
        ...(checked.ok ? {} : checked.errors),
        ...(amount.error ? { amountPence: amount.error } : {}),
      });
    setBusy(true);
    const result = await api('funding/ledger-save', checked.value);
    setBusy(false);
    if (!result.ok) return setErrors(errorsFromApi(result.error));
    onDone(`${result.value.kind === 'actual' ? 'Actual' : 'Commitment'} of ${money(result.value.amountPence)} saved.`);
  };
  return (
    <form onSubmit={submit} noValidate className="panel" aria-label="Type in an actual or commitment">
      <EditorHeading>Type in an actual or commitment</EditorHeading>
      <ErrorSummary form="entry" errors={errors} labels={LABELS} />
      <div className="field-row">
        <Field form="entry" path="kind" label={LABELS.kind!} errors={errors} width="short">
          {(p) => (
            <select {...p} className="select" {...bind('kind')}>
              <option value="actual">Actual (spent)</option>
              <option value="commitment">Commitment (ordered, not yet paid)</option>
            </select>
          )}
        </Field>
        <Field form="entry" path="date" label={LABELS.date!} errors={errors} width="short">
          {(p) => <input {...p} className="input" type="date" {...bind('date')} />}
        </Field>
        <Field
          form="entry"
          path="amountPence"
          label={LABELS.amountPence!}
          hint="Negative for a credit or reversal"
          errors={errors}
          width="short"
        >
          {(p) => <input {...p} className="input" type="text" inputMode="decimal" {...bind('amount')} />}
        </Field>
      </div>
      <Field form="entry" path="description" label={`${LABELS.description!} (optional)`} errors={errors} width="long">
        {(p) => <input {...p} className="input" type="text" {...bind('description')} />}
      </Field>
      <div className="field-row">
        <Field form="entry" path="costCentre" label={`${LABELS.costCentre!} (optional)`} errors={errors} width="short">
          {(p) => <input {...p} className="input" type="text" {...bind('costCentre')} />}
        </Field>
        <Field
          form="entry"
          path="accountCode"
          label={`${LABELS.accountCode!} (optional)`}
          errors={errors}
          width="short"
        >
          {(p) => <input {...p} className="input" type="text" {...bind('accountCode')} />}
        </Field>
        <Field form="entry" path="planLineId" label={LABELS.planLineId!} errors={errors} width="medium">
          {(p) => (
            <LineSelect
              id={p.id}
              lines={lines}
              value={values.planLineId}
              onChange={(v) => setValues((x) => ({ ...x, planLineId: v }))}
              blank="Not allocated yet"
            />
          )}
        </Field>
      </div>
      <FormButtons save="Save entry" busy={busy} onCancel={() => onDone('')} />
    </form>
  );
}

function EntriesTable({
  rows,
  caption,
  selectable,
  selected,
  onToggle,
  onDelete,
}: {
  rows: LedgerRowView[];
  caption: string;
  selectable?: boolean;
  selected?: Set<number>;
  onToggle?: (id: number, on: boolean) => void;
  onDelete?: (row: LedgerRowView) => void;
}) {
  return (
    <DataTable
      caption={caption}
      scroll="funding-scroll"
      columns={[
        ...(selectable
          ? [
              {
                id: 'choose',
                header: <span className="visually-hidden">Choose</span>,
                cell: (r: LedgerRowView) => (
                  <input
                    type="checkbox"
                    aria-label={`Choose ${r.description || 'entry'} of ${money(r.amountPence)} on ${formatDate(r.date)}`}
                    checked={selected?.has(r.id) ?? false}
                    onChange={(e) => onToggle?.(r.id, e.target.checked)}
                  />
                ),
              },
            ]
          : []),
        { id: 'date', header: 'Date', cell: (r) => formatDate(r.date) },
        { id: 'kind', header: 'Kind', cell: (r) => (r.kind === 'actual' ? 'Actual' : 'Commitment') },
        { id: 'description', header: 'Description', cell: (r) => r.description },
        { id: 'costCentre', header: 'Cost centre', cell: (r) => r.costCentre },
        { id: 'account', header: 'Account', cell: (r) => r.accountCode },
        { id: 'amount', header: 'Amount', numeric: true, cell: (r) => <Money pence={r.amountPence} signal /> },
        {
          id: 'line',
          header: 'Plan line',
          cell: (r) => (
            <>
              {r.planLineLabel ?? <strong className="tag tag--warn">Not allocated</strong>}
              {r.planLineLabel &&
                (r.matchedRuleId ? <span className="hint"> (by rule)</span> : <span className="hint"> (by hand)</span>)}
            </>
          ),
        },
      ]}
      actions={onDelete && ((r) => <ItemActions name={`entry ${r.id}`} onDelete={() => onDelete(r)} />)}
      rows={rows}
      rowKey={(r) => r.id}
    />
  );
}

export function LedgerView({ year }: { year: string }) {
  const [tick, setTick] = useState(0);
  const key = String(tick);
  const lines = useApi('funding/lines', { financialYear: year });
  const review = useApi('funding/ledger', { financialYear: year, unmatchedOnly: true, limit: 500 }, key);
  const [page, setPage] = useState(0);
  const all = useApi('funding/ledger', { financialYear: year, limit: PAGE, offset: page * PAGE }, key);
  const batches = useApi('funding/import-batches', {}, key);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [target, setTarget] = useState('');
  const entry = useEditing<{ id: number }>();
  const message = useMessage();
  const refresh = () => setTick((t) => t + 1);

  const assign = async () => {
    if (selected.size === 0 || !target) {
      message.setMessage({ kind: 'warning', text: 'Choose one or more entries and the plan line to put them on.' });
      return;
    }
    const result = await api('funding/ledger-assign', { entryIds: [...selected], planLineId: Number(target) });
    const line = lines.data?.find((l) => String(l.id) === target);
    message.report(
      result,
      (v) => `${v.updated} ${v.updated === 1 ? 'entry' : 'entries'} allocated to ${line?.description ?? 'the line'}.`,
    );
    if (result.ok) setSelected(new Set());
    refresh();
  };
  const removeEntry = (r: LedgerRowView) =>
    message.confirmThen(
      `Delete the entry of ${money(r.amountPence)} on ${formatDate(r.date)}?`,
      () => api('funding/ledger-delete', { id: r.id }),
      () => 'Entry deleted.',
      refresh,
    );
  const removeBatch = (id: number, name: string) =>
    message.confirmThen(
      `Remove the import of ${name} and all its rows?`,
      () => api('funding/import-batch-delete', { id }),
      (v) => `Removed ${v.rowCount} rows imported from ${name}.`,
      refresh,
    );

  const reviewRows = review.data?.rows ?? [];
  return (
    <section aria-labelledby="ledger-title">
      <h2 id="ledger-title">Actuals and commitments, {year}</h2>
      {message.notice}

      <h3 id="review-title">Review: entries not yet allocated to a plan line</h3>
      {review.data && reviewRows.length === 0 ? (
        <Notice kind="success">Every entry dated in {year} is allocated to a plan line.</Notice>
      ) : (
        <>
          <p className="hint">
            {review.data?.total ?? 0} entries ({money(review.data?.totalPence ?? 0)}) are not allocated. Tick them,
            choose a plan line and allocate them; or add a matching rule so future imports are allocated for you.
          </p>
          <div className="funding-row">
            <button
              type="button"
              className="button button--secondary"
              onClick={() =>
                setSelected(selected.size === reviewRows.length ? new Set() : new Set(reviewRows.map((r) => r.id)))
              }
            >
              {selected.size === reviewRows.length && reviewRows.length > 0 ? 'Clear the ticks' : 'Tick all shown'}
            </button>
            <LabelledField htmlFor="assign-line" label="Allocate the ticked entries to" width="medium">
              <LineSelect
                id="assign-line"
                lines={lines.data ?? []}
                value={target}
                onChange={setTarget}
                blank="Choose a plan line"
              />
            </LabelledField>
            <button type="button" className="button" onClick={assign}>
              Allocate {selected.size} {selected.size === 1 ? 'entry' : 'entries'}
            </button>
          </div>
          <EntriesTable
            rows={reviewRows}
            caption={`Not allocated (${review.data?.total ?? 0})`}
            selectable
            selected={selected}
            onToggle={(id, on) =>
              setSelected((s) => {
                const next = new Set(s);
                if (on) next.add(id);
                else next.delete(id);
                return next;
              })
            }
          />
        </>
      )}

      <h3>All entries</h3>
      {entry.editing ? (
        <EntryForm
          lines={lines.data ?? []}
          onDone={(text) => {
            entry.close();
            message.saved(text);
            refresh();
          }}
        />
      ) : (
        <button type="button" className="button button--secondary" onClick={entry.add}>
          Type in an actual or commitment
        </button>
      )}
      {all.data && all.data.total > 0 && (
        <>
          <EntriesTable
            rows={all.data.rows}
            caption={`Entries ${page * PAGE + 1} to ${Math.min((page + 1) * PAGE, all.data.total)} of ${all.data.total} (total ${money(all.data.totalPence)})`}
            onDelete={(r) => void removeEntry(r)}
          />
          <Pagination
            hasPrevious={page !== 0}
            hasNext={(page + 1) * PAGE < all.data.total}
            onPrevious={() => setPage((p) => p - 1)}
            onNext={() => setPage((p) => p + 1)}
          />
        </>
      )}

      <h3>Imported ledger files</h3>
      {batches.data && batches.data.length === 0 && <p>No ledger files imported yet. Use the Import ledger tab.</p>}
      {batches.data && batches.data.length > 0 && (
        <DataTable
          caption="Imports"
          columns={[
            { id: 'file', header: 'File', cell: (b) => b.fileName },
            { id: 'when', header: 'Imported', cell: (b) => formatDateTime(b.importedAt) },
            { id: 'by', header: 'By', cell: (b) => b.importedBy },
            { id: 'kind', header: 'Kind', cell: (b) => (b.kind === 'actual' ? 'Actuals' : 'Commitments') },
            { id: 'rows', header: 'Rows', numeric: true, cell: (b) => b.rowCount.toLocaleString('en-GB') },
            { id: 'total', header: 'Total', numeric: true, cell: (b) => <Money pence={b.totalPence} /> },
          ]}
          actions={(b) => (
            <ItemActions name={b.fileName} deleteLabel="Remove" onDelete={() => void removeBatch(b.id, b.fileName)} />
          )}
          rows={batches.data}
          rowKey={(b) => b.id}
        />
      )}
    </section>
  );
}
