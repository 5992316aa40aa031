import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';

/**
 * The guarded way into an Excel workbook (.xlsx, a zip file). Before anything is inflated, the zip's central
 * directory is read and every part the reader needs is checked against limits far above any real extract; then
 * the parts are inflated here, a piece at a time, counting what comes out, and handed to exceljs as one zip
 * stream of uncompressed ("stored") entries in the order it reads best:
 *
 * - a part that inflates past the size its header declares, or past its limit, stops the read at once (a
 *   13 MB file whose shared strings inflate to 6 GB is refused before a byte is inflated, from its header; one
 *   whose header lies is stopped where it passes what it declared), as does a shared-strings table of more
 *   strings than the limit, or a run of text longer than any cell Excel can hold;
 * - the parts exceljs keeps in memory (shared strings, styles, the workbook and its relationships) are checked
 *   in full before exceljs sees them, so a table of millions of strings is refused in a second;
 * - the shared strings come before the worksheet, so exceljs never spills a worksheet it met first into a
 *   temporary file (Excel writes the worksheet first; that file held the extract in clear text outside the
 *   upload folder);
 * - only the first worksheet is read; other sheets, pictures and the rest are never inflated.
 */

/** Parts exceljs reads, with what each may inflate to. */
export const WORKBOOK_LIMITS = {
  entries: 10_000,
  centralDirectoryBytes: 16 * 1024 * 1024,
  /** workbook.xml and its relationships. */
  smallPartBytes: 16 * 1024 * 1024,
  stylesBytes: 64 * 1024 * 1024,
  sharedStringsBytes: 256 * 1024 * 1024,
  sharedStrings: 5_000_000,
  worksheetBytes: 2 * 1024 * 1024 * 1024 - 1,
  /** Excel holds at most 32,767 characters in a cell: no run of text between two tags comes near this. */
  textRunBytes: 1024 * 1024,
} as const;

export type WorkbookProblemCode = 'not-xlsx' | 'damaged' | 'too-large';

/** Why a workbook cannot be read; the caller adds the file's name. */
export class WorkbookProblem extends Error {
  override readonly name = 'WorkbookProblem';
  constructor(
    readonly code: WorkbookProblemCode,
    message: string,
  ) {
    super(message);
  }
}

export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;

const mb = (bytes: number) => `${Math.round(bytes / 1048576).toLocaleString('en-GB')} MB`;
const DAMAGED =
  'This Excel workbook is damaged or incomplete (it may have been cut short while being copied or downloaded). Open it in Excel, save it again and import the saved copy.';

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

function uint64(buffer: Buffer, at: number): number {
  const value = buffer.readBigUInt64LE(at);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new WorkbookProblem('damaged', DAMAGED);
  return Number(value);
}

/** Reads the central directory: every entry's name, sizes and where its data starts. */
export async function readZipDirectory(handle: FileHandle, fileSize: number): Promise<ZipEntry[]> {
  const tailLength = Math.min(fileSize, 22 + MAX_COMMENT);
  const tail = await readAt(handle, fileSize - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new WorkbookProblem('damaged', DAMAGED);
  let count = tail.readUInt16LE(at + 10);
  let directorySize = tail.readUInt32LE(at + 12);
  let directoryOffset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    // Zip64: the real figures are in a second record, found through a locator just before this one.
    const locatorAt = fileSize - tailLength + at - 20;
    const locator = locatorAt >= 0 ? await readAt(handle, locatorAt, 20) : Buffer.alloc(0);
    if (locator.length < 20 || locator.readUInt32LE(0) !== ZIP64_LOCATOR) throw new WorkbookProblem('damaged', DAMAGED);
    const record = await readAt(handle, uint64(locator, 8), 56);
    if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD) throw new WorkbookProblem('damaged', DAMAGED);
    count = uint64(record, 32);
    directorySize = uint64(record, 40);
    directoryOffset = uint64(record, 48);
  }
  if (count > WORKBOOK_LIMITS.entries || directorySize > WORKBOOK_LIMITS.centralDirectoryBytes) {
    throw new WorkbookProblem(
      'too-large',
      `This workbook has ${count.toLocaleString('en-GB')} parts, far more than any staff extract or ledger. It is not a file this app can read safely.`,
    );
  }
  if (directoryOffset + directorySize > fileSize) throw new WorkbookProblem('damaged', DAMAGED);
  const directory = await readAt(handle, directoryOffset, directorySize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > directory.length || directory.readUInt32LE(p) !== CENTRAL)
      throw new WorkbookProblem('damaged', DAMAGED);
    const flags = directory.readUInt16LE(p + 8);
    const method = directory.readUInt16LE(p + 10);
    let compressedSize = directory.readUInt32LE(p + 20);
    let uncompressedSize = directory.readUInt32LE(p + 24);
    const nameLength = directory.readUInt16LE(p + 28);
    const extraLength = directory.readUInt16LE(p + 30);
    const commentLength = directory.readUInt16LE(p + 32);
    let localHeaderOffset = directory.readUInt32LE(p + 42);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > directory.length) throw new WorkbookProblem('damaged', DAMAGED);
    const name = directory.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLength);
    // Zip64 sizes and offset, for the fields marked 0xFFFFFFFF, in this order.
    let extra = p + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = directory.readUInt16LE(extra);
      const size = directory.readUInt16LE(extra + 2);
      if (id === 0x0001) {
        let q = extra + 4;
        const next = () => {
          if (q + 8 > extra + 4 + size) throw new WorkbookProblem('damaged', DAMAGED);
          const value = uint64(directory, q);
          q += 8;
          return value;
        };
        if (uncompressedSize === 0xffffffff) uncompressedSize = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = next();
      }
      extra += 4 + size;
    }
    entries.push({ name, flags, method, compressedSize, uncompressedSize, localHeaderOffset });
    p = end;
  }
  return entries;
}

