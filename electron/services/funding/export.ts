import type { FileData } from '../../../shared/common/api';
import type { FundingReport, LineReport } from '../../../shared/funding/report';
import {
  AIM_CODES,
  FUNDING_SOURCE_LABELS,
  PROGRAMME_AIMS,
  REQUIREMENT_CODES,
  FIRST_PHASE_CONDITIONS,
} from '../../../shared/funding/streams';
import type { DB } from '../../db/connection';
import type { Actor } from '../common/audit';
import { CSV_MIME, toCsv, toXlsx, XLSX_MIME, type CellValue, type Column, type Sheet } from '../common/export-table';

/** The spend report as an Excel workbook (one sheet per view) or a CSV of the plan lines. Money as pounds. */

const aimLabels = (codes: readonly string[]) =>
  codes
    .map((c) => ((AIM_CODES as readonly string[]).includes(c) ? PROGRAMME_AIMS[c as (typeof AIM_CODES)[number]] : c))
    .join('; ');
const requirementLabels = (codes: readonly string[]) =>
  codes
    .map((c) =>
      (REQUIREMENT_CODES as readonly string[]).includes(c) ? FIRST_PHASE_CONDITIONS.find((r) => r.code === c)!.text : c,
    )
    .join('; ');

function linesSheet(report: FundingReport): Sheet {
  const months = report.months.map((m) => m.label);
  const columns: Column[] = [
    { header: 'Financial year', type: 'text', width: 10 },
    { header: 'Funding stream', type: 'text' },
    { header: 'Category', type: 'text', width: 22 },
    { header: 'Plan line', type: 'text', width: 36 },
    { header: 'Programme aims', type: 'text', width: 30 },
    { header: 'First-phase requirements', type: 'text', width: 30 },
    { header: 'Phasing', type: 'text', width: 12 },
    { header: 'Planned', type: 'money' },
    { header: 'Committed', type: 'money' },
    { header: 'Actual', type: 'money' },
    { header: 'Forecast outturn', type: 'money' },
    { header: 'Variance (planned - forecast)', type: 'money', width: 16 },
    ...months.map((m): Column => ({ header: `Plan ${m}`, type: 'money' })),
    ...months.map((m): Column => ({ header: `Actual ${m}`, type: 'money' })),
  ];
  const row = (l: LineReport): CellValue[] => [
    report.financialYear,
    l.streamName,
    l.categoryLabel,
    l.description,
    aimLabels(l.aims),
    requirementLabels(l.requirements),
    l.profile,
    l.plannedPence,
    l.committedPence,
    l.actualPence,
    l.forecastPence,
    l.variancePence,
    ...l.planByMonth,
    ...l.actualByMonth,
  ];
  const rows = report.lines.map(row);
  if (report.unallocated.count > 0) {
    rows.push([
      report.financialYear,
      '',
      '',
      `Not allocated to a plan line (${report.unallocated.count} entries)`,
      '',
      '',
      '',
      null,
      report.unallocated.committedPence,
      report.unallocated.actualPence,
      null,
      null,
    ]);
  }
  return { name: 'Plan lines', columns, rows };
}

