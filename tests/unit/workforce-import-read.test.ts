import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  detectDelimiter,
  detectEncoding,
  ExtractError,
  openExtract,
  type ExtractRecord,
} from '../../electron/services/common/file-reader';
import { guessMapping } from '../../shared/import/fields';
import { normaliseRow } from '../../shared/import/rows';
import {
  ESR_HEADERS,
  esrExtract,
  writeBadFixture,
  writeCsvFixture,
  writeLargeCsv,
  writeXlsxFixture,
  type BadFixture,
  type FixtureEncoding,
} from '../fixtures/extracts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ahp-extracts-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(path: string) {
  const extract = await openExtract(path);
  const records: ExtractRecord[] = [];
  for await (const r of extract.records) records.push(r);
  return { ...extract, records };
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

const rowsWithSpecials = () => {
  const rows = esrExtract(20, 3);
  rows[1]![2] = 'Assistant – Café "Bistro" team';
  rows[1]![14] = 'Imaging £ budget';
  rows[2]![2] = 'Title over\ntwo lines';
  return rows;
};

describe('encodings', () => {
  const cases: [FixtureEncoding, string][] = [
    ['utf-8', 'utf-8'],
    ['utf-8-bom', 'utf-8-bom'],
    ['utf-16le', 'utf-16le'],
    ['utf-16be', 'utf-16be'],
    ['windows-1252', 'windows-1252'],
  ];
  for (const [encoding, expected] of cases) {
    it(`reads ${encoding} with £, é, an en dash and embedded newlines`, async () => {
      const path = await writeCsvFixture(dir, `enc-${encoding}.csv`, rowsWithSpecials(), { encoding });
      const extract = await readAll(path);
      expect(extract.encoding).toBe(expected);
      expect(extract.headers).toEqual([...ESR_HEADERS]);
      expect(extract.records).toHaveLength(20);
      expect(extract.records[0]!.cells[2]).toBe('Assistant – Café "Bistro" team');
      expect(extract.records[0]!.cells[14]).toBe('Imaging £ budget');
      expect(extract.records[1]!.cells[2]).toBe('Title over\ntwo lines');
      // Header on line 1, record 1 on line 2, record 2 starts on line 3 and spans two lines.
      expect(extract.records.slice(0, 3).map((r) => r.line)).toEqual([2, 3, 5]);
      expect(extract.records.every((r) => r.error === null)).toBe(true);
    });
  }

  it('detects encodings from bytes alone', () => {
    expect(detectEncoding(Buffer.from('a,b\r\n1,2'))).toBe('utf-8');
    expect(detectEncoding(Buffer.from([0x61, 0xa3, 0x31]))).toBe('windows-1252'); // "a£1" in Windows-1252
    expect(detectEncoding(Buffer.from('a,b\r\n', 'utf16le'))).toBe('utf-16le'); // no BOM
  });
});

describe('delimiters', () => {
  for (const delimiter of [';', '\t', '|', ',']) {
    it(`detects ${JSON.stringify(delimiter)}`, async () => {
      const rows = esrExtract(5, 4);
      rows[1]![2] = `Title, with; odd | chars`;
      const path = await writeCsvFixture(dir, `delim-${delimiter.charCodeAt(0)}.csv`, rows, { delimiter });
      const extract = await readAll(path);
      expect(extract.delimiter).toBe(delimiter);
      expect(extract.records[0]!.cells[2]).toBe('Title, with; odd | chars');
      expect(extract.records.every((r) => r.cells.length === ESR_HEADERS.length && r.error === null)).toBe(true);
    });
  }

  it('ignores delimiters inside quotes', () => {
    expect(detectDelimiter('a;b;c\n"x,y,z,w";2;3\n1;2;3\n')).toBe(';');
  });
});

describe('messy but readable files', () => {
  it('skips trailing blank lines and rows of empty fields, strips NUL padding', async () => {
    const path = await writeCsvFixture(dir, 'trailing.csv', esrExtract(10), {
      trailingBlankLines: 4,
      nulPadding: 3000,
      lineEnding: '\n',
    });
    const extract = await readAll(path);
    expect(extract.records).toHaveLength(10);
    expect(extract.records.every((r) => r.error === null)).toBe(true);
    expect(JSON.stringify(extract.records)).not.toContain('\\u0000');
  });

  it('keeps formula-looking text as plain data', async () => {
    const rows = esrExtract(2);
    rows[1]![2] = '=HYPERLINK("http://x","y")';
    rows[2]![2] = '@SUM(1+1)';
    const extract = await readAll(await writeCsvFixture(dir, 'formula.csv', rows));
    expect(extract.records.map((r) => r.cells[2])).toEqual(['=HYPERLINK("http://x","y")', '@SUM(1+1)']);
  });

  it('reports progress by bytes and can be cancelled', async () => {
    const path = join(dir, 'large.csv');
    const size = await writeLargeCsv(path, { rows: 20_000, encoding: 'windows-1252', seed: 5 });
    const progress: number[] = [];
    const extract = await openExtract(path, { onProgress: (read, total) => progress.push(read / total) });
    let count = 0;
    for await (const record of extract.records) {
      expect(record.error).toBeNull();
      count++;
    }
    expect(count).toBe(20_000);
    expect(extract.totalBytes).toBe(size);
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.at(-1)).toBe(1);

    const controller = new AbortController();
    const second = await openExtract(path, { signal: controller.signal });
    const read = async () => {
      let n = 0;
      for await (const _ of second.records) if (++n === 100) controller.abort();
      return n;
    };
    await expect(read()).rejects.toMatchObject({ code: 'aborted' });
  });
});

