import { useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { useApi } from '../../api';
import { LabelledField, Notice } from '../../components/forms';
import { formatCount, formatDate, formatFte } from '../../components/format';
import { ChartFigure, Stat, StatCards } from '../../components/stats';
import { financialYearLabel, financialYearOf, financialYearRange, quarterRange, type Quarter } from '../../../shared/common/periods';
import { today } from '../../../shared/common/clock';
import { BAND_CODES, professions } from '../../../shared/common/reference';
import { isSmallCount } from '../../../shared/picture/metrics';
import { isoDateSchema } from '../../../shared/workforce/channels';
import type { DiversityRow, WorkforceMetrics } from '../../../shared/picture/channels';
import '../workforce/workforce.css';

/**
 * The workforce picture for a period: retention, vacancy and diversity. Every chart draws rows the service has
 * already totalled and has a table of the same figures beside it. Counts of 1 to 7 are shown but marked.
 */

const COLOURS = ['#005eb8', '#41b6e6', '#330072', '#ae2573', '#ffb81c', '#009639', '#768692', '#d5281b', '#00a499', '#7c2855'];
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
  const valid = isoDateSchema.safeParse(range.from).success && isoDateSchema.safeParse(range.to).success && range.from <= range.to;
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
            <input type="radio" name="period-kind" value={value} checked={kind === value} onChange={() => setKind(value)} />
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
          <select id="period-quarter" className="select" value={quarter} onChange={(e) => setQuarter(Number(e.target.value) as Quarter)}>
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
            <input id="period-from" className="input" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
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

function HorizontalBars({ title, rows, keys, category, stacked = false }: { title: string; rows: Record<string, string | number>[]; keys: string[]; category: string; stacked?: boolean }) {
  return (
    <ChartFigure label={`Chart: ${title}`} caption={title} height={Math.max(220, rows.length * (stacked ? 36 : 22 * keys.length + 14) + 80)}>
      <BarChart data={rows} layout="vertical" margin={{ left: 16, right: 16 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" allowDecimals={false} />
        <YAxis type="category" dataKey={category} width={200} />
        <Tooltip />
        {keys.length > 1 && <Legend />}
        {keys.map((k, i) => (
          <Bar key={k} dataKey={k} stackId={stacked ? 'a' : undefined} fill={COLOURS[i % COLOURS.length]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ChartFigure>
  );
}

function DiversityTable({ caption, rows, whole, t }: { caption: string; rows: DiversityRow[]; whole: DiversityRow; t: number }) {
  return (
    <table className="table" aria-label={caption}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Group</th>
          <th scope="col" className="num">Headcount</th>
          <th scope="col" className="num">BME</th>
          <th scope="col" className="num">BME %</th>
          <th scope="col" className="num">Disabled</th>
          <th scope="col" className="num">Disabled %</th>
          <th scope="col" className="num">Female %</th>
        </tr>
      </thead>
      <tbody>
        {[...rows, whole].map((d) => (
          <tr key={d.group}>
            <th scope="row">{d.label}</th>
            <td className="num"><Count n={d.headcount} threshold={t} /></td>
            <td className="num"><Count n={d.bme} threshold={t} /></td>
            <td className="num">{pct(d.bmePercent)}</td>
            <td className="num"><Count n={d.disabled} threshold={t} /></td>
            <td className="num">{pct(d.disabledPercent)}</td>
            <td className="num">{pct(d.femalePercent)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PictureView() {
  const period = usePeriod();
  const [profession, setProfession] = useState('');
  const [serviceId, setServiceId] = useState('');
  const services = useApi('workforce/services', {});
  const input = { from: period.range.from, to: period.range.to, profession: profession || null, serviceId: serviceId ? Number(serviceId) : null };
  const metrics = useApi('picture/metrics', input, period.valid ? '' : 'invalid');
  const m = period.valid ? metrics.data : undefined;

  return (
    <section aria-labelledby="picture-title">
      <h2 id="picture-title">Workforce picture</h2>
      <div className="panel">
        {period.control}
        <div className="filters">
          <LabelledField htmlFor="picture-profession" label="Profession">
            <select id="picture-profession" className="select" value={profession} onChange={(e) => setProfession(e.target.value)}>
              <option value="">All professions</option>
              {professions.items.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name}
                </option>
              ))}
            </select>
          </LabelledField>
          <LabelledField htmlFor="picture-service" label="Service">
            <select id="picture-service" className="select" value={serviceId} onChange={(e) => setServiceId(e.target.value)}>
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
      {m && <Picture m={m} />}
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
    return { bandRows: [...byProfession.values()], bands: BAND_CODES.filter((b) => present.has(b)).map((b) => `Band ${b}`) };
  }, [m]);
  const ethnicRows = m.ethnicity.filter((e) => e.headcount > 0).map((e) => ({ category: e.name, Headcount: e.headcount }));
  const ageRows = m.ageBands.filter((a) => a.headcount > 0).map((a) => ({ age: a.label, Headcount: a.headcount }));

  return (
    <>
      <p className="hint">
        {formatDate(m.from)} to {formatDate(m.to)}. Headcount counts each person once; FTE adds up (1.0 = 37.5 hours a week). Counts from 1 to {t} are
        marked <span className="small-count">3</span>: you may see them, but suppress them before sharing outside the trust.
      </p>
      <StatCards label="Headline figures">
        <Stat label={`Headcount on ${formatDate(m.from)}`} testId="picture-headcount-start"><Count n={m.headcountStart} threshold={t} /></Stat>
        <Stat label={`Headcount on ${formatDate(m.to)}`} testId="picture-headcount-end"><Count n={m.headcountEnd} threshold={t} /></Stat>
        <Stat label="FTE in post at the end" testId="picture-fte">{formatFte(m.fteEnd)}</Stat>
        <Stat label="Starters" testId="picture-starters"><Count n={m.starters} threshold={t} /></Stat>
        <Stat label="Leavers" testId="picture-leavers"><Count n={m.leavers} threshold={t} /></Stat>
        <Stat label="Leaver rate" testId="picture-leaver-rate">{pct(m.leaverRate)}</Stat>
        <Stat label="Stability index" testId="picture-stability">{pct(m.stabilityIndex)}</Stat>
        <Stat label="Vacancy rate" testId="picture-vacancy">{pct(m.vacancyRate)}</Stat>
        <Stat label="BME share (known ethnicity)" testId="picture-bme">{pct(m.bmePercent)}</Stat>
      </StatCards>
      <p className="hint">
        Leaver rate: leavers / average of headcount at the start and end x 100. Stability: of the {formatCount(m.stabilityBase.inPostAYearBefore)} people in
        post on {formatDate(m.stabilityBase.yearBefore)}, {formatCount(m.stabilityBase.stillInPost)} are still in post at the end. Vacancy: establishment{' '}
        {formatFte(m.establishmentFte)} FTE against {formatFte(m.inPostFte)} FTE in post.
      </p>

      <h2>Headcount and FTE by profession, band and stage</h2>
      {m.byProfessionBand.length === 0 ? (
        <Notice kind="info">Nobody is in post at the end of this period.</Notice>
      ) : (
        <div className="chart-and-table">
          <HorizontalBars title="Headcount at the end by profession and band" rows={bandRows} keys={bands} category="profession" stacked />
          <div className="table-scroll">
            <table className="table" aria-label="Headcount and FTE by profession, band and stage">
              <caption>Headcount and FTE at the end, by profession, band and stage</caption>
              <thead>
                <tr>
                  <th scope="col">Profession</th>
                  <th scope="col">Band</th>
                  <th scope="col">Stage</th>
                  <th scope="col" className="num">Headcount</th>
                  <th scope="col" className="num">FTE</th>
                </tr>
              </thead>
              <tbody>
                {m.byProfessionBandStage.map((r) => (
                  <tr key={`${r.profession}-${r.band}-${r.stage}`}>
                    <td>{r.professionName}</td>
                    <td>{r.band}</td>
                    <td>{r.stageLabel}</td>
                    <td className="num"><Count n={r.headcountEnd} threshold={t} /></td>
                    <td className="num">{formatFte(r.fteEnd)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}

      <h2>Starters and leavers</h2>
      <div className="chart-and-table">
        <HorizontalBars
          title="Starters and leavers by profession and band"
          rows={m.byProfessionBand.map((r) => ({ group: `${r.professionName}, band ${r.band}`, Starters: r.starters, Leavers: r.leavers }))}
          keys={['Starters', 'Leavers']}
          category="group"
        />
        <table className="table" aria-label="Starters and leavers by profession and band">
          <caption>Starters and leavers by profession and band</caption>
          <thead>
            <tr>
              <th scope="col">Profession</th>
              <th scope="col">Band</th>
              <th scope="col" className="num">Headcount at end</th>
              <th scope="col" className="num">Starters</th>
              <th scope="col" className="num">Leavers</th>
            </tr>
          </thead>
          <tbody>
            {m.byProfessionBand.map((r) => (
              <tr key={`${r.profession}-${r.band}`}>
                <td>{r.professionName}</td>
                <td>{r.band}</td>
                <td className="num"><Count n={r.headcountEnd} threshold={t} /></td>
                <td className="num"><Count n={r.starters} threshold={t} /></td>
                <td className="num"><Count n={r.leavers} threshold={t} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Vacancy</h2>
      <div className="chart-and-table">
        <HorizontalBars
          title="Establishment and in-post FTE by service"
          rows={m.vacancyByService.map((s) => ({ service: s.serviceName, 'Establishment FTE': s.establishmentFte, 'In-post FTE': s.inPostFte }))}
          keys={['Establishment FTE', 'In-post FTE']}
          category="service"
        />
        <table className="table" aria-label="Vacancy by service">
          <caption>Vacancy by service at the end of the period</caption>
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col" className="num">Establishment FTE</th>
              <th scope="col" className="num">In post FTE</th>
              <th scope="col" className="num">Vacancy rate</th>
            </tr>
          </thead>
          <tbody>
            {m.vacancyByService.map((s) => (
              <tr key={s.serviceId}>
                <td>{s.serviceName}</td>
                <td className="num">{formatFte(s.establishmentFte)}</td>
                <td className="num">{formatFte(s.inPostFte)}</td>
                <td className={`num${(s.vacancyRate ?? 0) < 0 ? ' over' : ''}`}>{pct(s.vacancyRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details>
        <summary>Vacancy by role ({formatCount(m.vacancyByRole.length)} roles)</summary>
        <div className="table-scroll">
          <table className="table" aria-label="Vacancy by role">
            <caption>Vacancy by role (a role with no establishment has no rate: set it on the Roles tab)</caption>
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Service</th>
                <th scope="col">Band</th>
                <th scope="col" className="num">Establishment FTE</th>
                <th scope="col" className="num">In post FTE</th>
                <th scope="col" className="num">Vacancy FTE</th>
                <th scope="col" className="num">Vacancy rate</th>
              </tr>
            </thead>
            <tbody>
              {m.vacancyByRole.map((r) => (
                <tr key={r.roleId}>
                  <td>{r.title}</td>
                  <td>{r.serviceName}</td>
                  <td>{r.band}</td>
                  <td className="num">{formatFte(r.establishmentFte)}</td>
                  <td className="num">{formatFte(r.inPostFte)}</td>
                  <td className={`num${r.vacancyFte < 0 ? ' over' : ''}`}>{formatFte(r.vacancyFte)}</td>
                  <td className="num">{pct(r.vacancyRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>

      <h2>Diversity of staff in post at the end</h2>
      <div className="chart-and-table">
        <HorizontalBars title="Ethnic category" rows={ethnicRows} keys={['Headcount']} category="category" />
        <table className="table" aria-label="Ethnic category">
          <caption>Ethnic category (NHS Data Dictionary)</caption>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Category</th>
              <th scope="col" className="num">Headcount</th>
            </tr>
          </thead>
          <tbody>
            {m.ethnicity.map((e) => (
              <tr key={e.category}>
                <td>{e.category}</td>
                <td>{e.name}</td>
                <td className="num"><Count n={e.headcount} threshold={t} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="chart-and-table">
        <HorizontalBars title="Age band (from year of birth)" rows={ageRows} keys={['Headcount']} category="age" />
        <div>
          <table className="table" aria-label="Age band">
            <caption>Age band</caption>
            <thead>
              <tr>
                <th scope="col">Age</th>
                <th scope="col" className="num">Headcount</th>
              </tr>
            </thead>
            <tbody>
              {m.ageBands.map((a) => (
                <tr key={a.ageBand}>
                  <td>{a.label}</td>
                  <td className="num"><Count n={a.headcount} threshold={t} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="table" aria-label="Sex">
            <caption>Sex</caption>
            <tbody>
              {m.sex.map((s) => (
                <tr key={s.sex}>
                  <th scope="row">{s.label}</th>
                  <td className="num"><Count n={s.headcount} threshold={t} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="table" aria-label="Disability">
            <caption>Disability</caption>
            <tbody>
              {m.disability.map((d) => (
                <tr key={d.disability}>
                  <th scope="row">{d.label}</th>
                  <td className="num"><Count n={d.headcount} threshold={t} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <h3>By band and stage, against the whole support workforce (WRES / WDES indicator 1 style)</h3>
      <p className="hint">
        Each person is counted once, in the band and stage of their main assignment. BME % is of staff whose ethnic category is known; disabled % is of staff
        who answered.
      </p>
      <div className="chart-and-table">
        <HorizontalBars
          title="BME % by band against the whole support workforce"
          rows={[...m.diversityByBand, m.diversityWhole].map((d) => ({ group: d.label, 'BME %': d.bmePercent ?? 0, 'Disabled %': d.disabledPercent ?? 0 }))}
          keys={['BME %', 'Disabled %']}
          category="group"
        />
        <DiversityTable caption="Diversity by band" rows={m.diversityByBand} whole={m.diversityWhole} t={t} />
      </div>
      <DiversityTable caption="Diversity by stage" rows={m.diversityByStage} whole={m.diversityWhole} t={t} />
    </>
  );
}