export function reportSheets(
  report: FundingReport,
  ledger: {
    date: string;
    kind: string;
    amountPence: number;
    description: string;
    costCentre: string;
    accountCode: string;
    line: string | null;
  }[],
): Sheet[] {
  const streams: Sheet = {
    name: 'Streams',
    columns: [
      { header: 'Funding stream', type: 'text' },
      { header: 'Source', type: 'text', width: 24 },
      { header: 'Financial year', type: 'text', width: 10 },
      { header: 'Owner', type: 'text', width: 18 },
      { header: 'Deadline', type: 'date' },
      { header: 'Allocated', type: 'money' },
      { header: 'Received', type: 'money' },
      { header: 'Planned', type: 'money' },
      { header: 'Committed', type: 'money' },
      { header: 'Actual', type: 'money' },
      { header: 'Forecast outturn', type: 'money' },
      { header: 'Variance (allocated - forecast)', type: 'money', width: 16 },
      { header: 'Unspent (allocated - actual - committed)', type: 'money', width: 18 },
      { header: 'Conditions met', type: 'text', width: 10 },
      { header: 'Warnings', type: 'text', width: 60 },
    ],
    rows: [
      ...report.streams.map((s): CellValue[] => [
        s.name,
        FUNDING_SOURCE_LABELS[s.source],
        s.financialYear,
        s.owner,
        s.deadline,
        s.allocatedPence,
        s.receivedPence,
        s.plannedPence,
        s.committedPence,
        s.actualPence,
        s.forecastPence,
        s.variancePence,
        s.unspentPence,
        `${s.checklist.filter((c) => c.done).length} of ${s.checklist.length}`,
        s.warnings.map((w) => w.message).join(' '),
      ]),
      [
        'Total',
        '',
        report.financialYear,
        '',
        null,
        report.totals.allocatedPence,
        report.totals.receivedPence,
        report.totals.plannedPence,
        report.totals.committedPence,
        report.totals.actualPence,
        report.totals.forecastPence,
        report.totals.variancePence,
        report.totals.unspentPence,
        '',
        '',
      ],
    ],
  };
  const months: Sheet = {
    name: 'By month',
    columns: [
      { header: 'Month', type: 'text', width: 10 },
      { header: 'Planned', type: 'money' },
      { header: 'Committed', type: 'money' },
      { header: 'Actual', type: 'money' },
      { header: 'Cumulative planned', type: 'money' },
      { header: 'Cumulative actual', type: 'money' },
    ],
    rows: report.byMonth.map((m) => [
      m.label,
      m.plannedPence,
      m.committedPence,
      m.actualPence,
      m.cumulativePlannedPence,
      m.cumulativeActualPence,
    ]),
  };
  const categories: Sheet = {
    name: 'By category',
    columns: [
      { header: 'Category', type: 'text' },
      { header: 'Planned', type: 'money' },
      { header: 'Committed', type: 'money' },
      { header: 'Actual', type: 'money' },
      { header: 'Forecast outturn', type: 'money' },
    ],
    rows: report.byCategory.map((c) => [c.label, c.plannedPence, c.committedPence, c.actualPence, c.forecastPence]),
  };
  const ledgerSheet: Sheet = {
    name: 'Ledger',
    columns: [
      { header: 'Date', type: 'date' },
      { header: 'Kind', type: 'text', width: 12 },
      { header: 'Amount', type: 'money' },
      { header: 'Description', type: 'text', width: 40 },
      { header: 'Cost centre', type: 'text', width: 12 },
      { header: 'Account code', type: 'text', width: 12 },
      { header: 'Plan line', type: 'text', width: 40 },
    ],
    rows: ledger.map((e) => [
      e.date,
      e.kind,
      e.amountPence,
      e.description,
      e.costCentre,
      e.accountCode,
      e.line ?? 'Not allocated',
    ]),
  };
  const about: Sheet = {
    name: 'About',
    columns: [
      { header: 'Item', type: 'text', width: 24 },
      { header: 'Value', type: 'text', width: 90 },
    ],
    rows: [
      ['Financial year', report.financialYear],
      ['As at', report.asAt],
      ['Months closed', String(report.monthsClosed)],
      [
        'Forecast method',
        `${
          report.method === 'plan'
            ? 'Actuals for closed months plus the plan for the months still to come'
            : 'Run-rate: actuals of the closed months / months closed x 12'
        }; never less than the actuals to date. Ledger entries dated after the As at day are left out.`,
      ],
      ...report.warnings.map((w): CellValue[] => ['Warning', w.message]),
    ],
  };
  return [streams, linesSheet(report), months, categories, ledgerSheet, about];
}

/** The year's ledger entries up to the report's as-at day, as its figures count them. */
function ledgerRows(db: DB, report: FundingReport) {
  const from = `${report.months[0]!.month}-01`;
  const yearEnd = `${report.months[11]!.month}-31`;
  const to = report.asAt < yearEnd ? report.asAt : yearEnd;
  return db
    .prepare(
      `SELECT e.entry_date AS date, e.kind, e.amount_pence AS amountPence, e.description, e.cost_centre AS costCentre, e.account_code AS accountCode,
              CASE WHEN l.id IS NULL THEN NULL ELSE s.name || ': ' || l.description END AS line
       FROM funding_ledger_entry e
       LEFT JOIN funding_plan_line l ON l.id = e.plan_line_id
       LEFT JOIN funding_stream s ON s.id = l.stream_id
       WHERE e.entry_date BETWEEN ? AND ? ORDER BY e.entry_date, e.id`,
    )
    .all(from, to) as {
    date: string;
    kind: string;
    amountPence: number;
    description: string;
    costCentre: string;
    accountCode: string;
    line: string | null;
  }[];
}

export async function exportReport(
  db: DB,
  actor: Actor,
  report: FundingReport,
  format: 'xlsx' | 'csv',
): Promise<FileData> {
  const base = `funding-report-${report.financialYear.replace('/', '-')}-as-at-${report.asAt}`;
  if (format === 'csv') {
    return { fileName: `${base}.csv`, mimeType: CSV_MIME, base64: toCsv(linesSheet(report)).toString('base64') };
  }
  const bytes = await toXlsx(reportSheets(report, ledgerRows(db, report)), {
    creator: actor.user,
    created: actor.now(),
  });
  return { fileName: `${base}.xlsx`, mimeType: XLSX_MIME, base64: bytes.toString('base64') };
}
