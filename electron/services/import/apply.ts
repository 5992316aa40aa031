import type { z } from 'zod';
import type { commitInputSchema, ImportCounts, ImportIssue, importOptionsSchema, PreviewOutput, CommitOutput } from '../../../shared/import/channels';
import { MAX_LISTED_ISSUES } from '../../../shared/import/channels';
import { dateLabel } from '../../../shared/common/periods';
import type { DB } from '../../db/connection';
import type { DatabaseStore } from '../../db/store';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { todayIso } from '../../../shared/common/clock';
import { getBatch } from './batches';
import { attachStage, detachStage, stagedSummary, stageExtract, type StageSummary } from './stage';
import { forgetUpload, getUpload, type Upload } from '../common/uploads';
import { withJob, type Job } from './jobs';

/**
 * Pass 2 of an import: from the staging database into the workforce tables, set-based SQL in ONE transaction.
 * A preview runs exactly the same statements and then rolls back, so its counts are the commit's counts.
 *
 * Matching: people by pseudonymised employee number, assignments by pseudonymised assignment number (or
 * employee number + "-1" when the extract has no assignment column). Services by name (the Service column,
 * else the cost centre). Roles by title + band + occupation code + service, created when missing with the
 * profession the occupation code gives and an establishment of 0 (set it on the Roles tab).
 * Every update (with the previous values) is logged against the batch, and what it inserted as one id range per
 * table (import_insert), for Undo.
 */

/** Page cache of the main database while an import writes to it (KiB): fixed, whatever the extract size. */
const WRITE_CACHE_KB = 32 * 1024;

type Options = z.output<typeof importOptionsSchema>;
type CommitOptions = z.output<typeof commitInputSchema>;

class DryRun extends Error {
  constructor(readonly result: PreviewOutput) {
    super('dry run');
  }
}

const ASSIGNMENT_DIFF = `(p.old_person IS NOT p.person_id OR p.old_role IS NOT p.role_id OR p.old_hours IS NOT p.hours_centi
  OR p.old_start IS NOT p.start_date OR p.old_end IS NOT p.end_date OR p.old_reason IS NOT p.leaving_reason)`;

function maxId(db: DB, table: 'service' | 'role' | 'person' | 'assignment'): number {
  return (db.prepare(`SELECT coalesce(max(id), 0) FROM ${table}`).pluck().get() as number) ?? 0;
}

/**
 * Records the rows a table gained since `after` as one id range of the batch (import_insert, migration 7): the
 * batch inserts each table's new rows in one statement, so they take consecutive ids. Returns how many.
 */
function logInserts(db: DB, batchId: number, table: 'service' | 'role' | 'person' | 'assignment', after: number): number {
  const last = maxId(db, table);
  if (last <= after) return 0;
  db.prepare('INSERT INTO import_insert (batch_id, entity, first_id, last_id) VALUES (?, ?, ?, ?)').run(batchId, table, after + 1, last);
  return last - after;
}

function issues(db: DB, kind: 'error' | 'warning'): ImportIssue[] {
  return db
    .prepare(`SELECT line, col AS "column", message FROM stage.issue WHERE kind = ? ORDER BY line, seq LIMIT ?`)
    .all(kind, MAX_LISTED_ISSUES) as ImportIssue[];
}

/**
 * A bulk insert that at least doubles a table is cheaper with the table's secondary indexes made afresh afterwards
 * (one sort each) than kept up to date row by row (a random B-tree insert per row per index): about a third off the
 * assignment insert of a first 100k-row import. The definitions are read back from the schema, so they stay as the
 * migrations made them; unique constraints stay in force throughout. Inside the caller's transaction: a failure or a
 * preview rolls the dropped indexes back with everything else.
 */
