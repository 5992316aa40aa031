import { useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { api, useApi } from '../../api';
import { DownloadButtons } from '../../components/DownloadButtons';
import { LabelledField, Notice } from '../../components/forms';
import { formatCount, formatDate, formatFte } from '../../components/format';
import { seriesColour, STACKED_SEGMENT } from '../../components/chart-colours';
import { ChartFigure, Stat, StatCards } from '../../components/stats';
import { OtherLinesNote, VacancyCoverageNote, vacancyFteColumns } from '../../components/vacancy';
import { DataTable } from '../../components/DataTable';
import {
  addDays,
  financialYearLabel,
  financialYearOf,
  financialYearRange,
  quarterRange,
  type Quarter,
} from '../../../shared/common/periods';
import { today } from '../../../shared/common/clock';
import { BAND_CODES, professions } from '../../../shared/common/reference';
import { isSmallCount } from '../../../shared/picture/metrics';
import { restDrawn, topAndRest } from '../../../shared/workforce/role-list';
import { isoDateSchema } from '../../../shared/workforce/channels';
import type { DiversityRow, WorkforceMetrics } from '../../../shared/picture/channels';
import '../workforce/workforce.css';

/**
 * The workforce picture for a period: retention, vacancy and diversity. Every chart draws rows the service has
 * already totalled and has a table of the same figures beside it. Counts of 1 to 7 are shown but marked.
 */

const pct = (n: number | null) => (n === null ? '—' : `${n.toFixed(1)}%`);

function Count({ n, threshold }: { n: number; threshold: number }) {
  if (!isSmallCount(n, threshold)) return <>{formatCount(n)}</>;
  return (
    <span className="small-count" title={`Small number (1 to ${threshold}): do not share outside the trust as it is`}>
      {formatCount(n)}
      <span className="visually-hidden"> (small number)</span>
    </span>
  );
}

type PeriodKind = 'year' | 'quarter' | 'custom';

function usePeriod() {
  const thisYear = financialYearOf(today());
  const start = Number(thisYear.slice(0, 4));
  const years = Array.from({ length: 8 }, (_, i) => financialYearLabel(start - i));
  const [kind, setKind] = useState<PeriodKind>('year');
  const [year, setYear] = useState(years[1]!);
  const [quarter, setQuarter] = useState<Quarter>(4);
  const [from, setFrom] = useState(financialYearRange(years[1]!).from);
  const [to, setTo] = useState(financialYearRange(years[1]!).to);
  const range =
    kind === 'year' ? financialYearRange(year) : kind === 'quarter' ? quarterRange(year, quarter) : { from, to };
  const valid =
    isoDateSchema.safeParse(range.from).success && isoDateSchema.safeParse(range.to).success && range.from <= range.to;
  const control = (
    <div className="period">
      <fieldset className="radios">
        <legend>Period</legend>
        {(
          [
            ['year', 'Financial year'],
            ['quarter', 'Quarter'],
            ['custom', 'Other dates'],
          ] as const
        ).map(([value, label]) => (
          <label key={value}>
            <input
              type="radio"
              name="period-kind"
              value={value}
              checked={kind === value}
              onChange={() => setKind(value)}
            />
            {label}
          </label>
        ))}
      </fieldset>
      {kind !== 'custom' && (
        <LabelledField htmlFor="period-year" label="Year (April to March)">
          <select id="period-year" className="select" value={year} onChange={(e) => setYear(e.target.value)}>
            {years.map((y) => (
              <option key={y}>{y}</option>
            ))}
          </select>
        </LabelledField>
      )}
      {kind === 'quarter' && (
        <LabelledField htmlFor="period-quarter" label="Quarter">
          <select
            id="period-quarter"
            className="select"
            value={quarter}
            onChange={(e) => setQuarter(Number(e.target.value) as Quarter)}
          >
            <option value={1}>Q1 (April to June)</option>
            <option value={2}>Q2 (July to September)</option>
            <option value={3}>Q3 (October to December)</option>
            <option value={4}>Q4 (January to March)</option>
          </select>
        </LabelledField>
      )}
      {kind === 'custom' && (
        <>
          <LabelledField htmlFor="period-from" label="From">
            <input
              id="period-from"
              className="input"
              type="date"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
            />
          </LabelledField>
          <LabelledField htmlFor="period-to" label="To">
            <input id="period-to" className="input" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          </LabelledField>
        </>
      )}
    </div>
  );
  return { range, valid, control };
}

function HorizontalBars({
  title,
  rows,
  keys,
  category,
  stacked = false,
}: {
  title: string;
  rows: Record<string, string | number>[];
  keys: string[];
  category: string;
  stacked?: boolean;
}) {
  return (
    <ChartFigure
      label={`Chart: ${title}`}
      caption={title}
      height={Math.max(220, rows.length * (stacked ? 36 : 22 * keys.length + 14) + 80)}
    >
      <BarChart data={rows} layout="vertical" margin={{ left: 16, right: 16 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" allowDecimals={false} />
        <YAxis type="category" dataKey={category} width={200} />
        <Tooltip />
        {keys.length > 1 && <Legend />}
        {keys.map((k, i) => (
          <Bar
            key={k}
            dataKey={k}
            stackId={stacked ? 'a' : undefined}
            fill={seriesColour(i)}
            {...(stacked ? STACKED_SEGMENT : {})}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ChartFigure>
  );
}

function DiversityTable({
  caption,
  rows,
  whole,
  t,
}: {
  caption: string;
  rows: DiversityRow[];
  whole: DiversityRow;
  t: number;
}) {
  return (
    <DataTable
      caption={caption}
      label={caption}
      columns={[
        { id: 'group', header: 'Group', rowHeader: true, cell: (d) => d.label },
        { id: 'headcount', header: 'Headcount', numeric: true, cell: (d) => <Count n={d.headcount} threshold={t} /> },
        { id: 'bme', header: 'BME', numeric: true, cell: (d) => <Count n={d.bme} threshold={t} /> },
        { id: 'bmePercent', header: 'BME %', numeric: true, cell: (d) => pct(d.bmePercent) },
        { id: 'disabled', header: 'Disabled', numeric: true, cell: (d) => <Count n={d.disabled} threshold={t} /> },
        { id: 'disabledPercent', header: 'Disabled %', numeric: true, cell: (d) => pct(d.disabledPercent) },
        { id: 'femalePercent', header: 'Female %', numeric: true, cell: (d) => pct(d.femalePercent) },
      ]}
      rows={[...rows, whole]}
      rowKey={(d) => d.group}
    />
  );
}

export function PictureView() {
  const period = usePeriod();
  const [profession, setProfession] = useState('');
  const [serviceId, setServiceId] = useState('');
  const services = useApi('workforce/services', {});
  const input = {
    from: period.range.from,
    to: period.range.to,
    profession: profession || null,
    serviceId: serviceId ? Number(serviceId) : null,
  };
  const metrics = useApi('picture/metrics', input, period.valid ? '' : 'invalid');
  const m = period.valid ? metrics.data : undefined;

  return (
    <section aria-labelledby="picture-title">
      <h2 id="picture-title">Workforce picture</h2>
      <div className="panel">
        {period.control}
        <div className="filters">
          <LabelledField htmlFor="picture-profession" label="Profession">
            <select
              id="picture-profession"
              className="select"
              value={profession}
              onChange={(e) => setProfession(e.target.value)}
            >
              <option value="">All professions</option>
              {professions.items.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name}
                </option>
              ))}
            </select>
          </LabelledField>
          <LabelledField htmlFor="picture-service" label="Service">
            <select
              id="picture-service"
              className="select"
              value={serviceId}
              onChange={(e) => setServiceId(e.target.value)}
            >
              <option value="">All services</option>
              {services.data?.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </LabelledField>
        </div>
      </div>
      {!period.valid && <Notice kind="warning">Enter a period whose start is on or before its end.</Notice>}
      {metrics.error && <Notice kind="warning">{metrics.error}</Notice>}
      {m && (
        <>
          <DownloadButtons
            label="the picture's tables"
            produce={(format) => api('picture/export', { ...input, format })}
          />
          <p className="hint">
            The files hold the exact counts: they are not protected for publication. Small counts (1 to{' '}
            {m.smallCountThreshold}) are marked, as here.
          </p>
          <Picture m={m} />
        </>
      )}
    </section>
  );
}

/** Who counts as a starter and a leaver, and how the rates are worked out, in plain English beside the figures. */
function Definitions({ m }: { m: WorkforceMetrics }) {
  return (
    <section className="definitions" aria-labelledby="picture-definitions-title">
      <h3 id="picture-definitions-title">What these figures mean</h3>
      <dl>
        <dt>Starter</dt>
        <dd>
          Someone not in post on {formatDate(addDays(m.from, -1))}, the day before the period, who starts an assignment
          in it.
        </dd>
        <dt>Leaver</dt>
        <dd>
          Someone whose assignment ends in the period and who is not in post on {formatDate(addDays(m.to, 1))}, the day
          after it. Moving from one role to another makes nobody a starter or a leaver.
        </dd>
        <dt>Leaver rate</dt>
        <dd>
          Leavers / the average of the headcount at the start and at the end x 100 (NHS Digital):{' '}
          {formatCount(m.leavers)} / (({formatCount(m.headcountStart)} + {formatCount(m.headcountEnd)}) / 2) x 100.
        </dd>
        <dt>Stability index</dt>
        <dd>
          People in post a year before the end ({formatDate(m.stabilityBase.yearBefore)}) who are still in post at the
          end / everyone in post a year before the end x 100: {formatCount(m.stabilityBase.stillInPost)} of{' '}
          {formatCount(m.stabilityBase.inPostAYearBefore)}.
        </dd>
        <dt>Vacancy rate</dt>
        <dd>
          (Establishment - FTE in post) / establishment x 100 at the end, over the post lines with an establishment set:{' '}
          {formatFte(m.establishmentFte)} FTE funded against {formatFte(m.inPostFte)} FTE in post in those roles.
        </dd>
      </dl>
    </section>
  );
}

function Picture({ m }: { m: WorkforceMetrics }) {
  const t = m.smallCountThreshold;
  const { bandRows, bands } = useMemo(() => {
    const byProfession = new Map<string, Record<string, string | number>>();
    const present = new Set<string>();
    for (const r of m.byProfessionBand) {
      const row = byProfession.get(r.professionName) ?? { profession: r.professionName };
      row[`Band ${r.band}`] = r.headcountEnd;
      present.add(r.band);
      byProfession.set(r.professionName, row);
    }
    return {
      bandRows: [...byProfession.values()],
      bands: BAND_CODES.filter((b) => present.has(b)).map((b) => `Band ${b}`),
    };
  }, [m]);
  const ethnicRows = m.ethnicity
    .filter((e) => e.headcount > 0)
    .map((e) => ({ category: e.name, Headcount: e.headcount }));
  const ageRows = m.ageBands.filter((a) => a.headcount > 0).map((a) => ({ age: a.label, Headcount: a.headcount }));

  return (
    <>
      <p className="hint">
        {formatDate(m.from)} to {formatDate(m.to)}. Headcount counts each person once; FTE adds up (1.0 = 37.5 hours a
        week). Counts from 1 to {t} are marked <span className="small-count">3</span>: you may see them, but suppress
        them before sharing outside the trust.
      </p>
      <StatCards label="Headline figures">
        <Stat label={`Headcount on ${formatDate(m.from)}`} testId="picture-headcount-start">
          <Count n={m.headcountStart} threshold={t} />
        </Stat>
        <Stat label={`Headcount on ${formatDate(m.to)}`} testId="picture-headcount-end">
          <Count n={m.headcountEnd} threshold={t} />
        </Stat>
        <Stat label="FTE in post at the end" testId="picture-fte">
          {formatFte(m.fteEnd)}
        </Stat>
        <Stat label="Starters" testId="picture-starters">
          <Count n={m.starters} threshold={t} />
        </Stat>
        <Stat label="Leavers" testId="picture-leavers">
          <Count n={m.leavers} threshold={t} />
        </Stat>
        <Stat label="Leaver rate" testId="picture-leaver-rate">
          {pct(m.leaverRate)}
        </Stat>
        <Stat label="Stability index" testId="picture-stability">
          {pct(m.stabilityIndex)}
        </Stat>
        <Stat label="Vacancy rate" testId="picture-vacancy">
          {pct(m.vacancyRate)}
        </Stat>
        <Stat label="BME share (known ethnicity)" testId="picture-bme">
          {pct(m.bmePercent)}
        </Stat>
      </StatCards>
      <VacancyCoverageNote coverage={m.vacancyCoverage} />
      <Definitions m={m} />

      <h2>Headcount and FTE by profession, band and stage</h2>
      {m.byProfessionBand.length === 0 ? (
        <Notice kind="info">Nobody is in post at the end of this period.</Notice>
      ) : (
        <div className="chart-and-table">
          <HorizontalBars
            title="Headcount at the end by profession and band"
            rows={bandRows}
            keys={bands}
            category="profession"
            stacked
          />
          <DataTable
            caption="Headcount and FTE at the end, by profession, band and stage"
            label="Headcount and FTE by profession, band and stage"
            columns={[
              { id: 'profession', header: 'Profession', cell: (r) => r.professionName },
              { id: 'band', header: 'Band', cell: (r) => r.band },
              { id: 'stage', header: 'Stage', cell: (r) => r.stageLabel },
              {
                id: 'headcount',
                header: 'Headcount',
                numeric: true,
                cell: (r) => <Count n={r.headcountEnd} threshold={t} />,
              },
              { id: 'fte', header: 'FTE', numeric: true, cell: (r) => formatFte(r.fteEnd) },
            ]}
            rows={m.byProfessionBandStage}
            rowKey={(r) => `${r.profession}-${r.band}-${r.stage}`}
          />
        </div>
      )}

      <h2>Starters and leavers</h2>
      <div className="chart-and-table">
        <HorizontalBars
          title="Starters and leavers by profession and band"
          rows={m.byProfessionBand.map((r) => ({
            group: `${r.professionName}, band ${r.band}`,
            Starters: r.starters,
            Leavers: r.leavers,
          }))}
          keys={['Starters', 'Leavers']}
          category="group"
        />
        <DataTable
          caption="Starters and leavers by profession and band"
          label="Starters and leavers by profession and band"
          columns={[
            { id: 'profession', header: 'Profession', cell: (r) => r.professionName },
            { id: 'band', header: 'Band', cell: (r) => r.band },
            {
              id: 'headcount',
              header: 'Headcount at end',
              numeric: true,
              cell: (r) => <Count n={r.headcountEnd} threshold={t} />,
            },
            { id: 'starters', header: 'Starters', numeric: true, cell: (r) => <Count n={r.starters} threshold={t} /> },
            { id: 'leavers', header: 'Leavers', numeric: true, cell: (r) => <Count n={r.leavers} threshold={t} /> },
          ]}
          rows={m.byProfessionBand}
          rowKey={(r) => `${r.profession}-${r.band}`}
        />
      </div>

      <h2>Vacancy</h2>
      <div className="chart-and-table">
        <HorizontalBars
          title="Establishment and in-post FTE by service (post lines with an establishment)"
          rows={m.vacancyByService.map((s) => ({
            service: s.serviceName,
            'Establishment FTE': s.establishmentFte,
            'In-post FTE': s.inPostFte,
          }))}
          keys={['Establishment FTE', 'In-post FTE']}
          category="service"
        />
        <DataTable
          caption="Vacancy by service at the end of the period"
          label="Vacancy by service"
          columns={[
            { id: 'service', header: 'Service', cell: (v) => v.serviceName },
            {
              id: 'establishment',
              header: 'Establishment FTE',
              numeric: true,
              cell: (v) => formatFte(v.establishmentFte),
            },
            {
              id: 'inPost',
              header: 'In post FTE (post lines with an establishment)',
              numeric: true,
              cell: (v) => formatFte(v.inPostFte),
            },
            {
              id: 'rate',
              header: 'Vacancy rate',
              numeric: true,
              className: (v) => ((v.vacancyRate ?? 0) < 0 ? 'over' : undefined),
              cell: (v) => pct(v.vacancyRate),
            },
            {
              id: 'covers',
              header: 'Covers',
              cell: (v) =>
                `${formatCount(v.coverage.rolesWithEstablishment)} of ${formatCount(v.coverage.roles)} post lines, ${pct(v.coverage.percent)} of ${formatFte(v.coverage.allInPostFte)} FTE`,
            },
          ]}
          rows={m.vacancyByService}
          rowKey={(v) => v.serviceId}
        />
      </div>
      <VacancyByRole lines={m.vacancyByRole} />

      <h2>Diversity of staff in post at the end</h2>
      <div className="chart-and-table">
        <HorizontalBars title="Ethnic category" rows={ethnicRows} keys={['Headcount']} category="category" />
        <DataTable
          caption="Ethnic category (NHS Data Dictionary)"
          label="Ethnic category"
          columns={[
            { id: 'code', header: 'Code', cell: (e) => e.category },
            { id: 'name', header: 'Category', cell: (e) => e.name },
            {
              id: 'headcount',
              header: 'Headcount',
              numeric: true,
              cell: (e) => <Count n={e.headcount} threshold={t} />,
            },
          ]}
          rows={m.ethnicity}
          rowKey={(e) => e.category}
        />
      </div>
      <div className="chart-and-table">
        <HorizontalBars title="Age band (from year of birth)" rows={ageRows} keys={['Headcount']} category="age" />
        <div>
          <DataTable
            caption="Age band"
            label="Age band"
            columns={[
              { id: 'age', header: 'Age', cell: (a) => a.label },
              {
                id: 'headcount',
                header: 'Headcount',
                numeric: true,
                cell: (a) => <Count n={a.headcount} threshold={t} />,
              },
            ]}
            rows={m.ageBands}
            rowKey={(a) => a.ageBand}
          />
          <DataTable
            caption="Sex"
            label="Sex"
            header={false}
            columns={[
              { id: 'sex', header: 'Sex', rowHeader: true, cell: (x) => x.label },
              {
                id: 'headcount',
                header: 'Headcount',
                numeric: true,
                cell: (x) => <Count n={x.headcount} threshold={t} />,
              },
            ]}
            rows={m.sex}
            rowKey={(x) => x.sex}
          />
          <DataTable
            caption="Disability"
            label="Disability"
            header={false}
            columns={[
              { id: 'disability', header: 'Disability', rowHeader: true, cell: (d) => d.label },
              {
                id: 'headcount',
                header: 'Headcount',
                numeric: true,
                cell: (d) => <Count n={d.headcount} threshold={t} />,
              },
            ]}
            rows={m.disability}
            rowKey={(d) => d.disability}
          />
        </div>
      </div>
      <h3>By band and stage, against the whole support workforce (WRES / WDES indicator 1 style)</h3>
      <p className="hint">
        Each person is counted once, in the band and stage of their main assignment. BME % is of staff whose ethnic
        category is known; disabled % is of staff who answered.
      </p>
      <div className="chart-and-table">
        <HorizontalBars
          title="BME % by band against the whole support workforce"
          rows={[...m.diversityByBand, m.diversityWhole].map((d) => ({
            group: d.label,
            'BME %': d.bmePercent ?? 0,
            'Disabled %': d.disabledPercent ?? 0,
          }))}
          keys={['BME %', 'Disabled %']}
          category="group"
        />
        <DiversityTable caption="Diversity by band" rows={m.diversityByBand} whole={m.diversityWhole} t={t} />
      </div>
      <DiversityTable caption="Diversity by stage" rows={m.diversityByStage} whole={m.diversityWhole} t={t} />
    </>
  );
}

type RoleVacancy = WorkforceMetrics['vacancyByRole'][number];

/** Bars in the by-role chart; the other roles are one bar, so it stays one screen high whatever the trust's size. */
const TOP_ROLES = 15;

/**
 * Vacancy by role in each service: a chart of the biggest roles with the rest as one bar, and the table of every one,
 * which scrolls in its own box (drawing only the rows in view) and can be searched and sorted.
 */
function VacancyByRole({ lines }: { lines: RoleVacancy[] }) {
  const [find, setFind] = useState('');
  // Drawn once opened: a virtualised table measures its scrolling box, which a closed <details> hides.
  const [open, setOpen] = useState(false);
  const { chartRows, rest, drawn } = useMemo(() => {
    const { top, rest } = topAndRest(lines, TOP_ROLES);
    const drawn = restDrawn(top, rest);
    const rows = top.map((r) => ({
      role: `${r.title}, ${r.serviceName}`,
      'Establishment FTE': r.establishmentFte,
      'In-post FTE': r.inPostFte,
    }));
    if (rest && drawn)
      rows.push({
        role: `Other roles (${formatCount(rest.count)})`,
        'Establishment FTE': rest.establishmentFte,
        'In-post FTE': rest.inPostFte,
      });
    return { chartRows: rows, rest, drawn };
  }, [lines]);
  if (lines.length === 0) return null;
  const long = lines.length > 25;
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Vacancy by role ({formatCount(lines.length)} roles in services)</summary>
      {open && (
        <div className="chart-and-table">
          <div>
            <HorizontalBars
              title={
                lines.length > TOP_ROLES
                  ? `Establishment and in-post FTE: the top ${TOP_ROLES} roles by FTE, and the other ${formatCount(lines.length - TOP_ROLES)}`
                  : 'Establishment and in-post FTE by role'
              }
              rows={chartRows}
              keys={['Establishment FTE', 'In-post FTE']}
              category="role"
            />
            <OtherLinesNote noun="roles" rest={rest} drawn={drawn} />
          </div>
          <div>
            {long && (
              <LabelledField htmlFor="picture-role-find" label="Find roles in the table" width="medium">
                <input
                  id="picture-role-find"
                  className="input"
                  type="search"
                  value={find}
                  onChange={(e) => setFind(e.target.value)}
                />
              </LabelledField>
            )}
            <DataTable
              caption="Vacancy by role (a role with no establishment has no rate: set it on the Roles tab)"
              label="Vacancy by role"
              columns={[
                {
                  id: 'role',
                  header: 'Role',
                  rowHeader: true,
                  sortable: true,
                  value: (r) => r.title,
                  cell: (r) => r.title,
                },
                {
                  id: 'service',
                  header: 'Service',
                  sortable: true,
                  value: (r) => r.serviceName,
                  cell: (r) => r.serviceName,
                },
                { id: 'band', header: 'Band', sortable: true, value: (r) => r.band, cell: (r) => r.band },
                ...vacancyFteColumns<RoleVacancy>().map((c) => ({ ...c, sortable: true })),
                {
                  id: 'rate',
                  header: 'Vacancy rate',
                  numeric: true,
                  sortable: true,
                  value: (r) => r.vacancyRate,
                  cell: (r) => pct(r.vacancyRate),
                },
              ]}
              rows={lines}
              rowKey={(r) => r.roleId}
              filter={long ? find : undefined}
              empty="No role matches."
              {...(long
                ? { virtual: { rowHeight: 41, className: 'vacancy-scroll', label: 'Vacancy by role, scrollable' } }
                : {})}
            />
          </div>
        </div>
      )}
    </details>
  );
}
