import ExcelJS from 'exceljs';
import type { FileData } from '../../../shared/common/api';
import { todayIso } from '../../../shared/common/clock';
import type { Actor } from './audit';

/**
 * Tables to CSV and XLSX for leads who live in Excel. Both defend against formula injection: XLSX cells are
 * typed values (a text that starts with = + - @ stays text, never a formula), and CSV cells that Excel would
 * read as a formula are prefixed with a single quote. CSV is UTF-8 with a byte order mark and CRLF lines.
 */

export type ColumnType = 'text' | 'integer' | 'decimal' | 'money' | 'date';
export interface Column {
  header: string;
  type: ColumnType;
  /** Characters; a sensible default by type. */
  width?: number;
}
/** text: string; integer/decimal: number; money: integer pence; date: ISO YYYY-MM-DD. null = empty cell. */
export type CellValue = string | number | null;
export interface Sheet {
  name: string;
  columns: Column[];
  rows: CellValue[][];
}

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

export function toCsv(sheet: Sheet): Buffer {
  const lines = [sheet.columns.map((c) => csvCell(c.header, 'text')).join(',')];
  for (const row of sheet.rows) lines.push(sheet.columns.map((c, i) => csvCell(row[i] ?? null, c.type)).join(','));
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

export async function toXlsx(sheets: Sheet[], meta: { creator: string; created: Date }): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = meta.creator;
  workbook.created = meta.created;
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheet.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = sheet.columns.map((c) => ({
      header: c.header,
      width: c.width ?? WIDTH[c.type],
      style: NUM_FMT[c.type] ? { numFmt: NUM_FMT[c.type] } : {},
    }));
    ws.getRow(1).font = { bold: true };
    for (const row of sheet.rows) ws.addRow(sheet.columns.map((c, i) => xlsxValue(row[i] ?? null, c.type)));
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
