import fs from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtractError, openExtract, type ExtractRecord } from '../../electron/services/common/file-reader';
import { WORKBOOK_LIMITS } from '../../electron/services/common/workbook-zip';
import { normaliseRow } from '../../shared/import/rows';
import { guessMapping } from '../../shared/import/fields';
import {
  flushedDeflate,
  repeatedDeflate,
  sharedStringsBomb,
  staffCsv,
  withSharedStrings,
  xlsxParts,
  zipFile,
  type ZipPart,
} from '../fixtures/bad-inputs';
import { ESR_HEADERS, esrRows } from '../fixtures/extracts';

/**
 * The file reader's guards (issue 10, item 10): workbooks are checked before they are inflated and inflated under
 * limits; CSV problems get the message that fits them, not a nearby one.
 */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ahp-guards-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, bytes: Buffer | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

async function readAll(path: string) {
  const extract = await openExtract(path);
  const records: ExtractRecord[] = [];
  for await (const r of extract.records) records.push(r);
  return { extract, records };
}

async function failure(path: string): Promise<ExtractError> {
  try {
    await readAll(path);
  } catch (error) {
    if (error instanceof ExtractError) return error;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

const rows = () => [[...ESR_HEADERS], ...esrRows(12, 4)];

describe('workbooks', () => {
  it('reads a workbook written worksheet first (as Excel does) without a temporary copy of the worksheet', async () => {
    const path = await write('sheet-first.xlsx', zipFile(xlsxParts(rows())));
    const spill = await mkdtemp(join(tmpdir(), 'ahp-spill-'));
    const before = process.env.TMPDIR;
    process.env.TMPDIR = spill; // where exceljs would have written the worksheet it met before the strings
    try {
      const extract = await openExtract(path);
      const iterator = extract.records[Symbol.asyncIterator]();
      const first = await iterator.next();
      expect(fs.readdirSync(spill)).toEqual([]);
      const records = [first.value as ExtractRecord];
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) records.push(r.value);
      expect(extract.headers).toEqual([...ESR_HEADERS]);
      expect(records).toHaveLength(12);
      expect(records[0]!.cells.slice(0, 3)).toEqual(esrRows(12, 4)[0]!.slice(0, 3));
      const row = normaliseRow(records[0]!.cells, guessMapping(extract.headers), { headers: extract.headers });
      expect(row.errors).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
      fs.rmSync(spill, { recursive: true, force: true });
    }
  });

  it('reads a workbook without shared strings (inline text) and without styles', async () => {
    const parts = xlsxParts(rows()).filter((p) => p.name !== 'xl/sharedStrings.xml');
    const inline = rows()
      .map(
        (row, r) =>
          `<row r="${r + 1}">${row.map((v, c) => (v ? `<c r="${String.fromCharCode(65 + c)}${r + 1}" t="inlineStr"><is><t>${v.replace(/&/g, '&amp;')}</t></is></c>` : '')).join('')}</row>`,
      )
      .join('');
    const sheet = parts.find((p) => p.name === 'xl/worksheets/sheet1.xml')!;
    sheet.data = Buffer.from(
      `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${inline}</sheetData></worksheet>`,
    );
    const { extract, records } = await readAll(await write('inline.xlsx', zipFile(parts)));
    expect(extract.headers).toEqual([...ESR_HEADERS]);
    expect(records.map((r) => r.cells[1])).toEqual(esrRows(12, 4).map((r) => r[1]));
  });

  it('refuses a workbook whose shared strings would inflate to 6 GB from its directory alone, in moments', async () => {
    const bomb = zipFile(withSharedStrings(xlsxParts(rows()), () => sharedStringsBomb(6144, 'true')));
    expect(bomb.length).toBeLessThan(32 * 1048576);
    const started = Date.now();
    const error = await failure(await write('bomb.xlsx', bomb));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(
      /its table of text values \(shared strings\) is 6,144 MB once unpacked \(at most 256 MB is read\), from \d+ MB in the file\. It may be a "zip bomb"; nothing has been read from it\./,
    );
  });

  it('stops a workbook whose directory lies about a part as soon as the part passes what it declared', async () => {
    const error = await failure(
      await write('liar.xlsx', zipFile(withSharedStrings(xlsxParts(rows()), () => sharedStringsBomb(6144, 'small')))),
    );
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/passed the 1 MB declared for it\. It may be a "zip bomb", or damaged/);
    const sheetLiar = xlsxParts(rows()).map((p): ZipPart =>
      p.name === 'xl/worksheets/sheet1.xml' ? { ...p, declaredSize: 100 } : p,
    );
    expect((await failure(await write('sheet-liar.xlsx', zipFile(sheetLiar)))).message).toMatch(
      /its first worksheet passed the 0 MB declared for it/,
    );
  });

  it('refuses more shared strings than the limit, declared or counted', async () => {
    const head = (attributes: string) =>
      Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"${attributes}>`,
      );
    const declared = await failure(
      await write(
        'declared.xlsx',
        zipFile(
          withSharedStrings(xlsxParts(rows()), () => ({
            name: 'xl/sharedStrings.xml',
            data: Buffer.concat([
              head(' count="9000000" uniqueCount="9000000"'),
              Buffer.from('<si><t>a</t></si></sst>'),
            ]),
          })),
        ),
      ),
    );
    expect(declared.message).toMatch(/holds 9,000,000 different text values, more than the 5,000,000/);
    const unit = Buffer.from('<si><t>1</t></si>');
    const block = Buffer.concat(Array<Buffer>(65_536).fill(unit));
    const blocks = Math.ceil((WORKBOOK_LIMITS.sharedStrings + 1) / 65_536);
    const started = Date.now();
    const counted = await failure(
      await write(
        'counted.xlsx',
        zipFile(
          withSharedStrings(xlsxParts(rows()), () => ({
            name: 'xl/sharedStrings.xml',
            deflated: Buffer.concat([flushedDeflate(head('')), repeatedDeflate(block, blocks)]),
            declaredSize: head('').length + blocks * block.length,
          })),
        ),
      ),
    );
    expect(counted.message).toMatch(/holds 5,000,001 different text values/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('refuses a value longer than any cell Excel can hold', async () => {
    const parts = withSharedStrings(xlsxParts(rows()), (real) => ({
      name: real.name,
      data: Buffer.from(
        `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>${'x'.repeat(2 * 1048576)}</t></si></sst>`,
      ),
    }));
    const error = await failure(await write('long-cell.xlsx', zipFile(parts)));
    expect(error).toMatchObject({ code: 'too-large' });
    expect(error.message).toMatch(
      /a value of more than 1 MB in one piece; Excel itself keeps at most 32,767 characters/,
    );
  });

  it('names a truncated, password-protected or part-less workbook for what it is', async () => {
    const good = zipFile(xlsxParts(rows()));
    for (const cut of [0.3, 0.6, 0.95]) {
      const error = await failure(await write(`cut-${cut}.xlsx`, good.subarray(0, Math.floor(good.length * cut))));
      expect(error.code).toBe('damaged');
      expect(error.message).toMatch(/damaged or incomplete \(it may have been cut short while being copied/);
    }
    const noSheet = zipFile(xlsxParts(rows()).filter((p) => !p.name.startsWith('xl/worksheets/')));
    expect((await failure(await write('no-sheet.xlsx', noSheet))).message).toMatch(
      /a zip file but not an Excel workbook with a worksheet/,
    );
    const locked = Buffer.from(good);
    // Set the "encrypted" flag on every central directory entry.
    for (
      let at = locked.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      at >= 0;
      at = locked.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 4)
    )
      locked.writeUInt16LE(locked.readUInt16LE(at + 8) | 1, at + 8);
    expect((await failure(await write('locked.xlsx', locked))).message).toMatch(/protected with a password/);
  });
});

describe('honest messages for CSV files', () => {
  it('a 10 MB line is a line too long, an unclosed quote is an unclosed quote', async () => {
    const long = await failure(await write('long.csv', `${staffCsv(3)}${'x'.repeat(10 * 1048576)}\r\nmore\r\n`));
    expect(long).toMatchObject({ code: 'line-too-long', line: 5 });
    expect(long.message).toBe(
      'Line 5 is longer than 1,000,000 characters, far longer than any row of a staff extract or ledger, so the file cannot be read. It may not be a CSV file, or its rows may not be separated by line breaks.',
    );
    const quoted = await failure(await write('quoted.csv', `${staffCsv(3)}1,"${'x'.repeat(2 * 1048576)}\r\n`));
    expect(quoted).toMatchObject({ code: 'unclosed-quote', line: 5 });
  });

  it('a SQLite database (and other known binary files) renamed .csv is named for what it is', async () => {
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (a); INSERT INTO t VALUES (1)');
    const sqlite = await failure(await write('backup.csv', db.serialize()));
    db.close();
    expect(sqlite).toMatchObject({ code: 'binary' });
    expect(sqlite.message).toBe(
      'This is a SQLite database file, not a data extract. To bring back a backup of this app, use Restore in Settings.',
    );
    expect(
      (await failure(await write('archive.csv', Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4])))).message,
    ).toMatch(/7-Zip/);
  });

  it('reads old Mac line endings (CR only), with the same records as CRLF', async () => {
    const crlf = await readAll(await write('crlf.csv', staffCsv(40, 2, '\r\n')));
    const cr = await readAll(await write('cr.csv', staffCsv(40, 2, '\r')));
    expect(cr.extract.delimiter).toBe(',');
    expect(cr.records).toEqual(crlf.records);
    expect(cr.records).toHaveLength(40);
  });

  it('refuses UTF-8 and Windows-1252 mixed in one file, naming the lines, either way round', async () => {
    const lines = staffCsv(600, 6).split('\r\n');
    const cp1252Row = '10999999,10999999-1,Café assistant,S9E,3,37.5,1,01/04/2020,,,01/01/1990,F,A,No,Org,Svc\r\n';
    // UTF-8 (accents and en dashes from the first lines), then past the first 64 KB one Windows-1252 line.
    const utf8First = Buffer.concat([
      Buffer.from(lines.slice(0, 550).join('\r\n') + '\r\n', 'utf8'),
      iconv.encode(cp1252Row, 'win1252'),
    ]);
    expect(utf8First.length).toBeGreaterThan(64 * 1024);
    const a = await failure(await write('utf8-then-1252.csv', utf8First));
    const firstUtf8Line = 1 + lines.findIndex((l) => /[\u0080-\uffff]/.test(l));
    expect(a).toMatchObject({ code: 'mixed-encoding', line: 551 });
    expect(a.message).toBe(
      `This file mixes two text encodings: line ${firstUtf8Line} has text in UTF-8 and line 551 in Windows-1252, so a name such as "Café" would be stored garbled (as "CafÃ©" or "Caf�"). Open the file in Excel and save it as "CSV UTF-8", or correct those lines, then import it again.`,
    );
    // Both within the first 64 KB, the Windows-1252 line first.
    const ascii =
      lines
        .slice(0, 5)
        .join('\r\n')
        .replace(/[\u0080-\uffff]/g, '-') + '\r\n';
    const cp1252First = Buffer.concat([
      Buffer.from(ascii, 'latin1'),
      iconv.encode(cp1252Row, 'win1252'),
      Buffer.from(cp1252Row.replace('10999999', '10999998'), 'utf8'),
    ]);
    const b = await failure(await write('1252-then-utf8.csv', cp1252First));
    expect(b).toMatchObject({ code: 'mixed-encoding', line: 7 });
    expect(b.message).toMatch(/line 7 has text in UTF-8 and line 6 in Windows-1252/);
    // Marked as UTF-8 by its byte order mark, with a Windows-1252 line.
    const marked = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(ascii, 'latin1'),
      iconv.encode(cp1252Row, 'win1252'),
    ]);
    expect((await failure(await write('bom-1252.csv', marked))).message).toMatch(
      /it is marked as UTF-8, but line 6 has text in Windows-1252/,
    );
  });

  it('a file of plain ASCII until a Windows-1252 character past the first 64 KB is read as Windows-1252', async () => {
    const ascii = staffCsv(600, 8).replace(/[\u0080-\uffff]/g, 'e');
    const bytes = Buffer.concat([
      Buffer.from(ascii, 'latin1'),
      iconv.encode(
        '10999999,10999999-1,Café assistant £,S9E,3,37.5,1,01/04/2020,,,01/01/1990,F,A,No,Org,Svc\r\n',
        'win1252',
      ),
    ]);
    expect(bytes.length).toBeGreaterThan(64 * 1024);
    const { extract, records } = await readAll(await write('late-1252.csv', bytes));
    expect(extract.encoding).toBe('windows-1252');
    expect(records.at(-1)!.cells[2]).toBe('Café assistant £');
    expect(records).toHaveLength(601);
  });
});

describe('text longer than the screens allow', () => {
  it('is a row error on import, with the screens’ limits', () => {
    const mapping = guessMapping([...ESR_HEADERS]);
    const row = esrRows(1, 3)[0]!;
    const check = (index: number, text: string) =>
      normaliseRow(
        row.map((v, i) => (i === index ? text : v)),
        mapping,
        { headers: [...ESR_HEADERS], referenceYear: 2026 },
      );
    expect(check(2, 'x'.repeat(120)).errors).toEqual([]);
    expect(check(2, 'x'.repeat(121)).errors).toEqual([
      {
        field: 'positionTitle',
        column: ESR_HEADERS[2],
        message:
          'Position title is 121 characters long; a role title can be at most 120 characters (as on the Roles tab). Shorten it in the file',
      },
    ]);
    expect(check(15, 'S'.repeat(121)).errors[0]!.message).toMatch(
      /^Service is 121 characters long; a service name can be at most 120/,
    );
    expect(check(14, 'C'.repeat(41)).errors[0]!.message).toMatch(/a cost centre can be at most 40 characters/);
    expect(check(0, '1'.repeat(41)).errors[0]!.message).toMatch(/a staff number can be at most 40 characters/);
  });
});