type PartKind = 'rels' | 'workbook' | 'styles' | 'shared-strings' | 'worksheet';

interface Part {
  kind: PartKind;
  name: string;
  /** null: a part the workbook lacks, supplied empty. */
  entry: ZipEntry | null;
  limit: number;
}

const EMPTY_SHARED_STRINGS = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>',
);

const PART_LABEL: Record<PartKind, string> = {
  rels: 'its list of parts',
  workbook: 'its workbook part',
  styles: 'its cell styles',
  'shared-strings': 'its table of text values (shared strings)',
  worksheet: 'its first worksheet',
};

/** Checks the directory and chooses the parts to read, in the order they will be read. */
export function chooseParts(entries: readonly ZipEntry[]): Part[] {
  const byName = new Map<string, ZipEntry>();
  for (const e of entries) {
    if (byName.has(e.name)) throw new WorkbookProblem('damaged', DAMAGED);
    byName.set(e.name, e);
  }
  const workbook = byName.get('xl/workbook.xml');
  const rels = byName.get('xl/_rels/workbook.xml.rels');
  const sheet = entries
    .filter((e) => /^xl\/worksheets\/sheet\d+\.xml$/.test(e.name))
    .sort((a, b) => a.localHeaderOffset - b.localHeaderOffset)[0];
  if (!workbook || !rels || !sheet) {
    throw new WorkbookProblem(
      'not-xlsx',
      'This is a zip file but not an Excel workbook with a worksheet. Save the extract from Excel as .xlsx or CSV and import that.',
    );
  }
  const parts: Part[] = [
    { kind: 'rels', name: rels.name, entry: rels, limit: WORKBOOK_LIMITS.smallPartBytes },
    { kind: 'workbook', name: workbook.name, entry: workbook, limit: WORKBOOK_LIMITS.smallPartBytes },
  ];
  const styles = byName.get('xl/styles.xml');
  if (styles) parts.push({ kind: 'styles', name: styles.name, entry: styles, limit: WORKBOOK_LIMITS.stylesBytes });
  parts.push({
    kind: 'shared-strings',
    name: 'xl/sharedStrings.xml',
    entry: byName.get('xl/sharedStrings.xml') ?? null,
    limit: WORKBOOK_LIMITS.sharedStringsBytes,
  });
  parts.push({ kind: 'worksheet', name: sheet.name, entry: sheet, limit: WORKBOOK_LIMITS.worksheetBytes });
  for (const part of parts) {
    const e = part.entry;
    if (!e) continue;
    if (e.flags & 0x1)
      throw new WorkbookProblem(
        'not-xlsx',
        'This workbook is protected with a password. Save a copy without the password and import that.',
      );
    if (e.method !== 0 && e.method !== 8)
      throw new WorkbookProblem(
        'not-xlsx',
        'This workbook is compressed in a way Excel does not use. Open it in Excel, save it again and import the saved copy.',
      );
    if (e.uncompressedSize > part.limit) {
      throw new WorkbookProblem(
        'too-large',
        `This workbook would unpack to more than any staff extract or ledger: ${PART_LABEL[part.kind]} is ${mb(e.uncompressedSize)} once unpacked (at most ${mb(part.limit)} is read), from ${mb(e.compressedSize)} in the file. It may be a "zip bomb"; nothing has been read from it.`,
      );
    }
  }
  return parts;
}

