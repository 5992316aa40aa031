import type ExcelJS from 'exceljs';
import {
  SECTION_TITLES,
  TOTAL,
  type MeasureUnit,
  type ReturnTable,
  type SectionId,
} from '../../../shared/returns/channels';
import type { ReturnFile } from '../../../shared/returns/file';
import {
  cellKey,
  coverLines,
  documentDate,
  HIDDEN_MARK,
  legendLines,
  NOT_APPLICABLE_MARK,
  valueColumns,
} from './export-common';

/**
 * The return as an Excel workbook: a Cover sheet (who, what period, which version, its hash and status, and the
 * legend for hidden cells), then one sheet per section with its tables one under another. Cells are typed (counts,
 * FTE and percentages as numbers, money as pounds with a pound format); a hidden cell holds the text [c] and a not
 * applicable one [z], as the Government Statistical Service writes them. Every text is written as a string, which
 * Excel never runs as a formula, whatever it starts with.
 *
 * The same snapshot gives the same bytes: the document dates are the return's own (signed off, or built), and the
 * zip entries' dates, which exceljs's zip library sets to the time of writing, are stamped with the same date.
 */

const NUM_FMT: Record<MeasureUnit, string> = {
  count: '#,##0',
  fte: '#,##0.00',
  percent: '0.0',
  pence: '"£"#,##0.00',
};
const BOLD = { bold: true };
const TITLE = { bold: true, size: 14 };
const MARKING = { bold: true, color: { argb: 'FFB00020' } };

function addTable(ws: ExcelJS.Worksheet, table: ReturnTable): void {
  ws.addRow([`${table.id}  ${table.title}`]).font = BOLD;
  if (table.note) ws.addRow([table.note]);
  const columns = valueColumns(table, 'columns');
  const headerRow = ws.addRow([table.rowDimension, ...columns.map((c) => c.label)]);
  headerRow.font = BOLD;
  headerRow.alignment = { wrapText: true, vertical: 'top' };
  const cells = new Map(table.cells.map((c) => [cellKey(c.row, c.column, c.measure), c]));
  for (const row of table.rows) {
    const added = ws.addRow([row.label]);
    if (row.key === TOTAL) added.font = BOLD;
    columns.forEach((column, i) => {
      const target = added.getCell(i + 2);
      const cell = cells.get(cellKey(row.key, column.key, column.measure.key));
      if (!cell) return;
      if (cell.value !== null) {
        target.value = column.measure.unit === 'pence' ? cell.value / 100 : cell.value;
        target.numFmt = NUM_FMT[column.measure.unit];
      } else {
        target.value = cell.status === 'not-applicable' ? NOT_APPLICABLE_MARK : HIDDEN_MARK;
        target.alignment = { horizontal: 'right' };
      }
      if (row.key === TOTAL || column.key === TOTAL) target.font = BOLD;
    });
  }
  ws.addRow([]);
}

function sectionSheet(workbook: ExcelJS.Workbook, section: SectionId, title: string): ExcelJS.Worksheet {
  const ws = workbook.addWorksheet(`${section} ${title}`.slice(0, 31), {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }],
  });
  ws.addRow([`${section}. ${title}`]).font = TITLE;
  ws.getColumn(1).width = 34;
  return ws;
}

function widen(ws: ExcelJS.Worksheet, from: number, width: number): void {
  for (let i = from; i <= ws.columnCount; i++) ws.getColumn(i).width = width;
}

function coverSheet(workbook: ExcelJS.Workbook, file: ReturnFile): void {
  const ws = workbook.addWorksheet('Cover');
  ws.getColumn(1).width = 30;
  ws.getColumn(2).width = 90;
  ws.addRow(['AHP support workforce return']).font = TITLE;
  if (file.marking) ws.addRow([file.marking]).font = MARKING;
  ws.addRow([]);
  for (const [label, value] of coverLines(file)) {
    const row = ws.addRow([label, value]);
    row.getCell(1).font = BOLD;
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
  }
  ws.addRow([]);
  ws.addRow(['Legend']).font = BOLD;
  for (const line of legendLines(file)) ws.addRow([line]);
}

