import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { api, saveFile, useApi } from '../../api';
import { LabelledField, Notice } from '../../components/forms';
import { formatDate } from '../../components/format';
import { AMBER, BLUE, GREY } from '../../components/chart-colours';
import { ChartFigure, Stat, StatCards } from '../../components/stats';
import { DataTable, type Column } from '../../components/DataTable';
import { FORECAST_METHOD_LABELS } from '../../../shared/funding/forecast';
import type { FundingReport } from '../../../shared/funding/report';
import { isoDateSchema } from '../../../shared/common/periods';
import { MONTH_SHORT, Money, money } from './common';
import { MessageNotice } from '../../components/message';

const pounds = (pence: number) => pence / 100;
const axisPounds = (v: number) => `£${Math.round(v).toLocaleString('en-GB')}`;

function Warnings({ report }: { report: FundingReport }) {
  if (report.warnings.length === 0)
    return (
      <Notice kind="success">
        No warnings: the forecast uses the allocation in full and every entry is allocated.
      </Notice>
    );
  return (
    <div className="funding-warnings" role="alert" aria-labelledby="funding-warnings-title">
      <h2 id="funding-warnings-title">Check before 31 March</h2>
      <ul>
        {report.warnings.map((w, i) => (
          <li key={i} data-code={w.code}>
            {w.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

type Line = FundingReport['lines'][number];

function MonthGrid({ report }: { report: FundingReport }) {
  const [show, setShow] = useState<'actualByMonth' | 'planByMonth' | 'committedByMonth'>('actualByMonth');
  const label = { actualByMonth: 'Actuals', planByMonth: 'Plan', committedByMonth: 'Commitments' }[show];
  return (
    <section aria-labelledby="grid-title">
      <h2 id="grid-title">Month by month</h2>
      <fieldset className="fieldset">
        <legend>Show</legend>
        <div className="radios">
          {(['actualByMonth', 'planByMonth', 'committedByMonth'] as const).map((k) => (
            <label className="checkbox" key={k}>
              <input type="radio" name="grid-show" checked={show === k} onChange={() => setShow(k)} />
              {{ actualByMonth: 'Actuals', planByMonth: 'Plan', committedByMonth: 'Commitments' }[k]}
            </label>
          ))}
        </div>
      </fieldset>
      <DataTable
        caption={`${label} by plan line and month, ${report.financialYear}`}
        label={`${label} by plan line and month`}
        className="funding-grid"
        scroll="funding-scroll"
        columns={[
          { id: 'line', header: 'Plan line', rowHeader: true, cell: (l) => l.description },
          ...MONTH_SHORT.map((m, i): Column<Line> => ({
            id: `month-${i}`,
            header: (
              <>
                {m}
                {i < report.monthsClosed ? '' : <span className="visually-hidden"> (not closed)</span>}
              </>
            ),
            numeric: true,
            cell: (l) => <Money pence={l[show][i] ?? 0} signal />,
          })),
          {
            id: 'year',
            header: 'Year',
            numeric: true,
            cell: (l) => <Money pence={l[show].reduce((a, b) => a + b, 0)} signal />,
          },
        ]}
        rows={report.lines}
        rowKey={(l) => l.id}
        footer={[
          {
            key: 'total',
            label: 'Total',
            cells: {
              ...Object.fromEntries(
                report.byMonth.map((m, i) => [
                  `month-${i}`,
                  <Money
                    pence={
                      show === 'actualByMonth'
                        ? m.actualPence
                        : show === 'planByMonth'
                          ? m.plannedPence
                          : m.committedPence
                    }
                    signal
                  />,
                ]),
              ),
              year: (
                <Money
                  pence={
                    show === 'actualByMonth'
                      ? report.totals.actualPence
                      : show === 'planByMonth'
                        ? report.totals.plannedPence
                        : report.totals.committedPence
                  }
                  signal
                />
              ),
            },
          },
        ]}
      />
    </section>
  );
}

export function OverviewView({ year }: { year: string }) {
  const [asAtText, setAsAtText] = useState('');
  const [method, setMethod] = useState<'plan' | 'run-rate'>('plan');
  const asAt = isoDateSchema.safeParse(asAtText).success ? asAtText : null;
  const report = useApi('funding/report', { financialYear: year, asAt, method });
  const [exportMessage, setExportMessage] = useState<string>();
  const r = report.data;

  const download = async (format: 'xlsx' | 'csv') => {
    const result = await api('funding/export', { financialYear: year, asAt, method, format });
    if (!result.ok) return setExportMessage(result.error.message);
    await saveFile(result.value);
    setExportMessage(`Saved ${result.value.fileName}.`);
  };

  const cumulativeRows = (r?.byMonth ?? []).map((m, i) => ({
    month: MONTH_SHORT[i],
    Plan: pounds(m.cumulativePlannedPence),
    ...(i < (r?.monthsClosed ?? 0) ? { Actual: pounds(m.cumulativeActualPence) } : {}),
  }));
  const categoryRows = (r?.byCategory ?? []).map((c) => ({
    category: c.label,
    Planned: pounds(c.plannedPence),
    Committed: pounds(c.committedPence),
    Actual: pounds(c.actualPence),
  }));

  return (
    <section aria-labelledby="overview-title">
      <h2 id="overview-title">Plan against actual, {year}</h2>
      <div className="funding-toolbar">
        <LabelledField htmlFor="overview-as-at" label="As at" width="short">
          <div className="field__hint" id="overview-as-at-hint">
            Every figure is as at this date: ledger entries dated after it are left out, and months ended by it count as
            closed. Blank for today.
          </div>
          <input
            id="overview-as-at"
            className="input"
            type="date"
            aria-describedby="overview-as-at-hint"
            value={asAtText}
            onChange={(e) => setAsAtText(e.target.value)}
          />
        </LabelledField>
        <fieldset className="fieldset">
          <legend>Forecast outturn</legend>
          <div className="radios">
            {(['plan', 'run-rate'] as const).map((m) => (
              <label className="checkbox" key={m}>
                <input type="radio" name="forecast-method" checked={method === m} onChange={() => setMethod(m)} />
                {FORECAST_METHOD_LABELS[m]}
              </label>
            ))}
          </div>
        </fieldset>
      </div>
      {report.error && <Notice kind="warning">{report.error}</Notice>}
      {r && r.streams.length === 0 && <Notice kind="info">No funding streams in {year}.</Notice>}
      {r && r.streams.length > 0 && (
        <>
          <p className="hint" data-testid="as-at-note">
            As at {formatDate(r.asAt)}: {r.monthsClosed} of 12 months closed. Actuals and commitments are those dated on
            or before {formatDate(r.asAt)}; the forecast is never less than the actuals to date.
          </p>
          <StatCards label={`Totals for ${year}`}>
            <Stat label="Allocated" className="funding-stat--small" testId="total-allocated">
              {money(r.totals.allocatedPence)}
            </Stat>
            <Stat label="Planned" className="funding-stat--small" testId="total-planned">
              {money(r.totals.plannedPence)}
            </Stat>
            <Stat label="Committed" className="funding-stat--small" testId="total-committed">
              {money(r.totals.committedPence)}
            </Stat>
            <Stat label="Actual" className="funding-stat--small" testId="total-actual">
              {money(r.totals.actualPence)}
            </Stat>
            <Stat label="Forecast outturn" className="funding-stat--small" testId="total-forecast">
              {money(r.totals.forecastPence)}
            </Stat>
            <Stat
              label={r.totals.variancePence >= 0 ? 'Forecast unspent' : 'Forecast overspend'}
              className={`funding-stat--small${r.totals.variancePence < 0 ? ' funding-negative' : ''}`}
              testId="total-variance"
            >
              {money(Math.abs(r.totals.variancePence))}
            </Stat>
          </StatCards>
          <Warnings report={r} />

          <div className="button-group">
            <button type="button" className="button button--secondary" onClick={() => download('xlsx')}>
              Export the spend report (Excel)
            </button>
            <button type="button" className="button button--secondary" onClick={() => download('csv')}>
              Export plan lines (CSV)
            </button>
          </div>
          <MessageNotice message={exportMessage ? { kind: 'info', text: exportMessage } : null} />

          <DataTable
            caption="By funding stream"
            scroll="funding-scroll"
            columns={[
              { id: 'stream', header: 'Stream', rowHeader: true, cell: (s) => s.name },
              { id: 'allocated', header: 'Allocated', numeric: true, cell: (s) => <Money pence={s.allocatedPence} /> },
              { id: 'received', header: 'Received', numeric: true, cell: (s) => <Money pence={s.receivedPence} /> },
              { id: 'planned', header: 'Planned', numeric: true, cell: (s) => <Money pence={s.plannedPence} /> },
              { id: 'committed', header: 'Committed', numeric: true, cell: (s) => <Money pence={s.committedPence} /> },
              { id: 'actual', header: 'Actual', numeric: true, cell: (s) => <Money pence={s.actualPence} /> },
              { id: 'forecast', header: 'Forecast', numeric: true, cell: (s) => <Money pence={s.forecastPence} /> },
              {
                id: 'variance',
                header: 'Variance',
                numeric: true,
                cell: (s) => <Money pence={s.variancePence} signal />,
              },
              {
                id: 'unspent',
                header: `Unspent at ${formatDate(r.asAt)}`,
                numeric: true,
                cell: (s) => <Money pence={s.unspentPence} signal />,
              },
            ]}
            rows={r.streams}
            rowKey={(s) => s.id}
          />
          <p className="hint">
            Variance is the allocation (or, for a line, its plan) minus the forecast outturn: positive is money forecast
            to be left unspent, negative an overspend. Unspent is the allocation less the actuals and commitments dated
            on or before {formatDate(r.asAt)}.
          </p>

          <DataTable
            caption="By plan line"
            scroll="funding-scroll"
            columns={[
              { id: 'line', header: 'Plan line', rowHeader: true, cell: (l) => l.description },
              { id: 'stream', header: 'Stream', cell: (l) => l.streamName },
              { id: 'category', header: 'Category', cell: (l) => l.categoryLabel },
              { id: 'planned', header: 'Planned', numeric: true, cell: (l) => <Money pence={l.plannedPence} /> },
              { id: 'committed', header: 'Committed', numeric: true, cell: (l) => <Money pence={l.committedPence} /> },
              { id: 'actual', header: 'Actual', numeric: true, cell: (l) => <Money pence={l.actualPence} /> },
              { id: 'forecast', header: 'Forecast', numeric: true, cell: (l) => <Money pence={l.forecastPence} /> },
              {
                id: 'variance',
                header: 'Variance',
                numeric: true,
                cell: (l) => <Money pence={l.variancePence} signal />,
              },
            ]}
            rows={r.lines}
            rowKey={(l) => l.id}
            summaryRows={
              r.unallocated.count > 0
                ? [
                    {
                      key: 'unallocated',
                      label: (
                        <>
                          Not allocated yet (<a href="#/funding/ledger">{r.unallocated.count} to review</a>)
                        </>
                      ),
                      cells: {
                        committed: <Money pence={r.unallocated.committedPence} />,
                        actual: <Money pence={r.unallocated.actualPence} />,
                      },
                    },
                  ]
                : []
            }
          />

          <h2>Cumulative plan and actual</h2>
          <div className="chart-and-table">
            <ChartFigure
              label="Chart: cumulative plan and actual spend by month"
              caption={`Cumulative plan and actual spend, ${year}`}
              height={300}
            >
              <LineChart data={cumulativeRows} margin={{ left: 24, right: 16, top: 8 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="month" />
                <YAxis tickFormatter={axisPounds} width={90} />
                <Tooltip formatter={(v) => money(Math.round(Number(v) * 100))} />
                <Legend />
                <Line
                  type="monotone"
                  dataKey="Plan"
                  stroke={GREY}
                  strokeWidth={2}
                  strokeDasharray="6 4"
                  isAnimationActive={false}
                />
                <Line type="monotone" dataKey="Actual" stroke={BLUE} strokeWidth={3} isAnimationActive={false} />
              </LineChart>
            </ChartFigure>
            <DataTable
              caption="Cumulative plan and actual by month"
              label="Cumulative plan and actual by month"
              className="funding-grid"
              columns={[
                { id: 'month', header: 'Month', rowHeader: true, cell: (m) => m.label },
                { id: 'plan', header: 'Plan', numeric: true, cell: (m) => <Money pence={m.plannedPence} /> },
                { id: 'actual', header: 'Actual', numeric: true, cell: (m) => <Money pence={m.actualPence} signal /> },
                {
                  id: 'cumulativePlan',
                  header: 'Cumulative plan',
                  numeric: true,
                  cell: (m) => <Money pence={m.cumulativePlannedPence} />,
                },
                {
                  id: 'cumulativeActual',
                  header: 'Cumulative actual',
                  numeric: true,
                  cell: (m) => <Money pence={m.cumulativeActualPence} signal />,
                },
              ]}
              rows={r.byMonth}
              rowKey={(m) => m.month}
            />
          </div>

          <h2>By category</h2>
          <div className="chart-and-table">
            <ChartFigure
              label="Chart: planned, committed and actual by category"
              caption="Planned, committed and actual by category"
              height={Math.max(220, categoryRows.length * 56 + 70)}
            >
              <BarChart data={categoryRows} layout="vertical" margin={{ left: 16, right: 16 }}>
                <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                <XAxis type="number" tickFormatter={axisPounds} />
                <YAxis type="category" dataKey="category" width={170} />
                <Tooltip formatter={(v) => money(Math.round(Number(v) * 100))} />
                <Legend />
                <Bar dataKey="Planned" fill={GREY} isAnimationActive={false} />
                <Bar dataKey="Committed" fill={AMBER} isAnimationActive={false} />
                <Bar dataKey="Actual" fill={BLUE} isAnimationActive={false} />
              </BarChart>
            </ChartFigure>
            <DataTable
              caption="By category"
              label="Planned, committed and actual by category"
              columns={[
                { id: 'category', header: 'Category', rowHeader: true, cell: (c) => c.label },
                { id: 'planned', header: 'Planned', numeric: true, cell: (c) => <Money pence={c.plannedPence} /> },
                {
                  id: 'committed',
                  header: 'Committed',
                  numeric: true,
                  cell: (c) => <Money pence={c.committedPence} />,
                },
                { id: 'actual', header: 'Actual', numeric: true, cell: (c) => <Money pence={c.actualPence} /> },
                { id: 'forecast', header: 'Forecast', numeric: true, cell: (c) => <Money pence={c.forecastPence} /> },
              ]}
              rows={r.byCategory}
              rowKey={(c) => c.category}
            />
          </div>

          <MonthGrid report={r} />
        </>
      )}
    </section>
  );
}