describe('files refused with a clear reason', () => {
  const cases: [BadFixture, string, RegExp][] = [
    ['empty', 'empty', /empty/],
    ['nul-only', 'empty', /empty/],
    ['header-only', 'header-only', /no data rows/],
    ['binary', 'binary', /binary/],
    ['zip', 'zip-as-csv', /Excel workbook/],
  ];
  for (const [kind, code, message] of cases) {
    it(kind, async () => {
      const error = await failure(await writeBadFixture(dir, kind));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    });
  }

  it('an unclosed quote stops the file, naming the line it opens on', async () => {
    const path = await writeBadFixture(dir, 'unclosed-quote');
    const extract = await openExtract(path);
    const seen: number[] = [];
    const run = async () => {
      for await (const r of extract.records) seen.push(r.line);
    };
    await expect(run()).rejects.toMatchObject({ code: 'unclosed-quote', line: 3 });
    expect(seen).toEqual([2]);
  });

  it('line numbers count blank lines and newlines inside quotes, whatever the line ending', async () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const path = join(dir, `lines-${eol.length}-${eol.charCodeAt(0)}.csv`);
      const text = ['a,b', '1,"two', 'lines"', '', '', '3,x', '"4","three', '', 'lines"', '5,y', '', ''].join(eol);
      await writeFile(path, text);
      const extract = await readAll(path);
      expect(extract.records.map((r) => [r.line, r.cells[0]])).toEqual([
        [2, '1'],
        [6, '3'],
        [7, '4'],
        [10, '5'],
      ]);
    }
  });

  it('a row with too many or too few fields is an error for that row only', async () => {
    const many = await readAll(await writeBadFixture(dir, 'too-many-fields'));
    expect(many.records.map((r) => r.error?.code ?? null)).toEqual([null, 'field-count', null]);
    expect(many.records[1]!.error!.message).toMatch(/^Line 3 has 18 fields but the header has 16/);
    const few = await readAll(await writeBadFixture(dir, 'too-few-fields'));
    expect(few.records[1]).toMatchObject({ line: 3, error: { code: 'field-count' } });
    expect(few.records[2]!.error).toBeNull();
  });

  it('unknown file types and fake workbooks', async () => {
    const pdf = join(dir, 'staff.pdf');
    await writeFile(pdf, 'hello');
    expect((await failure(pdf)).code).toBe('unknown-type');
    const fakeXlsx = join(dir, 'fake.xlsx');
    await writeFile(fakeXlsx, 'a,b\n1,2\n');
    expect((await failure(fakeXlsx)).code).toBe('not-xlsx');
  });
});

describe('xlsx', () => {
  it('streams the first worksheet with typed cells and formula results, never formulas', async () => {
    const path = await writeXlsxFixture(dir, 'staff.xlsx', 30, 2);
    const extract = await readAll(path);
    expect(extract.format).toBe('xlsx');
    expect(extract.headers).toEqual([...ESR_HEADERS]);
    expect(extract.records).toHaveLength(31);
    const first = extract.records[0]!;
    expect(first.line).toBe(2);
    expect(typeof first.cells[0]).toBe('number');
    expect(first.cells[7]).toBeInstanceOf(Date);
    const last = extract.records.at(-1)!;
    expect(last.cells[2]).toBe('=cmd|calc!A1'); // the saved result, as text
    expect(last.cells[4]).toBe('Band 3');
    expect(last.cells).toHaveLength(ESR_HEADERS.length);
    expect(last.cells[15]).toBeNull();

    const mapping = guessMapping(extract.headers);
    const row = normaliseRow(first.cells, mapping, { headers: extract.headers, referenceYear: 2024 });
    expect(row.errors).toEqual([]);
    expect(row.value?.startDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(row.value?.employeeNumber).toMatch(/^\d{8}$/);
  });
});
