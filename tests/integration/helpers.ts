import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseStore } from '../../electron/db/store';
import type { HandlerContext } from '../../electron/handler';
import { dispatch } from '../../electron/router';
import type { Result } from '../../shared/common/api';
import { UPLOAD_CHUNK_BYTES, type UploadKind } from '../../shared/common/upload';

/**
 * A real SQLite file in a fresh temporary folder, with a handler context as the app would build it. Its
 * pseudonymisation key goes to a key folder inside that temporary folder, never the user's real key store.
 */
export interface TempStore {
  dir: string;
  file: string;
  keyDir: string;
  store: DatabaseStore;
  ctx: HandlerContext;
  cleanup(): void;
}

export const FIXED_NOW = new Date('2026-03-31T10:00:00Z');

export async function tempStore(name = 'workforce.sqlite'): Promise<TempStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ahp-test-'));
  const file = path.join(dir, name);
  const keyDir = path.join(dir, 'keys');
  const store = await DatabaseStore.open(file, { keyDir });
  return {
    dir,
    file,
    keyDir,
    store,
    ctx: { store, user: 'test-user', now: () => FIXED_NOW },
    cleanup() {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ahp-test-'));
}

/** Sends bytes through the common upload channel in chunks, as the screens and the CLI do; answers the reference. */
export async function sendBytes(
  ctx: HandlerContext,
  fileName: string,
  bytes: Buffer | string,
  kind: UploadKind,
  chunkBytes = UPLOAD_CHUNK_BYTES,
): Promise<string> {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  let uploadId: string | null = null;
  let offset = 0;
  for (;;) {
    const part = data.subarray(offset, offset + chunkBytes);
    const done = offset + part.length >= data.length;
    const result: Result<{ uploadId: string }> = await dispatch(ctx, 'upload/chunk', {
      uploadId,
      kind,
      fileName,
      totalBytes: data.length,
      offset,
      base64: part.toString('base64'),
      done,
    });
    if (!result.ok) throw new Error(`upload/chunk: ${result.error.message}`);
    uploadId = result.value.uploadId;
    offset += part.length;
    if (done) return uploadId;
  }
}

/**
 * A role set up as a lead would for one service: the job role, then its post line in the service with the
 * establishment. Answers the role id, the service id (an assignment names both) and the post id.
 */
export async function addRole(
  ctx: HandlerContext,
  input: {
    title: string;
    serviceId: number;
    profession: string;
    band: string;
    establishmentFte?: number;
    occupationCode?: string | null;
  },
): Promise<{ id: number; serviceId: number; postId: number }> {
  const role = await dispatch(ctx, 'workforce/role-save', {
    title: input.title,
    band: input.band,
    profession: input.profession,
  });
  if (!role.ok) throw new Error(`workforce/role-save: ${JSON.stringify(role.error)}`);
  const post = await dispatch(ctx, 'workforce/post-save', {
    roleId: role.value.id,
    serviceId: input.serviceId,
    establishmentFte: input.establishmentFte ?? 0,
  });
  if (!post.ok) throw new Error(`workforce/post-save: ${JSON.stringify(post.error)}`);
  return { id: role.value.id, serviceId: input.serviceId, postId: post.value.id };
}
