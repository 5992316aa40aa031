import fs from 'node:fs';
import type { DateOrder, Cell } from '../../../shared/common/cells';
import { courseKey } from '../../../shared/training/courses';
import { missingRecordFields, recordFieldLabels, type RecordMapping } from '../../../shared/training/record-fields';
import { recordReader } from '../../../shared/training/record-rows';
import type { DB } from '../../db/connection';
import { AppError } from '../common/errors';
import { pseudonymiser } from '../common/pseudonym';
import { extractProblem, openChecked } from '../import/stage';

/**
 * Pass 1 of a training records import: stream the extract, read and check every row, turn each staff number into
 * its pseudonym and find the person, and write the rows to a staging database (a temporary SQLite file attached as
 * `tstage`). Memory stays flat whatever the file size; nothing in the database proper changes; no staff number
 * reaches the stage. Pass 2 (records-import.ts) applies the course choices, so changing one needs no new read.
 */

export interface RecordStageSummary {
  format: 'csv' | 'xlsx';
  encoding: string | null;
  rowsRead: number;
  /** Rows rejected while reading (blank number, unreadable date...). */
  rejected: number;
  rejectedIssueCount: number;
  unmatched: number;
  unmatchedNumbers: number;
}

const STAGE_SCHEMA = `
  CREATE TABLE tstage.meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  -- person_id is NULL when the staff number matches nobody; unmatched then holds its pseudonym, to count numbers.
  CREATE TABLE tstage.row (
    line INTEGER NOT NULL, person_id INTEGER, unmatched TEXT, course_key TEXT NOT NULL, course TEXT NOT NULL,
    level TEXT, status TEXT, start_date TEXT, completion_date TEXT);
  CREATE TABLE tstage.issue (seq INTEGER PRIMARY KEY, line INTEGER NOT NULL, col TEXT NOT NULL, message TEXT NOT NULL);
`;

/** Page cache of the staging file: a fixed size, so memory does not grow with the extract. */
const STAGE_CACHE_KB = 32 * 1024;

export function attachRecordStage(db: DB, stagePath: string, journal: 'OFF' | 'TRUNCATE' = 'TRUNCATE'): void {
  db.prepare('ATTACH DATABASE ? AS tstage').run(stagePath);
  // A scratch file, thrown away if anything fails: no journal while it is filled, one for pass 2 (a preview rolls back).
  db.pragma(`tstage.journal_mode = ${journal}`);
  db.pragma('tstage.synchronous = OFF');
  db.pragma(`tstage.cache_size = ${-STAGE_CACHE_KB}`);
}

export function detachRecordStage(db: DB): void {
  try {
    db.exec('DETACH DATABASE tstage');
  } catch {
    // not attached
  }
}

export function stagedRecordSummary(db: DB): RecordStageSummary {
  const text = db.prepare("SELECT value FROM tstage.meta WHERE key = 'summary'").pluck().get() as string;
  return JSON.parse(text) as RecordStageSummary;
}

export interface RecordStageOptions {
  mapping: RecordMapping;
  dateOrder: DateOrder;
  referenceYear: number;
  signal?: AbortSignal;
  onProgress?: (bytesRead: number, totalBytes: number, rows: number) => void;
}

