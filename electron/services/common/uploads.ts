import { createHash, randomBytes, type Hash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImportProgress } from '../../../shared/import/channels';
import type { DatabaseStore } from '../../db/store';
import type { Actor } from './audit';
import { AppError } from './errors';

/**
 * Uploaded extracts and the one running import of each database.
 *
 * An extract arrives in chunks (so a file of any size crosses the IPC or HTTP transport and the screen can show
 * upload progress) and is written to a private temporary folder; the service then streams it from disk. The
 * raw file holds clear staff numbers, so it is deleted after a commit, on discard, after two idle hours, and
 * when the app exits. Only one preview or import runs per database at a time: a second is refused, not queued.
 */

export const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;
const IDLE_MS = 2 * 60 * 60 * 1000;

export interface Upload {
  id: string;
  fileName: string;
  path: string;
  size: number;
  done: boolean;
  sha256: string | null;
  hash: Hash | null;
  touchedAt: number;
  /** The staging database of the last preview, reused by a commit with the same mapping. */
  staged: { signature: string; stagePath: string } | null;
}

export interface Job {
  kind: 'preview' | 'commit';
  uploadId: string;
  fileName: string;
  user: string;
  startedAt: Date;
  abort: AbortController;
  progress: { phase: 'reading' | 'writing'; bytesRead: number; totalBytes: number; rows: number };
}

interface StoreState {
  uploads: Map<string, Upload>;
  job: Job | null;
}

const states = new WeakMap<DatabaseStore, StoreState>();
let folder: string | null = null;

