import { createReadStream, type ReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse, type Info } from 'csv-parse';
import iconv from 'iconv-lite';

/**
 * Reading workforce extracts (CSV or XLSX) as a stream of records, never the whole file in memory.
 * Node only; the pure reading of the cells is shared/common/cells.ts, the staff import's rules shared/import/.
 */

export type ExtractCell = string | number | Date | null;
export type ExtractFormat = 'csv' | 'xlsx';
export type ExtractEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export type Delimiter = ',' | ';' | '\t' | '|';

export interface ExtractRecord {
  /** Line (CSV) or row (XLSX) of the file where the record starts, counting from 1. */
  line: number;
  cells: ExtractCell[];
  /** A row-level problem (wrong number of fields): the rest of the file is still read. */
  error: { code: 'field-count'; message: string } | null;
}

export type ExtractErrorCode =
  | 'empty'
  | 'header-only'
  | 'binary'
  | 'zip-as-csv'
  | 'not-xlsx'
  | 'unknown-type'
  | 'unclosed-quote'
  | 'malformed'
  | 'unreadable'
  | 'aborted';

/** A file-level problem: nothing more can be read from the file. */
export class ExtractError extends Error {
  override readonly name = 'ExtractError';
  constructor(
    readonly code: ExtractErrorCode,
    message: string,
    readonly line: number | null = null,
  ) {
    super(message);
  }
}

export interface OpenExtractOptions {
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  signal?: AbortSignal;
}

export interface Extract {
  format: ExtractFormat;
  /** null for XLSX, which carries its own encoding. */
  encoding: ExtractEncoding | null;
  delimiter: Delimiter | null;
  headers: string[];
  headerLine: number;
  totalBytes: number;
  /** Data records after the header; blank rows are skipped. Iterate once (this or batches, not both). */
  records: AsyncIterable<ExtractRecord>;
  /** The same records in file order, in arrays of up to a few thousand: far cheaper per row than `records`. */
  batches: AsyncIterable<ExtractRecord[]>;
  /** Release the file when the records will not be read to the end. */
  close(): void;
}

const SAMPLE_BYTES = 64 * 1024;
/** Bytes read (and parsed, synchronously) at a time: large, so that per-chunk costs vanish; memory stays flat. */
const CHUNK_BYTES = 256 * 1024;
/** Rows per batch for XLSX, which is read row by row. */
const XLSX_BATCH_ROWS = 1000;
const MAX_RECORD_CHARS = 1_000_000;

const MAGIC: [number[], ExtractErrorCode, string][] = [
  [
    [0xd0, 0xcf, 0x11, 0xe0],
    'binary',
    'This is an old Excel (.xls) or other Office file. Save it as .xlsx or CSV and import that.',
  ],
  [[0x25, 0x50, 0x44, 0x46], 'binary', 'This is a PDF, not a data extract.'],
  [[0x1f, 0x8b], 'binary', 'This is a compressed (gzip) file. Unpack it first.'],
  [[0x89, 0x50, 0x4e, 0x47], 'binary', 'This is an image, not a data extract.'],
  [[0xff, 0xd8, 0xff], 'binary', 'This is an image, not a data extract.'],
];
const isZip = (b: Buffer) =>
  b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5 || b[2] === 7);

/** Encoding from the byte order mark, else UTF-16 by its zero bytes, else UTF-8 when valid, else Windows-1252. */
export function detectEncoding(sample: Buffer): ExtractEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8-bom';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  const bytes = trimTrailingNuls(sample);
  if (bytes.length >= 4) {
    let evenZeros = 0;
    let oddZeros = 0;
    for (let i = 0; i + 1 < bytes.length; i += 2) {
      if (bytes[i] === 0) evenZeros++;
      if (bytes[i + 1] === 0) oddZeros++;
    }
    const pairs = Math.floor(bytes.length / 2);
    if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return 'utf-16le';
    if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return 'utf-16be';
  }
  try {
    // stream: true tolerates a character cut in half at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

const ICONV_NAME: Record<ExtractEncoding, string> = {
  'utf-8': 'utf8',
  'utf-8-bom': 'utf8',
  'utf-16le': 'utf16le',
  'utf-16be': 'utf16be',
  'windows-1252': 'win1252',
};

function trimTrailingNuls(b: Buffer): Buffer {
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end--;
  return b.subarray(0, end);
}

/** Share of characters that never appear in a text extract (NUL padding at the end is allowed). */
function controlShare(text: string): number {
  const body = text.replace(/\u0000+$/, '');
  if (body.length === 0) return 0;
  let bad = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 26) || c === 0xfffd) bad++;
  }
  return bad / body.length;
}

