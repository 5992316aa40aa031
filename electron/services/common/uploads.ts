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
 * that uses it reads it from disk by its upload reference. Uploads can hold clear staff numbers, so each is
 * deleted after use, on discard, after two idle hours, and when the app exits; folders left by a process that
 * died are removed when the next one first receives a file.
 */

const IDLE_MS = 2 * 60 * 60 * 1000;
const FOLDER_PREFIX = 'ahp-upload-';

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
}

/** An upload received in full: its SHA-256 is known. */
export type ReceivedUpload = Upload & { done: true; sha256: string };

interface StoreState {
  uploads: Map<string, Upload>;
  /** Uploads a running job is reading, with the message that explains why they are busy. */
  held: Map<string, { kind: UploadKind; busy: string }>;
}

const states = new WeakMap<DatabaseStore, StoreState>();
let folder: string | null = null;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes upload folders of ours whose process is gone (killed before its exit handler ran). */
function sweepStaleFolders(tmp: string): void {
  const uid = process.getuid?.();
  for (const name of fs.readdirSync(tmp)) {
    const match = /^ahp-upload-(\d+)-/.exec(name);
    if (!match || Number(match[1]) === process.pid || isRunning(Number(match[1]))) continue;
    const dir = path.join(tmp, name);
    try {
      if (uid !== undefined && fs.statSync(dir).uid !== uid) continue;
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // Another process may be sweeping it at the same moment.
    }
  }
}

export function uploadFolder(): string {
  if (!folder) {
    const tmp = os.tmpdir();
    sweepStaleFolders(tmp);
    folder = fs.mkdtempSync(path.join(tmp, `${FOLDER_PREFIX}${process.pid}-`));
    fs.chmodSync(folder, 0o700);
    const dir = folder;
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
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
  if (upload.staged) fs.rmSync(upload.staged.stagePath, { force: true });
  upload.staged = null;
  s.uploads.delete(upload.id);
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
  };
  fs.writeFileSync(upload.path, Buffer.alloc(0), { mode: 0o600 });
  s.uploads.set(id, upload);
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

/** Deletes an upload once its use is over (imported, restored, adopted). */
export function forgetUpload(store: DatabaseStore, uploadId: string): void {
  const s = state(store);
  const upload = s.uploads.get(uploadId);
  if (upload) removeUpload(s, upload);
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
