import { isAscii, isUtf8 } from 'node:buffer';
import { createReadStream, type ReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse, type Info } from 'csv-parse';
import iconv from 'iconv-lite';
import { openWorkbookStream, WorkbookProblem } from './workbook-zip';

/**
 * Reading workforce extracts (CSV or XLSX) as a stream of records, never the whole file in memory.
 * Node only; the pure reading of the cells is shared/common/cells.ts, the staff import's rules shared/import/.
 *
 * A file that cannot be read is refused with the message that fits it: known binary files by their first bytes
 * (a SQLite database, PDF, image, archive...), a line of more than MAX_RECORD_CHARS that is not an unclosed quote,
 * UTF-8 and Windows-1252 mixed in one file (checked chunk by chunk), and workbooks through workbook-zip.ts (sizes
 * and string counts checked before and while they are unpacked). CR-only (old Mac) line ends read as any other.
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
  | 'line-too-long'
  | 'mixed-encoding'
  | 'too-large'
  | 'damaged'
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
  /**
   * null for XLSX, which carries its own encoding. A file taken for UTF-8 from its start (plain ASCII there)
   * becomes windows-1252 if its first character beyond ASCII turns out to be Windows-1252.
   */
  readonly encoding: ExtractEncoding | null;
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
const count = (n: number) => n.toLocaleString('en-GB');

const MAGIC: [number[], ExtractErrorCode, string][] = [
  [
    [...Buffer.from('SQLite format 3\u0000', 'latin1')],
    'binary',
    'This is a SQLite database file, not a data extract. To bring back a backup of this app, use Restore in Settings.',
  ],
  [
    [0xd0, 0xcf, 0x11, 0xe0],
    'binary',
    'This is an old Excel (.xls) or other Office file. Save it as .xlsx or CSV and import that.',
  ],
  [[0x25, 0x50, 0x44, 0x46], 'binary', 'This is a PDF, not a data extract.'],
  [[0x1f, 0x8b], 'binary', 'This is a compressed (gzip) file. Unpack it first.'],
  [[0x89, 0x50, 0x4e, 0x47], 'binary', 'This is an image, not a data extract.'],
  [[0xff, 0xd8, 0xff], 'binary', 'This is an image, not a data extract.'],
  [[0x47, 0x49, 0x46, 0x38], 'binary', 'This is an image, not a data extract.'],
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], 'binary', 'This is a compressed (7-Zip) file. Unpack it first.'],
  [[0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], 'binary', 'This is a compressed (RAR) file. Unpack it first.'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'binary', 'This is a compressed (xz) file. Unpack it first.'],
  [[0x7f, 0x45, 0x4c, 0x46], 'binary', 'This is a program, not a data extract.'],
  [
    [0x7b, 0x5c, 0x72, 0x74, 0x66],
    'binary',
    'This is a Word (RTF) document, not a data extract. Save the table as CSV.',
  ],
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

/** The encoding of a CSV file as reading goes on: UTF-8 taken from plain ASCII can still turn out Windows-1252. */
interface EncodingState {
  encoding: ExtractEncoding;
}

/** The length of `bytes` without a UTF-8 character cut off at the end (its first bytes wait for the next chunk). */
function completeUtf8Length(bytes: Buffer): number {
  for (let i = bytes.length - 1; i >= 0 && i >= bytes.length - 4; i--) {
    const b = bytes[i]!;
    if (b < 0x80) return bytes.length;
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return i + need > bytes.length ? i : bytes.length;
    }
  }
  return bytes.length;
}

/** Where the first byte that is not valid UTF-8 is (only called once a check has failed, on one chunk). */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0 || i + need >= bytes.length) return i;
    for (let k = 1; k <= need; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    // Overlong forms and surrogates are invalid too.
    const second = bytes[i + 1]!;
    if (
      (b === 0xe0 && second < 0xa0) ||
      (b === 0xed && second > 0x9f) ||
      (b === 0xf0 && second < 0x90) ||
      (b === 0xf4 && second > 0x8f)
    )
      return i;
    i += need + 1;
  }
  return bytes.length;
}