/** Split text into logical lines, a newline inside quotes belonging to its field. */
function logicalLines(text: string, max: number): string[] {
  const lines: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length && lines.length < max; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if ((ch === '\n' || ch === '\r') && !quoted) {
      lines.push(text.slice(start, i));
      if (ch === '\r' && text[i + 1] === '\n') i++;
      start = i + 1;
    }
  }
  return lines.filter((l) => l.trim() !== '');
}

/** The delimiter found the same number of times, outside quotes, on most of the first lines. */
export function detectDelimiter(text: string, complete = true): Delimiter {
  const lines = logicalLines(complete ? `${text}\n` : text, 30);
  if (lines.length === 0) return ',';
  const candidates: Delimiter[] = [',', ';', '\t', '|'];
  let best: { delimiter: Delimiter; consistency: number; count: number } = {
    delimiter: ',',
    consistency: -1,
    count: 0,
  };
  for (const delimiter of candidates) {
    const counts = lines.map((line) => {
      let n = 0;
      let quoted = false;
      for (const ch of line) {
        if (ch === '"') quoted = !quoted;
        else if (ch === delimiter && !quoted) n++;
      }
      return n;
    });
    const headerCount = counts[0]!;
    if (headerCount === 0) continue;
    const consistency = counts.filter((c) => c === headerCount).length / counts.length;
    if (consistency > best.consistency || (consistency === best.consistency && headerCount > best.count)) {
      best = { delimiter, consistency, count: headerCount };
    }
  }
  return best.delimiter;
}

interface RawRow {
  line: number;
  cells: ExtractCell[];
}

async function readSample(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function countingStream(
  path: string,
  totalBytes: number,
  options: OpenExtractOptions,
  chunkBytes = SAMPLE_BYTES,
): ReadStream {
  const stream = createReadStream(path, { highWaterMark: chunkBytes });
  let bytesRead = 0;
  if (options.onProgress) {
    const report = options.onProgress;
    stream.on('data', (chunk) => {
      bytesRead += chunk.length;
      report(bytesRead, totalBytes);
    });
  }
  if (options.signal) {
    const onAbort = () => stream.destroy(new ExtractError('aborted', 'The import was cancelled.'));
    options.signal.addEventListener('abort', onAbort, { once: true });
    stream.once('close', () => options.signal?.removeEventListener('abort', onAbort));
  }
  return stream;
}

function lineBreaks(cells: readonly ExtractCell[]): number {
  let n = 0;
  for (const c of cells)
    if (typeof c === 'string' && (c.includes('\n') || c.includes('\r'))) n += c.match(/\r\n|\n|\r/g)?.length ?? 0;
  return n;
}

/** The parts of csv-parse's parser core used here: it parses a buffer synchronously, calling push per record. */
interface CsvCore {
  info: Info;
  parse(buf: Buffer | undefined, end: boolean, push: (record: string[]) => void, close: () => void): Error | undefined;
}

/**
 * CSV records in arrays, one array per chunk of the file. Each chunk is decoded and parsed synchronously by
 * csv-parse's core (the parser behind its stream API, with the same options), instead of a record at a time
 * through streams and async iteration, which cost more than the parsing itself.
 */
async function* csvRows(
  path: string,
  encoding: ExtractEncoding,
  delimiter: Delimiter,
  totalBytes: number,
  options: OpenExtractOptions,
  streams: { destroy(): void }[],
): AsyncGenerator<RawRow[]> {
  const source = countingStream(path, totalBytes, options, CHUNK_BYTES);
  streams.push(source);
  const core = (
    parse({
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_CHARS,
    }) as unknown as { api?: CsvCore }
  ).api;
  if (typeof core?.parse !== 'function') throw new Error('this version of csv-parse has no parser core (Parser.api)');
  // UTF-8 goes to the parser as bytes (it decodes each field); the rest is decoded to text and re-encoded.
  const bom = encoding === 'utf-8-bom';
  const decoder = encoding === 'utf-8' || bom ? null : iconv.getDecoder(ICONV_NAME[encoding]);
  let atStart = true;
  let rows: RawRow[] = [];
  // Line numbers are counted here: csv-parse counts a CRLF inside a quoted field as two lines. A record starts on
  // the line after the previous one ended, past any blank lines skipped in between; it ends as many lines later as
  // it holds line breaks (looked for only when csv-parse saw it span more than one line).
  let lastEnd = 0;
  let parserLastEnd = 0;
  let emptyAtLast = 0;
  const push = (record: string[]) => {
    const { lines, empty_lines } = core.info;
    const skipped = empty_lines - emptyAtLast;
    const line = lastEnd + 1 + skipped;
    const cells = record as ExtractCell[];
    for (let i = 0; i < cells.length; i++) if (cells[i] === '') cells[i] = null;
    rows.push({ line, cells });
    lastEnd = lines - parserLastEnd - skipped > 1 ? line + lineBreaks(cells) : line;
    parserLastEnd = lines;
    emptyAtLast = empty_lines;
  };
  const close = () => undefined;
  const feed = (bytes: Buffer | undefined, end: boolean) => {
    const error = core.parse(bytes, end, push, close);
    if (error !== undefined) throw error;
  };
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      let bytes: Buffer = chunk;
      if (decoder) {
        const text = decoder.write(chunk);
        bytes = Buffer.from(text.includes('\u0000') ? text.replace(/\u0000/g, '') : text, 'utf8');
      } else {
        if (atStart && bom && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
        if (bytes.includes(0)) bytes = stripNulBytes(bytes);
      }
      atStart = false;
      feed(bytes, false);
      if (rows.length > 0) {
        yield rows;
        rows = [];
      }
    }
    if (decoder) {
      const rest = decoder.end();
      if (rest) feed(Buffer.from(rest.replace(/\u0000/g, ''), 'utf8'), false);
    }
    feed(undefined, true);
    if (rows.length > 0) yield rows;
  } catch (error) {
    // csv-parse reports where it gave up; the broken record starts after the last good one and any blank lines.
    const emptyNow = (error as { empty_lines?: unknown }).empty_lines;
    const skipped = typeof emptyNow === 'number' ? Math.max(0, emptyNow - emptyAtLast) : 0;
    throw toExtractError(error, lastEnd + 1 + skipped);
  } finally {
    source.destroy();
  }
}