function withIndexesRebuiltFor<T>(db: DB, table: 'assignment', rows: number, existing: number, insert: () => T): T {
  if (rows < 10_000 || rows < existing) return insert();
  const indexes = db
    .prepare(`SELECT name, sql FROM main.sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`)
    .all(table) as { name: string; sql: string }[];
  for (const index of indexes) db.exec(`DROP INDEX main."${index.name.replace(/"/g, '""')}"`);
  const result = insert();
  for (const index of indexes) db.exec(index.sql);
  return result;
}

/** Runs inside the caller's transaction. Returns the counts; the batch row must exist already. */
function applyStage(db: DB, batchId: number, summary: StageSummary, options: Options, extractDate: string): { counts: ImportCounts; newRoles: PreviewOutput['newRoles'] } {
  db.prepare(`UPDATE stage.row SET excluded = occupation_code NOT IN (SELECT value FROM json_each(?)) WHERE is_ahp = 0`).run(
    JSON.stringify(options.keepNonAhpCodes),
  );
  const excluded = db.prepare('SELECT count(*) FROM stage.row WHERE excluded = 1').pluck().get() as number;
  db.exec(`UPDATE stage.role_key SET used = id IN (SELECT DISTINCT role_key FROM stage.row WHERE excluded = 0)`);

  // Services, then roles: match, create what is missing, match again.
  const serviceBefore = maxId(db, 'service');
  db.exec(`UPDATE stage.role_key SET service_id = (SELECT s.id FROM service s WHERE s.name = stage.role_key.service_name) WHERE used = 1`);
  db.exec(
    `INSERT INTO service (name, cost_centre)
     SELECT service_name, max(cost_centre) FROM stage.role_key WHERE used = 1 AND service_id IS NULL
     GROUP BY service_name COLLATE NOCASE ORDER BY min(id)`,
  );
  const servicesAdded = logInserts(db, batchId, 'service', serviceBefore);
  db.exec(`UPDATE stage.role_key SET service_id = (SELECT s.id FROM service s WHERE s.name = stage.role_key.service_name) WHERE used = 1 AND service_id IS NULL`);

  const roleBefore = maxId(db, 'role');
  const matchRole = `UPDATE stage.role_key SET role_id = (
      SELECT r.id FROM role r WHERE r.service_id = stage.role_key.service_id AND r.band = stage.role_key.band
        AND coalesce(r.occupation_code, '') = stage.role_key.occupation_code AND r.title = stage.role_key.title COLLATE NOCASE
      ORDER BY r.id LIMIT 1)
    WHERE used = 1 AND role_id IS NULL`;
  db.exec(matchRole);
  db.exec(
    `INSERT INTO role (title, service_id, profession_code, occupation_code, band, establishment_fte_centi)
     SELECT min(title), service_id, min(profession), occupation_code, band, 0 FROM stage.role_key WHERE used = 1 AND role_id IS NULL
     GROUP BY lower(title), service_id, occupation_code, band ORDER BY min(id)`,
  );
  const rolesAdded = logInserts(db, batchId, 'role', roleBefore);
  db.exec(matchRole);
  const newRoles = db
    .prepare(
      `SELECT r.title, r.band, r.occupation_code AS occupationCode, s.name AS serviceName, r.profession_code AS profession
       FROM role r JOIN service s ON s.id = r.service_id WHERE r.id > ? ORDER BY r.id LIMIT 200`,
    )
    .all(roleBefore) as PreviewOutput['newRoles'];

  // People already in the database: the first row of each in the file gives their details; a blank detail keeps
  // what we have. Worked out before any new person is added, so a first import finds nobody here at little cost.
  db.exec(`DROP TABLE IF EXISTS stage.person`);
  db.exec(
    `CREATE TABLE stage.person AS
     SELECT p.id AS person_id, min(r.rowid) AS first_row, r.yob, r.sex, r.ethnic, r.disability, 0 AS changed -- (details from the min() row)
     FROM stage.row r JOIN main.person p ON p.pseudo_id = r.person WHERE r.excluded = 0 GROUP BY p.id`,
  );
  const personChanged = `(sp.yob IS NOT NULL AND sp.yob IS NOT p.year_of_birth) OR (sp.sex IS NOT NULL AND sp.sex <> p.sex)
    OR (sp.ethnic IS NOT NULL AND sp.ethnic <> p.ethnic_category) OR (sp.disability IS NOT NULL AND sp.disability <> p.disability)`;
  db.exec(`UPDATE stage.person AS sp SET changed = 1 FROM main.person p WHERE p.id = sp.person_id AND (${personChanged})`);
  db.exec(`CREATE UNIQUE INDEX stage.person_id ON person(person_id)`);
  db.prepare(
    `INSERT INTO import_change (batch_id, entity, entity_id, action, before)
     SELECT ?, 'person', p.id, 'update',
            json_object('year_of_birth', p.year_of_birth, 'sex', p.sex, 'ethnic_category', p.ethnic_category, 'disability', p.disability)
     FROM stage.person sp JOIN main.person p ON p.id = sp.person_id WHERE sp.changed = 1`,
  ).run(batchId);
  db.exec(
    `UPDATE main.person SET year_of_birth = coalesce(sp.yob, person.year_of_birth), sex = coalesce(sp.sex, person.sex),
       ethnic_category = coalesce(sp.ethnic, person.ethnic_category), disability = coalesce(sp.disability, person.disability)
     FROM stage.person sp WHERE person.id = sp.person_id AND sp.changed = 1`,
  );
  // New people, in file order: a person's first row is inserted and their later rows are ignored as repeats of
  // the unique pseudonym (people already here are ignored the same way). No sorting or grouping.
  const personBefore = maxId(db, 'person');
  db.exec(
    `INSERT OR IGNORE INTO main.person (pseudo_id, year_of_birth, sex, ethnic_category, disability)
     SELECT person, yob, coalesce(sex, 'U'), coalesce(ethnic, '99'), coalesce(disability, 'not-declared')
     FROM stage.row WHERE excluded = 0 ORDER BY rowid`,
  );
  const peopleAdded = logInserts(db, batchId, 'person', personBefore);

  // Assignments already in the database: one plan row each, beside what the database holds now. Also worked out
  // before the new ones are added.
  const assignmentBefore = maxId(db, 'assignment');
  db.exec(`DROP TABLE IF EXISTS stage.plan`);
  db.prepare(
    `CREATE TABLE stage.plan AS
     SELECT r.rowid AS row_id, r.line, p.id AS person_id, k.role_id, r.hours_centi, r.start_date,
            CASE WHEN @hasEnd THEN r.end_date ELSE a.end_date END AS end_date,
            CASE WHEN @hasReason THEN r.leaving_reason WHEN @hasEnd AND r.end_date IS NULL THEN NULL ELSE a.leaving_reason END AS leaving_reason,
            a.id AS assignment_id, a.person_id AS old_person, a.role_id AS old_role, a.hours_centi AS old_hours,
            a.start_date AS old_start, a.end_date AS old_end, a.leaving_reason AS old_reason, coalesce(sp.changed, 0) AS person_changed
     FROM stage.row r
     JOIN main.assignment a ON a.pseudo_id = r.assignment
     JOIN main.person p ON p.pseudo_id = r.person
     JOIN stage.role_key k ON k.id = r.role_key
     LEFT JOIN stage.person sp ON sp.person_id = p.id
     WHERE r.excluded = 0`,
  ).run({ hasEnd: summary.hasEndDate ? 1 : 0, hasReason: summary.hasLeavingReason ? 1 : 0 });

  const planCounts = db
    .prepare(
      `SELECT count(*) FILTER (WHERE ${ASSIGNMENT_DIFF} OR person_changed = 1) AS updated,
              count(*) FILTER (WHERE NOT (${ASSIGNMENT_DIFF} OR person_changed = 1)) AS unchanged,
              count(*) FILTER (WHERE end_date IS NOT NULL AND old_end IS NULL) AS leavers
       FROM stage.plan p`,
    )
    .get() as { updated: number; unchanged: number; leavers: number };

  db.prepare(
    `INSERT INTO import_change (batch_id, entity, entity_id, action, before)
     SELECT ?, 'assignment', p.assignment_id, 'update',
            json_object('person_id', p.old_person, 'role_id', p.old_role, 'hours_centi', p.old_hours, 'start_date', p.old_start,
                        'end_date', p.old_end, 'leaving_reason', p.old_reason)
     FROM stage.plan p WHERE ${ASSIGNMENT_DIFF}`,
  ).run(batchId);
  db.exec(
    `UPDATE main.assignment SET person_id = p.person_id, role_id = p.role_id, hours_centi = p.hours_centi, start_date = p.start_date,
       end_date = p.end_date, leaving_reason = p.leaving_reason
     FROM stage.plan p WHERE assignment.id = p.assignment_id AND ${ASSIGNMENT_DIFF}`,
  );
  // New assignments in file order, straight from the stage (each assignment is staged once): the rows without a
  // plan row. (Testing for them in main.assignment instead would make SQLite copy every row to insert into a
  // temporary table first, as the statement would read the table it writes.)
  const toInsert = (db.prepare('SELECT count(*) FROM stage.row WHERE excluded = 0').pluck().get() as number) - planCounts.updated - planCounts.unchanged;
  const inserted = withIndexesRebuiltFor(db, 'assignment', toInsert, assignmentBefore, () =>
    db
      .prepare(
        `INSERT INTO main.assignment (person_id, pseudo_id, role_id, hours_centi, start_date, end_date, leaving_reason)
         SELECT p.id, r.assignment, k.role_id, r.hours_centi, r.start_date, r.end_date, r.leaving_reason
         FROM stage.row r
         JOIN main.person p ON p.pseudo_id = r.person
         JOIN stage.role_key k ON k.id = r.role_key
         WHERE r.excluded = 0 AND r.rowid NOT IN (SELECT row_id FROM stage.plan)
         ORDER BY r.rowid`,
      )
      .run().changes,
  );
  logInserts(db, batchId, 'assignment', assignmentBefore);
  const newLeavers = db.prepare('SELECT count(*) FROM main.assignment WHERE id > ? AND end_date IS NOT NULL').pluck().get(assignmentBefore) as number;

  // Imported assignments this (full) extract no longer lists: ended on the extract date, if the lead chose so.
  let markedMissing = 0;
  if (options.markMissingAsLeavers) {
    const candidates = `SELECT a.id FROM main.assignment a
      WHERE (a.end_date IS NULL OR a.end_date > @date) AND a.start_date <= @date
        AND EXISTS (SELECT 1 FROM import_insert i JOIN import_batch b ON b.id = i.batch_id
                    WHERE i.entity = 'assignment' AND a.id BETWEEN i.first_id AND i.last_id AND b.undone_at IS NULL AND b.id <> @batch)
        AND a.pseudo_id NOT IN (SELECT assignment FROM stage.row) AND a.pseudo_id NOT IN (SELECT assignment FROM stage.seen)`;
    db.exec(`DROP TABLE IF EXISTS stage.missing`);
    db.prepare(`CREATE TABLE stage.missing AS ${candidates}`).run({ date: extractDate, batch: batchId });
    db.prepare(
      `INSERT INTO import_change (batch_id, entity, entity_id, action, before)
       SELECT @batch, 'assignment', a.id, 'update',
              json_object('person_id', a.person_id, 'role_id', a.role_id, 'hours_centi', a.hours_centi, 'start_date', a.start_date,
                          'end_date', a.end_date, 'leaving_reason', a.leaving_reason)
       FROM main.assignment a WHERE a.id IN (SELECT id FROM stage.missing)`,
    ).run({ batch: batchId });
    markedMissing = db
      .prepare(`UPDATE main.assignment SET end_date = @date, leaving_reason = @reason WHERE id IN (SELECT id FROM stage.missing)`)
      .run({ date: extractDate, reason: `Not in the extract of ${dateLabel(extractDate)}` }).changes;
  }

  return {
    counts: {
      rowsRead: summary.rowsRead,
      added: inserted,
      updated: planCounts.updated,
      unchanged: planCounts.unchanged,
      rejected: summary.rejected,
      excluded: excluded + summary.duplicates,
      duplicates: summary.duplicates,
      leavers: planCounts.leavers + newLeavers,
      markedMissing,
      peopleAdded,
      rolesAdded,
      servicesAdded,
    },
    newRoles,
  };
}

