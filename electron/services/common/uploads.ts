import { createHash, randomBytes, type Hash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UPLOAD_KINDS, type UploadChunkInput, type UploadKind } from '../../../shared/common/upload';
import type { DatabaseStore } from '../../db/store';
import { AppError } from './errors';

/**
 * Files the user gives the app (staff extracts, ledgers, descriptor templates, backups to restore), whatever the
 * transport. A file arrives in ordered chunks and is written to a private folder (0700, files 0600); the service
 * that uses it reads it from disk by its upload reference. Uploads can hold clear staff numbers, names and dates
 * of birth, so nothing stays on disk longer than it must:
 * - an import deletes the file as soon as it has read it for a commit (keeping only the pseudonymised staging
 *   file a retry needs), and the whole upload when the read fails or is cancelled; each use deletes it after;
 * - a discarded upload at once, an idle one after two hours (checked every few minutes);
 * - this process's folder when it exits, and on Ctrl+C or a kill (SIGINT, SIGTERM: cli.ts and serve.ts call
 *   removeUploadFolder before exiting);
 * - folders left by a process killed outright (kill -9, a crash, a power cut) at the next start of the desktop
 *   app, the web host or the command line (sweepStaleUploads), and by any process whose folder has not been
 *   touched for a day (its process number may since have gone to another program).
 */

const IDLE_MS = 2 * 60 * 60 * 1000;
/** How often a live process marks its folder as in use, and sweeps its idle uploads. */
const HEARTBEAT_MS = 5 * 60 * 1000;
/** A folder whose process seems alive but has not marked it for this long is taken as abandoned. */
const ABANDONED_MS = 24 * 60 * 60 * 1000;
const FOLDER_PREFIX = 'ahp-upload-';
const HEARTBEAT_FILE = '.alive';

export interface Upload {
  id: string;
  kind: UploadKind;
  fileName: string;
  path: string;
  size: number;
  done: boolean;
  sha256: string | null;
  hash: Hash | null;
  touchedAt: number;
  /** A file derived from the upload (the staff import's staging database): reused while it lives, deleted with it. */
  staged: { signature: string; stagePath: string } | null;
  /** The file itself has been deleted once read (clearText); only `staged` is left. */
  cleared: boolean;
}

/** An upload received in full: its SHA-256 is known. */
export type ReceivedUpload = Upload & { done: true; sha256: string };

interface StoreState {
  uploads: Map<string, Upload>;
  /** Uploads a running job is reading, with the message that explains why they are busy. */
  held: Map<string, { kind: UploadKind; busy: string }>;
}

const states = new WeakMap<DatabaseStore, StoreState>();
/** States holding uploads, for the periodic sweep of idle ones. */
const active = new Set<StoreState>();
let folder: string | null = null;
let heartbeat: NodeJS.Timeout | null = null;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** When a folder was last marked in use: its heartbeat file, else the folder itself. */
function lastMarked(dir: string): number {
  try {
    return fs.statSync(path.join(dir, HEARTBEAT_FILE)).mtimeMs;
  } catch {
    return fs.statSync(dir).mtimeMs;
  }
}

/**
 * Removes upload folders of ours left by a process that is gone (killed before its exit handler ran), or whose
 * process has not marked its folder for a day. Call at every start; answers how many folders were removed.
 */
export function sweepStaleUploads(tmp = os.tmpdir(), now = Date.now()): number {
  const uid = process.getuid?.();
  let removed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(tmp);
  } catch {
    return 0;
  }
  for (const name of names) {
    const match = /^ahp-upload-(\d+)-/.exec(name);
    if (!match) continue;
    const dir = path.join(tmp, name);
    if (dir === folder) continue;
    try {
      const stat = fs.lstatSync(dir);
      if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid)) continue;
      const pid = Number(match[1]);
      const gone = pid !== process.pid && !isRunning(pid);
      if (!gone && now - lastMarked(dir) < ABANDONED_MS) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      removed++;
    } catch {
      // Another process may be sweeping it at the same moment.
    }
  }
  return removed;
}