function stripNulBytes(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) out[n++] = bytes[i]!;
  return out.subarray(0, n);
}

function toExtractError(error: unknown, line: number): ExtractError {
  if (error instanceof ExtractError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'CSV_QUOTE_NOT_CLOSED' || code === 'CSV_MAX_RECORD_SIZE') {
    return new ExtractError(
      'unclosed-quote',
      `Line ${line} opens a quote (") that is never closed, so the rest of the file cannot be read. Fix that line and import again.`,
      line,
    );
  }
  if (code?.startsWith('CSV_')) {
    return new ExtractError('malformed', `Line ${line} cannot be read: ${(error as Error).message}`, line);
  }
  if ((error as Error).name === 'AbortError') return new ExtractError('aborted', 'The import was cancelled.');
  return new ExtractError('unreadable', `The file could not be read: ${(error as Error).message}`);
}

function xlsxCell(value: unknown): ExtractCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    // A formula is read as the result Excel saved with it; we never evaluate it.
    if ('formula' in v || 'sharedFormula' in v) return xlsxCell(v.result);
    if (Array.isArray(v.richText)) return (v.richText as { text?: string }[]).map((r) => r.text ?? '').join('') || null;
    if ('error' in v) return String(v.error);
    if ('text' in v) return xlsxCell(v.text);
  }
  return String(value);
}

async function* xlsxRows(
  path: string,
  totalBytes: number,
  options: OpenExtractOptions,
  streams: { destroy(): void }[],
): AsyncGenerator<RawRow[]> {
  const source = countingStream(path, totalBytes, options);
  streams.push(source);
  let batch: RawRow[] = [];
  // Loaded only for a workbook: exceljs takes longer to load than a CSV of 10,000 rows takes to read.
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // needed to tell date cells from numbers
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const worksheet of reader) {
      for await (const row of worksheet) {
        if (options.signal?.aborted) throw new ExtractError('aborted', 'The import was cancelled.');
        const values = row.values as unknown[];
        const cells: ExtractCell[] = [];
        for (let i = 1; i < values.length; i++) cells.push(xlsxCell(values[i]));
        batch.push({ line: row.number, cells });
        if (batch.length >= XLSX_BATCH_ROWS) {
          yield batch;
          batch = [];
        }
      }
      break; // first worksheet only
    }
    if (batch.length > 0) yield batch;
  } catch (error) {
    if (error instanceof ExtractError) throw error;
    throw new ExtractError('not-xlsx', `This file could not be read as an Excel workbook: ${(error as Error).message}`);
  } finally {
    source.destroy();
  }
}

const isBlankRow = (cells: ExtractCell[]) =>
  cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));

