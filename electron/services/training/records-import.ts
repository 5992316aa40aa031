import type { z } from 'zod';
import { cellText, guessDateFormat, type Cell } from '../../../shared/common/cells';
import { localYear } from '../../../shared/common/clock';
import { MAX_LISTED_ISSUES, type AlreadyImported } from '../../../shared/import/channels';
import {
  buildQualification,
  courseTargetLabel,
  defaultCourseTarget,
  effectiveStatus,
  sourceKey,
  statusRank,
  type CourseChoices,
  type CourseTarget,
  type TrainingRecord,
} from '../../../shared/training/courses';
import type {
  CourseSummary,
  TrainingCommitOutput,
  TrainingCounts,
  TrainingInspect,
  TrainingPreview,
  trainingCommitSchema,
  trainingImportOptionsSchema,
} from '../../../shared/training/import-channels';
import { applyRecordColumns, guessRecordMapping } from '../../../shared/training/record-fields';
import type { StudyStatus } from '../../../shared/training/education';
import type { DB } from '../../db/connection';
import type { DatabaseStore } from '../../db/store';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { requireKey } from '../common/keys';
import { clearText, forgetUpload, getUpload, type Upload } from '../common/uploads';
import { withJob, type Job } from '../import/jobs';
import { extractProblem, openChecked } from '../import/stage';
import { qualificationColumns } from './education';
import { getRecordBatch } from './records-batches';
import { listRecordProfiles } from './records-profiles';
import {
  attachRecordStage,
  detachRecordStage,
  stageRecords,
  stagedRecordSummary,
  type RecordStageSummary,
} from './records-stage';

/**
 * Inspect, preview and commit of a training records import. Pass 1 (records-stage.ts) reads the file once per
 * column mapping; pass 2 (here) applies the course choices and writes in ONE transaction, which a preview rolls
 * back. A record is found again by its person and source key (the course and its start date), so a file imported
 * twice adds nothing twice. Records the lead entered by hand (batch_id NULL, no source key) are never read or
 * written here, and an imported record the lead has since edited by hand (batch_id NULL, source key kept) is left
 * exactly as it is.
 */

type Options = z.output<typeof trainingImportOptionsSchema>;
type CommitOptions = z.output<typeof trainingCommitSchema>;

const SAMPLE_ROWS = 10;
const DATE_SAMPLE_ROWS = 200;
const MAX_LISTED_COURSES = 500;
const MAX_LISTED_LINES = 200;
/** Staged rows read at a time in pass 2. */
const PAGE_ROWS = 5000;
const UPLOAD_KIND = 'training-records';

function alreadyImported(db: DB, sha256: string): AlreadyImported | null {
  return (
    (db
      .prepare(
        `SELECT id AS batchId, file_name AS fileName, committed_at AS committedAt, user, undone_at AS undoneAt
         FROM import_batch WHERE kind = 'training' AND sha256 = ? ORDER BY id DESC LIMIT 1`,
      )
      .get(sha256) as AlreadyImported | undefined) ?? null
  );
}

