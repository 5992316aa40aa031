import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Ajv2020 from 'ajv/dist/2020';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { returnFileBytes, returnFileName, returnJson } from '../../electron/services/returns/export-file';
import { returnCsv, tidyRows, TIDY_COLUMNS } from '../../electron/services/returns/export-csv';
import { returnPdf } from '../../electron/services/returns/export-pdf';
import { returnXlsx } from '../../electron/services/returns/export-xlsx';
import { CELL_STATUSES, RETURN_EXPORT_FORMATS } from '../../shared/returns/channels';
import { returnFileSchema, returnJsonSchema } from '../../shared/returns/file';
import { FORMULA_TEXT, returnFileFixture } from '../fixtures/return-file';

const SCHEMA_FILE = path.resolve(import.meta.dirname, '../../shared/returns/return.schema.json');

afterEach(() => {
  vi.useRealTimers();
});

/** Exports a file at two different wall-clock times: what the clock says must not reach the bytes. */
async function exportTwice(format: (typeof RETURN_EXPORT_FORMATS)[number], version: 'publication' | 'exact') {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-05-01T08:00:00Z'));
  const first = await returnFileBytes(returnFileFixture({ version }), format);
  vi.setSystemTime(new Date('2027-11-13T21:37:59Z'));
  const second = await returnFileBytes(returnFileFixture({ version }), format);
  return { first, second };
}

function pdfPageCount(pdf: Buffer): number {
  const counts = [...pdf.toString('latin1').matchAll(/\/Type \/Pages\s[^>]*?\/Count (\d+)/g)].map((m) => Number(m[1]));
  expect(counts).toHaveLength(1);
  return counts[0]!;
}

