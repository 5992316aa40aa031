import type { z } from 'zod';
import type {
  commitInputSchema,
  ImportIssue,
  importOptionsSchema,
  PreviewOutput,
  CommitOutput,
} from '../../../shared/import/channels';
import { MAX_LISTED_ISSUES } from '../../../shared/import/channels';
import type { DB } from '../../db/connection';
import type { DatabaseStore } from '../../db/store';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { requireKey } from '../common/keys';
import { localYear, todayIso } from '../../../shared/common/clock';
import { getBatch } from './batches';
import { attachStage, detachStage, stagedSummary, stageExtract, type StageSummary } from './stage';
import { applyStage } from './write';
import { clearText, forgetUpload, getUpload, type Upload } from '../common/uploads';
import { withJob, type Job } from './jobs';

/**
 * Preview and commit of an import: pass 1 (stage.ts) when the upload has no stage for these options yet, then
 * pass 2 (write.ts) in ONE transaction, which a preview rolls back.
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

function issues(db: DB, kind: 'error' | 'warning'): ImportIssue[] {
  return db
    .prepare(`SELECT line, col AS "column", message FROM stage.issue WHERE kind = ? ORDER BY line, seq LIMIT ?`)
    .all(kind, MAX_LISTED_ISSUES) as ImportIssue[];
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
  const referenceYear = localYear(actor.now());
  const signature = signatureOf(options, referenceYear);
  if (upload.staged && upload.staged.signature === signature) {
    attachStage(db, upload.staged.stagePath);
    return stagedSummary(db);
  }
  if (upload.cleared) {
    throw new AppError(
      'not-found',
      `${upload.fileName} was deleted as soon as it had been read, as extracts are never kept. Choose it again to import it with other columns. Nothing has been changed.`,
    );
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
  if (extractDate > todayIso(actor.now()))
    throw new AppError('invalid-input', 'The extract date cannot be in the future.', {
      extractDate: 'Enter a date on or before today',
    });
}

function insertBatch(
  db: DB,
  actor: Actor,
  upload: Upload,
  summary: StageSummary,
  options: Options,
  extractDate: string,
  profileName: string | null,
): number {
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
        JSON.stringify({
          mapping: options.mapping,
          dateOrder: options.dateOrder,
          keepNonAhpCodes: options.keepNonAhpCodes,
          markMissingAsLeavers: options.markMissingAsLeavers,
        }),
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

async function run(
  store: DatabaseStore,
  actor: Actor,
  kind: 'preview' | 'commit',
  options: Options | CommitOptions,
): Promise<PreviewOutput | CommitOutput> {
  const upload = getUpload(store, options.uploadId, 'staff-extract');
  requireKey(store.db);
  const extractDate = options.extractDate ?? todayIso(actor.now());
  checkDate(extractDate, actor);
  return withJob(store, actor, kind, upload, async (job) => {
    const db = store.db;
    let summary: StageSummary;
    try {
      summary = await ensureStaged(db, upload, options, actor, job);
    } catch (error) {
      // The file could not be read (or the read was cancelled): its clear text is not kept for another try.
      if (error instanceof AppError && error.code === 'refused') forgetUpload(store, upload.id);
      throw error;
    }
    // A commit has read what it needs: the clear text goes now, before the write; the pseudonymised stage stays
    // for a retry with the same choices (say, importing without the rejected rows).
    if (kind === 'commit') clearText(upload);
    try {
      if (job.abort.signal.aborted)
        throw new AppError('refused', 'The import was cancelled. Nothing has been changed.');
      job.progress.phase = 'writing';
      const commit = kind === 'commit' ? (options as CommitOptions) : null;
      if (commit && summary.rejected > 0 && !commit.acceptRejected) {
        // The first problems, by line and column, so that a command line run says what to fix.
        const details: Record<string, string> = {};
        for (const i of issues(db, 'error').slice(0, 10))
          details[`line ${i.line.toLocaleString('en-GB')}, ${i.column}`] ??= i.message;
        throw new AppError(
          'conflict',
          `${summary.rejected.toLocaleString('en-GB')} row(s) of ${upload.fileName} have problems and cannot be imported. Fix them in the file, or choose to import the other rows without them. Nothing has been changed.`,
          details,
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
        if (commit)
          throw new AppError('refused', `No row of ${upload.fileName} can be imported. Nothing has been changed.`);
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
            after: {
              fileName: upload.fileName,
              sizeBytes: upload.size,
              sha256: upload.sha256,
              profile: commit.profileName,
              extractDate,
              ...counts,
            },
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