/** Reads only the start of an uploaded extract: format, headers, sample rows, a guessed mapping, fitting profiles. */
export async function inspectRecords(store: DatabaseStore, uploadId: string): Promise<TrainingInspect> {
  const upload = getUpload(store, uploadId, UPLOAD_KIND);
  // Without the key no staff number can be matched: say so before the lead maps any column.
  requireKey(store.db);
  let extract;
  try {
    extract = await openChecked(upload.path, upload.fileName);
  } catch (error) {
    forgetUpload(store, uploadId);
    throw error;
  }
  const guessed = guessRecordMapping(extract.headers);
  const sampleRows: TrainingInspect['sampleRows'] = [];
  const dateCells: Cell[] = [];
  const dateColumns = [guessed.startDate, guessed.completionDate].filter(
    (i): i is number => i !== null && i !== undefined,
  );
  try {
    let n = 0;
    for await (const record of extract.records) {
      if (sampleRows.length < SAMPLE_ROWS)
        sampleRows.push({ line: record.line, cells: record.cells.map((c) => cellText(c as Cell)) });
      for (const i of dateColumns) dateCells.push(record.cells[i] as Cell);
      if (++n >= DATE_SAMPLE_ROWS) break;
    }
  } catch (error) {
    forgetUpload(store, uploadId);
    throw extractProblem(error, upload.fileName);
  } finally {
    extract.close();
  }
  const profiles = listRecordProfiles(store.db).map((p) => {
    const applied = applyRecordColumns(p.columns, extract.headers);
    return { ...p, fits: applied.missingHeaders.length === 0, ...applied };
  });
  return {
    uploadId,
    fileName: upload.fileName,
    sizeBytes: upload.size,
    alreadyImported: alreadyImported(store.db, upload.sha256),
    format: extract.format,
    encoding: extract.encoding,
    headers: extract.headers,
    headerLine: extract.headerLine,
    sampleRows,
    guessedMapping: guessed,
    dateOrder: guessDateFormat(dateCells),
    profiles,
  };
}

/** Pass 1 when needed: a commit after a preview with the same columns reuses the preview's stage. */
async function ensureStaged(
  db: DB,
  upload: Upload,
  options: Options,
  actor: Actor,
  job: Job,
): Promise<RecordStageSummary> {
  const referenceYear = localYear(actor.now());
  const signature = JSON.stringify({
    what: 'training',
    mapping: options.mapping,
    dateOrder: options.dateOrder,
    referenceYear,
  });
  if (upload.staged && upload.staged.signature === signature) {
    attachRecordStage(db, upload.staged.stagePath);
    return stagedRecordSummary(db);
  }
  if (upload.cleared)
    throw new AppError(
      'not-found',
      `${upload.fileName} was deleted as soon as it had been read, as extracts are never kept. Choose it again to import it with other columns. Nothing has been changed.`,
    );
  const stagePath = `${upload.path}.training.sqlite`;
  upload.staged = null;
  const summary = await stageRecords(db, upload.path, upload.fileName, stagePath, {
    mapping: options.mapping,
    dateOrder: options.dateOrder,
    referenceYear,
    signal: job.abort.signal,
    onProgress: (read, total, rows) => {
      if (total > 0) job.progress.bytesRead = read;
      job.progress.rows = rows;
    },
  });
  upload.staged = { signature, stagePath };
  return summary;
}

interface StagedRow {
  line: number;
  person_id: number;
  course_key: string;
  course: string;
  level: string | null;
  status: StudyStatus | null;
  start_date: string | null;
  completion_date: string | null;
}

interface Candidate {
  line: number;
  rank: number;
  completion: string;
  qualification: ReturnType<typeof qualificationColumns> & { details: string };
}

interface Applied {
  counts: TrainingCounts;
  rejectedRows: TrainingPreview['rejectedRows'];
  rejectedIssueCount: number;
  courses: CourseSummary[];
  courseCount: number;
  firstInsert: number | null;
  lastInsert: number | null;
}

/**
 * Pass 2, inside the caller's transaction: each staged row of a person found, as a qualification record following
 * its course's target; the same record given twice keeps the one furthest on; each record then added, updated or
 * left unchanged. batchId null writes nothing (the counts of a preview come from the same logic).
 */