function nonAhpSummary(db: DB, keep: readonly string[]): PreviewOutput['nonAhp'] {
  const rows = db
    .prepare(
      `SELECT r.occupation_code AS occupationCode, count(*) AS rows, min(k.title) AS example
       FROM stage.row r JOIN stage.role_key k ON k.id = r.role_key WHERE r.is_ahp = 0 GROUP BY r.occupation_code ORDER BY count(*) DESC`,
    )
    .all() as { occupationCode: string; rows: number; example: string }[];
  return rows.map((r) => ({ ...r, kept: keep.includes(r.occupationCode) }));
}

function signatureOf(options: Options, referenceYear: number): string {
  return JSON.stringify({ mapping: options.mapping, dateOrder: options.dateOrder, referenceYear });
}

/** Pass 1 when needed (a commit after a preview with the same mapping reuses the preview's stage). */
async function ensureStaged(db: DB, upload: Upload, options: Options, actor: Actor, job: Job): Promise<StageSummary> {
  const referenceYear = actor.now().getUTCFullYear();
  const signature = signatureOf(options, referenceYear);
  if (upload.staged && upload.staged.signature === signature) {
    attachStage(db, upload.staged.stagePath);
    return stagedSummary(db);
  }
  const stagePath = `${upload.path}.stage.sqlite`;
  upload.staged = null;
  const summary = await stageExtract(db, upload.path, upload.fileName, stagePath, {
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

function checkDate(extractDate: string, actor: Actor): void {
  if (extractDate > todayIso(actor.now())) throw new AppError('invalid-input', 'The extract date cannot be in the future.', { extractDate: 'Enter a date on or before today' });
}

function insertBatch(db: DB, actor: Actor, upload: Upload, summary: StageSummary, options: Options, extractDate: string, profileName: string | null): number {
  return Number(
    db
      .prepare(
        `INSERT INTO import_batch (file_name, size_bytes, sha256, format, encoding, profile_name, user, committed_at, extract_date, options,
           rows_read, added, updated, unchanged, rejected, excluded, leavers, marked_missing, people_added, roles_added, services_added)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)`,
      )
      .run(
        upload.fileName,
        upload.size,
        upload.sha256 ?? '',
        summary.format,
        summary.encoding,
        profileName,
        actor.user,
        actor.now().toISOString(),
        extractDate,
        JSON.stringify({ mapping: options.mapping, dateOrder: options.dateOrder, keepNonAhpCodes: options.keepNonAhpCodes, markMissingAsLeavers: options.markMissingAsLeavers }),
      ).lastInsertRowid,
  );
}

function describeSqlError(error: unknown, fileName: string): never {
  const message = (error as Error).message ?? '';
  if (/CHECK constraint/.test(message)) {
    throw new AppError(
      'conflict',
      `${fileName} would give an assignment a leaving date before its start date (the file has no leaving-date column, and a start date moved past a leaving date already recorded). Map the leaving-date column, or fix the start date. Nothing has been changed.`,
    );
  }
  throw error;
}

async function run(store: DatabaseStore, actor: Actor, kind: 'preview' | 'commit', options: Options | CommitOptions): Promise<PreviewOutput | CommitOutput> {
  const upload = getUpload(store, options.uploadId, 'staff-extract');
  const extractDate = options.extractDate ?? todayIso(actor.now());
  checkDate(extractDate, actor);
  return withJob(store, actor, kind, upload, async (job) => {
    const db = store.db;
    const summary = await ensureStaged(db, upload, options, actor, job);
    try {
      if (job.abort.signal.aborted) throw new AppError('refused', 'The import was cancelled. Nothing has been changed.');
      job.progress.phase = 'writing';
      const commit = kind === 'commit' ? (options as CommitOptions) : null;
      if (commit && summary.rejected > 0 && !commit.acceptRejected) {
        throw new AppError(
          'conflict',
          `${summary.rejected.toLocaleString('en-GB')} row(s) of ${upload.fileName} have problems and cannot be imported. Fix them in the file, or choose to import the other rows without them. Nothing has been changed.`,
        );
      }
      const warnings = issues(db, 'warning');
      const rejectedRows = issues(db, 'error');
      const nonAhp = nonAhpSummary(db, options.keepNonAhpCodes);
      const base = {
        extractDate,
        rejectedRows,
        rejectedIssueCount: summary.rejectedIssueCount,
        warnings,
        warningCount: summary.warningCount,
        nonAhp,
      };
      if (summary.rowsRead - summary.rejected === 0) {
        if (commit) throw new AppError('refused', `No row of ${upload.fileName} can be imported. Nothing has been changed.`);
      }
      // The write inserts ~2 rows per extract row into main's indexes keyed by random pseudonyms: with SQLite's
      // default 2 MB page cache most of those inserts miss it. A fixed, larger cache for this one transaction.
      const cacheBefore = db.pragma('main.cache_size', { simple: true }) as number;
      db.pragma(`main.cache_size = ${-WRITE_CACHE_KB}`);
      try {
        const result = db.transaction(() => {
          const batchId = insertBatch(db, actor, upload, summary, options, extractDate, commit?.profileName ?? null);
          const { counts, newRoles } = applyStage(db, batchId, summary, options, extractDate);
          const preview: PreviewOutput = { ...counts, ...base, newRoles };
          if (!commit) throw new DryRun(preview);
          db.prepare(
            `UPDATE import_batch SET rows_read = @rowsRead, added = @added, updated = @updated, unchanged = @unchanged, rejected = @rejected,
               excluded = @excluded, leavers = @leavers, marked_missing = @markedMissing, people_added = @peopleAdded,
               roles_added = @rolesAdded, services_added = @servicesAdded WHERE id = @id`,
          ).run({ ...counts, id: batchId });
          recordChange(db, actor, {
            entity: 'import batch',
            entityId: batchId,
            action: 'import',
            after: { fileName: upload.fileName, sizeBytes: upload.size, sha256: upload.sha256, profile: commit.profileName, extractDate, ...counts },
          });
          db.prepare('UPDATE import_batch SET audit_id = (SELECT max(id) FROM audit) WHERE id = ?').run(batchId);
          return { ...preview, batch: getBatch(db, batchId) };
        })();
        return result;
      } catch (error) {
        if (error instanceof DryRun) return error.result;
        if (error instanceof AppError) throw error;
        return describeSqlError(error, upload.fileName);
      } finally {
        db.pragma(`main.cache_size = ${cacheBefore}`);
      }
    } finally {
      // The stage stays on disk for a retry (e.g. after choosing to import without the rejected rows); a
      // committed upload is deleted below, stage and all.
      detachStage(db);
    }
  }).then((value) => {
    if (kind === 'commit') forgetUpload(store, upload.id);
    return value;
  });
}

export function previewImport(store: DatabaseStore, actor: Actor, options: Options): Promise<PreviewOutput> {
  return run(store, actor, 'preview', options) as Promise<PreviewOutput>;
}

export function commitImport(store: DatabaseStore, actor: Actor, options: CommitOptions): Promise<CommitOutput> {
  return run(store, actor, 'commit', options) as Promise<CommitOutput>;
}
