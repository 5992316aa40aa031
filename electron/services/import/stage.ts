import fs from 'node:fs';
import { MAX_LISTED_ISSUES, type ImportIssue } from '../../../shared/import/channels';
import { describeOccupationCode } from '../../../shared/common/reference';
import type { DateOrder } from '../../../shared/common/cells';
import { importFieldLabels, missingRequiredFields, type ColumnMapping } from '../../../shared/import/fields';
import type { WorkforceRecord } from '../../../shared/import/rows';
import type { DB } from '../../db/connection';
import { AppError } from '../common/errors';
import { pseudonymiser } from '../common/pseudonym';
import { batchPreparer, type PreparedBatch } from './prepare';
import { ExtractError, openExtract, type Extract } from '../common/file-reader';

/**
 * Pass 1 of an import: stream the extract, normalise and check every row, pseudonymise the identifiers and
 * write the clean rows to a staging database (a temporary SQLite file attached as `stage`). Memory stays flat
 * whatever the file size; nothing in the workforce tables changes. Clear staff numbers never reach the stage.
 */

export const NO_SERVICE = 'Imported staff (no service given)';
/** Rows written to the stage by one INSERT (15 values each; SQLite allows 32,766 bound values). */
const INSERT_ROWS = 64;
const ROW_COLUMNS = 15;
/**
 * Bits of the filter of assignment pseudonyms already staged: 8 MB whatever the file size. Three bits per key
 * keep false alarms near zero up to 500,000 rows, so a file without repeated assignments never needs the index.
 */
const SEEN_BITS = 1 << 26;

interface StagedRow {
  id: number;
  line: number;
  person: string;
  role_key: number;
  hours_centi: number;
  start_date: string;
  end_date: string | null;
  leaving_reason: string | null;
  yob: number | null;
  sex: string | null;
  ethnic: string | null;
  disability: string | null;
}

export interface StageSummary {
  format: 'csv' | 'xlsx';
  encoding: string | null;
  headers: string[];
  rowsRead: number;
  rejected: number;
  rejectedIssueCount: number;
  warningCount: number;
  duplicates: number;
  /** Rows whose identifiers could not be read: a full-extract comparison cannot account for them. */
  unidentified: number;
  hasEndDate: boolean;
  hasLeavingReason: boolean;
  referenceYear: number;
}

const STAGE_SCHEMA = `
  CREATE TABLE stage.meta (key TEXT PRIMARY KEY, value TEXT);
  CREATE TABLE stage.role_key (
    id INTEGER PRIMARY KEY, title TEXT NOT NULL, band TEXT NOT NULL, occupation_code TEXT NOT NULL,
    profession TEXT NOT NULL, service_name TEXT NOT NULL, cost_centre TEXT, is_ahp INTEGER NOT NULL,
    used INTEGER NOT NULL DEFAULT 0, service_id INTEGER, role_id INTEGER);
  -- Rows are appended in file order (cheap); duplicates are found through a small integer index on the first
  -- 52 bits of the pseudonym (akey), then compared in full. A text primary key here cost more than all the rest.
  -- The index (row_akey) is only made when the first possible repeat turns up: kept up to date from the start,
  -- it cost more than the whole rest of the staging table, and most extracts never repeat an assignment.
  CREATE TABLE stage.row (
    akey INTEGER NOT NULL, assignment TEXT NOT NULL, line INTEGER NOT NULL, person TEXT NOT NULL,
    role_key INTEGER NOT NULL, occupation_code TEXT NOT NULL, is_ahp INTEGER NOT NULL,
    hours_centi INTEGER NOT NULL, start_date TEXT NOT NULL, end_date TEXT, leaving_reason TEXT,
    yob INTEGER, sex TEXT, ethnic TEXT, disability TEXT, excluded INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE stage.seen (assignment TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
  CREATE TABLE stage.conflict (assignment TEXT PRIMARY KEY NOT NULL, first_line INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE stage.issue (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, line INTEGER NOT NULL, col TEXT NOT NULL, message TEXT NOT NULL);
`;

