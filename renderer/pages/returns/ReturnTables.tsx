import { Fragment, useId } from 'react';
import { ScrollBox } from '../../components/ScrollBox';
import { dateLabel } from '../../../shared/common/periods';
import {
  SECTION_IDS,
  SECTION_TITLES,
  TOTAL,
  type ReturnCell,
  type ReturnContent,
  type ReturnTable,
} from '../../../shared/returns/channels';
import { HiddenMark } from './cells';
import { formatFigure } from './common';

export const RAG_LABELS = { red: 'Red', amber: 'Amber', green: 'Green' } as const;

/** Sections A to H of a return as the lead will send it: tables with captions and scoped headers, hidden cells marked. */
export function ReturnSections({ content }: { content: ReturnContent }) {
  const { about } = content;
  const threshold = about.disclosure.threshold;
  const uid = useId();
  return (
    <div data-testid="return-sections">
      {SECTION_IDS.map((section) => (
        <section key={section} aria-labelledby={`section-${section}`}>
          <h3 id={`section-${section}`}>
            {section}. {SECTION_TITLES[section]}
          </h3>
          {section === 'A' && (
            <dl className="summary-list">
              <Row
                term={about.organisationKind === 'ics' ? 'ICS' : 'Trust'}
                value={`${about.trustName} (${about.odsCode || 'no ODS code'})`}
              />
              <Row term="Integrated care system" value={about.ics} />
              <Row term="AHP faculty" value={about.ahpFaculty} />
              <Row
                term="Period"
                value={`${about.period}: ${dateLabel(about.periodStart)} to ${dateLabel(about.asAt)}`}
              />
              <Row term="Figures as at" value={dateLabel(about.asAt)} />
              <Row
                term={about.organisationKind === 'ics' ? 'Trust returns added up' : 'Imports used'}
                value={
                  about.imports.length === 0
                    ? 'None'
                    : about.imports
                        .map(
                          (i) =>
                            `${i.fileName} (${i.kind}, ${i.importedAt.slice(0, 10)}${i.sha256 ? `, SHA-256 ${i.sha256.slice(0, 12)}` : ''})`,
                        )
                        .join('; ')
                }
              />
              <Row term="Framework version" value={about.frameworkVersion} />
              <Row term="App version" value={about.appVersion} />
              <Row term="Small numbers" value={about.disclosure.rules} />
              <Row term="Prepared by" value={about.preparedBy} />
            </dl>
          )}
          {content.tables
            .filter((t) => t.section === section)
            .map((t) => (
              <FigureTable key={t.id} table={t} threshold={threshold} />
            ))}
          {section === 'G' && content.checklist.length > 0 && (
            <ScrollBox labelledBy={`${uid}-checklist`}>
              <table className="table">
                <caption id={`${uid}-checklist`}>First-phase checklist</caption>
                <thead>
                  <tr>
                    <th scope="col">Funding stream</th>
                    <th scope="col">Requirement</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {content.checklist.map((c, i) => (
                    <tr key={i}>
                      <td>{c.stream}</td>
                      <th scope="row">{c.text}</th>
                      <td>{c.done ? 'Done' : 'Not done'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollBox>
          )}
          {section === 'H' &&
            (content.readiness.length === 0 ? (
              <p>No readiness section has been written yet.</p>
            ) : (
              <ScrollBox labelledBy={`${uid}-readiness`}>
                <table className="table">
                  <caption id={`${uid}-readiness`}>Readiness against the first-phase requirements</caption>
                  <thead>
                    <tr>
                      <th scope="col">Requirement</th>
                      <th scope="col">RAG status</th>
                      <th scope="col">What was done</th>
                      <th scope="col">Next actions</th>
                      <th scope="col">Risks</th>
                    </tr>
                  </thead>
                  <tbody>
                    {content.readiness.map((r) => (
                      <tr key={r.requirement}>
                        <th scope="row">{r.requirementText}</th>
                        <td>{r.rag ? RAG_LABELS[r.rag] : 'Not set'}</td>
                        <td>{r.done}</td>
                        <td>
                          {r.nextActions.length > 0 && (
                            <ul>
                              {r.nextActions.map((a, i) => (
                                <li key={i}>
                                  {a.action} ({a.owner}, by {dateLabel(a.due)})
                                </li>
                              ))}
                            </ul>
                          )}
                        </td>
                        <td>{r.risks}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollBox>
            ))}
        </section>
      ))}
    </div>
  );
}

function Row({ term, value }: { term: string; value: string }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** The key of a cell in a table, for lookups. */
const cellKey = (row: string, column: string, measure: string) => `${row}\u0000${column}\u0000${measure}`;

/**
 * One table of a return: rows by columns, and when it has several measures a header row of measures under each
 * column. Hidden cells show their mark and reason; totals are bold.
 */
export function FigureTable({
  table,
  threshold,
  changed,
}: {
  table: ReturnTable;
  threshold: number;
  /** Cells to highlight (compare view): key -> the figure before, in words. */
  changed?: ReadonlyMap<string, string>;
}) {
  const cells = new Map<string, ReturnCell>(table.cells.map((c) => [cellKey(c.row, c.column, c.measure), c]));
  // Each column shows only the measures it has (B3's "Vacancy rate" is a percentage, its "In-post FTE" an FTE).
  const columns = table.columns.map((c) => {
    const own = table.measures.filter((m) => table.cells.some((x) => x.column === c.key && x.measure === m.key));
    return { ...c, measures: own.length > 0 ? own : table.measures };
  });
  const oneColumn = columns.length === 1;
  const twoRows = !oneColumn && columns.some((c) => c.measures.length > 1);
  const headerOf = (c: (typeof columns)[number], m: (typeof table.measures)[number]) =>
    c.measures.length > 1 || (oneColumn && table.measures.length > 1) ? m.label : c.label;
  const captionId = useId();
  return (
    <div>
      <ScrollBox labelledBy={captionId}>
        <table className="table return-table" data-table={table.id}>
          <caption id={captionId}>
            {table.id}: {table.title}
          </caption>
          <thead>
            {twoRows ? (
              <>
                <tr>
                  <th scope="col" rowSpan={2}>
                    {sentenceCase(table.rowDimension)}
                  </th>
                  {columns.map((c) =>
                    c.measures.length > 1 ? (
                      <th key={c.key} scope="colgroup" colSpan={c.measures.length}>
                        {c.label}
                      </th>
                    ) : (
                      <th key={c.key} scope="col" rowSpan={2} className="num">
                        {c.label}
                      </th>
                    ),
                  )}
                </tr>
                <tr>
                  {columns.map((c) =>
                    c.measures.length > 1
                      ? c.measures.map((m) => (
                          <th key={`${c.key}/${m.key}`} scope="col" className="num">
                            {m.label}
                          </th>
                        ))
                      : null,
                  )}
                </tr>
              </>
            ) : (
              <tr>
                <th scope="col">{sentenceCase(table.rowDimension)}</th>
                {columns.map((c) =>
                  c.measures.map((m) => (
                    <th key={`${c.key}/${m.key}`} scope="col" className="num">
                      {headerOf(c, m)}
                    </th>
                  )),
                )}
              </tr>
            )}
          </thead>
          <tbody>
            {table.rows.map((r) => (
              <tr key={r.key} className={r.key === TOTAL ? 'return-total' : undefined}>
                <th scope="row">{r.label}</th>
                {columns.map((c) => (
                  <Fragment key={c.key}>
                    {c.measures.map((m) => {
                      const cell = cells.get(cellKey(r.key, c.key, m.key));
                      const before = changed?.get(`${table.id}\u0000${cellKey(r.key, c.key, m.key)}`);
                      return (
                        <td
                          key={m.key}
                          className={`num${before !== undefined ? ' return-changed' : ''}`}
                          data-cell={`${r.key}|${c.key}|${m.key}`}
                        >
                          {cell === undefined ? (
                            ''
                          ) : cell.status === 'exact' && cell.value !== null ? (
                            formatFigure(cell.value, m.unit)
                          ) : (
                            <HiddenMark status={cell.status} threshold={threshold} />
                          )}
                          {before !== undefined && <span className="return-was"> (changed; was {before})</span>}
                        </td>
                      );
                    })}
                  </Fragment>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      {table.note && <p className="hint">{table.note}</p>}
    </div>
  );
}

export const figureKey = (table: string, row: string, column: string, measure: string) =>
  `${table}\u0000${cellKey(row, column, measure)}`;

const sentenceCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
