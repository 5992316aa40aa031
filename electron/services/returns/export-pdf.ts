import pdfmake from 'pdfmake';
import robotoFonts from 'pdfmake/build/vfs_fonts.js';
import {
  SECTION_TITLES,
  TOTAL,
  type MeasureUnit,
  type ReturnCell,
  type ReturnTable,
} from '../../../shared/returns/channels';
import type { ReturnFile } from '../../../shared/returns/file';
import {
  cellKey,
  coverLines,
  documentDate,
  HIDDEN_MARK,
  legendLines,
  NOT_APPLICABLE_MARK,
  STATUS_SHORT,
  valueColumns,
} from './export-common';

/**
 * The return as a board paper: an A4 PDF for trust boards and the ICS, with the cover details, each section's
 * tables, a few bar charts (drawn as vector shapes, no browser) and, on every page, the page number, the return's
 * status and its hash (and the OFFICIAL-SENSITIVE marking on the exact version).
 *
 * pdfmake lays out tables with repeated header rows and page breaks in plain Node, so the desktop app, the web host
 * and the command line all make the PDF with the same service code; Chromium printing would need a browser on the
 * machine, which a locked-down NHS laptop running the command line may not have. The same snapshot gives the same
 * bytes: the creation and modification dates are the return's own (pdfkit derives the file ID from them), and the
 * fonts are embedded from the copy bundled with the app (Roboto), never the system's.
 */

const FONT_FILES = {
  normal: 'Roboto-Regular.ttf',
  bold: 'Roboto-Medium.ttf',
  italics: 'Roboto-Italic.ttf',
  bolditalics: 'Roboto-MediumItalic.ttf',
};
let fontsReady = false;
function preparePdfmake(): void {
  if (fontsReady) return;
  for (const name of Object.values(FONT_FILES)) {
    const base64 = robotoFonts[name];
    if (base64 === undefined) throw new Error(`pdfmake's bundled font ${name} is missing`);
    pdfmake.virtualfs.writeFileSync(name, Buffer.from(base64, 'base64'));
  }
  pdfmake.setFonts({ Roboto: FONT_FILES });
  // The paper draws only what it is given: no file or web address is ever read while it is laid out.
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy(() => false);
  fontsReady = true;
}

type Node = string | { [key: string]: unknown } | Node[];

const NHS_BLUE = '#005eb8';
const GREY = '#768692';
const MARK_RED = '#b00020';
const MAX_VALUE_COLUMNS = 8;

function figure(value: number, unit: MeasureUnit): string {
  switch (unit) {
    case 'count':
      return Math.round(value).toLocaleString('en-GB');
    case 'fte':
      return value.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    case 'percent':
      return `${value.toFixed(1)}%`;
    case 'pence': {
      const pounds = (Math.abs(value) / 100).toLocaleString('en-GB', {
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      });
      return `${value < 0 ? '-' : ''}£${pounds}`;
    }
  }
}

interface Grid {
  title: string;
  /** Header labels of the value columns. */
  header: string[];
  corner: string;
  rows: { label: string; total: boolean; cells: { text: string; total: boolean }[] }[];
}

/**
 * A table as one or more printable grids: wide tables are turned on their side when that makes them narrower,
 * and split into one grid per measure if they are still too wide for the page.
 */
function grids(table: ReturnTable): Grid[] {
  const cells = new Map(table.cells.map((c) => [cellKey(c.row, c.column, c.measure), c]));
  const transpose =
    valueColumns(table, 'columns').length > MAX_VALUE_COLUMNS && table.rows.length < table.columns.length;
  const down = transpose ? table.columns : table.rows;
  const across = valueColumns(table, transpose ? 'rows' : 'columns');
  const split = across.length > MAX_VALUE_COLUMNS && table.measures.length > 1;
  const sets = split
    ? table.measures
        .map((m) => ({ title: `: ${m.label}`, columns: across.filter((a) => a.measure.key === m.key) }))
        .filter((s) => s.columns.length > 0)
    : [{ title: '', columns: across }];
  return sets.map((set) => ({
    title: `${table.id}  ${table.title}${set.title}`,
    corner: transpose ? table.columnDimension : table.rowDimension,
    header: set.columns.map((a) => (split ? a.columnLabel : a.label)),
    rows: down.map((d) => ({
      label: d.label,
      total: d.key === TOTAL,
      cells: set.columns.map((a) => {
        const [row, column] = transpose ? [a.key, d.key] : [d.key, a.key];
        const cell = cells.get(cellKey(row, column, a.measure.key));
        const text =
          cell === undefined
            ? ''
            : cell.value !== null
              ? figure(cell.value, a.measure.unit)
              : cell.status === 'not-applicable'
                ? NOT_APPLICABLE_MARK
                : HIDDEN_MARK;
        return { text, total: row === TOTAL || column === TOTAL };
      }),
    })),
  }));
}

