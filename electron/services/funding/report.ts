import {
  forecastOutturn,
  fundingWarnings,
  monthsClosedAt,
  variance,
  type ForecastMethod,
} from '../../../shared/funding/forecast';
import { cumulative } from '../../../shared/funding/plan';
import type { FundingReport, LineReport, StreamReport } from '../../../shared/funding/report';
import type { ConditionItem, Receipt } from '../../../shared/funding/streams';
import { sumPence } from '../../../shared/common/money';
import { financialMonthIndex, financialYearRange, monthLabel, monthsOf } from '../../../shared/common/periods';
import type { DB } from '../../db/connection';
import { readLines, type LineRow } from './lines';

/**
 * The year's figures as at a day, all computed from integer pence: plan (phased by month), commitments and actuals
 * (from the ledger entries dated on or before the as-at day: a report as at 31 December leaves out January's spend),
 * forecast outturn by the chosen method (never below the actuals to date), unspent, variance and warnings. One
 * read, no writes.
 */

interface StreamRow {
  id: number;
  source: StreamReport['source'];
  name: string;
  financialYear: string;
  allocatedPence: number;
  conditions: string;
  deadline: string | null;
  owner: string;
}

export const STREAM_SELECT = `SELECT id, source, name, financial_year AS financialYear, allocated_pence AS allocatedPence,
  conditions, deadline, owner FROM funding_stream`;

export function streamDetails(
  db: DB,
  ids: readonly number[],
): { receipts: Map<number, Receipt[]>; checklist: Map<number, ConditionItem[]> } {
  const receipts = new Map<number, Receipt[]>();
  const checklist = new Map<number, ConditionItem[]>();
  if (ids.length === 0) return { receipts, checklist };
  const list = JSON.stringify(ids);
  for (const r of db
    .prepare(
      `SELECT stream_id AS streamId, received_on AS date, amount_pence AS amountPence FROM funding_receipt
       WHERE stream_id IN (SELECT value FROM json_each(?)) ORDER BY stream_id, sort`,
    )
    .all(list) as { streamId: number; date: string; amountPence: number }[]) {
    const items = receipts.get(r.streamId) ?? [];
    items.push({ date: r.date, amountPence: r.amountPence });
    receipts.set(r.streamId, items);
  }
  for (const c of db
    .prepare(
      `SELECT stream_id AS streamId, text, done FROM funding_condition
       WHERE stream_id IN (SELECT value FROM json_each(?)) ORDER BY stream_id, sort`,
    )
    .all(list) as { streamId: number; text: string; done: number }[]) {
    const items = checklist.get(c.streamId) ?? [];
    items.push({ text: c.text, done: c.done === 1 });
    checklist.set(c.streamId, items);
  }
  return { receipts, checklist };
}

const zeros = () => Array.from({ length: 12 }, () => 0);

export function buildReport(
  db: DB,
  input: { financialYear: string; asAt: string; method: ForecastMethod },
): FundingReport {
  const { financialYear, asAt, method } = input;
  const { from, to } = financialYearRange(financialYear);
  const monthsClosed = monthsClosedAt(financialYear, asAt);
  const months = monthsOf(financialYear);

  const streamRows = db
    .prepare(`${STREAM_SELECT} WHERE financial_year = ? ORDER BY name, id`)
    .all(financialYear) as StreamRow[];
  const details = streamDetails(
    db,
    streamRows.map((s) => s.id),
  );
  const ledger = ledgerByLine(db, financialYear, asAt);
  const streamNames = new Map(streamRows.map((s) => [s.id, s.name]));
  const lines = readLines(db, { financialYear, streamId: null }).map((l) =>
    lineReport(l, ledger.get(l.id) ?? noLedger(), streamNames.get(l.streamId) ?? '', monthsClosed, method),
  );
  const streams = streamRows.map((s) => streamReport(s, lines, details, financialYear, asAt));
  const monthly = monthlyTotals(lines);
  const cumulativePlan = cumulative(monthly.planned);
  const cumulativeActual = cumulative(monthly.actual);
  const unallocated = unallocatedEntries(db, from, asAt < to ? asAt : to);

  return {
    financialYear,
    asAt,
    method,
    monthsClosed,
    months: months.map((m) => ({ month: m, label: monthLabel(m) })),
    streams,
    lines,
    totals: reportTotals(streams),
    byMonth: months.map((m, i) => ({
      month: m,
      label: monthLabel(m),
      plannedPence: monthly.planned[i]!,
      committedPence: monthly.committed[i]!,
      actualPence: monthly.actual[i]!,
      cumulativePlannedPence: cumulativePlan[i]!,
      cumulativeActualPence: cumulativeActual[i]!,
    })),
    byCategory: categoryTotals(lines),
    unallocated,
    warnings: [
      ...streams.flatMap((s) =>
        s.warnings.map((w) => ({ streamId: s.id, code: w.code, message: `${s.name}: ${w.message}` })),
      ),
      ...unallocatedWarning(unallocated.count, financialYear),
    ],
  };
}

