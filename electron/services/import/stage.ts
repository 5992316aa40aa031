import fs from 'node:fs';
import { MAX_LISTED_ISSUES, type ImportIssue } from '../../../shared/import/channels';
import { describeOccupationCode } from '../../../shared/common/reference';
import type { DateOrder } from '../../../shared/common/cells';
import { importFieldLabels, missingRequiredFields, type ColumnMapping } from '../../../shared/import/fields';
import type { WorkforceRecord } from '../../../shared/import/rows';
import type { DB } from '../../db/connection';
import { AppError } from '../common/errors';
import { pseudonymiser } from '../common/pseudonym';
import { PseudonymBloomFilter, type BloomPositions } from '../common/bloom';
import type { Extract } from '../common/file-reader';
import { extractProblem, openChecked } from '../common/extract-open';
import { batchPreparer, type PreparedBatch, type PreparedRow, type RejectedRow } from './prepare';

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
 * The filter of assignment pseudonyms already staged: 2^26 bits, 8 MiB whatever the file size. With three
 * positions a key, a file of 200,000 rows without repeated assignments expects 0.04 false alarms in all, one of
 * 500,000 rows about 1.4; each costs two lookups in the stage (and the first makes the index).
 */
const SEEN_BITS_LOG2 = 26;

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
    used INTEGER NOT NULL DEFAULT 0, service_id INTEGER, role_id INTEGER, post_id INTEGER, rows INTEGER);
  -- Rows are appended in file order, with no key to keep in order; repeats are found through an integer index on
  -- the first 52 bits of the pseudonym (akey), then compared in full. The index (row_akey) is made only when the
  -- first possible repeat turns up, as most extracts never repeat an assignment.
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
  // A scratch file, never synced and thrown away if anything fails. While it is filled it needs no journal;
  // pass 2 keeps one, because a preview rolls back.
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

// A file's opening and its file-level problems are common to every import (electron/services/common/extract-open.ts).
export { extractProblem, openChecked };

/** Pass 1: reads the whole file into a fresh staging database at stagePath (attached as `stage` on return). */
export async function stageExtract(
  db: DB,
  filePath: string,
  fileName: string,
  stagePath: string,
  options: StageOptions,
): Promise<StageSummary> {
  requireMappedFields(options.mapping);
  let rows = 0;
  const extract = await openChecked(filePath, fileName, {
    signal: options.signal,
    onProgress: (read, total) => options.onProgress?.(read, total, rows),
  });
  requireMappedColumnsExist(extract, options.mapping, fileName);

  fs.rmSync(stagePath, { force: true });
  // Made here (empty, owner only): ATTACH creates no file when the database was opened without the create flag.
  fs.writeFileSync(stagePath, Buffer.alloc(0), { mode: 0o600 });
  attachStage(db, stagePath, 'OFF');
  const summary = emptySummary(extract, options);
  try {
    db.exec(STAGE_SCHEMA);
    const stageBatch = batchStager(db, summary, assignmentColumn(extract, options.mapping));
    const prepare = batchPreparer({
      mapping: options.mapping,
      headers: extract.headers,
      dateOrder: options.dateOrder,
      referenceYear: options.referenceYear,
    });
    for await (const records of extract.batches) {
      rows += records.length;
      stageBatch(prepare(records));
      options.onProgress?.(0, 0, rows);
    }
    summary.rowsRead = rows;
    finishStage(db, summary);
    return summary;
  } catch (error) {
    extract.close();
    detachStage(db);
    fs.rmSync(stagePath, { force: true });
    throw extractProblem(error, fileName);
  }
}

function requireMappedFields(mapping: ColumnMapping): void {
  const missing = missingRequiredFields(mapping);
  if (missing.length > 0) {
    throw new AppError('invalid-input', `Choose a column for: ${missing.join('; ')}. These are needed for every row.`, {
      mapping: `Missing: ${missing.join('; ')}`,
    });
  }
}

function requireMappedColumnsExist(extract: Extract, mapping: ColumnMapping, fileName: string): void {
  const width = extract.headers.length;
  for (const [field, index] of Object.entries(mapping)) {
    if (index !== null && index !== undefined && index >= width) {
      extract.close();
      throw new AppError(
        'invalid-input',
        `${importFieldLabels[field as keyof typeof importFieldLabels]} is mapped to column ${index + 1}, but ${fileName} has ${width} columns.`,
      );
    }
  }
}