function applyRecords(db: DB, summary: RecordStageSummary, choices: CourseChoices, batchId: number | null): Applied {
  const targets = new Map<string, { target: CourseTarget; chosen: boolean }>();
  const targetOf = (key: string, title: string) => {
    let t = targets.get(key);
    if (!t) {
      const chosen = choices[key];
      t = chosen ? { target: chosen, chosen: true } : { target: defaultCourseTarget(title), chosen: false };
      targets.set(key, t);
    }
    return t.target;
  };
  const counts: TrainingCounts = {
    rowsRead: summary.rowsRead,
    added: 0,
    updated: 0,
    unchanged: 0,
    keptByHand: 0,
    unmatched: summary.unmatched,
    unmatchedNumbers: summary.unmatchedNumbers,
    leftOut: 0,
    duplicates: 0,
    rejected: summary.rejected,
    people: 0,
  };
  const rejectedRows = db
    .prepare('SELECT line, col AS "column", message FROM tstage.issue ORDER BY line, seq LIMIT ?')
    .all(MAX_LISTED_ISSUES) as TrainingPreview['rejectedRows'];
  let rejectedIssueCount = summary.rejectedIssueCount;

  const existing = db.prepare(
    'SELECT id, batch_id AS batchId, kind, title, level, status, start_date AS start, end_date AS "end", details FROM qualification WHERE person_id = ? AND source_key = ?',
  );
  const insert = db.prepare(
    'INSERT INTO qualification (person_id, kind, title, level, status, start_date, end_date, details, batch_id, source_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const update = db.prepare(
    'UPDATE qualification SET kind = ?, title = ?, level = ?, status = ?, start_date = ?, end_date = ?, details = ? WHERE id = ?',
  );
  const logChange = db.prepare(
    "INSERT INTO import_change (batch_id, entity, entity_id, action, before) VALUES (?, 'qualification', ?, 'update', ?)",
  );
  let firstInsert: number | null = null;
  let lastInsert: number | null = null;

  let person = -1;
  let records = new Map<string, Candidate>();
  const flush = () => {
    if (records.size > 0) counts.people++;
    for (const [key, c] of records) {
      const q = c.qualification;
      const found = existing.get(person, key) as
        | {
            id: number;
            batchId: number | null;
            kind: string;
            title: string | null;
            level: string | null;
            status: string;
            start: string | null;
            end: string | null;
            details: string | null;
          }
        | undefined;
      if (!found) {
        counts.added++;
        if (batchId !== null) {
          const id = Number(
            insert.run(person, q.kind, q.title, q.level, q.status, q.start, q.end, q.details, batchId, key)
              .lastInsertRowid,
          );
          firstInsert ??= id;
          lastInsert = id;
        }
      } else if (found.batchId === null) {
        counts.keptByHand++;
      } else if (found.details === q.details) {
        counts.unchanged++;
      } else {
        counts.updated++;
        if (batchId !== null) {
          const { id, batchId: _batch, ...before } = found;
          logChange.run(batchId, id, JSON.stringify(before));
          update.run(q.kind, q.title, q.level, q.status, q.start, q.end, q.details, id);
        }
      }
    }
    records = new Map();
  };

  // Read in pages (by person and line), never while writing: a statement still iterating blocks every write.
  const page = db.prepare(
    `SELECT line, person_id, course_key, course, level, status, start_date, completion_date FROM tstage.row
     WHERE person_id IS NOT NULL AND (person_id, line) > (?, ?) ORDER BY person_id, line LIMIT ${PAGE_ROWS}`,
  );
  let after: [number, number] = [-1, -1];
  for (;;) {
    const rows = page.all(...after) as StagedRow[];
    if (rows.length === 0) break;
    after = [rows[rows.length - 1]!.person_id, rows[rows.length - 1]!.line];
    for (const row of rows) {
      if (row.person_id !== person) {
        flush();
        person = row.person_id;
      }
      const record: TrainingRecord = {
        employeeNumber: '',
        course: row.course,
        level: row.level,
        status: row.status,
        startDate: row.start_date,
        completionDate: row.completion_date,
      };
      const built = buildQualification(record, targetOf(row.course_key, row.course));
      if (built.outcome === 'left-out') {
        counts.leftOut++;
        continue;
      }
      if (built.outcome === 'error') {
        counts.rejected++;
        rejectedIssueCount++;
        if (rejectedRows.length < MAX_LISTED_ISSUES)
          rejectedRows.push({ line: row.line, column: 'Level', message: built.message });
        continue;
      }
      const key = sourceKey(record);
      const candidate: Candidate = {
        line: row.line,
        rank: statusRank(effectiveStatus(record)),
        completion: record.completionDate ?? '',
        qualification: { ...qualificationColumns(built.qualification), details: JSON.stringify(built.qualification) },
      };
      const before = records.get(key);
      if (before) {
        counts.duplicates++;
        const better =
          candidate.rank > before.rank || (candidate.rank === before.rank && candidate.completion >= before.completion);
        if (!better) continue;
      }
      records.set(key, candidate);
    }
  }
  flush();
  rejectedRows.sort((a, b) => a.line - b.line);

  const courseRows = db
    .prepare(
      'SELECT course_key AS key, min(course) AS title, count(*) AS rows FROM tstage.row GROUP BY course_key ORDER BY count(*) DESC, course_key',
    )
    .all() as { key: string; title: string; rows: number }[];
  const courses = courseRows.slice(0, MAX_LISTED_COURSES).map((c) => {
    const target = targetOf(c.key, c.title);
    return { ...c, target, label: courseTargetLabel(target), chosen: targets.get(c.key)!.chosen };
  });
  return {
    counts,
    rejectedRows,
    rejectedIssueCount,
    courses,
    courseCount: courseRows.length,
    firstInsert,
    lastInsert,
  };
}

