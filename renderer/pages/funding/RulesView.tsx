import { api, useApi } from '../../api';
import { FormButtons, ItemActions } from '../../components/actions';
import { DataTable } from '../../components/DataTable';
import { useEditing } from '../../components/editing';
import {
  ErrorSummary,
  Field,
  LabelledField,
  errorsFromApi,
  toNumber,
  useFormState,
  validate,
} from '../../components/forms';
import { useMessage } from '../../components/message';
import { ledgerRuleInputSchema, type LedgerRuleView } from '../../../shared/funding/rules';
import { EditorHeading } from '../../components/EditorHeading';

const LABELS: Record<string, string> = {
  planLineId: 'Plan line',
  priority: 'Priority',
  costCentre: 'Cost centre is',
  'accountCode.value': 'Account code',
  descriptionContains: 'Description contains',
};

function RuleForm({
  year,
  editing,
  onDone,
}: {
  year: string;
  editing: LedgerRuleView | null;
  onDone: (message: string) => void;
}) {
  const lines = useApi('funding/lines', { financialYear: year });
  const { values, errors, setErrors, busy, setBusy, bind } = useFormState({
    planLineId: editing ? String(editing.planLineId) : '',
    priority: String(editing?.priority ?? 100),
    costCentre: editing?.costCentre ?? '',
    accountMatch: editing?.accountCode?.match ?? 'equals',
    accountCode: editing?.accountCode?.value ?? '',
    descriptionContains: editing?.descriptionContains ?? '',
  });
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const input = {
      ...(editing ? { id: editing.id } : {}),
      planLineId: values.planLineId ? Number(values.planLineId) : undefined,
      priority: toNumber(values.priority),
      costCentre: values.costCentre,
      accountCode: values.accountCode.trim() ? { match: values.accountMatch, value: values.accountCode } : null,
      descriptionContains: values.descriptionContains,
    };
    const checked = validate(ledgerRuleInputSchema, input);
    if (!checked.ok) return setErrors(checked.errors);
    setBusy(true);
    const result = await api('funding/rule-save', checked.value);
    setBusy(false);
    if (!result.ok) return setErrors(errorsFromApi(result.error));
    onDone(`Rule saved for ${result.value.planLineLabel}.`);
  };
  return (
    <form
      onSubmit={submit}
      noValidate
      className="panel"
      aria-label={editing ? 'Change a matching rule' : 'Add a matching rule'}
    >
      <EditorHeading>{editing ? 'Change a matching rule' : 'Add a matching rule'}</EditorHeading>
      <p className="hint">
        Every box you fill in must match (ignoring capitals and spaces at the ends). Leave a box empty to match
        anything.
      </p>
      <ErrorSummary form="rule" errors={errors} labels={LABELS} />
      <Field form="rule" path="planLineId" label="Put matching entries on plan line" errors={errors} width="long">
        {(p) => (
          <select {...p} className="select" {...bind('planLineId')}>
            <option value="">Choose a plan line</option>
            {lines.data?.map((l) => (
              <option key={l.id} value={l.id}>
                {l.description} ({l.categoryLabel})
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="field-row">
        <Field form="rule" path="costCentre" label={LABELS.costCentre!} errors={errors} width="short">
          {(p) => <input {...p} className="input" type="text" {...bind('costCentre')} />}
        </Field>
        <LabelledField htmlFor="rule-accountMatch" label="Account code" width="short">
          <select id="rule-accountMatch" className="select" {...bind('accountMatch')}>
            <option value="equals">is</option>
            <option value="prefix">starts with</option>
          </select>
        </LabelledField>
        <Field form="rule" path="accountCode.value" label="Account code value" errors={errors} width="short">
          {(p) => <input {...p} className="input" type="text" {...bind('accountCode')} />}
        </Field>
        <Field
          form="rule"
          path="descriptionContains"
          label={LABELS.descriptionContains!}
          errors={errors}
          width="medium"
        >
          {(p) => <input {...p} className="input" type="text" {...bind('descriptionContains')} />}
        </Field>
        <Field
          form="rule"
          path="priority"
          label={LABELS.priority!}
          hint="Lower numbers are tried first"
          errors={errors}
          width="short"
        >
          {(p) => <input {...p} className="input" type="text" inputMode="numeric" {...bind('priority')} />}
        </Field>
      </div>
      <FormButtons save="Save rule" busy={busy} onCancel={() => onDone('')} />
    </form>
  );
}

export function RulesView({ year }: { year: string }) {
  const rules = useApi('funding/rules', {});
  const edit = useEditing<LedgerRuleView>();
  const message = useMessage();
  const own = (rules.data ?? []).filter((r) => r.financialYear === year);
  const describe = (r: LedgerRuleView) =>
    [
      r.costCentre ? `cost centre is ${r.costCentre}` : '',
      r.accountCode
        ? `account code ${r.accountCode.match === 'equals' ? 'is' : 'starts with'} ${r.accountCode.value}`
        : '',
      r.descriptionContains ? `description contains "${r.descriptionContains}"` : '',
    ]
      .filter(Boolean)
      .join(' and ');

  const apply = async () => {
    const result = await api('funding/rules-apply', { financialYear: year });
    message.report(
      result,
      (v) =>
        `Checked ${v.checked} entries: ${v.changed} changed, ${v.unmatched} still to review. Entries allocated by hand were left alone.`,
    );
    rules.reload();
  };
  const remove = (r: LedgerRuleView) =>
    message.confirmThen(
      'Delete this rule? Entries it allocated go back to the review list.',
      () => api('funding/rule-delete', { id: r.id }),
      () => 'Rule deleted.',
      rules.reload,
    );

  return (
    <section aria-labelledby="rules-title">
      <h2 id="rules-title">Matching rules, {year}</h2>
      <p>
        Rules allocate imported ledger rows to plan lines by cost centre, account code or words in the description. They
        are tried in order of priority; the first that matches wins. Rows no rule matches wait on the review list.
      </p>
      {message.notice}
      {edit.editing ? (
        <RuleForm
          key={edit.formKey}
          year={year}
          editing={edit.item}
          onDone={(text) => {
            edit.close();
            message.saved(text);
            rules.reload();
          }}
        />
      ) : (
        <div className="button-group">
          <button type="button" className="button" onClick={edit.add}>
            Add a matching rule
          </button>
          <button type="button" className="button button--secondary" onClick={apply}>
            Match entries again with these rules
          </button>
        </div>
      )}
      {own.length === 0 ? (
        <p>No rules for {year} yet.</p>
      ) : (
        <DataTable
          caption={`Rules (${own.length})`}
          columns={[
            { id: 'priority', header: 'Priority', numeric: true, cell: (r) => r.priority },
            { id: 'when', header: 'When', cell: (r) => describe(r) },
            { id: 'line', header: 'Plan line', cell: (r) => r.planLineLabel },
            {
              id: 'entries',
              header: 'Entries matched',
              numeric: true,
              cell: (r) => r.entryCount.toLocaleString('en-GB'),
            },
          ]}
          actions={(r) => (
            <ItemActions name={`rule ${r.id}`} onChange={() => edit.setEditing(r)} onDelete={() => void remove(r)} />
          )}
          rows={own}
          rowKey={(r) => r.id}
        />
      )}
    </section>
  );
}
