import { useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { useApi } from '../../api';
import { LabelledField, Notice } from '../../components/forms';
import { formatCount, formatDate, formatFte } from '../../components/format';
import { AMBER, BLUE, GREEN, GREY, PINK, PURPLE, STACKED_SEGMENT } from '../../components/chart-colours';
import { ChartFigure, Stat, StatCards } from '../../components/stats';
import { OtherLinesNote, VacancyCoverageNote, vacancyFteColumns } from '../../components/vacancy';
import { DataTable } from '../../components/DataTable';
import { BAND_CODES } from '../../../shared/common/reference';
import { isoDateSchema, type Summary, type VacancyLine } from '../../../shared/workforce/channels';
import { restDrawn, topAndRest } from '../../../shared/workforce/role-list';
import './workforce.css';

/** Bars drawn in a by-role chart; the rest are one "Other" bar, so the chart stays one screen high at any size. */
const TOP = 15;
/** Above this many lines a vacancy table scrolls in its own box, drawing only the rows in view. */
const PLAIN_TABLE_ROWS = 25;

const BREAKDOWNS = {
  role: { label: 'Role', noun: 'roles', detail: 'Services', lines: (s: Summary) => s.byRole },
  service: { label: 'Service', noun: 'services', detail: null, lines: (s: Summary) => s.byService },
  post: { label: 'Role in a service', noun: 'roles in services', detail: 'Service', lines: (s: Summary) => s.byPost },
} as const;
type Breakdown = keyof typeof BREAKDOWNS;

/**
 * Vacancy by role, by service, or by role in a service: a chart of the biggest lines with the rest as one bar, and
 * beside it the table of every line (sortable, searchable, scrolling in its own box when long).
 */
function VacancyBreakdown({ summary }: { summary: Summary }) {
  const [by, setBy] = useState<Breakdown>('role');
  const [find, setFind] = useState('');
  const breakdown = BREAKDOWNS[by];
  const lines = breakdown.lines(summary);
  const { chartRows, rest, drawn } = useMemo(() => {
    const { top, rest } = topAndRest(lines, TOP);
    const drawn = restDrawn(top, rest);
    const rows = top.map((l) => ({
      name: by === 'post' && l.detail ? `${l.title}, ${l.detail}` : l.title,
      establishmentFte: l.establishmentFte,
      inPostFte: l.inPostFte,
    }));
    if (rest && drawn) rows.push({ name: `Other ${breakdown.noun} (${formatCount(rest.count)})`, ...rest });
    return { chartRows: rows, rest, drawn };
  }, [lines, by, breakdown.noun]);
  const long = lines.length > PLAIN_TABLE_ROWS;
  const tableName = `Establishment and vacancy by ${breakdown.label.toLowerCase()}`;
  const chartCaption =
    lines.length > TOP
      ? `Establishment and in-post FTE: the top ${TOP} ${breakdown.noun} by FTE, and the other ${formatCount(lines.length - TOP)}`
      : `Establishment and in-post FTE by ${breakdown.label.toLowerCase()}`;
  return (
    <>
      <fieldset className="radios">
        <legend>Vacancy by</legend>
        {(Object.keys(BREAKDOWNS) as Breakdown[]).map((k) => (
          <label key={k}>
            <input type="radio" name="vacancy-by" checked={by === k} onChange={() => setBy(k)} />
            {BREAKDOWNS[k].label}
          </label>
        ))}
      </fieldset>
      <div className="chart-and-table">
        <div>
          <ChartFigure
            label={`Chart: ${chartCaption}`}
            caption={chartCaption}
            height={Math.max(220, chartRows.length * 40 + 70)}
          >
            <BarChart data={chartRows} layout="vertical" margin={{ left: 16, right: 16 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" />
              <YAxis type="category" dataKey="name" width={230} />
              <Tooltip formatter={(v) => formatFte(Number(v))} />
              <Legend />
              <Bar dataKey="establishmentFte" name="Establishment FTE" fill={GREY} isAnimationActive={false} />
              <Bar dataKey="inPostFte" name="In-post FTE" fill={BLUE} isAnimationActive={false} />
            </BarChart>
          </ChartFigure>
          <OtherLinesNote noun={breakdown.noun} rest={rest} drawn={drawn} />
        </div>
        <div>
          {long && (
            <LabelledField htmlFor="vacancy-find" label={`Find ${breakdown.noun} in the table`} width="medium">
              <input
                id="vacancy-find"
                className="input"
                type="search"
                value={find}
                onChange={(e) => setFind(e.target.value)}
              />
            </LabelledField>
          )}
          <DataTable
            key={by}
            caption={`${tableName} (${formatCount(lines.length)})`}
            label={tableName}
            columns={[
              {
                id: 'title',
                header: breakdown.label === 'Role in a service' ? 'Role' : breakdown.label,
                rowHeader: true,
                sortable: true,
                value: (r) => r.title,
                cell: (r) => r.title,
              },
              ...(breakdown.detail
                ? [
                    {
                      id: 'detail',
                      header: breakdown.detail,
                      sortable: true,
                      value: (r: VacancyLine) => r.detail,
                      cell: (r: VacancyLine) => r.detail ?? '',
                    },
                  ]
                : []),
              ...vacancyFteColumns<VacancyLine>().map((c) => ({ ...c, sortable: true })),
            ]}
            rows={lines}
            rowKey={(r) => r.id}
            filter={long ? find : undefined}
            empty={`No ${breakdown.noun} match.`}
            {...(long
              ? { virtual: { rowHeight: 41, className: 'vacancy-scroll', label: `${tableName}, scrollable` } }
              : {})}
          />
        </div>
      </div>
    </>
  );
}

const BAND_COLOURS: Record<string, string> = {
  '2': BLUE,
  '3': AMBER,
  '4': PURPLE,
  '5': PINK,
  '6': GREEN,
};

export function SummaryView() {
  const [asAtText, setAsAtText] = useState('');
  const asAt = isoDateSchema.safeParse(asAtText).success ? asAtText : undefined;
  const summary = useApi('workforce/summary', asAt ? { asAt } : {});
  const s = summary.data;

  // One bar per profession, stacked by band: the chart draws rows the service has already totalled.
  const { chartRows, bands } = useMemo(() => {
    const byProfession = new Map<string, Record<string, string | number>>();
    const present = new Set<string>();
    for (const r of s?.byProfessionBand ?? []) {
      const row = byProfession.get(r.professionName) ?? { profession: r.professionName };
      row[`Band ${r.band}`] = r.fte;
      present.add(r.band);
      byProfession.set(r.professionName, row);
    }
    return { chartRows: [...byProfession.values()], bands: BAND_CODES.filter((b) => present.has(b)) };
  }, [s]);

  return (
    <section aria-labelledby="summary-title">
      <h2 id="summary-title">Headcount and FTE</h2>
      <LabelledField htmlFor="summary-as-at" label="As at" width="short">
        <div className="field__hint" id="summary-as-at-hint">
          Staff in post on this date. Leave blank for today.
        </div>
        <input
          id="summary-as-at"
          className="input"
          type="date"
          aria-describedby="summary-as-at-hint"
          value={asAtText}
          onChange={(e) => setAsAtText(e.target.value)}
        />
      </LabelledField>
      {summary.error && <Notice kind="warning">{summary.error}</Notice>}
      {s && (
        <>
          <StatCards label={`Totals on ${formatDate(s.asAt)}`}>
            <Stat label="Headcount" testId="total-headcount">
              {formatCount(s.headcount)}
            </Stat>
            <Stat label="FTE in post" testId="total-fte">
              {formatFte(s.fte)}
            </Stat>
            <Stat label="Establishment FTE" testId="total-establishment">
              {formatFte(s.establishmentFte)}
            </Stat>
            <Stat label="Vacancy FTE" testId="total-vacancy">
              {s.vacancyFte === null ? '—' : formatFte(s.vacancyFte)}
            </Stat>
          </StatCards>
          <VacancyCoverageNote coverage={s.vacancyCoverage} />
          <p className="hint">
            Headcount counts each person once, however many assignments they hold, so rows do not add up to the total.
            FTE adds up (1.0 FTE = 37.5 hours a week).
          </p>

          {s.byProfessionBand.length === 0 ? (
            <Notice kind="info">Nobody is in post on {formatDate(s.asAt)}. Add staff on the Staff tab.</Notice>
          ) : (
            <div className="chart-and-table">
              <ChartFigure
                label="Chart: FTE in post by profession and band"
                caption="FTE in post by profession and band"
                height={Math.max(220, chartRows.length * 44 + 70)}
              >
                <BarChart data={chartRows} layout="vertical" margin={{ left: 16, right: 16 }}>
                  <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                  <XAxis type="number" />
                  <YAxis type="category" dataKey="profession" width={190} />
                  <Tooltip formatter={(v) => formatFte(Number(v))} />
                  <Legend />
                  {bands.map((b) => (
                    <Bar
                      key={b}
                      dataKey={`Band ${b}`}
                      stackId="fte"
                      fill={BAND_COLOURS[b] ?? GREY}
                      {...STACKED_SEGMENT}
                      isAnimationActive={false}
                    />
                  ))}
                </BarChart>
              </ChartFigure>
              <DataTable
                caption="Headcount and FTE by profession and band"
                label="Headcount and FTE by profession and band"
                columns={[
                  { id: 'profession', header: 'Profession', cell: (r) => r.professionName },
                  { id: 'band', header: 'Band', cell: (r) => r.band },
                  { id: 'headcount', header: 'Headcount', numeric: true, cell: (r) => formatCount(r.headcount) },
                  { id: 'fte', header: 'FTE', numeric: true, cell: (r) => formatFte(r.fte) },
                ]}
                rows={s.byProfessionBand}
                rowKey={(r) => `${r.profession}-${r.band}`}
              />
            </div>
          )}

          <h2>Establishment and vacancy</h2>
          {s.byRole.length === 0 ? (
            <Notice kind="info">No roles yet. Add them on the Roles tab.</Notice>
          ) : (
            <VacancyBreakdown summary={s} />
          )}
        </>
      )}
    </section>
  );
}