function gridNode(grid: Grid): Node {
  const wide = grid.header.length > 4;
  const size = wide ? 7 : 8;
  return [
    { text: grid.title, style: 'tableTitle', headlineLevel: 2 },
    {
      table: {
        headerRows: 1,
        dontBreakRows: true,
        widths: [wide ? 100 : 150, ...grid.header.map(() => '*')],
        body: [
          [grid.corner, ...grid.header].map((h, i) => ({
            text: h,
            bold: true,
            fontSize: size,
            alignment: i === 0 ? 'left' : 'right',
          })),
          ...grid.rows.map((r) => [
            { text: r.label, bold: r.total, fontSize: size },
            ...r.cells.map((c) => ({ text: c.text, bold: c.total, fontSize: size, alignment: 'right' })),
          ]),
        ],
      },
      layout: 'lightHorizontalLines',
      margin: [0, 2, 0, 10],
    },
  ];
}

interface Bar {
  label: string;
  value: number | null;
  text: string;
}

interface Chart {
  caption: string;
  bars: Bar[];
}

const barOf = (label: string, cell: ReturnCell | undefined, unit: MeasureUnit): Bar => {
  const value = cell?.value ?? null;
  const mark = cell?.status === 'not-applicable' ? NOT_APPLICABLE_MARK : HIDDEN_MARK;
  return { label, value, text: value === null ? mark : figure(value, unit) };
};

/**
 * A table's chart: each row's total (its Total column, or its first column) in the first measure; or, for a table of
 * one row and its total (a single funding stream), the total row across the columns of the first measure's unit.
 * Hidden figures get no bar, only their mark.
 */
function chartOf(table: ReturnTable): Chart | null {
  const cells = new Map(table.cells.map((c) => [cellKey(c.row, c.column, c.measure), c]));
  const rows = table.rows.filter((r) => r.key !== TOTAL);
  const first = valueColumns(table, 'columns')[0];
  if (!first) return null;
  if (rows.length >= 2) {
    const column = table.columns.find((c) => c.key === TOTAL) ?? table.columns[0]!;
    const measure = first.measure;
    return {
      caption: `${table.title} (${measure.label}, by ${table.rowDimension})`,
      bars: rows.map((r) => barOf(r.label, cells.get(cellKey(r.key, column.key, measure.key)), measure.unit)),
    };
  }
  const row = table.rows.find((r) => r.key === TOTAL) ?? table.rows[0];
  if (!row) return null;
  const columns = valueColumns(table, 'columns').filter(
    (c) => c.key !== TOTAL && c.measure.unit === first.measure.unit,
  );
  return {
    caption: `${table.title} (${row.label})`,
    bars: columns.map((c) => barOf(c.label, cells.get(cellKey(row.key, c.key, c.measure.key)), c.measure.unit)),
  };
}

const BAR_WIDTH = 260;

function chartNode(table: ReturnTable): Node | null {
  const chart = chartOf(table);
  if (chart === null || chart.bars.length < 2) return null;
  const data = chart.bars;
  const max = Math.max(0, ...data.map((b) => b.value ?? 0));
  return {
    stack: [
      { text: `Chart: ${chart.caption}`, style: 'tableTitle' },
      {
        table: {
          widths: [150, BAR_WIDTH, '*'],
          body: data.map((b) => [
            { text: b.label, fontSize: 8 },
            {
              canvas: [
                {
                  type: 'rect',
                  x: 0,
                  y: 1,
                  w: max > 0 && b.value !== null ? Math.max(0.5, (Math.max(0, b.value) / max) * BAR_WIDTH) : 0,
                  h: 8,
                  color: NHS_BLUE,
                },
              ],
            },
            { text: b.text, fontSize: 8 },
          ]),
        },
        layout: 'noBorders',
        margin: [0, 2, 0, 12],
      },
    ],
    unbreakable: true,
  };
}

/** The tables a chart is drawn for: the first table of the workforce, education and funding sections. */
function chartedTables(file: ReturnFile): Set<string> {
  const ids = new Set<string>();
  for (const section of ['B', 'D', 'G'] as const) {
    const first = file.tables.find((t) => t.section === section);
    if (first) ids.add(first.id);
  }
  return ids;
}

function coverNode(file: ReturnFile): Node {
  return [
    { text: 'AHP support workforce return', style: 'title' },
    { text: `${file.about.trustName}, ${file.about.period}`, style: 'subtitle' },
    ...(file.marking ? [{ text: file.marking, bold: true, color: MARK_RED, margin: [0, 0, 0, 8] }] : []),
    {
      table: {
        widths: [120, '*'],
        body: coverLines(file).map(([label, value]) => [
          { text: label, bold: true, fontSize: 9 },
          { text: value, fontSize: 9 },
        ]),
      },
      layout: 'lightHorizontalLines',
      margin: [0, 6, 0, 10],
    },
    { text: 'Legend', style: 'tableTitle' },
    ...legendLines(file).map((line) => ({ text: line, fontSize: 9 })),
  ];
}