function checklistRows(ws: ExcelJS.Worksheet, file: ReturnFile): void {
  ws.addRow(['First-phase checklist']).font = BOLD;
  ws.addRow(['Funding stream', 'Requirement', 'Status']).font = BOLD;
  for (const item of file.checklist) ws.addRow([item.stream, item.text, item.done ? 'Done' : 'Not done']);
}

function readinessSheet(workbook: ExcelJS.Workbook, file: ReturnFile): void {
  const ws = sectionSheet(workbook, 'H', SECTION_TITLES.H);
  ws.addRow(['Requirement', 'RAG', 'What was done', 'Next actions (owner, due)', 'Risks']).font = BOLD;
  for (const item of file.readiness) {
    const actions = item.nextActions.map((a) => `${a.action} (${a.owner}, ${a.due})`).join('\n');
    const row = ws.addRow([item.requirementText, item.rag ?? 'Not set', item.done, actions, item.risks]);
    row.alignment = { wrapText: true, vertical: 'top' };
  }
  ws.getColumn(2).width = 10;
  for (const i of [3, 4, 5]) ws.getColumn(i).width = 50;
}

const DOS_EPOCH_YEAR = 1980;
const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_DIRECTORY = 0x06054b50;

/** Sets the modification date of every entry of a zip (local headers and central directory) to `date`. */
export function stampZipDates(zip: Buffer, date: Date): Buffer {
  const out = Buffer.from(zip);
  const time = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2);
  const day =
    ((Math.max(date.getUTCFullYear(), DOS_EPOCH_YEAR) - DOS_EPOCH_YEAR) << 9) |
    ((date.getUTCMonth() + 1) << 5) |
    date.getUTCDate();
  let end = out.length - 22;
  while (end >= 0 && out.readUInt32LE(end) !== END_OF_DIRECTORY) end--;
  if (end < 0) throw new Error('The workbook written is not a zip file');
  const entries = out.readUInt16LE(end + 10);
  let at = out.readUInt32LE(end + 16);
  for (let i = 0; i < entries; i++) {
    if (out.readUInt32LE(at) !== CENTRAL_HEADER) throw new Error('The workbook written has a damaged zip directory');
    out.writeUInt16LE(time, at + 12);
    out.writeUInt16LE(day, at + 14);
    const local = out.readUInt32LE(at + 42);
    if (out.readUInt32LE(local) !== LOCAL_HEADER) throw new Error('The workbook written has a damaged zip entry');
    out.writeUInt16LE(time, local + 10);
    out.writeUInt16LE(day, local + 12);
    at += 46 + out.readUInt16LE(at + 28) + out.readUInt16LE(at + 30) + out.readUInt16LE(at + 32);
  }
  return out;
}

export async function returnXlsx(file: ReturnFile): Promise<Buffer> {
  // Loaded when a workbook is made, so starting the command line does not parse it (2.4 MB).
  const { default: ExcelJS } = await import('exceljs');
  const date = documentDate(file);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'AHP Support Workforce Planner';
  workbook.lastModifiedBy = 'AHP Support Workforce Planner';
  workbook.created = date;
  workbook.modified = date;
  workbook.title = `AHP support workforce return ${file.about.period}`;
  coverSheet(workbook, file);
  const sections = [...new Set(file.tables.map((t) => t.section))];
  if (!sections.includes('G') && file.checklist.length > 0) sections.push('G');
  for (const section of sections) {
    const ws = sectionSheet(workbook, section, SECTION_TITLES[section]);
    for (const table of file.tables.filter((t) => t.section === section)) addTable(ws, table);
    if (section === 'G' && file.checklist.length > 0) checklistRows(ws, file);
    widen(ws, 2, 14);
  }
  readinessSheet(workbook, file);
  return stampZipDates(Buffer.from(await workbook.xlsx.writeBuffer()), date);
}