const hasPoppler = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function pdfText(pdf: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'return-pdf-'));
  try {
    const file = path.join(dir, 'r.pdf');
    fs.writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function readXlsx(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

/** The entries of a zip with their DOS dates and unpacked bytes, read from its central directory. */
function zipEntries(zip: Buffer): { name: string; time: number; date: number; data: Buffer }[] {
  let end = zip.length - 22;
  while (zip.readUInt32LE(end) !== 0x06054b50) end--;
  const out: { name: string; time: number; date: number; data: Buffer }[] = [];
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    expect(zip.readUInt16LE(local + 10)).toBe(zip.readUInt16LE(at + 12));
    expect(zip.readUInt16LE(local + 12)).toBe(zip.readUInt16LE(at + 14));
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + size);
    out.push({
      name,
      time: zip.readUInt16LE(at + 12),
      date: zip.readUInt16LE(at + 14),
      data: method === 8 ? zlib.inflateRawSync(raw) : raw,
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return out;
}

describe('exporting the same snapshot twice', () => {
  for (const format of RETURN_EXPORT_FORMATS)
    for (const version of ['publication', 'exact'] as const)
      it(`gives identical ${format} bytes (${version} version), whatever the clock says`, async () => {
        const { first, second } = await exportTwice(format, version);
        expect(first.length).toBeGreaterThan(100);
        expect(second.equals(first)).toBe(true);
      });

  it('dates the workbook and every zip entry in it with the sign-off time, not the time of writing', async () => {
    const entries = zipEntries(await returnXlsx(returnFileFixture()));
    expect(entries.length).toBeGreaterThan(5);
    // Signed off 2026-04-20 10:15:00 UTC: DOS date (2026-1980)<<9 | 4<<5 | 20, time 10<<11 | 15<<5 | 0.
    for (const e of entries)
      expect([e.name, e.date, e.time]).toEqual([e.name, (46 << 9) | (4 << 5) | 20, (10 << 11) | (15 << 5)]);
    const core = entries.find((e) => e.name === 'docProps/core.xml')!.data.toString('utf8');
    expect(core).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2026-04-20T10:15:00Z</dcterms:created>');
    expect(core).toContain('<dcterms:modified xsi:type="dcterms:W3CDTF">2026-04-20T10:15:00Z</dcterms:modified>');
  });
});

describe('formula safety: text that starts with = + - @ stays text in every format', () => {
  it('CSV: a leading single quote, as OWASP recommends; plain negative numbers keep their sign', () => {
    const text = returnCsv(returnFileFixture()).toString('utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://example.invalid"",""click"")"`);
    expect(text).toContain(",'+44 call the ICS lead,");
    expect(text).toContain(",'-Sam,");
    expect(text).toContain(",'@risk: none,");
    expect(text).toContain("RXX,2025/26,2,G,G-checklist,stream,'@Pump prime,");
    expect(text).toContain(',variance,-125.50,exact');
    for (const line of text.slice(1).split('\r\n').filter(Boolean))
      for (const field of line.split(',')) expect(field).not.toMatch(/^"?[=+@]/);
  });

  it('XLSX: strings, never formulas (no <f> element in any sheet)', async () => {
    const bytes = await returnXlsx(returnFileFixture());
    const sheets = zipEntries(bytes).filter((e) => e.name.startsWith('xl/worksheets/'));
    expect(sheets.length).toBeGreaterThan(3);
    for (const s of sheets) expect(s.data.toString('utf8')).not.toContain('<f>');
    const readiness = (await readXlsx(bytes)).getWorksheet('H Readiness and actions')!;
    const cell = readiness.getRow(3).getCell(3);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe(FORMULA_TEXT);
    expect(readiness.getRow(3).getCell(4).value).toBe('+44 call the ICS lead (-Sam, 2026-05-01)');
  });

  it('JSON: the text exactly as typed', () => {
    const parsed = JSON.parse(returnJson(returnFileFixture()).toString('utf8')) as { readiness: { done: string }[] };
    expect(parsed.readiness[0]!.done).toBe(FORMULA_TEXT);
  });

  it.skipIf(!hasPoppler)('PDF: the text printed as it is (needs pdftotext from poppler-utils)', async () => {
    expect(pdfText(await returnPdf(returnFileFixture()))).toContain('=HYPERLINK("http://example.invalid","click")');
  });
});

describe('the tidy CSV', () => {
  it('has the documented columns, a BOM and CRLF lines, one row a cell', () => {
    const bytes = returnCsv(returnFileFixture());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe(
      'ods_code,period,version,section,table,row_dimension,row,column_dimension,column,measure,value,status',
    );
    expect(lines.at(-1)).toBe('');
    const file = returnFileFixture();
    const cells = file.tables.reduce((n, t) => n + t.cells.length, 0);
    const textRows = file.checklist.length + 4 * 2 + 3; // 4 fields a requirement, 3 for its one next action
    expect(lines.length - 2).toBe(cells + textRows);
    expect(tidyRows(file)).toHaveLength(cells + textRows);
  });

  it('empties the value of every hidden or not-applicable cell, and says why in status', () => {
    const rows = tidyRows(returnFileFixture());
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(CELL_STATUSES));
    for (const r of rows) {
      expect(Object.keys(r)).toEqual([...TIDY_COLUMNS]);
      if (r.status !== 'exact') expect(r.value).toBe('');
    }
    const b1 = rows.filter((r) => r.table === 'B1');
    expect(b1.find((r) => r.row === 'entry' && r.column === 'PHY' && r.measure === 'headcount')).toMatchObject({
      value: '',
      status: 'suppressed-primary',
      row_dimension: 'stage',
      column_dimension: 'profession',
    });
    expect(b1.find((r) => r.row === 'Total' && r.column === 'Total' && r.measure === 'headcount')!.value).toBe('44');
    expect(b1.find((r) => r.row === 'entry' && r.column === 'Total' && r.measure === 'fte')!.value).toBe('12.53');
    expect(rows.find((r) => r.table === 'E1' && r.row === 'Total')!.value).toBe('12.3');
    expect(rows.find((r) => r.table === 'G1' && r.row === 'Total' && r.measure === 'allocated')!.value).toBe(
      '25000.00',
    );
  });
});

describe('the JSON file and its schema', () => {
  it('the checked-in JSON Schema is what the zod schema generates (UPDATE_RETURN_SCHEMA=1 rewrites it)', () => {
    const generated = returnJsonSchema();
    if (process.env.UPDATE_RETURN_SCHEMA === '1') fs.writeFileSync(SCHEMA_FILE, generated);
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(generated);
  });

  it('an exported file is valid against the checked-in schema, and the schema rejects a broken one', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as object);
    for (const version of ['publication', 'exact'] as const) {
      const exported = JSON.parse(returnJson(returnFileFixture({ version })).toString('utf8')) as unknown;
      expect(validate(exported), JSON.stringify(validate.errors)).toBe(true);
      expect(returnFileSchema.parse(exported)).toEqual(returnFileFixture({ version }));
    }
    const broken = JSON.parse(returnJson(returnFileFixture()).toString('utf8')) as {
      tables: { cells: { status: string }[] }[];
    };
    broken.tables[0]!.cells[0]!.status = 'rounded';
    expect(validate(broken)).toBe(false);
    expect(JSON.stringify(validate.errors)).toContain('status');
  });

  it('starts with schemaVersion', () => {
    expect(returnJson(returnFileFixture()).toString('utf8')).toMatch(/^\{\n {2}"schemaVersion": 1,\n {2}"return": \{/);
  });
});

describe('the workbook', () => {
  it('has a Cover with the return, its hash and the legend, then one sheet per section with typed cells', async () => {
    const workbook = await readXlsx(await returnXlsx(returnFileFixture()));
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      'Cover',
      'B Workforce',
      'E Retention',
      'G Funding',
      'H Readiness and actions',
    ]);
    const cover = workbook.getWorksheet('Cover')!;
    const values = cover
      .getSheetValues()
      .flat()
      .filter((v) => typeof v === 'string');
    for (const expected of [
      'Example Hospitals NHS Foundation Trust',
      'RXX',
      'Example ICS',
      '2025/26 (2025-04-01 to 2026-03-31)',
      '2 (publication version: small numbers hidden)',
      'Signed off by Alex Example (AHP faculty lead) on 2026-04-20',
      'a'.repeat(64),
      '[c] means 1 to 7 or hidden to protect them',
    ])
      expect(values).toContain(expected);
    const b = workbook.getWorksheet('B Workforce')!;
    expect(b.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 1 });
    // Row 1 title, 2 table title, 3 header, 4 entry, 5 intermediate, 6 Total.
    expect(b.getRow(3).getCell(2).value).toBe('Physiotherapists: Headcount');
    expect(b.getRow(4).getCell(2).value).toBe('[c]');
    expect(b.getRow(4).getCell(6).value).toBe(15);
    expect(b.getRow(4).getCell(7).value).toBe(12.53);
    expect(b.getRow(6).getCell(1).value).toBe('Total');
    expect(b.getRow(6).font?.bold).toBe(true);
    expect(b.getRow(6).getCell(6).value).toBe(44);
    expect(b.getRow(6).getCell(6).numFmt).toBe('#,##0');
    const e = workbook.getWorksheet('E Retention')!;
    expect([4, 5, 6].map((r) => e.getRow(r + 1).getCell(2).value)).toEqual(['[c]', '[z]', 12.345]);
    const g = workbook.getWorksheet('G Funding')!;
    expect(g.getRow(5).getCell(2).value).toBe(25000);
    expect(g.getRow(5).getCell(2).numFmt).toBe('"£"#,##0.00');
  });

  it('marks the exact version OFFICIAL-SENSITIVE on its Cover', async () => {
    const workbook = await readXlsx(await returnXlsx(returnFileFixture({ version: 'exact' })));
    expect(workbook.getWorksheet('Cover')!.getRow(2).getCell(1).value).toBe(
      'OFFICIAL-SENSITIVE: for the ICS under its data-sharing agreement',
    );
    expect(workbook.getWorksheet('B Workforce')!.getRow(4).getCell(2).value).toBe('[c]');
  });
});

describe('the board paper', () => {
  it('is an A4 PDF whose pages the document says it has', async () => {
    const pdf = await returnPdf(returnFileFixture());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('/MediaBox [0 0 595.28 841.89]');
    expect(pdfPageCount(pdf)).toBe(2);
    expect(pdf.toString('latin1')).toMatch(/\/FontFile2 \d+ 0 R/);
  });

  it.skipIf(!hasPoppler)(
    'prints the cover, the hidden cells, page numbers, hash and status on every page',
    async () => {
      const text = pdfText(await returnPdf(returnFileFixture({ version: 'exact' })));
      const pages = text.split('\f').filter((p) => p.trim() !== '');
      expect(pages).toHaveLength(2);
      pages.forEach((page, i) => {
        expect(page).toContain(`Page ${i + 1} of 2`);
        expect(page).toContain(`SHA-256 ${'a'.repeat(64)}`);
        expect(page).toContain('RXX 2025/26 v2: Signed off');
        expect(page).toContain('OFFICIAL-SENSITIVE: for the ICS under its data-sharing agreement');
      });
      expect(pages[0]).toContain('[c] means 1 to 7 or hidden to protect them');
      expect(pages[1]).toContain('B. Workforce');
      expect(pages[1]).toMatch(/Entry level \(Support Worker\)\s+\[c\]/);
      expect(pages[1]).toContain('Chart: Headcount and FTE in post by stage and profession');
      expect(pages[1]).toContain('-£125.50');
      expect(pages[1]).toContain('H. Readiness and actions');
    },
  );
});

describe('file names', () => {
  it('say the trust, period, version and which version of the figures', () => {
    expect(returnFileName(returnFileFixture({ version: 'exact' }), 'pdf')).toBe(
      'ahp-support-return-RXX-2025-26-v2-exact.pdf',
    );
  });
});
