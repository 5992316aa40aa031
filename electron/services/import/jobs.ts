import type { ImportProgress } from '../../../shared/import/channels';
import type { DatabaseStore } from '../../db/store';
import type { Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { holdUpload, type Upload } from '../common/uploads';

/**
 * The one running preview or import of each database. A second is refused, not queued; while one runs, a new
 * staff extract is refused too (the upload is held), and the screen polls its progress.
 */

export interface Job {
  kind: 'preview' | 'commit';
  uploadId: string;
  fileName: string;
  user: string;
  startedAt: Date;
  abort: AbortController;
  progress: { phase: 'reading' | 'writing'; bytesRead: number; totalBytes: number; rows: number };
}

const jobs = new WeakMap<DatabaseStore, Job>();

function runningMessage(job: Job): string {
  const time = job.startedAt.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  const what = job.kind === 'commit' ? 'An import' : 'A preview';
  return `${what} of ${job.fileName} (started by ${job.user} at ${time}) is still running. Wait for it to finish or cancel it, then try again. Nothing has been changed.`;
}

/** Runs `work` as the one import of this database; a second call while it runs is refused with a clear message. */
export async function withJob<T>(
  store: DatabaseStore,
  actor: Actor,
  kind: Job['kind'],
  upload: Upload,
  work: (job: Job) => Promise<T>,
): Promise<T> {
  const running = jobs.get(store);
  if (running) throw new AppError('conflict', runningMessage(running));
  const job: Job = {
    kind,
    uploadId: upload.id,
    fileName: upload.fileName,
    user: actor.user,
    startedAt: actor.now(),
    abort: new AbortController(),
    progress: { phase: 'reading', bytesRead: 0, totalBytes: upload.size, rows: 0 },
  };
  jobs.set(store, job);
  const release = holdUpload(store, upload, runningMessage(job));
  try {
    return await work(job);
  } finally {
    release();
    jobs.delete(store);
  }
}

export function jobProgress(store: DatabaseStore): ImportProgress {
  const job = jobs.get(store);
  if (!job)
    return {
      running: false,
      kind: null,
      phase: null,
      fileName: null,
      bytesRead: 0,
      totalBytes: 0,
      rows: 0,
      startedAt: null,
    };
  return {
    running: true,
    kind: job.kind,
    fileName: job.fileName,
    startedAt: job.startedAt.toISOString(),
    ...job.progress,
  };
}

export function cancelJob(store: DatabaseStore): { cancelled: boolean } {
  const job = jobs.get(store);
  if (!job || job.progress.phase === 'writing') return { cancelled: false };
  job.abort.abort();
  return { cancelled: true };
}