function checklistNode(file: ReturnFile): Node {
  if (file.checklist.length === 0) return [];
  return [
    { text: 'First-phase checklist', style: 'tableTitle' },
    {
      table: {
        headerRows: 1,
        widths: [130, '*', 50],
        body: [
          ['Funding stream', 'Requirement', 'Status'].map((h) => ({ text: h, bold: true, fontSize: 8 })),
          ...file.checklist.map((c) => [
            { text: c.stream, fontSize: 8 },
            { text: c.text, fontSize: 8 },
            { text: c.done ? 'Done' : 'Not done', fontSize: 8 },
          ]),
        ],
      },
      layout: 'lightHorizontalLines',
      margin: [0, 2, 0, 10],
    },
  ];
}

const RAG_COLOUR = { red: '#d5281b', amber: '#ffb81c', green: '#007f3b' } as const;

function readinessNode(file: ReturnFile): Node {
  return [
    { text: `H. ${SECTION_TITLES.H}`, style: 'section', headlineLevel: 1 },
    ...file.readiness.map((item) => ({
      stack: [
        {
          text: [
            {
              text: item.rag ? `${item.rag.toUpperCase()}  ` : 'RAG not set  ',
              color: item.rag ? RAG_COLOUR[item.rag] : GREY,
            },
            item.requirementText,
          ],
          bold: true,
          fontSize: 10,
        },
        { text: [{ text: 'What was done: ', bold: true }, item.done || 'Nothing recorded'], fontSize: 9 },
        item.nextActions.length > 0
          ? {
              stack: [
                { text: 'Next actions', bold: true, fontSize: 9 },
                { ul: item.nextActions.map((a) => `${a.action} (${a.owner}, by ${a.due})`), fontSize: 9 },
              ],
            }
          : { text: 'Next actions: none recorded', fontSize: 9 },
        { text: [{ text: 'Risks: ', bold: true }, item.risks || 'None recorded'], fontSize: 9 },
      ],
      margin: [0, 0, 0, 10],
    })),
  ];
}

function sectionsNode(file: ReturnFile): Node {
  const charted = chartedTables(file);
  const sections = [...new Set(file.tables.map((t) => t.section))];
  if (!sections.includes('G') && file.checklist.length > 0) sections.push('G');
  return sections.map((section, i) => [
    {
      text: `${section}. ${SECTION_TITLES[section]}`,
      style: 'section',
      headlineLevel: 1,
      ...(i === 0 ? { pageBreak: 'before' } : {}),
    },
    ...file.tables
      .filter((t) => t.section === section)
      .map((t) => [
        ...grids(t).map(gridNode),
        ...(t.note ? [{ text: t.note, fontSize: 8, color: GREY, margin: [0, -6, 0, 10] }] : []),
        ...(charted.has(t.id) ? [chartNode(t) ?? []] : []),
      ]),
    section === 'G' ? checklistNode(file) : [],
  ]);
}

export function boardPaperDefinition(file: ReturnFile): object {
  const date = documentDate(file);
  return {
    pageSize: 'A4',
    pageMargins: [40, file.marking ? 56 : 44, 40, 52],
    info: {
      title: `AHP support workforce return ${file.about.period}: ${file.about.trustName}`,
      author: file.about.trustName,
      subject: `${file.about.odsCode} ${file.about.period} version ${file.return.version} (${file.version})`,
      creator: 'AHP Support Workforce Planner',
      producer: 'AHP Support Workforce Planner (pdfmake)',
      creationDate: date,
      modDate: date,
    },
    header: file.marking
      ? { text: file.marking, alignment: 'center', bold: true, color: MARK_RED, fontSize: 9, margin: [40, 20, 40, 0] }
      : undefined,
    footer: (page: number, pages: number) => ({
      columns: [
        { text: `${file.about.odsCode} ${file.about.period} v${file.return.version}: ${STATUS_SHORT}`, width: 'auto' },
        { text: `SHA-256 ${file.return.hash}`, alignment: 'center', width: '*' },
        { text: `Page ${page} of ${pages}`, alignment: 'right', width: 'auto' },
      ],
      columnGap: 8,
      fontSize: 7,
      color: GREY,
      margin: [40, 20, 40, 0],
    }),
    content: [coverNode(file), sectionsNode(file), readinessNode(file)],
    // A section heading never sits alone at the foot of a page.
    pageBreakBefore: (node: { headlineLevel?: number }, following: unknown[]) =>
      node.headlineLevel !== undefined && following.length === 0,
    styles: {
      title: { fontSize: 20, bold: true, color: NHS_BLUE },
      subtitle: { fontSize: 13, margin: [0, 2, 0, 8] },
      section: { fontSize: 15, bold: true, color: NHS_BLUE, margin: [0, 0, 0, 8] },
      tableTitle: { fontSize: 10, bold: true, margin: [0, 4, 0, 2] },
    },
    defaultStyle: { font: 'Roboto', fontSize: 9 },
  };
}

export async function returnPdf(file: ReturnFile): Promise<Buffer> {
  preparePdfmake();
  return pdfmake.createPdf(boardPaperDefinition(file)).getBuffer();
}
