import { useMemo, useState } from 'react';
import { api, useApi } from '../../api';
import { FormButtons, ItemActions } from '../../components/actions';
import { DataTable } from '../../components/DataTable';
import { useEditing } from '../../components/editing';
import { ErrorSummary, Field, Notice, errorsFromApi, toNumber, useFormState, validate } from '../../components/forms';
import { formatCount } from '../../components/format';
import { useMessage } from '../../components/message';
import { Stat, StatCards } from '../../components/stats';
import {
  paySaveSchema,
  tnaSaveSchema,
  tnaSettingsSaveSchema,
  type PayYearView,
  type Tna,
  type TnaItemView,
} from '../../../shared/training/channels';
import { tnaItemCost, tnaRoutes, TNA_ROUTE_IDS, type TnaRouteId } from '../../../shared/training/tna';
import { formatPence, parseMoney } from '../../../shared/common/money';
import { today } from '../../../shared/common/clock';
import {
  addMonths,
  financialYearLabel,
  financialYearStart,
  quarterOf,
  quarterRange,
  type Quarter,
} from '../../../shared/common/periods';
import { payPointOn, payYearNote, type Band, type PayPoint } from '../../../shared/common/reference';
import { ExportButtons, Loading, ProvenanceTag, STAGES } from '../../components/framework';
import { formatDateTime } from '../../components/format';
import { EditorHeading } from '../../components/EditorHeading';

const LABELS = {
  route: 'Route',
  title: 'Title',
  cohortSize: 'Cohort size',
  priority: 'Priority',
  targetQuarter: 'Target quarter',
  tuitionPencePerPerson: 'Tuition per person',
  backfillWeeks: 'Backfill weeks per person',
  backfillBand: 'Backfill band',
  ftePerPerson: 'FTE per person',
  onCostPercent: 'On-cost percentage',
};

const BAND_FOR_ROUTE: Partial<Record<TnaRouteId, string>> = {
  ST0216: '2',
  ST0217: '3',
  ST0215: '4',
  'foundation-degree': '4',
};

/** The quarter after today's: three months on from this month (a day-based step would skip one on 31 March). */
function nextQuarter(): string {
  const q = quarterOf(`${addMonths(today().slice(0, 7), 3)}-01`);
  return `${q.fy} Q${q.quarter}`;
}

function money(pence: number): string {
  return (pence / 100).toFixed(2);
}

/** Every pay point of the table on screen, dated, for the live estimate. */
function datedPoints(years: PayYearView[]): PayPoint[] {
  return years.flatMap((y) => y.payPoints.map((p) => ({ effectiveFrom: y.effectiveFrom, ...p })));
}