/** A zip local header for an uncompressed entry of `size` bytes (unzipper reads entries by these). */
function storedHeader(name: string, size: number): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const header = Buffer.alloc(30);
  header.writeUInt32LE(LOCAL, 0);
  header.writeUInt16LE(20, 4); // version needed
  header.writeUInt16LE(0x800, 6); // UTF-8 name
  header.writeUInt16LE(0, 8); // stored
  header.writeUInt32LE(0, 14); // CRC: not checked by the reader
  header.writeUInt32LE(size, 18);
  header.writeUInt32LE(size, 22);
  header.writeUInt16LE(nameBytes.length, 26);
  header.writeUInt16LE(0, 28);
  return Buffer.concat([header, nameBytes]);
}

function endOfDirectory(): Buffer {
  const record = Buffer.alloc(22);
  record.writeUInt32LE(EOCD, 0);
  return record;
}

/** Counts shared strings (`<si>` elements) across chunk boundaries, and reads the declared count at the start. */
function sharedStringCounter(limit: number): (chunk: Buffer) => void {
  let count = 0;
  let carry = Buffer.alloc(0);
  let head = '';
  let headDone = false;
  const tooMany = (n: number) =>
    new WorkbookProblem(
      'too-large',
      `This workbook holds ${n.toLocaleString('en-GB')} different text values, more than the ${limit.toLocaleString('en-GB')} any staff extract or ledger needs. It may be a "zip bomb"; it has not been read.`,
    );
  return (chunk) => {
    if (!headDone) {
      head += chunk.toString('latin1', 0, Math.min(chunk.length, 4096));
      const sst = /<sst\b[^>]*>/.exec(head);
      if (sst || head.length >= 4096) {
        headDone = true;
        const declared = sst ? /\buniqueCount="(\d+)"/.exec(sst[0]) : null;
        if (declared && Number(declared[1]) > limit) throw tooMany(Number(declared[1]));
      }
    }
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let at = bytes.indexOf('<si');
    while (at >= 0 && at + 3 < bytes.length) {
      const next = bytes[at + 3];
      if (next === 0x3e || next === 0x20 || next === 0x2f || next === 0x09 || next === 0x0a || next === 0x0d) {
        if (++count > limit) throw tooMany(count);
      }
      at = bytes.indexOf('<si', at + 3);
    }
    // Keep the last bytes, so that a "<si>" cut between two chunks is counted once, in the next.
    const keep = at >= 0 ? bytes.length - at : Math.min(3, bytes.length);
    carry = Buffer.from(bytes.subarray(bytes.length - keep));
  };
}

/** The longest run of bytes without a "<" anywhere in the part (cells, strings), checked a chunk at a time. */
function textRunGuard(limit: number): (chunk: Buffer) => void {
  let run = 0;
  const refuse = () =>
    new WorkbookProblem(
      'too-large',
      `This workbook holds a value of more than ${mb(limit)} in one piece; Excel itself keeps at most 32,767 characters in a cell. It is not a file this app can read safely.`,
    );
  return (chunk) => {
    const first = chunk.indexOf(0x3c);
    if (first < 0) {
      run += chunk.length;
      if (run > limit) throw refuse();
      return;
    }
    if (run + first > limit) throw refuse();
    // Runs inside a chunk are shorter than the chunk, which is far shorter than the limit.
    run = chunk.length - 1 - chunk.lastIndexOf(0x3c);
  };
}

/**
 * One part, inflated a chunk at a time from its place in the file, checked as it comes: no more than its directory
 * declares (nor its limit), no run of text longer than any cell, and for the shared strings no more strings than
 * the limit. Throws a WorkbookProblem at the first breach. `onRead` gets the compressed bytes read.
 */
