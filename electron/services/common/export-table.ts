import type ExcelJS from 'exceljs';
import type { FileData } from '../../../shared/common/api';
import { todayIso } from '../../../shared/common/clock';
import { isSmallCount, SMALL_COUNT_THRESHOLD } from '../../../shared/picture/metrics';
import type { Actor } from './audit';

/**
 * Tables to CSV and XLSX for leads who live in Excel. Both defend against formula injection: XLSX cells are
 * typed values (a text that starts with = + - @ stays text, never a formula), and CSV cells that Excel would
 * read as a formula are prefixed with a single quote. CSV is UTF-8 with a byte order mark and CRLF lines.
 *
 * Counts of people are not protected for publication here (the screens do not suppress them either): a column
 * marked `peopleCount` has its counts from 1 to SMALL_COUNT_THRESHOLD marked * as on the screens, and its sheet
 * says so in a note row above the header. In XLSX the mark is the cell's number format, so the cell stays a
 * number that sums; CSV has no formats, so the mark goes in a column of its own after the count, never into the
 * number.
 */

export type ColumnType = 'text' | 'integer' | 'decimal' | 'money' | 'date';
export interface Column {
  header: string;
  type: ColumnType;
  /** Characters; a sensible default by type. */
  width?: number;
  /** A count of people: values from 1 to SMALL_COUNT_THRESHOLD are marked as small, and the sheet gets the note. */
  peopleCount?: boolean;
}
/** text: string; integer/decimal: number; money: integer pence; date: ISO YYYY-MM-DD. null = empty cell. */
export type CellValue = string | number | null;
export interface Sheet {
  name: string;
  columns: Column[];
  rows: CellValue[][];
  /**
   * A note written as the file's first row, above the header. A sheet with a `peopleCount` column always gets
   * SMALL_COUNTS_NOTE (and this after it); set PEOPLE_ROWS_NOTE on a sheet with one row per person.
   */
  note?: string;
}

export const SMALL_COUNT_MARK = '*';

/** The first row of every export with counts of people in it. */
export const SMALL_COUNTS_NOTE =
  `Counts are not protected for publication: values from 1 to ${SMALL_COUNT_THRESHOLD} are marked ` +
  `${SMALL_COUNT_MARK} (small). For use inside the trust only; suppress or round small counts before sharing ` +
  `outside it.`;

/** The first row of an export with one row per person: counting its rows gives unprotected counts. */
export const PEOPLE_ROWS_NOTE =
  `One row per person: counts made from these rows are not protected for publication (values from 1 to ` +
  `${SMALL_COUNT_THRESHOLD} can identify people). For use inside the trust only.`;

/** The note row a sheet is written with, if any. */
export function sheetNote(sheet: Sheet): string | null {
  const notes = [sheet.columns.some((c) => c.peopleCount) ? SMALL_COUNTS_NOTE : null, sheet.note ?? null];
  return notes.filter((n) => n !== null).join(' ') || null;
}

const isMarked = (column: Column, value: CellValue) =>
  column.peopleCount === true && typeof value === 'number' && isSmallCount(value);

const FORMULA_START = /^[=+\-@\t\r]/;

/** What Excel would run as a formula is written as text: a leading single quote, as OWASP recommends. */
export function neutraliseCsvText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function penceText(pence: number): string {
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(pence);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function csvCell(value: CellValue, type: ColumnType): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'number') text = type === 'money' ? penceText(value) : String(value);
  else text = neutraliseCsvText(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The header of the column that carries a count's small mark in CSV. */
export const smallMarkHeader = (column: Column) => `${column.header}: small (1 to ${SMALL_COUNT_THRESHOLD})`;

export function toCsv(sheet: Sheet): Buffer {
  const lines: string[] = [];
  const note = sheetNote(sheet);
  if (note !== null) lines.push(csvCell(note, 'text'));
  const header = (c: Column) => (c.peopleCount ? [c.header, smallMarkHeader(c)] : [c.header]);
  lines.push(sheet.columns.flatMap((c) => header(c).map((h) => csvCell(h, 'text'))).join(','));
  for (const row of sheet.rows) {
    const cells = sheet.columns.flatMap((c, i) => {
      const value = row[i] ?? null;
      const text = csvCell(value, c.type);
      return c.peopleCount ? [text, isMarked(c, value) ? SMALL_COUNT_MARK : ''] : [text];
    });
    lines.push(cells.join(','));
  }
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}

const NUM_FMT: Partial<Record<ColumnType, string>> = {
  integer: '#,##0',
  decimal: '#,##0.00',
  money: '"£"#,##0.00',
  date: 'dd/mm/yyyy',
};
const WIDTH: Record<ColumnType, number> = { text: 28, integer: 12, decimal: 12, money: 14, date: 12 };

function xlsxValue(value: CellValue, type: ColumnType): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return type === 'money' ? value / 100 : value;
  if (type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T00:00:00Z`);
  // A plain string: exceljs writes it as a shared string, never as a formula, whatever it starts with.
  return value;
}

/** The screens' colour for small counts and for the note that explains them. */
const MARK_COLOUR = { argb: 'FF8A1538' };
/** A small count as the screens show it, `3*`, while the cell keeps the number. */
const SMALL_COUNT_FMT = `#,##0"${SMALL_COUNT_MARK}"`;

export async function toXlsx(sheets: Sheet[], meta: { creator: string; created: Date }): Promise<Buffer> {
  // Loaded when a workbook is made, so starting the command line does not parse it (2.4 MB).
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = meta.creator;
  workbook.created = meta.created;
  for (const sheet of sheets) {
    const note = sheetNote(sheet);
    // The header is the first row, or the second under a note; it stays in view either way.
    const headerRow = note === null ? 1 : 2;
    const ws = workbook.addWorksheet(sheet.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: headerRow }] });
    ws.columns = sheet.columns.map((c) => ({
      width: c.width ?? WIDTH[c.type],
      style: NUM_FMT[c.type] ? { numFmt: NUM_FMT[c.type] } : {},
    }));
    if (note !== null) {
      const cell = ws.addRow([note]).getCell(1);
      cell.numFmt = '@';
      cell.font = { bold: true, color: MARK_COLOUR };
    }
    ws.addRow(sheet.columns.map((c) => c.header)).font = { bold: true };
    for (const row of sheet.rows) {
      const added = ws.addRow(sheet.columns.map((c, i) => xlsxValue(row[i] ?? null, c.type)));
      sheet.columns.forEach((c, i) => {
        if (!isMarked(c, row[i] ?? null)) return;
        const cell = added.getCell(i + 1);
        cell.numFmt = SMALL_COUNT_FMT;
        cell.font = { bold: true, color: MARK_COLOUR };
      });
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const CSV_MIME = 'text/csv';
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type ExportFormat = 'xlsx' | 'csv';

/** One sheet as a file to save: `<name>-<today>.<format>`. */
export async function sheetFile(actor: Actor, name: string, sheet: Sheet, format: ExportFormat): Promise<FileData> {
  const fileName = `${name}-${todayIso(actor.now())}.${format}`;
  if (format === 'csv') return { fileName, mimeType: CSV_MIME, base64: toCsv(sheet).toString('base64') };
  return {
    fileName,
    mimeType: XLSX_MIME,
    base64: (await toXlsx([sheet], { creator: actor.user, created: actor.now() })).toString('base64'),
  };
}