class DryRun extends Error {
  constructor(readonly result: TrainingPreview) {
    super('dry run');
  }
}

const count = (n: number) => n.toLocaleString('en-GB');

async function run(
  store: DatabaseStore,
  actor: Actor,
  kind: 'preview' | 'commit',
  options: Options | CommitOptions,
): Promise<TrainingPreview | TrainingCommitOutput> {
  const upload = getUpload(store, options.uploadId, UPLOAD_KIND);
  requireKey(store.db);
  return withJob(store, actor, kind, upload, async (job) => {
    const db = store.db;
    let summary: RecordStageSummary;
    try {
      summary = await ensureStaged(db, upload, options, actor, job);
    } catch (error) {
      if (error instanceof AppError && error.code === 'refused') forgetUpload(store, upload.id);
      throw error;
    }
    // A commit has read what it needs: the clear text goes now, before the write; the pseudonymised stage stays
    // for a retry with the same columns (say, importing without the rows of people not found).
    if (kind === 'commit') clearText(upload);
    try {
      if (job.abort.signal.aborted)
        throw new AppError('refused', 'The import was cancelled. Nothing has been changed.');
      job.progress.phase = 'writing';
      const commit = kind === 'commit' ? (options as CommitOptions) : null;
      const before = alreadyImported(db, upload.sha256);
      try {
        return db.transaction(() => {
          const batchId = commit ? insertBatch(db, actor, upload, summary, commit) : null;
          const applied = applyRecords(db, summary, options.courses, batchId);
          const preview: TrainingPreview = {
            ...applied.counts,
            rejectedRows: applied.rejectedRows,
            rejectedIssueCount: applied.rejectedIssueCount,
            unmatchedLines: db
              .prepare('SELECT line FROM tstage.row WHERE person_id IS NULL ORDER BY line LIMIT ?')
              .pluck()
              .all(MAX_LISTED_LINES) as number[],
            courses: applied.courses,
            courseCount: applied.courseCount,
            alreadyImported: before,
          };
          if (!commit || batchId === null) throw new DryRun(preview);
          refuseUnlessChosen(upload.fileName, preview, commit, before);
          const c = preview;
          db.prepare(
            `UPDATE import_batch SET rows_read = ?, added = ?, updated = ?, unchanged = ?, rejected = ?, excluded = ? WHERE id = ?`,
          ).run(
            c.rowsRead,
            c.added,
            c.updated,
            c.unchanged + c.keptByHand,
            c.rejected,
            c.unmatched + c.leftOut + c.duplicates,
            batchId,
          );
          if (applied.firstInsert !== null)
            db.prepare(
              "INSERT INTO import_insert (batch_id, entity, first_id, last_id) VALUES (?, 'qualification', ?, ?)",
            ).run(batchId, applied.firstInsert, applied.lastInsert);
          const {
            courses: _courses,
            rejectedRows: _rejected,
            unmatchedLines: _lines,
            alreadyImported: _a,
            ...totals
          } = c;
          recordChange(db, actor, {
            entity: 'import batch',
            entityId: batchId,
            action: 'import',
            after: {
              kind: 'training records',
              fileName: upload.fileName,
              sizeBytes: upload.size,
              sha256: upload.sha256,
              profile: commit.profileName,
              ...totals,
            },
          });
          db.prepare('UPDATE import_batch SET audit_id = (SELECT max(id) FROM audit) WHERE id = ?').run(batchId);
          return { ...preview, batch: getRecordBatch(db, batchId) };
        })();
      } catch (error) {
        if (error instanceof DryRun) return error.result;
        throw error;
      }
    } finally {
      detachRecordStage(db);
    }
  }).then((value) => {
    if (kind === 'commit') forgetUpload(store, upload.id);
    return value;
  });
}