/** A plan line's ledger as at a day: actuals and commitments by month of the year, and in total. */
interface LineLedger {
  actual: number[];
  committed: number[];
  actualTotal: number;
  committedTotal: number;
}
const noLedger = (): LineLedger => ({ actual: zeros(), committed: zeros(), actualTotal: 0, committedTotal: 0 });

/**
 * Ledger totals of the year's plan lines by line, kind and calendar month, of the entries dated on or before the
 * as-at day: one grouped scan over a covering index.
 */
function ledgerByLine(db: DB, financialYear: string, asAt: string): Map<number, LineLedger> {
  const { from, to } = financialYearRange(financialYear);
  const rows = db
    .prepare(
      `SELECT e.plan_line_id AS lineId, e.kind, substr(e.entry_date, 1, 7) AS month, sum(e.amount_pence) AS pence
       FROM funding_ledger_entry e
       WHERE e.plan_line_id IN (SELECT l.id FROM funding_plan_line l JOIN funding_stream s ON s.id = l.stream_id WHERE s.financial_year = ?)
         AND e.entry_date <= ?
       GROUP BY e.plan_line_id, e.kind, month`,
    )
    .all(financialYear, asAt) as { lineId: number; kind: 'actual' | 'commitment'; month: string; pence: number }[];
  const byLine = new Map<number, LineLedger>();
  for (const r of rows) {
    const entry = byLine.get(r.lineId) ?? noLedger();
    const inYear = r.month >= from.slice(0, 7) && r.month <= to.slice(0, 7);
    if (r.kind === 'actual') {
      entry.actualTotal = sumPence([entry.actualTotal, r.pence]);
      if (inYear)
        entry.actual[financialMonthIndex(r.month)] = sumPence([entry.actual[financialMonthIndex(r.month)]!, r.pence]);
    } else {
      entry.committedTotal = sumPence([entry.committedTotal, r.pence]);
      if (inYear)
        entry.committed[financialMonthIndex(r.month)] = sumPence([
          entry.committed[financialMonthIndex(r.month)]!,
          r.pence,
        ]);
    }
    byLine.set(r.lineId, entry);
  }
  return byLine;
}

function lineReport(
  l: LineRow,
  ledger: LineLedger,
  streamName: string,
  monthsClosed: number,
  method: ForecastMethod,
): LineReport {
  const forecast = forecastOutturn({
    planByMonth: l.monthlyPence,
    actualByMonth: ledger.actual,
    asAtMonthIndex: monthsClosed - 1,
    method,
  });
  return {
    ...l,
    actualPence: ledger.actualTotal,
    committedPence: ledger.committedTotal,
    streamName,
    plannedPence: l.totalPence,
    forecastPence: forecast.outturnPence,
    variancePence: variance(l.totalPence, forecast.outturnPence).variancePence,
    planByMonth: l.monthlyPence,
    actualByMonth: ledger.actual,
    committedByMonth: ledger.committed,
  };
}