/** Attaches a staging file as `stage`; the caller must detach it (detachStage) when done. */
export function attachStage(db: DB, stagePath: string, journal: 'OFF' | 'TRUNCATE' = 'TRUNCATE'): void {
  db.prepare('ATTACH DATABASE ? AS stage').run(stagePath);
  // A scratch file, never synced and thrown away if anything fails. While it is filled it needs no journal (a
  // journal there costs more than all the rest at 100k rows); pass 2 keeps one, because a preview rolls back.
  db.pragma(`stage.journal_mode = ${journal}`);
  db.pragma('stage.synchronous = OFF');
  db.pragma(`stage.cache_size = ${-STAGE_CACHE_KB}`);
}

/** Page cache of the staging file: a fixed size, so memory does not grow with the extract. */
const STAGE_CACHE_KB = 64 * 1024;

export function detachStage(db: DB): void {
  try {
    db.exec('DETACH DATABASE stage');
  } catch {
    // not attached
  }
}

function professionFor(record: WorkforceRecord): string {
  if (record.profession) return record.profession;
  if (record.professionChoices.length > 0) {
    // Art, music and drama therapy share an occupation area: the title usually says which.
    const title = (record.positionTitle ?? '').toLowerCase();
    const byWord: Record<string, string> = { ART: 'art', MUS: 'music', DRA: 'drama' };
    const found = record.professionChoices.find((p) => byWord[p] && title.includes(byWord[p]!));
    if (found) return found;
  }
  return 'OTH';
}

function defaultTitle(record: WorkforceRecord): string {
  const meaning = describeOccupationCode(record.occupationCode);
  return meaning ? `${meaning.supportRoleLabel}, ${meaning.areaLabel}` : `Occupation ${record.occupationCode}`;
}

export interface StageOptions {
  mapping: ColumnMapping;
  dateOrder: DateOrder;
  referenceYear: number;
  signal?: AbortSignal;
  onProgress?: (bytesRead: number, totalBytes: number, rows: number) => void;
}

export function extractProblem(error: unknown, fileName: string): AppError {
  if (error instanceof ExtractError) {
    if (error.code === 'aborted') return new AppError('refused', 'The import was cancelled. Nothing has been changed.');
    return new AppError('refused', `${fileName}: ${error.message} Nothing has been changed.`);
  }
  return error instanceof AppError ? error : new AppError('refused', `${fileName} could not be read: ${(error as Error).message}`);
}

/** Opens an extract, turning file-level problems into messages that name the file. */
export async function openChecked(filePath: string, fileName: string, options: { signal?: AbortSignal; onProgress?: (read: number, total: number) => void } = {}): Promise<Extract> {
  try {
    return await openExtract(filePath, options);
  } catch (error) {
    throw extractProblem(error, fileName);
  }
}