function uploadFolder(): string {
  if (!folder) {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ahp-import-'));
    fs.chmodSync(folder, 0o700);
    const dir = folder;
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return folder;
}

function state(store: DatabaseStore): StoreState {
  let s = states.get(store);
  if (!s) {
    s = { uploads: new Map(), job: null };
    states.set(store, s);
  }
  return s;
}

function removeUpload(upload: Upload): void {
  fs.rmSync(upload.path, { force: true });
  if (upload.staged) fs.rmSync(upload.staged.stagePath, { force: true });
  upload.staged = null;
}

function sweep(s: StoreState, now: number): void {
  for (const [id, upload] of s.uploads) {
    if (now - upload.touchedAt > IDLE_MS && s.job?.uploadId !== id) {
      removeUpload(upload);
      s.uploads.delete(id);
    }
  }
}

function runningMessage(job: Job): string {
  const time = job.startedAt.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  const what = job.kind === 'commit' ? 'An import' : 'A preview';
  return `${what} of ${job.fileName} (started by ${job.user} at ${time}) is still running. Wait for it to finish or cancel it, then try again. Nothing has been changed.`;
}

/** Keeps a safe extension so the reader can tell CSV from XLSX; anything else is refused by the reader. */
function extensionOf(fileName: string): string {
  const ext = path.extname(fileName).toLowerCase();
  return /^\.[a-z0-9]{1,5}$/.test(ext) ? ext : '.bin';
}

export function receiveChunk(
  store: DatabaseStore,
  input: { uploadId: string | null; fileName: string; offset: number; base64: string; done: boolean },
): { uploadId: string; receivedBytes: number } {
  const s = state(store);
  const now = Date.now();
  let upload: Upload;
  if (input.uploadId === null) {
    if (s.job) throw new AppError('conflict', `${input.fileName} was not accepted. ${runningMessage(s.job)}`);
    if (input.offset !== 0) throw new AppError('invalid-input', 'A new upload must start at the beginning of the file.');
    sweep(s, now);
    const id = randomBytes(16).toString('hex');
    upload = {
      id,
      fileName: input.fileName,
      path: path.join(uploadFolder(), `${id}${extensionOf(input.fileName)}`),
      size: 0,
      done: false,
      sha256: null,
      hash: createHash('sha256'),
      touchedAt: now,
      staged: null,
    };
    fs.writeFileSync(upload.path, Buffer.alloc(0), { mode: 0o600 });
    s.uploads.set(id, upload);
  } else {
    const found = s.uploads.get(input.uploadId);
    if (!found) throw new AppError('not-found', 'That upload is no longer here (it may have been imported or cleared). Choose the file again.');
    upload = found;
    if (upload.done) throw new AppError('conflict', `${upload.fileName} has already been received in full.`);
    if (input.offset !== upload.size) {
      throw new AppError('invalid-input', `Part of ${upload.fileName} arrived out of order (expected byte ${upload.size}, got ${input.offset}). Choose the file again.`);
    }
  }
  const bytes = Buffer.from(input.base64, 'base64');
  if (upload.size + bytes.length > MAX_UPLOAD_BYTES) {
    removeUpload(upload);
    s.uploads.delete(upload.id);
    throw new AppError('refused', `${upload.fileName} is larger than ${MAX_UPLOAD_BYTES / 1048576} MB, which is more than any staff extract should be. Check it is the right file.`);
  }
  fs.appendFileSync(upload.path, bytes);
  upload.hash?.update(bytes);
  upload.size += bytes.length;
  upload.touchedAt = now;
  if (input.done) {
    upload.done = true;
    upload.sha256 = upload.hash?.digest('hex') ?? null;
    upload.hash = null;
  }
  return { uploadId: upload.id, receivedBytes: upload.size };
}

export function getUpload(store: DatabaseStore, uploadId: string): Upload {
  const upload = state(store).uploads.get(uploadId);
  if (!upload) throw new AppError('not-found', 'That upload is no longer here (it may have been imported or cleared). Choose the file again.');
  if (!upload.done) throw new AppError('invalid-input', `${upload.fileName} has not finished uploading.`);
  upload.touchedAt = Date.now();
  return upload;
}

export function discardUpload(store: DatabaseStore, uploadId: string): { discarded: boolean } {
  const s = state(store);
  const upload = s.uploads.get(uploadId);
  if (!upload) return { discarded: false };
  if (s.job?.uploadId === uploadId) throw new AppError('conflict', runningMessage(s.job));
  removeUpload(upload);
  s.uploads.delete(uploadId);
  return { discarded: true };
}

export function forgetUpload(store: DatabaseStore, uploadId: string): void {
  const s = state(store);
  const upload = s.uploads.get(uploadId);
  if (upload) {
    removeUpload(upload);
    s.uploads.delete(uploadId);
  }
}

/** Runs `work` as the one import of this database; a second call while it runs is refused with a clear message. */
export async function withJob<T>(
  store: DatabaseStore,
  actor: Actor,
  kind: Job['kind'],
  upload: Upload,
  work: (job: Job) => Promise<T>,
): Promise<T> {
  const s = state(store);
  if (s.job) throw new AppError('conflict', runningMessage(s.job));
  const job: Job = {
    kind,
    uploadId: upload.id,
    fileName: upload.fileName,
    user: actor.user,
    startedAt: actor.now(),
    abort: new AbortController(),
    progress: { phase: 'reading', bytesRead: 0, totalBytes: upload.size, rows: 0 },
  };
  s.job = job;
  try {
    return await work(job);
  } finally {
    s.job = null;
  }
}

export function jobProgress(store: DatabaseStore): ImportProgress {
  const job = state(store).job;
  if (!job) return { running: false, kind: null, phase: null, fileName: null, bytesRead: 0, totalBytes: 0, rows: 0, startedAt: null };
  return { running: true, kind: job.kind, fileName: job.fileName, startedAt: job.startedAt.toISOString(), ...job.progress };
}

export function cancelJob(store: DatabaseStore): { cancelled: boolean } {
  const job = state(store).job;
  if (!job || job.progress.phase === 'writing') return { cancelled: false };
  job.abort.abort();
  return { cancelled: true };
}