function streamReport(
  s: StreamRow,
  lines: readonly LineReport[],
  details: ReturnType<typeof streamDetails>,
  financialYear: string,
  asAt: string,
): StreamReport {
  const own = lines.filter((l) => l.streamId === s.id);
  const plannedPence = sumPence(own.map((l) => l.plannedPence));
  const actualPence = sumPence(own.map((l) => l.actualPence));
  const committedPence = sumPence(own.map((l) => l.committedPence));
  // The stream's forecast is the sum of its lines' forecasts, so the tables always add up.
  const forecastPence = sumPence(own.map((l) => l.forecastPence));
  const receipts = details.receipts.get(s.id) ?? [];
  const receivedPence = sumPence(receipts.map((r) => r.amountPence));
  const checklist = details.checklist.get(s.id) ?? [];
  const warnings = fundingWarnings({
    allocatedPence: s.allocatedPence,
    forecastPence,
    financialYear,
    plannedPence,
    receivedPence,
    deadline: s.deadline,
    openConditions: checklist.filter((c) => !c.done).length,
    asAtDate: asAt,
  });
  return {
    ...s,
    receipts,
    receivedPence,
    checklist,
    plannedPence,
    actualPence,
    committedPence,
    forecastPence,
    warnings,
    variancePence: variance(s.allocatedPence, forecastPence).variancePence,
    unspentPence: sumPence([s.allocatedPence, -actualPence, -committedPence]),
    lineCount: own.length,
  };
}

function monthlyTotals(lines: readonly LineReport[]): { planned: number[]; actual: number[]; committed: number[] } {
  const planned = zeros();
  const actual = zeros();
  const committed = zeros();
  for (const l of lines) {
    for (let i = 0; i < 12; i++) {
      planned[i] = sumPence([planned[i]!, l.planByMonth[i]!]);
      actual[i] = sumPence([actual[i]!, l.actualByMonth[i]!]);
      committed[i] = sumPence([committed[i]!, l.committedByMonth[i]!]);
    }
  }
  return { planned, actual, committed };
}

/** Totals by category, in the order each category's first line comes. */
function categoryTotals(lines: readonly LineReport[]): FundingReport['byCategory'] {
  const categories = new Map<string, FundingReport['byCategory'][number]>();
  for (const l of lines) {
    const c = categories.get(l.category) ?? {
      category: l.category,
      label: l.categoryLabel,
      plannedPence: 0,
      committedPence: 0,
      actualPence: 0,
      forecastPence: 0,
    };
    c.plannedPence = sumPence([c.plannedPence, l.plannedPence]);
    c.committedPence = sumPence([c.committedPence, l.committedPence]);
    c.actualPence = sumPence([c.actualPence, l.actualPence]);
    c.forecastPence = sumPence([c.forecastPence, l.forecastPence]);
    categories.set(l.category, c);
  }
  return [...categories.values()];
}

function reportTotals(streams: readonly StreamReport[]): FundingReport['totals'] {
  const sum = (pick: (s: StreamReport) => number) => sumPence(streams.map(pick));
  return {
    allocatedPence: sum((s) => s.allocatedPence),
    receivedPence: sum((s) => s.receivedPence),
    plannedPence: sum((s) => s.plannedPence),
    committedPence: sum((s) => s.committedPence),
    actualPence: sum((s) => s.actualPence),
    forecastPence: sum((s) => s.forecastPence),
    variancePence: sum((s) => s.variancePence),
    unspentPence: sum((s) => s.unspentPence),
  };
}

/** Ledger entries dated in the year, up to the as-at day (`to`), that no plan line holds yet. */
function unallocatedEntries(db: DB, from: string, to: string): FundingReport['unallocated'] {
  return db
    .prepare(
      `SELECT count(*) AS count,
              coalesce(sum(CASE WHEN kind = 'actual' THEN amount_pence END), 0) AS actualPence,
              coalesce(sum(CASE WHEN kind = 'commitment' THEN amount_pence END), 0) AS committedPence
       FROM funding_ledger_entry WHERE plan_line_id IS NULL AND entry_date BETWEEN ? AND ?`,
    )
    .get(from, to) as FundingReport['unallocated'];
}

function unallocatedWarning(count: number, financialYear: string): FundingReport['warnings'] {
  if (count === 0) return [];
  return [
    {
      streamId: null,
      code: 'unallocated',
      message: `${count} ledger ${count === 1 ? 'entry' : 'entries'} dated in ${financialYear} ${count === 1 ? 'is' : 'are'} not allocated to a plan line yet. Review them on the Ledger tab.`,
    },
  ];
}