/** Pass 1: reads the whole file into a fresh staging database at stagePath (attached as `tstage` on return). */
export async function stageRecords(
  db: DB,
  filePath: string,
  fileName: string,
  stagePath: string,
  options: RecordStageOptions,
): Promise<RecordStageSummary> {
  const missing = missingRecordFields(options.mapping);
  if (missing.length > 0)
    throw new AppError('invalid-input', `Choose a column for: ${missing.join('; ')}. These are needed for every row.`, {
      mapping: `Missing: ${missing.join('; ')}`,
    });
  let rows = 0;
  const extract = await openChecked(filePath, fileName, {
    signal: options.signal,
    onProgress: (read, total) => options.onProgress?.(read, total, rows),
  });
  for (const [field, index] of Object.entries(options.mapping)) {
    if (index !== null && index >= extract.headers.length) {
      extract.close();
      throw new AppError(
        'invalid-input',
        `${fileName} has ${extract.headers.length} columns, so column ${index + 1} cannot hold the ${recordFieldLabels[field as keyof RecordMapping].toLowerCase()}. Choose the columns again.`,
      );
    }
  }
  const hash = pseudonymiser(db);
  fs.rmSync(stagePath, { force: true });
  // Made here (empty, owner only): ATTACH creates no file when the database was opened without the create flag.
  fs.writeFileSync(stagePath, Buffer.alloc(0), { mode: 0o600 });
  attachRecordStage(db, stagePath, 'OFF');
  const summary: RecordStageSummary = {
    format: extract.format,
    encoding: extract.encoding,
    rowsRead: 0,
    rejected: 0,
    rejectedIssueCount: 0,
    unmatched: 0,
    unmatchedNumbers: 0,
  };
  try {
    db.exec(STAGE_SCHEMA);
    const read = recordReader(options.mapping, {
      headers: extract.headers,
      order: options.dateOrder,
      referenceYear: options.referenceYear,
    });
    const byEmployee = db.prepare('SELECT id FROM person WHERE pseudo_id = ?').pluck();
    // Some learning systems give the assignment number: tried only when no employee has the number.
    const byAssignment = db.prepare('SELECT person_id FROM assignment WHERE pseudo_id = ?').pluck();
    const insertRow = db.prepare(
      'INSERT INTO tstage.row (line, person_id, unmatched, course_key, course, level, status, start_date, completion_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertIssue = db.prepare('INSERT INTO tstage.issue (line, col, message) VALUES (?, ?, ?)');
    // Each batch of rows is written in one short transaction of the stage only, between reads of the file.
    const stageBatch = db.transaction(
      (records: { line: number; cells: unknown[]; error: { message: string } | null }[]) => {
        for (const { line, cells, error } of records) {
          if (error) {
            summary.rejected++;
            summary.rejectedIssueCount++;
            insertIssue.run(line, '(whole row)', error.message);
            continue;
          }
          const result = read(cells as Cell[]);
          if (!result.ok) {
            summary.rejected++;
            summary.rejectedIssueCount += result.issues.length;
            for (const i of result.issues) insertIssue.run(line, i.column, i.message);
            continue;
          }
          const r = result.record;
          const pseudo = hash('person', r.employeeNumber);
          const personId =
            (byEmployee.get(pseudo) as number | undefined) ??
            (byAssignment.get(hash('assignment', r.employeeNumber)) as number | undefined) ??
            null;
          insertRow.run(
            line,
            personId,
            personId === null ? pseudo : null,
            courseKey(r.course),
            r.course,
            r.level,
            r.status,
            r.startDate,
            r.completionDate,
          );
        }
      },
    );
    for await (const records of extract.batches) {
      rows += records.length;
      stageBatch(records);
      options.onProgress?.(0, 0, rows);
    }
    summary.rowsRead = rows;
    const unmatched = db
      .prepare('SELECT count(*) AS rows, count(DISTINCT unmatched) AS numbers FROM tstage.row WHERE person_id IS NULL')
      .get() as { rows: number; numbers: number };
    summary.unmatched = unmatched.rows;
    summary.unmatchedNumbers = unmatched.numbers;
    db.exec('CREATE INDEX tstage.row_person ON row(person_id, line)');
    db.prepare("INSERT INTO tstage.meta (key, value) VALUES ('summary', ?)").run(JSON.stringify(summary));
    db.pragma('tstage.journal_mode = TRUNCATE');
    return summary;
  } catch (error) {
    extract.close();
    detachRecordStage(db);
    fs.rmSync(stagePath, { force: true });
    throw extractProblem(error, fileName);
  }
}