/** UTF-8 sequences read as Windows-1252 text: "Café" written in UTF-8 shows as "CafÃ©". */
const UTF8_IN_1252 = /[\xC2-\xDF][\x80-\xBF]|[\xE0-\xEF][\x80-\xBF]{2}|[\xF0-\xF4][\x80-\xBF]{3}/;

/** The line (counting from 1) that byte `offset` of the file is on, for a message: reads the file up to there. */
async function lineOfByte(path: string, offset: number): Promise<number> {
  if (offset <= 0) return 1;
  let lf = 1;
  let cr = 1;
  const stream = createReadStream(path, { end: offset - 1, highWaterMark: CHUNK_BYTES });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(0x0a); at >= 0; at = chunk.indexOf(0x0a, at + 1)) lf++;
    for (let at = chunk.indexOf(0x0d); at >= 0; at = chunk.indexOf(0x0d, at + 1)) cr++;
  }
  // Files with CR-only line ends (old Macs) have no line feeds at all.
  return lf > 1 ? lf : cr;
}

/** The first byte at or above 0x80 (a character beyond ASCII), or -1. */
function firstNonAscii(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return i;
  return -1;
}

/**
 * A file in two encodings: `utf8At` and `cp1252At` are byte offsets of the first text in each (null: the file is
 * marked UTF-8 by its byte order mark). The error's line is where the second encoding first appears.
 */
async function mixedEncoding(path: string, utf8At: number | null, cp1252At: number): Promise<ExtractError> {
  const cp1252Line = await lineOfByte(path, cp1252At);
  const utf8Line = utf8At === null ? null : await lineOfByte(path, utf8At);
  const where =
    utf8Line === null
      ? `it is marked as UTF-8, but line ${count(cp1252Line)} has text in Windows-1252`
      : `line ${count(utf8Line)} has text in UTF-8 and line ${count(cp1252Line)} in Windows-1252`;
  const line = Math.max(utf8Line ?? 0, cp1252Line);
  return new ExtractError(
    'mixed-encoding',
    `This file mixes two text encodings: ${where}, so a name such as "Café" would be stored garbled (as "CafÃ©" or "Caf�"). Open the file in Excel and save it as "CSV UTF-8", or correct those lines, then import it again.`,
    line,
  );
}

/**
 * CSV records in arrays, one array per chunk of the file. Each chunk is decoded and parsed synchronously by
 * csv-parse's core (the parser behind its stream API, with the same options), instead of a record at a time
 * through streams and async iteration, which cost more than the parsing itself. Text encodings are checked as
 * the chunks pass: a UTF-8 file with Windows-1252 characters in it (or the other way round) is refused, not
 * stored garbled.
 */
