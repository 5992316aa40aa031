import { useMemo, useState } from 'react';
import { api, useApi } from '../../api';
import { FormButtons, ItemActions } from '../../components/actions';
import { DataTable, type Column, type SummaryRow } from '../../components/DataTable';
import { useEditing } from '../../components/editing';
import {
  ErrorSummary,
  Field,
  LabelledField,
  Notice,
  errorsFromApi,
  useFormState,
  validate,
  type FieldErrors,
} from '../../components/forms';
import { useMessage } from '../../components/message';
import {
  PHASING_PROFILES,
  phase,
  planCategorySchema,
  planLineInputSchema,
  type PhasingProfile,
  type PlanLineView,
} from '../../../shared/funding/plan';
import {
  AIM_CODES,
  FIRST_PHASE_CONDITIONS,
  PROGRAMME_AIMS,
  type AimCode,
  type RequirementCode,
} from '../../../shared/funding/streams';
import { sumPence } from '../../../shared/common/money';
import { MONTH_SHORT, Money, money, penceFromText, textFromPence } from './common';
import { EditorHeading } from '../../components/EditorHeading';
import { MessageNotice } from '../../components/message';

const PROFILE_LABELS: Record<PhasingProfile, string> = {
  even: 'Even: the same each month',
  'front-loaded': 'Front-loaded: more in the early months',
  'back-loaded': 'Back-loaded: more in the later months',
  custom: 'Typed in month by month',
};
const LABELS: Record<string, string> = {
  streamId: 'Funding stream',
  category: 'Category',
  description: 'What the money is for',
  tnaItemId: 'Training needs assessment item',
  totalPence: 'Planned amount',
  profile: 'Phasing',
  customMonths: 'Monthly amounts',
};