function emptySummary(extract: Extract, options: StageOptions): StageSummary {
  return {
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
}

/** The column an assignment problem is reported against. */
function assignmentColumn(extract: Extract, mapping: ColumnMapping): string {
  return (
    (mapping.assignmentNumber !== null ? extract.headers[mapping.assignmentNumber!] : 'Employee number') ??
    'Assignment number'
  );
}

/** Records the summary for a later commit, and gives the stage a journal again: pass 2 may roll back. */
function finishStage(db: DB, summary: StageSummary): void {
  db.prepare(`INSERT INTO stage.meta (key, value) VALUES ('summary', ?)`).run(JSON.stringify(summary));
  db.pragma('stage.journal_mode = TRUNCATE');
}

/**
 * Stages one prepared batch in one transaction: rejected rows are counted and their issues listed; each clean
 * row is pseudonymised, given its role key and staged, unless its assignment was staged before: then it is
 * either a repeat (kept once) or a contradiction (both rows rejected).
 */
function batchStager(db: DB, summary: StageSummary, column: string): (batch: PreparedBatch) => void {
  const pseudo = pseudonymiser(db);
  const rows = stageRowWriter(db);
  const issue = issueRecorder(db, summary);
  const roleKeyOf = roleKeyer(db);
  const staged = stagedAssignments(db, rows);
  const contradiction = (otherLine: number) =>
    `The same assignment number is on line ${otherLine} with different details; neither row is imported. Fix the extract.`;

  const reject = ({ issues, identifier }: RejectedRow) => {
    summary.rejected++;
    for (const i of issues) issue('error', i);
    // A full-extract comparison must still know the assignment is in the file.
    if (identifier) staged.markSeen(pseudo('assignment', identifier));
    else summary.unidentified++;
  };

  const stage = ({ line, record, warnings }: PreparedRow) => {
    const assignment = pseudo('assignment', record.assignmentNumber);
    const person = pseudo('person', record.employeeNumber);
    const roleKey = roleKeyOf(record);
    const lookup = staged.lookUp(assignment);
    if (lookup.conflictLine !== undefined) {
      summary.rejected++;
      issue('error', { line, column, message: contradiction(lookup.conflictLine) });
      return;
    }
    const first = lookup.first;
    if (!first) {
      rows.add(
        lookup.akey,
        assignment,
        line,
        person,
        roleKey,
        record.occupationCode,
        record.isAhpSupport ? 1 : 0,
        record.contractedHoursHundredths,
        record.startDate,
        record.endDate,
        record.leavingReason,
        record.yearOfBirth,
        record.sex,
        record.ethnicCategory,
        record.disability,
      );
      staged.added(lookup);
      for (const w of warnings) issue('warning', w);
      return;
    }
    if (isRepeat(first, person, roleKey, record)) {
      summary.duplicates++;
      issue('warning', { line, column, message: `Repeats line ${first.line} exactly; imported once.` });
    } else {
      // Two different rows claim one assignment: the extract contradicts itself, so neither is trusted.
      staged.contradicted(assignment, first);
      summary.rejected += 2;
      issue('error', { line: first.line, column, message: contradiction(line) });
      issue('error', { line, column, message: contradiction(first.line) });
    }
  };

  return db.transaction(({ rows: batch, rejected }: PreparedBatch) => {
    for (const r of rejected) reject(r);
    for (const r of batch) stage(r);
    rows.flush();
  });
}

/** The values that must agree for a later row of an assignment to be a mere repeat of the staged one. */
function isRepeat(first: StagedRow, person: string, roleKey: number, record: WorkforceRecord): boolean {
  return (
    first.person === person &&
    first.role_key === roleKey &&
    first.hours_centi === record.contractedHoursHundredths &&
    first.start_date === record.startDate &&
    first.end_date === record.endDate &&
    first.leaving_reason === record.leavingReason &&
    first.yob === record.yearOfBirth &&
    first.sex === record.sex &&
    first.ethnic === record.ethnicCategory &&
    first.disability === record.disability
  );
}

interface StageRowWriter {
  add(...values: unknown[]): void;
  /** Writes the rows still waiting, so that a lookup in the stage sees them. */
  flush(): void;
}

/** Rows wait in one reused array and go to the stage INSERT_ROWS at a time: one statement call instead of 64. */
function stageRowWriter(db: DB): StageRowWriter {
  const insertSql = (n: number) =>
    `INSERT INTO stage.row (akey, assignment, line, person, role_key, occupation_code, is_ahp, hours_centi, start_date, end_date,
       leaving_reason, yob, sex, ethnic, disability) VALUES ${Array.from({ length: n }, () => `(${Array<string>(ROW_COLUMNS).fill('?').join(', ')})`).join(', ')}`;
  const insertRow = db.prepare(insertSql(1));
  const insertRows = db.prepare(insertSql(INSERT_ROWS));
  const chunk: unknown[] = new Array<unknown>(INSERT_ROWS * ROW_COLUMNS);
  let filled = 0;
  return {
    add(...values) {
      for (const v of values) chunk[filled++] = v;
      if (filled === chunk.length) {
        insertRows.run(chunk);
        filled = 0;
      }
    },
    flush() {
      for (let at = 0; at < filled; at += ROW_COLUMNS) insertRow.run(chunk.slice(at, at + ROW_COLUMNS));
      filled = 0;
    },
  };
}

/** Counts every issue; lists the first MAX_LISTED_ISSUES of each kind in the stage. */
function issueRecorder(db: DB, summary: StageSummary): (kind: 'error' | 'warning', issue: ImportIssue) => void {
  const addIssue = db.prepare('INSERT INTO stage.issue (kind, line, col, message) VALUES (?, ?, ?, ?)');
  return (kind, i) => {
    if (kind === 'error') summary.rejectedIssueCount++;
    else summary.warningCount++;
    if ((kind === 'error' ? summary.rejectedIssueCount : summary.warningCount) <= MAX_LISTED_ISSUES)
      addIssue.run(kind, i.line, i.column, i.message);
  };
}

/** The role a row belongs to (title, band, occupation code, service), numbered in the order first seen. */
function roleKeyer(db: DB): (record: WorkforceRecord) => number {
  const insertRoleKey = db.prepare(
    'INSERT INTO stage.role_key (id, title, band, occupation_code, profession, service_name, cost_centre, is_ahp) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const roleKeys = new Map<string, number>();
  return (record) => {
    const title = record.positionTitle ?? defaultTitle(record);
    const serviceName = record.service ?? record.costCentre ?? NO_SERVICE;
    const key = `${title.toLowerCase()}\u0000${record.band}\u0000${record.occupationCode}\u0000${serviceName.toLowerCase()}`;
    let roleKey = roleKeys.get(key);
    if (roleKey === undefined) {
      roleKey = roleKeys.size + 1;
      roleKeys.set(key, roleKey);
      insertRoleKey.run(
        roleKey,
        title,
        record.band,
        record.occupationCode,
        professionFor(record),
        serviceName,
        record.costCentre,
        record.isAhpSupport ? 1 : 0,
      );
    }
    return roleKey;
  };
}

interface AssignmentLookup {
  /** The first 52 bits of the pseudonym: the stage's integer key for it. */
  akey: number;
  positions: BloomPositions;
  /** The line of an earlier contradiction: this row is rejected too. */
  conflictLine: number | undefined;
  first: StagedRow | undefined;
}

/**
 * The assignments staged so far. Most rows are new, and the filter proves it without touching the stage; only
 * when it cannot (a repeat, or a false alarm) are the rows still waiting written and the stage searched, through
 * an index made the first time that happens.
 */
function stagedAssignments(db: DB, rows: StageRowWriter) {
  const filter = new PseudonymBloomFilter(SEEN_BITS_LOG2);
  let indexed = false;
  const firstOf = db.prepare(
    `SELECT rowid AS id, line, person, role_key, hours_centi, start_date, end_date, leaving_reason, yob, sex, ethnic, disability
     FROM stage.row WHERE akey = ? AND assignment = ?`,
  );
  const conflictOf = db.prepare('SELECT first_line FROM stage.conflict WHERE assignment = ?').pluck();
  const dropRow = db.prepare('DELETE FROM stage.row WHERE rowid = ?');
  const addConflict = db.prepare('INSERT INTO stage.conflict (assignment, first_line) VALUES (?, ?)');
  const addSeen = db.prepare('INSERT OR IGNORE INTO stage.seen (assignment) VALUES (?)');
  return {
    lookUp(assignment: string): AssignmentLookup {
      const positions = filter.positions(assignment);
      const akey = Number.parseInt(assignment.slice(0, 13), 16);
      if (!filter.mayContain(positions)) return { akey, positions, conflictLine: undefined, first: undefined };
      rows.flush();
      if (!indexed) {
        db.exec('CREATE INDEX stage.row_akey ON row(akey)');
        indexed = true;
      }
      const conflictLine = conflictOf.get(assignment) as number | undefined;
      if (conflictLine !== undefined) return { akey, positions, conflictLine, first: undefined };
      return { akey, positions, conflictLine, first: firstOf.get(akey, assignment) as StagedRow | undefined };
    },
    added(lookup: AssignmentLookup): void {
      filter.add(lookup.positions);
    },
    contradicted(assignment: string, first: StagedRow): void {
      dropRow.run(first.id);
      addConflict.run(assignment, first.line);
      addSeen.run(assignment);
    },
    /** An assignment in the file that is not staged (its row was rejected). */
    markSeen(assignment: string): void {
      addSeen.run(assignment);
    },
  };
}

/** The summary a staging file was written with (for a commit that reuses a preview's stage). */
export function stagedSummary(db: DB): StageSummary {
  const row = db.prepare(`SELECT value FROM stage.meta WHERE key = 'summary'`).pluck().get() as string;
  return JSON.parse(row) as StageSummary;
}