/** Removes this process's upload folder and everything in it, at once (exit, Ctrl+C, a kill signal). */
export function removeUploadFolder(): void {
  const dir = folder;
  folder = null;
  if (heartbeat) clearInterval(heartbeat);
  heartbeat = null;
  for (const s of active) {
    s.uploads.clear();
    s.held.clear();
  }
  active.clear();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

export function uploadFolder(): string {
  if (folder && !fs.existsSync(folder)) folder = null; // swept by another process after a day asleep
  if (!folder) {
    const tmp = os.tmpdir();
    sweepStaleUploads(tmp);
    folder = fs.mkdtempSync(path.join(tmp, `${FOLDER_PREFIX}${process.pid}-`));
    fs.chmodSync(folder, 0o700);
    const dir = folder;
    fs.writeFileSync(path.join(dir, HEARTBEAT_FILE), '', { mode: 0o600 });
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    heartbeat = setInterval(() => {
      const now = Date.now();
      try {
        fs.utimesSync(path.join(dir, HEARTBEAT_FILE), now / 1000, now / 1000);
      } catch {
        // recreated on the next upload
      }
      for (const s of active) sweepIdle(s, now);
    }, HEARTBEAT_MS);
    heartbeat.unref();
  }
  return folder;
}

function state(store: DatabaseStore): StoreState {
  let s = states.get(store);
  if (!s) {
    s = { uploads: new Map(), held: new Map() };
    states.set(store, s);
  }
  return s;
}

function removeUpload(s: StoreState, upload: Upload): void {
  fs.rmSync(upload.path, { force: true });
  if (upload.staged) {
    fs.rmSync(upload.staged.stagePath, { force: true });
    fs.rmSync(`${upload.staged.stagePath}-journal`, { force: true });
  }
  upload.staged = null;
  upload.cleared = true;
  s.uploads.delete(upload.id);
  if (s.uploads.size === 0) active.delete(s);
}

function sweepIdle(s: StoreState, now: number): void {
  for (const upload of s.uploads.values()) {
    if (now - upload.touchedAt > IDLE_MS && !s.held.has(upload.id)) removeUpload(s, upload);
  }
}

/** Keeps a safe extension so the readers can tell CSV from XLSX; the user's file name never becomes a path. */
function extensionOf(fileName: string): string {
  const ext = path.extname(fileName).toLowerCase();
  return /^\.[a-z0-9]{1,5}$/.test(ext) ? ext : '.bin';
}

const megabytes = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;

function tooLarge(kind: UploadKind, fileName: string): AppError {
  const { maxBytes, what } = UPLOAD_KINDS[kind];
  return new AppError(
    'refused',
    `${fileName} is larger than ${megabytes(maxBytes)}, which is more than any ${what} should be. Check it is the right file.`,
  );
}

function startUpload(s: StoreState, input: UploadChunkInput, now: number): Upload {
  for (const { kind, busy } of s.held.values()) {
    if (kind === input.kind) throw new AppError('conflict', `${input.fileName} was not accepted. ${busy}`);
  }
  if (input.offset !== 0) throw new AppError('invalid-input', 'A new upload must start at the beginning of the file.');
  if (input.totalBytes !== undefined && input.totalBytes > UPLOAD_KINDS[input.kind].maxBytes)
    throw tooLarge(input.kind, input.fileName);
  sweepIdle(s, now);
  const id = randomBytes(16).toString('hex');
  const upload: Upload = {
    id,
    kind: input.kind,
    fileName: input.fileName,
    path: path.join(uploadFolder(), `${id}${extensionOf(input.fileName)}`),
    size: 0,
    done: false,
    sha256: null,
    hash: createHash('sha256'),
    touchedAt: now,
    staged: null,
    cleared: false,
  };
  fs.writeFileSync(upload.path, Buffer.alloc(0), { mode: 0o600 });
  s.uploads.set(id, upload);
  active.add(s);
  return upload;
}

const GONE =
  'That file is no longer here: it has been used or cleared, or the app was restarted. Choose the file again.';

export function receiveChunk(
  store: DatabaseStore,
  input: UploadChunkInput,
): { uploadId: string; receivedBytes: number } {
  const s = state(store);
  const now = Date.now();
  let upload: Upload;
  if (input.uploadId === null) {
    upload = startUpload(s, input, now);
  } else {
    const found = s.uploads.get(input.uploadId);
    if (!found) throw new AppError('not-found', GONE);
    upload = found;
    if (upload.kind !== input.kind)
      throw new AppError(
        'invalid-input',
        `Part of another file arrived for ${upload.fileName}. Choose the file again.`,
      );
    if (upload.done) throw new AppError('conflict', `${upload.fileName} has already been received in full.`);
    if (input.offset !== upload.size) {
      throw new AppError(
        'invalid-input',
        `Part of ${upload.fileName} arrived out of order (expected byte ${upload.size}, got ${input.offset}). Choose the file again.`,
      );
    }
  }
  const bytes = Buffer.from(input.base64, 'base64');
  if (upload.size + bytes.length > UPLOAD_KINDS[upload.kind].maxBytes) {
    removeUpload(s, upload);
    throw tooLarge(upload.kind, upload.fileName);
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

const isReceived = (upload: Upload): upload is ReceivedUpload => upload.done && upload.sha256 !== null;

/** A file received in full for this use; a reference that is unknown, unfinished or of another kind is refused. */
export function getUpload(store: DatabaseStore, uploadId: string, kind: UploadKind): ReceivedUpload {
  const upload = state(store).uploads.get(uploadId);
  if (!upload) throw new AppError('not-found', GONE, { uploadId: GONE });
  if (upload.kind !== kind) {
    throw new AppError(
      'invalid-input',
      `${upload.fileName} was sent as a ${UPLOAD_KINDS[upload.kind].what}, not a ${UPLOAD_KINDS[kind].what}. Choose the file again.`,
    );
  }
  if (!isReceived(upload))
    throw new AppError('invalid-input', `${upload.fileName} has not finished uploading. Choose the file again.`);
  upload.touchedAt = Date.now();
  return upload;
}

export function discardUpload(store: DatabaseStore, uploadId: string): { discarded: boolean } {
  const s = state(store);
  const upload = s.uploads.get(uploadId);
  if (!upload) return { discarded: false };
  const held = s.held.get(uploadId);
  if (held) throw new AppError('conflict', held.busy);
  removeUpload(s, upload);
  return { discarded: true };
}

/** Deletes an upload once its use is over (imported, restored, adopted), or its read failed. */
export function forgetUpload(store: DatabaseStore, uploadId: string): void {
  const s = state(store);
  const upload = s.uploads.get(uploadId);
  if (upload) removeUpload(s, upload);
}

/**
 * Deletes the file itself as soon as it has been read, keeping what was derived from it (the staff import's
 * pseudonymised staging file), so that a retry with the same choices still works without the clear text.
 */
export function clearText(upload: Upload): void {
  fs.rmSync(upload.path, { force: true });
  upload.cleared = true;
}

/** Runs `use` on an upload that is deleted afterwards, whether the use succeeded or not. */
export async function useOnce<T>(
  store: DatabaseStore,
  uploadId: string,
  kind: UploadKind,
  use: (upload: ReceivedUpload) => Promise<T>,
): Promise<T> {
  const upload = getUpload(store, uploadId, kind);
  try {
    return await use(upload);
  } finally {
    forgetUpload(store, upload.id);
  }
}

/**
 * Marks an upload as being read by a job until the returned release is called: it is not swept or discarded,
 * and a new upload of the same kind is refused with `busy`, so one job of each kind runs at a time.
 */
export function holdUpload(store: DatabaseStore, upload: Upload, busy: string): () => void {
  const s = state(store);
  s.held.set(upload.id, { kind: upload.kind, busy });
  return () => {
    s.held.delete(upload.id);
  };
}