/** Throws (rolling the transaction back) when the lead has not chosen to go ahead despite what the preview found. */
function refuseUnlessChosen(
  fileName: string,
  p: TrainingPreview,
  commit: CommitOptions,
  before: AlreadyImported | null,
): void {
  const nothing = 'Nothing has been changed.';
  if (p.rejected > 0 && !commit.acceptRejected) {
    const details: Record<string, string> = {};
    for (const i of p.rejectedRows.slice(0, 10)) details[`line ${count(i.line)}, ${i.column}`] ??= i.message;
    throw new AppError(
      'conflict',
      `${count(p.rejected)} row(s) of ${fileName} have problems and cannot be imported. Fix them in the file, or choose to import the other rows without them. ${nothing}`,
      details,
    );
  }
  if (p.unmatched > 0 && !commit.acceptUnmatched) {
    throw new AppError(
      'conflict',
      `${count(p.unmatched)} row(s) of ${fileName} (${count(p.unmatchedNumbers)} staff number(s)) match nobody in this database: import the staff extract that holds them first, or choose to import the other rows without them. ${nothing}`,
      { lines: p.unmatchedLines.slice(0, 20).map(count).join(', ') },
    );
  }
  if (p.added + p.updated === 0) {
    if (before && !before.undoneAt)
      throw new AppError(
        'conflict',
        `This exact file (same SHA-256) has already been imported, as import ${before.batchId} (${before.fileName}, by ${before.user}), and nothing in it is new or changed since. ${nothing}`,
      );
    throw new AppError(
      'refused',
      `${fileName} has no qualification record to add or change (${count(p.unchanged)} unchanged, ${count(p.keptByHand)} kept as edited by hand, ${count(p.leftOut)} not qualifications). ${nothing}`,
    );
  }
}

function insertBatch(
  db: DB,
  actor: Actor,
  upload: Upload,
  summary: RecordStageSummary,
  options: CommitOptions,
): number {
  const now = actor.now().toISOString();
  return Number(
    db
      .prepare(
        `INSERT INTO import_batch (kind, file_name, size_bytes, sha256, format, encoding, profile_name, user, committed_at, extract_date, options,
           rows_read, added, updated, unchanged, rejected, excluded, leavers, marked_missing, people_added, roles_added, services_added)
         VALUES ('training', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)`,
      )
      .run(
        upload.fileName,
        upload.size,
        upload.sha256 ?? '',
        summary.format,
        summary.encoding,
        options.profileName,
        actor.user,
        now,
        now.slice(0, 10),
        JSON.stringify({ mapping: options.mapping, dateOrder: options.dateOrder, courses: options.courses }),
      ).lastInsertRowid,
  );
}

export function previewRecords(store: DatabaseStore, actor: Actor, options: Options): Promise<TrainingPreview> {
  return run(store, actor, 'preview', options) as Promise<TrainingPreview>;
}

export function commitRecords(
  store: DatabaseStore,
  actor: Actor,
  options: CommitOptions,
): Promise<TrainingCommitOutput> {
  return run(store, actor, 'commit', options) as Promise<TrainingCommitOutput>;
}
