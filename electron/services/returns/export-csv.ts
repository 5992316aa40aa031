import { neutraliseCsvText } from '../common/export-table';
import type { CellStatus, MeasureUnit, ReturnTable } from '../../../shared/returns/channels';
import type { ReturnFile } from '../../../shared/returns/file';

/**
 * The return as a tidy CSV: one row a published cell, for the ICS to load into its own tools and for Excel
 * pivots. UTF-8 with a byte order mark (so Excel reads the pound sign and accents) and CRLF lines. Every text that
 * Excel would run as a formula gets a leading single quote; numbers are written by their unit with a fixed
 * number of decimals, so a value never picks up floating-point noise.
 *
 * Besides the figure tables, the first-phase checklist (table `G-checklist`) and the lead's readiness text
 * (`H-readiness`) are rows too, with text values, so the CSV carries the whole return.
 */

export const TIDY_COLUMNS = [
  'ods_code',
  'period',
  'version',
  'section',
  'table',
  'row_dimension',
  'row',
  'column_dimension',
  'column',
  'measure',
  'value',
  'status',
] as const;

export type TidyRow = Record<(typeof TIDY_COLUMNS)[number], string>;

export const CHECKLIST_TABLE = 'G-checklist';
export const READINESS_TABLE = 'H-readiness';

/** A figure as the CSV writes it: counts whole, FTE to 2 decimals, percentages to 1, money in pounds and pence. */
export function figureText(value: number, unit: MeasureUnit): string {
  switch (unit) {
    case 'count':
      return String(Math.round(value));
    case 'fte':
      return value.toFixed(2);
    case 'percent':
      return value.toFixed(1);
    case 'pence': {
      const abs = Math.abs(Math.round(value));
      return `${value < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
    }
  }
}

function tableRows(file: ReturnFile, table: ReturnTable): TidyRow[] {
  const units = new Map(table.measures.map((m) => [m.key, m.unit]));
  return table.cells.map((cell) => ({
    ods_code: file.about.odsCode,
    period: file.about.period,
    version: String(file.return.version),
    section: table.section,
    table: table.id,
    row_dimension: table.rowDimension,
    row: cell.row,
    column_dimension: table.columnDimension,
    column: cell.column,
    measure: cell.measure,
    value: cell.value === null ? '' : figureText(cell.value, units.get(cell.measure) ?? 'count'),
    status: cell.status,
  }));
}

function textRows(file: ReturnFile): TidyRow[] {
  const base = { ods_code: file.about.odsCode, period: file.about.period, version: String(file.return.version) };
  const exact: CellStatus = 'exact';
  const checklist = file.checklist.map((item): TidyRow => ({
    ...base,
    section: 'G',
    table: CHECKLIST_TABLE,
    row_dimension: 'stream',
    row: item.stream,
    column_dimension: 'requirement',
    column: item.text,
    measure: 'done',
    value: item.done ? 'yes' : 'no',
    status: exact,
  }));
  const readiness = file.readiness.flatMap((item) => {
    const row = (column: string, value: string): TidyRow => ({
      ...base,
      section: 'H',
      table: READINESS_TABLE,
      row_dimension: 'requirement',
      row: item.requirement,
      column_dimension: 'field',
      column,
      measure: 'text',
      value,
      status: exact,
    });
    return [
      row('requirement', item.requirementText),
      row('rag', item.rag ?? ''),
      row('done', item.done),
      row('risks', item.risks),
      ...item.nextActions.flatMap((a, i) => [
        row(`action ${i + 1}`, a.action),
        row(`action ${i + 1} owner`, a.owner),
        row(`action ${i + 1} due`, a.due),
      ]),
    ];
  });
  return [...checklist, ...readiness];
}

/** Every row of the tidy CSV, in the return's order: the tables of B to G, then the checklist and readiness. */
export function tidyRows(file: ReturnFile): TidyRow[] {
  return [...file.tables.flatMap((t) => tableRows(file, t)), ...textRows(file)];
}

/** A plain number such as -12.50 is data, not a formula: it keeps its sign. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

function csvField(text: string): string {
  const safe = PLAIN_NUMBER.test(text) ? text : neutraliseCsvText(text);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function returnCsv(file: ReturnFile): Buffer {
  const lines = [TIDY_COLUMNS.join(',')];
  for (const row of tidyRows(file)) lines.push(TIDY_COLUMNS.map((c) => csvField(row[c])).join(','));
  return Buffer.concat([BOM, Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}