function ItemForm({
  tna,
  editing,
  preset,
  onDone,
}: {
  tna: Tna;
  editing: TnaItemView | null;
  preset: { route?: TnaRouteId; cohort?: number };
  onDone: (text: string) => void;
}) {
  const route = editing?.route ?? preset.route ?? 'care-certificate';
  const cap = tna.settings.fundingBands.find((b) => b.standard === tnaRoutes[route].apprenticeship)?.maxPence;
  const form = useFormState({
    route,
    title: editing?.title ?? (preset.route ? tnaRoutes[preset.route].name : ''),
    cohortSize: editing ? String(editing.cohortSize) : preset.cohort ? String(preset.cohort) : '',
    priority: editing?.priority ?? 'medium',
    targetQuarter: editing?.targetQuarter ?? nextQuarter(),
    gapStage: editing?.gapStage ?? '',
    tuition: editing ? money(editing.tuitionPencePerPerson) : cap !== undefined ? money(cap) : '',
    backfillWeeks: editing ? String(editing.backfillWeeks) : '0',
    backfillBand: editing?.backfillBand ?? BAND_FOR_ROUTE[route] ?? tna.pay.bands[0] ?? '3',
    backfillStep: editing?.backfillStep ?? 'entry',
    ftePerPerson: editing ? String(editing.ftePerPerson) : '1',
    notes: editing?.notes ?? '',
  });
  const v = form.values;

  const input = useMemo(() => {
    const tuition = parseMoney(v.tuition);
    return {
      ...(editing ? { id: editing.id } : {}),
      route: v.route,
      title: v.title,
      cohortSize: toNumber(v.cohortSize),
      priority: v.priority,
      targetQuarter: v.targetQuarter,
      gapStage: v.gapStage || null,
      tuitionPencePerPerson: tuition.ok ? tuition.pence : Number.NaN,
      backfillWeeks: toNumber(v.backfillWeeks),
      backfillBand: v.backfillBand,
      backfillStep: v.backfillStep,
      ftePerPerson: toNumber(v.ftePerPerson),
      notes: v.notes,
    };
  }, [v, editing]);

  const payPoints = useMemo(() => datedPoints(tna.pay.years), [tna.pay.years]);
  // A live estimate from the same pure function and pay table the service uses; the saved figure is the app's own.
  const estimate = useMemo(() => {
    const checked = tnaSaveSchema.safeParse(input);
    if (!checked.success) return null;
    try {
      const [fy, q] = checked.data.targetQuarter.split(' Q');
      const date = quarterRange(fy!, Number(q) as Quarter).from;
      const point = payPointOn(date, checked.data.backfillBand, checked.data.backfillStep, payPoints);
      const cost = tnaItemCost(
        {
          route: checked.data.route,
          cohortSize: checked.data.cohortSize,
          tuitionPencePerPerson: checked.data.tuitionPencePerPerson,
          backfillWeeks: checked.data.backfillWeeks,
          band: checked.data.backfillBand,
          fte: checked.data.ftePerPerson,
          onCostPercent: tna.settings.onCostPercent,
          date,
          step: checked.data.backfillStep,
        },
        { fundingBands: tna.settings.fundingBands, payPoints },
      );
      return { ...cost, payNote: cost.annualPayPence !== null && point ? payYearNote(date, point) : null };
    } catch {
      return null;
    }
  }, [input, tna.settings, payPoints]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const tuition = parseMoney(v.tuition);
    const checked = validate(tnaSaveSchema, input);
    if (!tuition.ok || !checked.ok) {
      const errors = checked.ok ? {} : { ...checked.errors };
      if (!tuition.ok) {
        errors.tuitionPencePerPerson =
          v.tuition.trim() === ''
            ? 'Enter the tuition cost per person (0 for none)'
            : `Enter the tuition cost in pounds, like 1,250.00: ${tuition.message}`;
      }
      return form.setErrors(errors);
    }
    form.setBusy(true);
    const r = await api('training/tna-save', checked.value);
    form.setBusy(false);
    if (!r.ok) return form.setErrors(errorsFromApi(r.error));
    onDone(`${r.value.title}: ${formatPence(r.value.totalPence)} saved.`);
  };

  return (
    <form
      className="panel"
      noValidate
      onSubmit={submit}
      aria-label={editing ? `Change ${editing.title}` : 'Add a training need'}
    >
      <EditorHeading>{editing ? `Change ${editing.title}` : 'Add a training need'}</EditorHeading>
      <ErrorSummary form="tna" errors={form.errors} labels={LABELS} />
      <div className="field-row">
        <Field form="tna" path="route" label={LABELS.route} errors={form.errors} width="long">
          {(p) => (
            <select {...p} className="select" {...form.bind('route')}>
              {TNA_ROUTE_IDS.map((r) => (
                <option key={r} value={r}>
                  {tnaRoutes[r].name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field form="tna" path="title" label={LABELS.title} errors={form.errors} width="long">
          {(p) => <input {...p} className="input" type="text" {...form.bind('title')} />}
        </Field>
      </div>
      <div className="field-row">
        <Field form="tna" path="cohortSize" label={LABELS.cohortSize} hint="People" errors={form.errors} width="short">
          {(p) => <input {...p} className="input" type="text" inputMode="numeric" {...form.bind('cohortSize')} />}
        </Field>
        <Field form="tna" path="priority" label={LABELS.priority} errors={form.errors} width="short">
          {(p) => (
            <select {...p} className="select" {...form.bind('priority')}>
              <option value="high">High</option>
              <option value="medium">Medium</option>
              <option value="low">Low</option>
            </select>
          )}
        </Field>
        <Field
          form="tna"
          path="targetQuarter"
          label={LABELS.targetQuarter}
          hint="e.g. 2022/23 Q1 (April to June)"
          errors={form.errors}
          width="short"
        >
          {(p) => <input {...p} className="input" type="text" {...form.bind('targetQuarter')} />}
        </Field>
        <Field form="tna" path="gapStage" label="For the stage" errors={form.errors} width="medium">
          {(p) => (
            <select {...p} className="select" {...form.bind('gapStage')}>
              <option value="">Any stage</option>
              {STAGES.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="field-row">
        <Field
          form="tna"
          path="tuitionPencePerPerson"
          label={`${LABELS.tuitionPencePerPerson} (£)`}
          hint={cap !== undefined ? `Funding band maximum ${formatPence(cap)}` : 'Course fees, materials, assessment'}
          errors={form.errors}
          width="short"
        >
          {(p) => <input {...p} className="input" type="text" inputMode="decimal" {...form.bind('tuition')} />}
        </Field>
        <Field
          form="tna"
          path="backfillWeeks"
          label={LABELS.backfillWeeks}
          hint="Time away from the service; 0 for none"
          errors={form.errors}
          width="short"
        >
          {(p) => <input {...p} className="input" type="text" inputMode="decimal" {...form.bind('backfillWeeks')} />}
        </Field>
        <Field form="tna" path="backfillBand" label={LABELS.backfillBand} errors={form.errors} width="short">
          {(p) => (
            <select {...p} className="select" {...form.bind('backfillBand')}>
              {tna.pay.bands.map((b) => (
                <option key={b} value={b}>
                  Band {b}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field form="tna" path="backfillStep" label="Pay step" errors={form.errors} width="short">
          {(p) => (
            <select {...p} className="select" {...form.bind('backfillStep')}>
              <option value="entry">Entry step</option>
              <option value="top">Top step</option>
            </select>
          )}
        </Field>
        <Field form="tna" path="ftePerPerson" label={LABELS.ftePerPerson} errors={form.errors} width="short">
          {(p) => <input {...p} className="input" type="text" inputMode="decimal" {...form.bind('ftePerPerson')} />}
        </Field>
      </div>
      <Field form="tna" path="notes" label="Notes (optional)" errors={form.errors} width="long">
        {(p) => <input {...p} className="input" type="text" {...form.bind('notes')} />}
      </Field>
      <p aria-live="polite" data-testid="tna-estimate">
        {estimate
          ? `Estimate: tuition ${formatPence(estimate.tuitionPence)} + backfill ${formatPence(estimate.backfillPence)} + on-cost ${formatPence(estimate.onCostPence)} = ${formatPence(estimate.totalPence)}`
          : 'Complete the form to see the estimated cost.'}
      </p>
      {estimate?.payNote && (
        <p className="hint" data-testid="tna-estimate-pay">
          Backfill at {formatPence(estimate.annualPayPence!)} a year. {estimate.payNote}.
        </p>
      )}
      <FormButtons save="Save training need" busy={form.busy} onCancel={() => onDone('')} />
    </form>
  );
}

function SettingsForm({ tna, onSaved }: { tna: Tna; onSaved: (t: Tna) => void }) {
  const form = useFormState({
    onCostPercent: String(tna.settings.onCostPercent),
    ...Object.fromEntries(tna.settings.fundingBands.map((b) => [`band-${b.standard}`, money(b.maxPence)])),
  } as Record<string, string>);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const bands = [];
    for (const b of tna.settings.fundingBands) {
      const m = parseMoney(form.values[`band-${b.standard}`] ?? '');
      if (!m.ok) return form.setErrors({ [`band-${b.standard}`]: m.message });
      bands.push({ standard: b.standard, maxPence: m.pence });
    }
    const checked = validate(tnaSettingsSaveSchema, {
      onCostPercent: toNumber(form.values.onCostPercent ?? ''),
      fundingBands: bands,
    });
    if (!checked.ok) return form.setErrors(checked.errors);
    form.setBusy(true);
    const r = await api('training/tna-settings-save', checked.value);
    form.setBusy(false);
    if (!r.ok) return form.setErrors(errorsFromApi(r.error));
    form.setErrors({});
    onSaved(r.value);
  };
  return (
    <form className="panel" noValidate onSubmit={submit} aria-label="Costing settings">
      <h3>Costing settings</h3>
      <ErrorSummary form="tna-settings" errors={form.errors} labels={{ onCostPercent: LABELS.onCostPercent }} />
      <Field
        form="tna-settings"
        path="onCostPercent"
        label={`${LABELS.onCostPercent} on backfill pay`}
        hint="Employer National Insurance and pension, as your finance team advises. Applied to backfill only."
        errors={form.errors}
        width="short"
      >
        {(p) => <input {...p} className="input" type="text" inputMode="decimal" {...form.bind('onCostPercent')} />}
      </Field>
      <div className="field-row">
        {tna.settings.fundingBands.map((b) => (
          <Field
            key={b.standard}
            form="tna-settings"
            path={`band-${b.standard}`}
            label={`${b.standard} funding band maximum (£)`}
            hint={`${b.title}, RQF level ${b.level}. Shipped: ${formatPence(b.defaultMaxPence)}${b.provenance === 'provisional' ? ' (provisional: check IfATE)' : ''}`}
            errors={form.errors}
            width="medium"
          >
            {(p) => (
              <input {...p} className="input" type="text" inputMode="decimal" {...form.bind(`band-${b.standard}`)} />
            )}
          </Field>
        ))}
      </div>
      <button type="submit" className="button button--secondary" disabled={form.busy}>
        Save settings and re-cost every item
      </button>
    </form>
  );
}

export function TnaView({ preset }: { preset: { route?: TnaRouteId; cohort?: number } | null }) {
  const loaded = useApi('training/tna', {});
  const [tna, setTna] = useState<Tna>();
  const edit = useEditing<TnaItemView>(preset ? 'new' : null);
  const message = useMessage();
  const data = tna ?? loaded.data;
  if (!data) return <Loading error={loaded.error} />;
  const reload = () => {
    setTna(undefined);
    loaded.reload();
  };
  const payNotes = [...new Set(data.items.flatMap((i) => (i.payNote ? [i.payNote] : [])))];
  const remove = (i: TnaItemView) =>
    message.confirmThen(
      `Delete ${i.title}?`,
      () => api('training/tna-delete', { id: i.id }),
      () => `${i.title} deleted.`,
      reload,
    );

  return (
    <section aria-labelledby="tna-heading">
      <h2 id="tna-heading">Training needs assessment</h2>
      <p className="hint">
        Costs are in whole pence: tuition x cohort, plus backfill (annual Agenda for Change pay point on the first day
        of the target quarter x FTE x weeks / 52 x cohort) with your on-cost percentage, rounded once per item. The
        funding planner reads each item's total.
      </p>
      {payNotes.length > 0 && (
        <div data-testid="tna-pay-notes">
          <Notice kind="info">
            {payNotes.map((note) => (
              <p key={note}>{note}: add that year&apos;s pay points below when they are published.</p>
            ))}
          </Notice>
        </div>
      )}
      {data.settings.onCostPercent === 0 && (
        <Notice kind="info">
          The on-cost percentage is 0%: set it in Costing settings below so backfill includes employer costs.
        </Notice>
      )}
      <StatCards>
        <Stat label="Items" testId="tna-items">
          {formatCount(data.items.length)}
        </Stat>
        <Stat label="Places" testId="tna-cohort">
          {formatCount(data.cohort)}
        </Stat>
        <Stat label="Estimated cost" testId="tna-total">
          {formatPence(data.totalPence)}
        </Stat>
      </StatCards>
      {message.notice}
      {edit.editing ? (
        <ItemForm
          key={edit.formKey}
          tna={data}
          editing={edit.item}
          preset={preset ?? {}}
          onDone={(text) => {
            edit.close();
            message.saved(text);
            if (preset) window.location.hash = '#/gaps/tna';
            reload();
          }}
        />
      ) : (
        <button type="button" className="button" onClick={edit.add}>
          Add a training need
        </button>
      )}
      <DataTable
        caption={`Training needs (${data.items.length})`}
        testId="tna-table"
        columns={[
          {
            id: 'title',
            header: 'Item',
            cell: (i) => (
              <>
                {i.title}
                <div className="fw-sub">{i.routeName}</div>
              </>
            ),
          },
          { id: 'priority', header: 'Priority', cell: (i) => i.priority },
          { id: 'quarter', header: 'Quarter', cell: (i) => i.targetQuarter },
          { id: 'cohort', header: 'Cohort', numeric: true, cell: (i) => formatCount(i.cohortSize) },
          { id: 'tuition', header: 'Tuition', numeric: true, cell: (i) => formatPence(i.tuitionPence) },
          { id: 'backfill', header: 'Backfill', numeric: true, cell: (i) => formatPence(i.backfillPence) },
          {
            id: 'onCost',
            header: 'On-cost',
            numeric: true,
            cell: (i) => formatPence(i.onCostPence),
          },
          {
            id: 'payYear',
            header: 'Pay year',
            cell: (i) =>
              i.payNote ? (
                <>
                  {i.payYear} (latest known)
                  <span className="cell-note">{i.payNote}</span>
                </>
              ) : (
                (i.payYear ?? '')
              ),
          },
          {
            id: 'total',
            header: 'Total',
            numeric: true,
            cellAttributes: () => ({ 'data-testid': 'tna-item-total' }),
            cell: (i) => <strong>{formatPence(i.totalPence)}</strong>,
          },
          {
            id: 'levy',
            header: 'Levy-fundable',
            numeric: true,
            cell: (i) => (i.levyFundablePence === null ? '' : formatPence(i.levyFundablePence)),
          },
        ]}
        actions={(i) => (
          <ItemActions name={i.title} onChange={() => edit.setEditing(i)} onDelete={() => void remove(i)} />
        )}
        rows={data.items}
        rowKey={(i) => i.id}
        rowAttributes={(i) => ({ 'data-testid': `tna-item-${i.id}` })}
      />
      {data.byRoute.length > 0 && (
        <DataTable
          caption="By route"
          testId="tna-by-route"
          columns={[
            { id: 'route', header: 'Route', rowHeader: true, cell: (r) => r.name },
            { id: 'items', header: 'Items', numeric: true, cell: (r) => formatCount(r.items) },
            { id: 'places', header: 'Places', numeric: true, cell: (r) => formatCount(r.cohort) },
            { id: 'total', header: 'Total', numeric: true, cell: (r) => formatPence(r.totalPence) },
          ]}
          rows={data.byRoute}
          rowKey={(r) => r.route}
        />
      )}
      <SettingsForm
        key={JSON.stringify(data.settings)}
        tna={data}
        onSaved={(t) => {
          setTna(t);
          message.setMessage({ kind: 'success', text: 'Settings saved; every item was re-costed.' });
        }}
      />
      <PaySection
        tna={data}
        onSaved={(t, text) => {
          setTna(t);
          message.setMessage({ kind: 'success', text });
        }}
      />
      <h3>Export the training needs</h3>
      <ExportButtons what="tna" label="training needs" />
    </section>
  );
}

/** "£24,937 to £26,598", or one amount when the band has a single pay point. */
function payRange(year: PayYearView, band: Band): string {
  const amount = (step: string) => year.payPoints.find((p) => p.band === band && p.step === step)?.annualPence;
  const [entry, top] = [amount('entry'), amount('top')];
  const pounds = (p: number) => formatPence(p, { pence: false });
  if (entry === undefined || top === undefined) return entry !== undefined ? pounds(entry) : '';
  return entry === top ? pounds(entry) : `${pounds(entry)} to ${pounds(top)}`;
}

/** The Agenda for Change pay table backfill is costed from, with each year's source, and a form to add a year. */
function PaySection({ tna, onSaved }: { tna: Tna; onSaved: (t: Tna, text: string) => void }) {
  const adding = useEditing<{ id: number }>();
  const years = tna.pay.years;
  return (
    <section aria-labelledby="tna-pay-heading" className="panel">
      <h3 id="tna-pay-heading">Agenda for Change pay used for backfill</h3>
      <p className="hint">
        Backfill is costed at the annual pay point in force on the first day of the target quarter. A quarter after the
        last year below is costed at that year&apos;s pay, and the item says so.
      </p>
      <DataTable
        caption="Annual pay by year (entry step to top step), England"
        testId="tna-pay-table"
        columns={[
          { id: 'year', header: 'Pay year', rowHeader: true, cell: (y) => y.year },
          ...tna.pay.bands.map((b) => ({
            id: `band-${b}`,
            header: `Band ${b}`,
            numeric: true,
            cell: (y: PayYearView) => payRange(y, b),
          })),
          {
            id: 'source',
            header: 'Source',
            cell: (y) => (
              <>
                {y.source} {y.provenance === 'provisional' && <ProvenanceTag provenance="provisional" />}
                {y.provenance === 'entered' && (
                  <div className="fw-sub">
                    Entered by {y.enteredBy}
                    {y.enteredAt ? ` on ${formatDateTime(y.enteredAt)}` : ''}
                  </div>
                )}
              </>
            ),
          },
        ]}
        rows={years}
        rowKey={(y) => y.year}
      />
      {adding.editing ? (
        <PayForm
          tna={tna}
          onDone={(t, year) => {
            adding.close();
            if (t) onSaved(t, `${year} pay points saved; every item was re-costed.`);
          }}
        />
      ) : (
        <button type="button" className="button button--secondary" onClick={adding.add}>
          Add a year&apos;s pay points
        </button>
      )}
    </section>
  );
}

const STEPS = [
  { step: 'entry', label: 'entry step' },
  { step: 'top', label: 'top step' },
] as const;

function PayForm({ tna, onDone }: { tna: Tna; onDone: (t: Tna | null, year: string) => void }) {
  const latest = tna.pay.years[tna.pay.years.length - 1];
  const next = latest ? financialYearLabel(financialYearStart(latest.year) + 1) : '';
  const fields = tna.pay.bands.flatMap((band) => STEPS.map(({ step, label }) => ({ band, step, label })));
  const key = (f: { band: string; step: string }) => `band-${f.band}-${f.step}`;
  const form = useFormState({
    year: next,
    source: next ? `NHS Employers, Agenda for Change pay scales ${next} (England)` : '',
    ...Object.fromEntries(fields.map((f) => [key(f), ''])),
  } as Record<string, string>);
  const labels: Record<string, string> = {
    year: 'Pay year',
    source: 'Source',
    ...Object.fromEntries(fields.map((f) => [key(f), `Band ${f.band} ${f.label} (£ a year)`])),
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const payPoints = [];
    for (const f of fields) {
      const m = parseMoney(form.values[key(f)] ?? '');
      if (!m.ok) return form.setErrors({ [key(f)]: `Enter the ${f.label} of band ${f.band} in pounds` });
      payPoints.push({ band: f.band, step: f.step, annualPence: m.pence });
    }
    const checked = validate(paySaveSchema, { year: form.values.year, source: form.values.source, payPoints });
    if (!checked.ok) {
      // Errors about a pay point name it by its place in the list: point them at its field.
      const errors = Object.fromEntries(
        Object.entries(checked.errors).map(([path, text]) => {
          const i = /^payPoints\.(\d+)/.exec(path)?.[1];
          return [i !== undefined && fields[Number(i)] ? key(fields[Number(i)]!) : path, text];
        }),
      );
      return form.setErrors(errors);
    }
    form.setBusy(true);
    const r = await api('training/pay-save', checked.value);
    form.setBusy(false);
    if (!r.ok) return form.setErrors(errorsFromApi(r.error));
    onDone(r.value, checked.value.year);
  };
  return (
    <form className="panel" noValidate onSubmit={submit} aria-label="Add a year's pay points">
      <EditorHeading level={4}>Add a year&apos;s pay points</EditorHeading>
      <p className="hint">
        From NHS Employers&apos; published pay scales: annual basic pay for a full-time post. Entering a year that is
        already listed replaces its figures. Every training need is re-costed, and the change is in the audit trail.
      </p>
      <ErrorSummary form="tna-pay" errors={form.errors} labels={labels} />
      <div className="field-row">
        <Field
          form="tna-pay"
          path="year"
          label="Pay year"
          hint="For example 2026/27"
          errors={form.errors}
          width="short"
        >
          {(p) => <input {...p} className="input" type="text" {...form.bind('year')} />}
        </Field>
        <Field
          form="tna-pay"
          path="source"
          label="Source"
          hint="Where the figures come from"
          errors={form.errors}
          width="long"
        >
          {(p) => <input {...p} className="input" type="text" {...form.bind('source')} />}
        </Field>
      </div>
      <div className="field-row">
        {fields.map((f) => (
          <Field key={key(f)} form="tna-pay" path={key(f)} label={labels[key(f)]!} errors={form.errors} width="short">
            {(p) => <input {...p} className="input" type="text" inputMode="decimal" {...form.bind(key(f))} />}
          </Field>
        ))}
      </div>
      <FormButtons save="Save pay points and re-cost every item" busy={form.busy} onCancel={() => onDone(null, '')} />
    </form>
  );
}