async function* inflatePart(
  path: string,
  part: Part,
  dataStart: number,
  onRead?: (bytes: number) => void,
): AsyncGenerator<Buffer> {
  const entry = part.entry!;
  if (entry.compressedSize === 0) {
    if (entry.uncompressedSize !== 0) throw new WorkbookProblem('damaged', DAMAGED);
    return;
  }
  const input = createReadStream(path, {
    start: dataStart,
    end: dataStart + entry.compressedSize - 1,
    highWaterMark: 256 * 1024,
  });
  const inflater = entry.method === 8 ? createInflateRaw({ chunkSize: 256 * 1024 }) : null;
  if (inflater && onRead) input.on('data', (chunk) => onRead(chunk.length));
  const output: Readable = inflater ? input.pipe(inflater) : input;
  input.once('error', (error) => output.destroy(error));
  const countStrings = part.kind === 'shared-strings' ? sharedStringCounter(WORKBOOK_LIMITS.sharedStrings) : null;
  const checkRun = textRunGuard(WORKBOOK_LIMITS.textRunBytes);
  let size = 0;
  try {
    for await (const chunk of output as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (!inflater) onRead?.(chunk.length);
      if (size > entry.uncompressedSize) {
        throw new WorkbookProblem(
          'too-large',
          `This workbook unpacks to more than its own directory says: ${PART_LABEL[part.kind]} passed the ${mb(entry.uncompressedSize)} declared for it. It may be a "zip bomb", or damaged; reading stopped there.`,
        );
      }
      countStrings?.(chunk);
      checkRun(chunk);
      yield chunk;
    }
  } catch (error) {
    throw error instanceof WorkbookProblem ? error : new WorkbookProblem('damaged', DAMAGED);
  } finally {
    input.destroy();
    inflater?.destroy();
  }
  if (size !== entry.uncompressedSize) throw new WorkbookProblem('damaged', DAMAGED);
}

export interface WorkbookStreamOptions {
  /** Compressed bytes read so far, scaled to the whole file. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface WorkbookStream {
  /** A zip stream of the chosen parts, uncompressed, for exceljs's streaming reader. */
  stream: Readable;
  /** Set when a limit stopped the stream: the reason to give instead of the reader's own error. */
  problem(): WorkbookProblem | null;
  /** Resolves never; rejects with the problem as soon as one stops the stream (to race the reader with). */
  failed: Promise<never>;
}

/** Opens a workbook for reading: checks its directory (refusing before anything is inflated), then streams it. */
export async function openWorkbookStream(
  path: string,
  fileSize: number,
  options: WorkbookStreamOptions = {},
): Promise<WorkbookStream> {
  const handle = await open(path, 'r');
  const located: { part: Part; dataStart: number }[] = [];
  try {
    const parts = chooseParts(await readZipDirectory(handle, fileSize));
    for (const part of parts) {
      if (!part.entry) {
        located.push({ part, dataStart: -1 });
        continue;
      }
      const header = await readAt(handle, part.entry.localHeaderOffset, 30);
      if (header.length < 30 || header.readUInt32LE(0) !== LOCAL) throw new WorkbookProblem('damaged', DAMAGED);
      const dataStart = part.entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      if (dataStart + part.entry.compressedSize > fileSize) throw new WorkbookProblem('damaged', DAMAGED);
      located.push({ part, dataStart });
    }
  } finally {
    await handle.close();
  }

  // Parts exceljs keeps in memory are checked in full first (inflated and counted, nothing kept): a table of
  // millions of strings is refused in a second, not after exceljs has spent a minute filling memory with it.
  for (const { part, dataStart } of located) {
    if (part.entry && part.kind !== 'worksheet') {
      for await (const chunk of inflatePart(path, part, dataStart)) void chunk;
    }
  }

  const compressedTotal = located.reduce((n, l) => n + (l.part.entry?.compressedSize ?? 0), 0);
  let compressedRead = 0;
  let problem: WorkbookProblem | null = null;
  let fail: (error: WorkbookProblem) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => undefined); // observed by whoever races it

  async function* inflated(part: Part, dataStart: number): AsyncGenerator<Buffer> {
    try {
      yield* inflatePart(path, part, dataStart, (bytes) => {
        compressedRead += bytes;
        options.onProgress?.(Math.round((compressedRead / Math.max(1, compressedTotal)) * fileSize), fileSize);
      });
    } catch (error) {
      problem = error instanceof WorkbookProblem ? error : new WorkbookProblem('damaged', DAMAGED);
      fail(problem);
      throw problem;
    }
  }

  async function* zip(): AsyncGenerator<Buffer> {
    for (const { part, dataStart } of located) {
      if (!part.entry) {
        yield storedHeader(part.name, EMPTY_SHARED_STRINGS.length);
        yield EMPTY_SHARED_STRINGS;
        continue;
      }
      yield storedHeader(part.name, part.entry.uncompressedSize);
      yield* inflated(part, dataStart);
    }
    yield endOfDirectory();
  }

  return { stream: Readable.from(zip(), { objectMode: false }), problem: () => problem, failed };
}