/** Pass 1: reads the whole file into a fresh staging database at stagePath (attached as `stage` on return). */
export async function stageExtract(db: DB, filePath: string, fileName: string, stagePath: string, options: StageOptions): Promise<StageSummary> {
  const missing = missingRequiredFields(options.mapping);
  if (missing.length > 0) {
    throw new AppError('invalid-input', `Choose a column for: ${missing.join('; ')}. These are needed for every row.`, { mapping: `Missing: ${missing.join('; ')}` });
  }
  let rows = 0;
  const extract = await openChecked(filePath, fileName, {
    signal: options.signal,
    onProgress: (read, total) => options.onProgress?.(read, total, rows),
  });
  const width = extract.headers.length;
  for (const [field, index] of Object.entries(options.mapping)) {
    if (index !== null && index !== undefined && index >= width) {
      extract.close();
      throw new AppError('invalid-input', `${importFieldLabels[field as keyof typeof importFieldLabels]} is mapped to column ${index + 1}, but ${fileName} has ${width} columns.`);
    }
  }

  fs.rmSync(stagePath, { force: true });
  attachStage(db, stagePath, 'OFF');
  const summary: StageSummary = {
    format: extract.format,
    encoding: extract.encoding,
    headers: extract.headers,
    rowsRead: 0,
    rejected: 0,
    rejectedIssueCount: 0,
    warningCount: 0,
    duplicates: 0,
    unidentified: 0,
    hasEndDate: options.mapping.endDate !== null && options.mapping.endDate !== undefined,
    hasLeavingReason: options.mapping.leavingReason !== null && options.mapping.leavingReason !== undefined,
    referenceYear: options.referenceYear,
  };
  try {
    db.exec(STAGE_SCHEMA);
    const pseudo = pseudonymiser(db);
    const insertSql = (n: number) =>
      `INSERT INTO stage.row (akey, assignment, line, person, role_key, occupation_code, is_ahp, hours_centi, start_date, end_date,
         leaving_reason, yob, sex, ethnic, disability) VALUES ${Array.from({ length: n }, () => `(${Array<string>(ROW_COLUMNS).fill('?').join(', ')})`).join(', ')}`;
    const insertRow = db.prepare(insertSql(1));
    const insertRows = db.prepare(insertSql(INSERT_ROWS));
    // Rows wait here and are written INSERT_ROWS at a time (one statement call instead of 64); the array is reused.
    const chunk: unknown[] = new Array<unknown>(INSERT_ROWS * ROW_COLUMNS);
    let filled = 0;
    const stageRow = (...values: unknown[]) => {
      for (const v of values) chunk[filled++] = v;
      if (filled === chunk.length) {
        insertRows.run(chunk);
        filled = 0;
      }
    };
    const writeRows = () => {
      for (let at = 0; at < filled; at += ROW_COLUMNS) insertRow.run(chunk.slice(at, at + ROW_COLUMNS));
      filled = 0;
    };
    // A filter (Bloom, two bits per key) of the assignments staged so far: most rows are new, and a clear bit proves
    // it, which saves two lookups in the stage per row. A set bit may be a false alarm; the lookups then decide.
    const seenBits = new Uint32Array(SEEN_BITS / 32);
    const bitsOf = (assignment: string): [number, number, number] => [
      Number.parseInt(assignment.slice(13, 20), 16) & (SEEN_BITS - 1),
      Number.parseInt(assignment.slice(20, 27), 16) & (SEEN_BITS - 1),
      Number.parseInt(assignment.slice(25, 32), 16) & (SEEN_BITS - 1),
    ];
    const isSet = (bit: number) => (seenBits[bit >>> 5]! & (1 << (bit & 31))) !== 0;
    const mayHaveSeen = ([a, b, c]: [number, number, number]) => isSet(a) && isSet(b) && isSet(c);
    const markSeen = (bits: [number, number, number]) => {
      for (const bit of bits) seenBits[bit >>> 5]! |= 1 << (bit & 31);
    };
    let indexed = false;
    // The staged row of an assignment, with the values that must agree for a later row to be a mere repeat of it.
    const firstOf = db.prepare(
      `SELECT rowid AS id, line, person, role_key, hours_centi, start_date, end_date, leaving_reason, yob, sex, ethnic, disability
       FROM stage.row WHERE akey = ? AND assignment = ?`,
    );
    const dropRow = db.prepare('DELETE FROM stage.row WHERE rowid = ?');
    const conflictOf = db.prepare('SELECT first_line FROM stage.conflict WHERE assignment = ?').pluck();
    const addConflict = db.prepare('INSERT INTO stage.conflict (assignment, first_line) VALUES (?, ?)');
    const addSeen = db.prepare('INSERT OR IGNORE INTO stage.seen (assignment) VALUES (?)');
    const addIssue = db.prepare('INSERT INTO stage.issue (kind, line, col, message) VALUES (?, ?, ?, ?)');
    const insertRoleKey = db.prepare(
      'INSERT INTO stage.role_key (id, title, band, occupation_code, profession, service_name, cost_centre, is_ahp) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const roleKeys = new Map<string, number>();
    const issue = (kind: 'error' | 'warning', i: ImportIssue) => {
      if (kind === 'error') summary.rejectedIssueCount++;
      else summary.warningCount++;
      if ((kind === 'error' ? summary.rejectedIssueCount : summary.warningCount) <= MAX_LISTED_ISSUES) addIssue.run(kind, i.line, i.column, i.message);
    };
    const assignmentColumn = options.mapping.assignmentNumber !== null ? extract.headers[options.mapping.assignmentNumber!] : 'Employee number';

    const flush = db.transaction(({ rows: batch, rejected }: PreparedBatch) => {
      for (const r of rejected) {
        summary.rejected++;
        for (const i of r.issues) issue('error', i);
        if (r.identifier) addSeen.run(pseudo('assignment', r.identifier));
        else summary.unidentified++;
      }
      for (const { line, record, warnings } of batch) {
        const assignment = pseudo('assignment', record.assignmentNumber);
        const person = pseudo('person', record.employeeNumber);
        const title = record.positionTitle ?? defaultTitle(record);
        const serviceName = record.service ?? record.costCentre ?? NO_SERVICE;
        const key = `${title.toLowerCase()}\u0000${record.band}\u0000${record.occupationCode}\u0000${serviceName.toLowerCase()}`;
        let roleKey = roleKeys.get(key);
        if (roleKey === undefined) {
          roleKey = roleKeys.size + 1;
          roleKeys.set(key, roleKey);
          insertRoleKey.run(roleKey, title, record.band, record.occupationCode, professionFor(record), serviceName, record.costCentre, record.isAhpSupport ? 1 : 0);
        }
        const bits = bitsOf(assignment);
        const maybeSeen = mayHaveSeen(bits);
        if (maybeSeen) {
          writeRows();
          if (!indexed) {
            db.exec('CREATE INDEX stage.row_akey ON row(akey)');
            indexed = true;
          }
        }
        // Only an assignment already staged can have a conflict.
        const conflictLine = maybeSeen ? (conflictOf.get(assignment) as number | undefined) : undefined;
        if (conflictLine !== undefined) {
          summary.rejected++;
          issue('error', { line, column: assignmentColumn ?? 'Assignment number', message: `The same assignment number is on line ${conflictLine} with different details; neither row is imported. Fix the extract.` });
          continue;
        }
        const akey = Number.parseInt(assignment.slice(0, 13), 16);
        const first = maybeSeen ? (firstOf.get(akey, assignment) as StagedRow | undefined) : undefined;
        if (!first) {
          stageRow(
            akey, assignment, line, person, roleKey, record.occupationCode, record.isAhpSupport ? 1 : 0, record.contractedHoursHundredths,
            record.startDate, record.endDate, record.leavingReason, record.yearOfBirth, record.sex, record.ethnicCategory, record.disability,
          );
          markSeen(bits);
          for (const w of warnings) issue('warning', w);
          continue;
        }
        const repeat =
          first.person === person && first.role_key === roleKey && first.hours_centi === record.contractedHoursHundredths &&
          first.start_date === record.startDate && first.end_date === record.endDate && first.leaving_reason === record.leavingReason &&
          first.yob === record.yearOfBirth && first.sex === record.sex && first.ethnic === record.ethnicCategory && first.disability === record.disability;
        if (repeat) {
          summary.duplicates++;
          issue('warning', { line, column: assignmentColumn ?? 'Assignment number', message: `Repeats line ${first.line} exactly; imported once.` });
        } else {
          // Two different rows claim one assignment: the extract contradicts itself, so neither is trusted.
          dropRow.run(first.id);
          addConflict.run(assignment, first.line);
          addSeen.run(assignment);
          summary.rejected += 2;
          const message = (other: number) => `The same assignment number is on line ${other} with different details; neither row is imported. Fix the extract.`;
          issue('error', { line: first.line, column: assignmentColumn ?? 'Assignment number', message: message(line) });
          issue('error', { line, column: assignmentColumn ?? 'Assignment number', message: message(first.line) });
        }
      }
      writeRows();
    });

    const prepare = batchPreparer({ mapping: options.mapping, headers: extract.headers, dateOrder: options.dateOrder, referenceYear: options.referenceYear });
    for await (const records of extract.batches) {
      rows += records.length;
      flush(prepare(records));
      options.onProgress?.(0, 0, rows);
    }
    summary.rowsRead = rows;
    db.prepare(`INSERT INTO stage.meta (key, value) VALUES ('summary', ?)`).run(JSON.stringify(summary));
    db.pragma('stage.journal_mode = TRUNCATE');
    return summary;
  } catch (error) {
    extract.close();
    detachStage(db);
    fs.rmSync(stagePath, { force: true });
    throw extractProblem(error, fileName);
  }
}

/** The summary a staging file was written with (for a commit that reuses a preview's stage). */
export function stagedSummary(db: DB): StageSummary {
  const row = db.prepare(`SELECT value FROM stage.meta WHERE key = 'summary'`).pluck().get() as string;
  return JSON.parse(row) as StageSummary;
}
