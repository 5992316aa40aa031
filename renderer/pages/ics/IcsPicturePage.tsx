import { Bar, BarChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { useApi } from '../../api';
import { BLUE, CHART_TEXT } from '../../components/chart-colours';
import { DataTable, type SummaryRow } from '../../components/DataTable';
import { Notice } from '../../components/forms';
import { ChartFigure } from '../../components/stats';
import { dateLabel } from '../../../shared/common/periods';
import type { IcsPicture } from '../../../shared/ics/channels';
import { SECTION_IDS, SECTION_TITLES, type MeasureUnit } from '../../../shared/returns/channels';
import { formatFigure } from '../returns/common';
import { FigureTable } from '../returns/ReturnTables';
import { PeriodChooser, periodLabel, trustColumn, useIcsPeriod } from './common';
import '../returns/returns.css';
import './ics.css';

type Comparison = IcsPicture['comparison'];
type TrustRow = Comparison['trusts'][number];
type MeasureColumn = Comparison['measures'][number];

/** A figure or, when a trust's return has no figure for it, words that say so (never a blank that reads as 0). */
function figure(value: number | null | undefined, unit: MeasureUnit): string {
  return value === null || value === undefined ? 'Not known' : formatFigure(value, unit);
}

/** The ICS picture: the trusts' current returns for a period added up, and the trusts side by side. */
export function IcsPicturePage() {
  const { period, choose, choices } = useIcsPeriod();
  const picture = useApi('ics/picture', { period });
  const p = picture.data?.period === period ? picture.data : undefined;
  return (
    <>
      <h1>ICS picture</h1>
      <p className="lede">
        Your trusts' latest returns for a period, added up and side by side. Rates for the ICS are worked out from the
        added-up counts, not averaged across trusts. These are exact figures, for you: the ICS return protects small
        numbers before anything is published.
      </p>
      <PeriodChooser id="picture-period" period={period} choices={choices} onChoose={choose} />
      {picture.error && <Notice kind="warning">{picture.error}</Notice>}
      {!p && !picture.error && <p aria-busy="true">Loading the picture…</p>}
      {p && <Picture picture={p} />}
    </>
  );
}

function Picture({ picture }: { picture: IcsPicture }) {
  const { included, missing, comparison } = picture;
  return (
    <>
      <section aria-labelledby="included-title">
        <h2 id="included-title">Trusts included for {periodLabel(picture.period)}</h2>
        {missing.length > 0 && (
          <Notice kind="warning">
            <span data-testid="picture-missing">
              {missing.length === 1 ? '1 trust has' : `${missing.length} trusts have`} not sent a return for this period
              and {missing.length === 1 ? 'is' : 'are'} not in these figures:{' '}
              {missing.map((m) => `${m.name} (${m.odsCode})`).join(', ')}.
            </span>
          </Notice>
        )}
        {included.length === 0 ? (
          <p>No trust has sent a return for this period yet. Add returns under Collected returns.</p>
        ) : (
          <DataTable<IcsPicture['included'][number]>
            caption={`Included (${included.length})`}
            testId="picture-included"
            rows={included}
            rowKey={(t) => t.odsCode}
            columns={[
              { id: 'name', header: 'Trust', rowHeader: true, cell: (t) => `${t.name} (${t.odsCode})` },
              { id: 'version', header: 'Version', numeric: true, cell: (t) => t.version },
              { id: 'asAt', header: 'Figures as at', cell: (t) => dateLabel(t.asAt) },
            ]}
          />
        )}
      </section>
      {included.length > 0 && <TrustsSideBySide comparison={comparison} />}
      {included.length > 0 && <MeasureCharts comparison={comparison} />}
      {included.length > 0 && <AddedUp picture={picture} />}
    </>
  );
}

function TrustsSideBySide({ comparison }: { comparison: Comparison }) {
  const { measures, trusts, ics, spread } = comparison;
  const summaryRow = (key: string, label: string, value: (m: MeasureColumn) => number | null | undefined) => ({
    key,
    label,
    cells: Object.fromEntries(measures.map((m) => [m.key, figure(value(m), m.unit)])),
  });
  const summaryRows: SummaryRow[] = [
    summaryRow('ics', 'ICS as a whole', (m) => ics[m.key]),
    summaryRow('lowest', 'Lowest trust', (m) => spread[m.key]?.lowest),
    summaryRow('median', 'Median trust', (m) => spread[m.key]?.median),
    summaryRow('highest', 'Highest trust', (m) => spread[m.key]?.highest),
  ];
  return (
    <section aria-labelledby="compare-title">
      <h2 id="compare-title">The trusts side by side</h2>
      <p>
        Sort by any measure with the buttons in the table's header. Under the trusts: the ICS as a whole and the spread.
      </p>
      <DataTable<TrustRow>
        caption="Trusts compared"
        testId="picture-comparison"
        scroll="ics-compare-scroll"
        className="ics-compare"
        rows={trusts}
        rowKey={(t) => t.odsCode}
        defaultSort={{ id: 'name', desc: false }}
        summaryRows={summaryRows}
        columns={[
          trustColumn<TrustRow>(),
          ...measures.map((m) => ({
            id: m.key,
            header: m.label,
            numeric: true,
            sortable: true,
            value: (t: TrustRow) => t.values[m.key] ?? null,
            cell: (t: TrustRow) => figure(t.values[m.key], m.unit),
          })),
        ]}
      />
    </section>
  );
}

/** A chart of each measure by trust, with its table beside it (the table reads the same figures). */
function MeasureCharts({ comparison }: { comparison: Comparison }) {
  return (
    <section aria-labelledby="charts-title">
      <h2 id="charts-title">Each measure by trust</h2>
      <p>For a rate, the dashed line is the ICS as a whole, worked out from the added-up counts.</p>
      {comparison.measures.map((m) => (
        <MeasureChart key={m.key} comparison={comparison} measure={m} />
      ))}
    </section>
  );
}

function MeasureChart({ comparison, measure }: { comparison: Comparison; measure: MeasureColumn }) {
  const { trusts, ics } = comparison;
  const rows = trusts
    .map((t) => ({ odsCode: t.odsCode, name: t.name, value: t.values[measure.key] ?? null }))
    .sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity));
  const drawn = rows.filter((r) => r.value !== null);
  const icsValue = ics[measure.key];
  // A rate for the ICS sits among the trusts' rates; a count for the ICS is their sum, off the trusts' scale.
  const icsLine = measure.unit === 'percent' && icsValue !== null && icsValue !== undefined ? icsValue : null;
  const caption = `${measure.label} by trust`;
  return (
    <>
      <h3>{measure.label}</h3>
      <div className="chart-and-table">
        {drawn.length === 0 ? (
          <p>No trust's return has the figures for this measure.</p>
        ) : (
          <ChartFigure
            label={`Chart: ${caption}`}
            caption={
              <>
                {caption}
                {icsLine !== null && (
                  <span className="hint"> (the line is the ICS as a whole: {figure(icsLine, measure.unit)})</span>
                )}
              </>
            }
            height={Math.max(160, drawn.length * 32 + 70)}
          >
            <BarChart data={drawn} layout="vertical" margin={{ left: 8, right: 24 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" tick={{ fill: CHART_TEXT }} />
              <YAxis type="category" dataKey="odsCode" width={56} tick={{ fill: CHART_TEXT }} />
              <Tooltip
                formatter={(v) => figure(Number(v), measure.unit)}
                labelFormatter={(ods) => drawn.find((r) => r.odsCode === ods)?.name ?? String(ods)}
              />
              <Bar dataKey="value" name={measure.label} fill={BLUE} isAnimationActive={false} />
              {icsLine !== null && (
                <ReferenceLine x={icsLine} stroke={CHART_TEXT} strokeDasharray="6 3" strokeWidth={2} />
              )}
            </BarChart>
          </ChartFigure>
        )}
        <DataTable<(typeof rows)[number]>
          caption={caption}
          testId={`picture-chart-table-${measure.key}`}
          rows={rows}
          rowKey={(r) => r.odsCode}
          summaryRows={[{ key: 'ics', label: 'ICS as a whole', cells: { value: figure(icsValue, measure.unit) } }]}
          columns={[
            { id: 'name', header: 'Trust', rowHeader: true, cell: (r) => `${r.name} (${r.odsCode})` },
            { id: 'value', header: measure.label, numeric: true, cell: (r) => figure(r.value, measure.unit) },
          ]}
        />
      </div>
    </>
  );
}

function AddedUp({ picture }: { picture: IcsPicture }) {
  return (
    <section aria-labelledby="added-title">
      <h2 id="added-title">Every section added up</h2>
      <p>
        Each table of the return, added up across the {picture.included.length} trusts included. Exact figures: small
        numbers are not hidden here.
      </p>
      <div data-testid="picture-tables">
        {SECTION_IDS.map((section) => {
          const tables = picture.tables.filter((t) => t.section === section);
          if (tables.length === 0) return null;
          return (
            <section key={section} aria-labelledby={`picture-section-${section}`}>
              <h3 id={`picture-section-${section}`}>
                {section}. {SECTION_TITLES[section]}
              </h3>
              {tables.map((t) => (
                <FigureTable key={t.id} table={t} threshold={0} />
              ))}
            </section>
          );
        })}
      </div>
    </section>
  );
}