async function* csvRows(
  path: string,
  state: EncodingState,
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
  const bom = state.encoding === 'utf-8-bom';
  let decoder = state.encoding === 'utf-8' || bom ? null : iconv.getDecoder(ICONV_NAME[state.encoding]);
  // UTF-8 checks: bytes of a character cut at the end of a chunk wait for the next; `multibyte` once any
  // character beyond ASCII has been read as UTF-8 (from then on a Windows-1252 byte means a mixed file).
  let carry: Buffer | null = null;
  let multibyte = false;
  // Byte offsets of the first text in each encoding, for the message about a mixed file.
  let utf8At: number | null = null;
  let cp1252At: number | null = null;
  let fileOffset = 0;
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
  /** The chunk's bytes as the parser takes them (UTF-8), after the encoding checks. */
  const prepare = async (chunk: Buffer, chunkOffset: number): Promise<Buffer> => {
    if (decoder) {
      if (state.encoding === 'windows-1252') {
        // Taken for Windows-1252 from its first 64 KB, which hold a byte that is not UTF-8.
        if (cp1252At === null) {
          const bad = firstInvalidUtf8(chunk);
          cp1252At = bad < chunk.length ? chunkOffset + bad : chunkOffset;
        }
        const found = UTF8_IN_1252.exec(chunk.toString('latin1'));
        if (found) throw await mixedEncoding(path, chunkOffset + found.index, cp1252At);
      }
      const text = decoder.write(chunk);
      return Buffer.from(text.includes('\u0000') ? text.replace(/\u0000/g, '') : text, 'utf8');
    }
    let bytes: Buffer = chunk;
    if (atStart && bom && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    const whole: Buffer = carry ? Buffer.concat([carry, bytes]) : bytes;
    const wholeOffset = chunkOffset - (carry?.length ?? 0) + (bytes === chunk ? 0 : 3);
    if (!isAscii(whole)) {
      const cut = completeUtf8Length(whole);
      const body = whole.subarray(0, cut);
      if (isUtf8(body)) {
        if (!multibyte) utf8At = wholeOffset + firstNonAscii(body);
        multibyte = true;
        carry = cut < whole.length ? Buffer.from(whole.subarray(cut)) : null;
        bytes = body;
      } else {
        const bad = firstInvalidUtf8(body);
        const before = firstNonAscii(body.subarray(0, bad));
        if (multibyte || before >= 0 || bom)
          throw await mixedEncoding(path, utf8At ?? (before >= 0 ? wholeOffset + before : null), wholeOffset + bad);
        // Plain ASCII so far, and now a byte that is not UTF-8: the file is Windows-1252 (ASCII reads the same).
        state.encoding = 'windows-1252';
        cp1252At = wholeOffset + bad;
        decoder = iconv.getDecoder(ICONV_NAME['windows-1252']);
        carry = null;
        return prepare(whole, wholeOffset);
      }
    } else {
      carry = null;
      bytes = whole;
    }
    return bytes.includes(0) ? stripNulBytes(bytes) : bytes;
  };
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      const offset = fileOffset;
      fileOffset += chunk.length;
      const bytes = await prepare(chunk, offset);
      atStart = false;
      feed(bytes, false);
      if (rows.length > 0) {
        yield rows;
        rows = [];
      }
    }
    // A character cut off by the end of the file.
    const left = carry as Buffer | null;
    if (left) {
      if (multibyte || bom) throw await mixedEncoding(path, utf8At, fileOffset - left.length);
      // Plain ASCII, then a last byte that is not UTF-8: a Windows-1252 file.
      state.encoding = 'windows-1252';
      decoder = iconv.getDecoder(ICONV_NAME['windows-1252']);
      feed(Buffer.from(decoder.write(left), 'utf8'), false);
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
    const quoting = (core as unknown as { state?: { quoting?: boolean } }).state?.quoting === true;
    throw toExtractError(error, lastEnd + 1 + skipped, quoting);
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

function toExtractError(error: unknown, line: number, quoting: boolean): ExtractError {
  if (error instanceof ExtractError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'CSV_QUOTE_NOT_CLOSED' || (code === 'CSV_MAX_RECORD_SIZE' && quoting)) {
    return new ExtractError(
      'unclosed-quote',
      `Line ${count(line)} opens a quote (") that is never closed, so the rest of the file cannot be read. Fix that line and import again.`,
      line,
    );
  }
  if (code === 'CSV_MAX_RECORD_SIZE') {
    return new ExtractError(
      'line-too-long',
      `Line ${count(line)} is longer than ${count(MAX_RECORD_CHARS)} characters, far longer than any row of a staff extract or ledger, so the file cannot be read. It may not be a CSV file, or its rows may not be separated by line breaks.`,
      line,
    );
  }
  if (code?.startsWith('CSV_')) {
    return new ExtractError('malformed', `Line ${count(line)} cannot be read: ${(error as Error).message}`, line);
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

function workbookError(error: unknown): ExtractError {
  if (error instanceof ExtractError) return error;
  if (error instanceof WorkbookProblem) return new ExtractError(error.code, error.message);
  return new ExtractError('unreadable', `The file could not be read: ${(error as Error).message}`);
}

interface RowEvent {
  eventType: string;
  value: unknown;
}

/**
 * The first worksheet's rows, in arrays. The workbook is checked and inflated by workbook-zip.ts (which refuses a
 * "zip bomb" and never lets exceljs spill a worksheet to a temporary file); exceljs parses the XML. Each step of
 * the reader is raced with the workbook's limits and with cancelling, so neither can leave it waiting forever.
 */
async function* xlsxRows(
  path: string,
  totalBytes: number,
  options: OpenExtractOptions,
  streams: { destroy(): void }[],
): AsyncGenerator<RawRow[]> {
  const cancelled = () => new ExtractError('aborted', 'The import was cancelled.');
  let workbook: Awaited<ReturnType<typeof openWorkbookStream>>;
  try {
    workbook = await openWorkbookStream(path, totalBytes, { onProgress: options.onProgress });
  } catch (error) {
    throw workbookError(error);
  }
  streams.push(workbook.stream);
  let onAbort = () => undefined as void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(cancelled());
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  const step = <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, workbook.failed, aborted]);
  let batch: RawRow[] = [];
  try {
    // Loaded only for a workbook: exceljs takes longer to load than a CSV of 10,000 rows takes to read.
    const { default: ExcelJS } = await import('exceljs');
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(workbook.stream, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache', // needed to tell date cells from numbers
      hyperlinks: 'ignore',
      entries: 'ignore',
    });
    const first = await step(reader[Symbol.asyncIterator]().next());
    if (!first.done) {
      // The worksheet reader's events, a chunk of the sheet at a time (its row iterator awaits once per row).
      const events = (first.value as unknown as { parse(): AsyncGenerator<RowEvent[]> }).parse();
      for (;;) {
        const next = await step(events.next());
        if (next.done) break;
        if (options.signal?.aborted) throw cancelled();
        for (const { eventType, value } of next.value) {
          if (eventType !== 'row') continue;
          const row = value as { number: number; values: unknown[] };
          const values = row.values;
          const cells: ExtractCell[] = [];
          for (let i = 1; i < values.length; i++) cells.push(xlsxCell(values[i]));
          batch.push({ line: row.number, cells });
        }
        if (batch.length >= XLSX_BATCH_ROWS) {
          yield batch;
          batch = [];
        }
      }
    }
    if (batch.length > 0) yield batch;
  } catch (error) {
    const problem = workbook.problem();
    if (problem) throw workbookError(problem);
    if (error instanceof ExtractError) throw error;
    throw new ExtractError('not-xlsx', `This file could not be read as an Excel workbook: ${(error as Error).message}`);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    workbook.stream.destroy();
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
  let encodingState: EncodingState | null = null;
  let delimiter: Delimiter | null = null;
  let rows: AsyncGenerator<RawRow[]>;
  if (format === 'csv') {
    const encoding = detectEncoding(sample);
    encodingState = { encoding };
    const text = iconv.decode(sample, ICONV_NAME[encoding]);
    if (controlShare(text) > 0.01) {
      throw new ExtractError(
        'binary',
        'This file holds binary data, not text. It may be a different kind of file renamed to .csv.',
      );
    }
    if (text.replace(/\u0000/g, '').trim() === '') throw new ExtractError('empty', 'The file is empty.');
    delimiter = detectDelimiter(text.replace(/\u0000/g, ''), sample.length === totalBytes);
    rows = csvRows(path, encodingState, delimiter, totalBytes, options, streams);
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

  const state = encodingState;
  return {
    format,
    get encoding() {
      return state?.encoding ?? null;
    },
    delimiter,
    headers,
    headerLine: header.line,
    totalBytes,
    records: records(),
    batches: batches(),
    close,
  };
}