function LineForm({
  editing,
  year,
  onDone,
}: {
  editing: PlanLineView | null;
  year: string;
  onDone: (message: string) => void;
}) {
  const streams = useApi('funding/streams', { financialYear: year });
  const categories = useApi('funding/categories', {});
  const tnaItems = useApi('funding/tna-items', {});
  const { values, setValues, errors, setErrors, busy, setBusy, bind } = useFormState({
    streamId: editing ? String(editing.streamId) : '',
    category: editing?.category ?? '',
    description: editing?.description ?? '',
    tnaItemId: editing?.tnaItemId ? String(editing.tnaItemId) : '',
    total: textFromPence(editing?.totalPence),
    profile: editing?.profile ?? ('even' as PhasingProfile),
  });
  const [useTnaCost, setUseTnaCost] = useState(false);
  const [aims, setAims] = useState<AimCode[]>(editing?.aims ?? []);
  const [requirements, setRequirements] = useState<RequirementCode[]>(editing?.requirements ?? []);
  const [months, setMonths] = useState<string[]>(
    editing ? editing.monthlyPence.map(textFromPence) : Array.from({ length: 12 }, () => ''),
  );
  const tna = tnaItems.data?.find((t) => String(t.id) === values.tnaItemId);
  const total = useTnaCost && tna ? { pence: tna.totalPence } : penceFromText(values.total);
  const monthPence = useMemo(() => months.map((m) => penceFromText(m).pence), [months]);

  // Live preview of the phasing, computed with the same function the service uses.
  const preview = useMemo(() => {
    if (total.pence === undefined || !Number.isSafeInteger(total.pence) || total.pence < 0) return null;
    try {
      if (values.profile === 'custom') {
        const filled = monthPence.map((p) => p ?? 0);
        if (!filled.every((p) => Number.isSafeInteger(p) && p >= 0)) return null;
        return { months: filled, sum: sumPence(filled) };
      }
      const m = phase(total.pence, values.profile);
      return { months: m, sum: sumPence(m) };
    } catch {
      return null;
    }
  }, [total.pence, values.profile, monthPence]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const moneyErrors: FieldErrors = {};
    if ('error' in total && total.error) moneyErrors.totalPence = total.error;
    months.forEach((m, i) => {
      const p = penceFromText(m);
      if (values.profile === 'custom' && p.error) moneyErrors.customMonths = `${MONTH_SHORT[i]}: ${p.error}`;
    });
    const input = {
      ...(editing ? { id: editing.id } : {}),
      streamId: values.streamId ? Number(values.streamId) : undefined,
      category: values.category,
      description: values.description,
      aims,
      requirements,
      tnaItemId: values.tnaItemId ? Number(values.tnaItemId) : null,
      totalFromTna: useTnaCost && Boolean(tna),
      totalPence: total.pence,
      profile: values.profile,
      customMonths: values.profile === 'custom' ? monthPence.map((p) => p ?? 0) : null,
    };
    const checked = validate(planLineInputSchema, input);
    if (!checked.ok || Object.keys(moneyErrors).length > 0)
      return setErrors({ ...(checked.ok ? {} : checked.errors), ...moneyErrors });
    setBusy(true);
    const result = await api('funding/line-save', checked.value);
    setBusy(false);
    if (!result.ok) return setErrors(errorsFromApi(result.error));
    onDone(`${result.value.description} saved: ${money(result.value.totalPence)} phased ${result.value.profile}.`);
  };

  const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));

  return (
    <form
      onSubmit={submit}
      noValidate
      className="panel"
      aria-label={editing ? `Change ${editing.description}` : 'Add a plan line'}
    >
      <EditorHeading>{editing ? `Change ${editing.description}` : 'Add a plan line'}</EditorHeading>
      <ErrorSummary form="line" errors={errors} labels={LABELS} />
      <div className="field-row">
        <Field form="line" path="streamId" label={LABELS.streamId!} errors={errors} width="medium">
          {(p) => (
            <select {...p} className="select" {...bind('streamId')}>
              <option value="">Choose a stream</option>
              {streams.data?.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field form="line" path="category" label={LABELS.category!} errors={errors} width="medium">
          {(p) => (
            <select {...p} className="select" {...bind('category')}>
              <option value="">Choose a category</option>
              {categories.data?.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field
        form="line"
        path="description"
        label={LABELS.description!}
        hint="For example: Backfill for two band 3 posts while staff train"
        errors={errors}
        width="long"
      >
        {(p) => <input {...p} className="input" type="text" {...bind('description')} />}
      </Field>
      <div className="field-row">
        <fieldset className="fieldset">
          <legend>Programme aims it serves</legend>
          {AIM_CODES.map((a) => (
            <label className="checkbox" key={a}>
              <input
                type="checkbox"
                checked={aims.includes(a)}
                onChange={(e) => setAims((x) => toggle(x, a, e.target.checked))}
              />
              {PROGRAMME_AIMS[a]}
            </label>
          ))}
        </fieldset>
        <fieldset className="fieldset">
          <legend>First-phase requirements it meets</legend>
          {FIRST_PHASE_CONDITIONS.map((r) => (
            <label className="checkbox" key={r.code}>
              <input
                type="checkbox"
                checked={requirements.includes(r.code)}
                onChange={(e) => setRequirements((x) => toggle(x, r.code, e.target.checked))}
              />
              {r.text}
            </label>
          ))}
        </fieldset>
      </div>
      <Field
        form="line"
        path="tnaItemId"
        label={`${LABELS.tnaItemId!} (optional)`}
        hint="Link the line to a training need so its cost comes from the TNA"
        errors={errors}
        width="long"
      >
        {(p) =>
          tnaItems.data && tnaItems.data.length === 0 ? (
            <p className="hint" id={p.id}>
              No training needs assessment items are available yet. Cost them in the Framework area first, or type the
              amount below.
            </p>
          ) : (
            <select {...p} className="select" {...bind('tnaItemId')}>
              <option value="">Not linked</option>
              {tnaItems.data?.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.title} ({money(t.totalPence)})
                </option>
              ))}
            </select>
          )
        }
      </Field>
      {tna && (
        <label className="checkbox">
          <input type="checkbox" checked={useTnaCost} onChange={(e) => setUseTnaCost(e.target.checked)} />
          Use the TNA cost of {money(tna.totalPence)} as the planned amount
        </label>
      )}
      <Field
        form="line"
        path="totalPence"
        label={LABELS.totalPence!}
        hint="In pounds for the whole year"
        errors={errors}
        width="short"
      >
        {(p) => (
          <input
            {...p}
            className="input"
            type="text"
            inputMode="decimal"
            value={useTnaCost && tna ? textFromPence(tna.totalPence) : values.total}
            disabled={useTnaCost && Boolean(tna)}
            onChange={bind('total').onChange}
          />
        )}
      </Field>
      <fieldset className="fieldset">
        <legend>{LABELS.profile}</legend>
        <div className="radios">
          {PHASING_PROFILES.map((pr) => (
            <label className="checkbox" key={pr}>
              <input
                type="radio"
                name="line-profile"
                value={pr}
                checked={values.profile === pr}
                onChange={() => setValues((v) => ({ ...v, profile: pr }))}
              />
              {PROFILE_LABELS[pr]}
            </label>
          ))}
        </div>
        {values.profile === 'custom' && (
          <>
            {errors.customMonths && (
              <p className="field__error" id="line-customMonths">
                {errors.customMonths}
              </p>
            )}
            <div className="funding-months">
              {MONTH_SHORT.map((m, i) => (
                <LabelledField key={m} htmlFor={`line-month-${i}`} label={m}>
                  <input
                    id={`line-month-${i}`}
                    className="input"
                    type="text"
                    inputMode="decimal"
                    value={months[i]}
                    onChange={(e) => setMonths((ms) => ms.map((x, j) => (j === i ? e.target.value : x)))}
                  />
                </LabelledField>
              ))}
            </div>
          </>
        )}
        {preview && (
          <DataTable
            caption={
              <>
                Phasing preview: {money(preview.sum)}
                {values.profile === 'custom' && total.pence !== undefined && preview.sum !== total.pence && (
                  <span className="funding-negative"> (the months must add up to {money(total.pence)})</span>
                )}
              </>
            }
            label="Phasing preview"
            className="funding-grid"
            columns={MONTH_SHORT.map((m, i) => ({
              id: m,
              header: m,
              numeric: true,
              cell: (months: number[]) => money(months[i] ?? 0),
            }))}
            rows={[preview.months]}
            rowKey={() => 'months'}
          />
        )}
      </fieldset>
      <FormButtons save="Save plan line" busy={busy} onCancel={() => onDone('')} />
    </form>
  );
}

function CategoriesEditor({ refreshKey }: { refreshKey: string }) {
  const categories = useApi('funding/categories', {}, refreshKey);
  const form = useFormState({ label: '' });
  const label = form.values.label;
  const { errors, setErrors } = form;
  const [message, setMessage] = useState<string>();
  const add = async (e: React.FormEvent) => {
    e.preventDefault();
    const code = label
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    const checked = validate(planCategorySchema, { code, label });
    if (!checked.ok) return setErrors({ label: checked.errors.label ?? checked.errors.code ?? 'Enter a name' });
    const result = await api('funding/category-save', checked.value);
    if (!result.ok) return setErrors(errorsFromApi(result.error));
    setErrors({});
    form.setValues({ label: '' });
    setMessage(`${checked.value.label} added.`);
    categories.reload();
  };
  const rename = async (code: string, current: string) => {
    const next = window.prompt(`New name for ${current}`, current);
    if (!next) return;
    const result = await api('funding/category-save', { code, label: next });
    setMessage(result.ok ? `Renamed to ${next}.` : result.error.message);
    categories.reload();
  };
  const remove = async (code: string, name: string) => {
    const result = await api('funding/category-delete', { code });
    setMessage(result.ok ? `${name} deleted.` : result.error.message);
    categories.reload();
  };
  return (
    <section aria-labelledby="categories-title">
      <h2 id="categories-title">Categories</h2>
      <MessageNotice message={message ? { kind: 'info', text: message } : null} />
      <DataTable
        caption="Spend plan categories"
        columns={[
          { id: 'label', header: 'Category', cell: (c) => c.label },
          { id: 'lines', header: 'Plan lines', numeric: true, cell: (c) => c.lineCount },
        ]}
        actions={(c) => (
          <ItemActions
            name={c.label}
            changeLabel="Rename"
            onChange={() => void rename(c.code, c.label)}
            onDelete={() => void remove(c.code, c.label)}
          />
        )}
        rows={categories.data ?? []}
        rowKey={(c) => c.code}
      />
      <form onSubmit={add} noValidate className="funding-row">
        <Field form="category" path="label" label="New category" errors={errors} width="medium">
          {(p) => <input {...p} className="input" type="text" {...form.bind('label')} />}
        </Field>
        <button type="submit" className="button button--secondary">
          Add category
        </button>
      </form>
    </section>
  );
}

/** Under the plan lines: each month's total and the year's. */
function totalRow(lines: PlanLineView[]): SummaryRow {
  const months = MONTH_SHORT.map((_, i) => [
    `month-${i}`,
    <Money pence={sumPence(lines.map((l) => l.monthlyPence[i] ?? 0))} />,
  ]);
  return {
    key: 'total',
    label: 'Total',
    span: 2,
    cells: { ...Object.fromEntries(months), total: <Money pence={sumPence(lines.map((l) => l.totalPence))} /> },
  };
}

export function PlanView({ year }: { year: string }) {
  const lines = useApi('funding/lines', { financialYear: year });
  const streams = useApi('funding/streams', { financialYear: year });
  const edit = useEditing<PlanLineView>();
  const message = useMessage();

  const remove = (l: PlanLineView) =>
    message.confirmThen(
      `Delete ${l.description}? Its ledger entries go back to the review list.`,
      () => api('funding/line-delete', { id: l.id }),
      (v) =>
        `${l.description} deleted.${v.unallocatedEntries ? ` ${v.unallocatedEntries} ledger entries need allocating again.` : ''}`,
      lines.reload,
    );

  return (
    <section aria-labelledby="plan-title">
      <h2 id="plan-title">Spend plan for {year}</h2>
      {message.notice}
      {lines.error && <Notice kind="warning">{lines.error}</Notice>}
      {streams.data && streams.data.length === 0 ? (
        <Notice kind="info">Add a funding stream for {year} first: every plan line spends a stream's money.</Notice>
      ) : edit.editing ? (
        <LineForm
          key={edit.formKey}
          editing={edit.item}
          year={year}
          onDone={(text) => {
            edit.close();
            message.saved(text);
            lines.reload();
          }}
        />
      ) : (
        <button type="button" className="button" onClick={edit.add}>
          Add a plan line
        </button>
      )}
      {lines.data && lines.data.length > 0 && (
        <DataTable
          caption={`Plan lines phased by month, ${year}`}
          className="funding-grid"
          scroll="funding-scroll"
          columns={[
            { id: 'line', header: 'Line', cell: (l) => l.description },
            { id: 'category', header: 'Category', cell: (l) => l.categoryLabel },
            ...MONTH_SHORT.map((m, i): Column<PlanLineView> => ({
              id: `month-${i}`,
              header: m,
              numeric: true,
              cell: (l) => <Money pence={l.monthlyPence[i] ?? 0} />,
            })),
            {
              id: 'total',
              header: 'Total',
              numeric: true,
              cell: (l) => (
                <strong>
                  <Money pence={l.totalPence} />
                </strong>
              ),
            },
          ]}
          actions={(l) => (
            <ItemActions name={l.description} onChange={() => edit.setEditing(l)} onDelete={() => void remove(l)} />
          )}
          rows={lines.data}
          rowKey={(l) => l.id}
          footer={[totalRow(lines.data)]}
        />
      )}
      <CategoriesEditor refreshKey={JSON.stringify(lines.data?.map((l) => [l.id, l.category]) ?? [])} />
    </section>
  );
}