/** Open a CSV or XLSX extract: checks it, reads the header row and returns the data records as a stream. */
export async function openExtract(path: string, options: OpenExtractOptions = {}): Promise<Extract> {
  if (options.signal?.aborted) throw new ExtractError('aborted', 'The import was cancelled.');
  let totalBytes: number;
  let sample: Buffer;
  try {
    totalBytes = (await stat(path)).size;
    sample = await readSample(path);
  } catch (error) {
    throw new ExtractError('unreadable', `The file could not be opened: ${(error as Error).message}`);
  }
  if (trimTrailingNuls(sample).length === 0) throw new ExtractError('empty', 'The file is empty.');

  const ext = extname(path).toLowerCase();
  for (const [magic, code, message] of MAGIC) {
    if (magic.every((b, i) => sample[i] === b)) throw new ExtractError(code, message);
  }
  let format: ExtractFormat;
  if (ext === '.xlsx' || ext === '.xlsm') {
    if (!isZip(sample))
      throw new ExtractError(
        'not-xlsx',
        'This file is named .xlsx but is not an Excel workbook. If it is a CSV file, rename it to .csv.',
      );
    format = 'xlsx';
  } else if (ext === '.csv' || ext === '.txt' || ext === '.tsv') {
    if (isZip(sample)) {
      throw new ExtractError(
        'zip-as-csv',
        'This file is named .csv but is a compressed (zip) file, probably an Excel workbook. Rename it to .xlsx, or open it in Excel and save as CSV.',
      );
    }
    format = 'csv';
  } else {
    throw new ExtractError(
      'unknown-type',
      `Files of type "${ext || 'none'}" cannot be imported. Use a CSV (.csv) or Excel (.xlsx) file.`,
    );
  }

  const streams: { destroy(): void }[] = [];
  let encoding: ExtractEncoding | null = null;
  let delimiter: Delimiter | null = null;
  let rows: AsyncGenerator<RawRow[]>;
  if (format === 'csv') {
    encoding = detectEncoding(sample);
    const text = iconv.decode(sample, ICONV_NAME[encoding]);
    if (controlShare(text) > 0.01) {
      throw new ExtractError(
        'binary',
        'This file holds binary data, not text. It may be a different kind of file renamed to .csv.',
      );
    }
    if (text.replace(/\u0000/g, '').trim() === '') throw new ExtractError('empty', 'The file is empty.');
    delimiter = detectDelimiter(text.replace(/\u0000/g, ''), sample.length === totalBytes);
    rows = csvRows(path, encoding, delimiter, totalBytes, options, streams);
  } else {
    rows = xlsxRows(path, totalBytes, options, streams);
  }
  const close = () => {
    for (const s of streams) s.destroy();
    void rows.return(undefined);
  };

  // Rows of the current batch not yet handed out (the header and first row are taken from the front).
  let current: RawRow[] = [];
  let at = 0;
  const nextNonBlank = async (): Promise<RawRow | null> => {
    for (;;) {
      while (at < current.length) {
        const row = current[at++]!;
        if (!isBlankRow(row.cells)) return row;
      }
      const next = await rows.next();
      if (next.done) return null;
      current = next.value;
      at = 0;
    }
  };
  let header: RawRow | null;
  let first: RawRow | null;
  try {
    header = await nextNonBlank();
    if (!header) throw new ExtractError('empty', 'The file has no rows.');
    first = await nextNonBlank();
    if (!first)
      throw new ExtractError(
        'header-only',
        `The file has a header row (line ${header.line}) but no data rows.`,
        header.line,
      );
  } catch (error) {
    close();
    throw error;
  }

  const headers = header.cells.map((c) =>
    c === null
      ? ''
      : c instanceof Date
        ? c.toISOString().slice(0, 10)
        : String(c)
            .replace(/^\uFEFF/, '')
            .trim(),
  );
  while (headers.length > 0 && headers[headers.length - 1] === '') headers.pop();
  const width = headers.length;

  const check = (row: RawRow): ExtractRecord => {
    let cells = row.cells;
    if (cells.length > width && isBlankRow(cells.slice(width))) cells = cells.slice(0, width);
    if (format === 'xlsx' && cells.length < width) cells = [...cells, ...Array<null>(width - cells.length).fill(null)];
    if (cells.length === width) return { line: row.line, cells, error: null };
    const message =
      cells.length > width
        ? `Line ${row.line} has ${cells.length} fields but the header has ${width}: a value may contain an unquoted "${delimiter ?? ','}".`
        : `Line ${row.line} has ${cells.length} fields but the header has ${width}: the row may be cut short or broken across lines.`;
    return { line: row.line, cells, error: { code: 'field-count', message } };
  };

  const checkAll = (batch: RawRow[], from: number): ExtractRecord[] => {
    const out: ExtractRecord[] = [];
    for (let i = from; i < batch.length; i++) {
      const row = batch[i]!;
      if (!isBlankRow(row.cells)) out.push(check(row));
    }
    return out;
  };

  async function* batches(): AsyncGenerator<ExtractRecord[]> {
    try {
      const firstBatch = [check(first!), ...checkAll(current, at)];
      current = [];
      yield firstBatch;
      for (;;) {
        const next = await rows.next();
        if (next.done) return;
        const checked = checkAll(next.value, 0);
        if (checked.length > 0) yield checked;
      }
    } finally {
      close();
    }
  }

  async function* records(): AsyncGenerator<ExtractRecord> {
    for await (const batch of batches()) yield* batch;
  }

  return {
    format,
    encoding,
    delimiter,
    headers,
    headerLine: header.line,
    totalBytes,
    records: records(),
    batches: batches(),
    close,
  };
}
