import fs from 'node:fs';
import path from 'node:path';
import { UPLOAD_CHUNK_BYTES, type UploadKind } from '../../shared/common/upload';
import type { HandlerContext } from '../handler';
import { call, CliError } from './cli-command';

/**
 * Sends a file from disk through the same upload channel as the app, in chunks read one at a time, so a large
 * file never sits in memory whole. Answers the upload reference the file-taking channels expect.
 */
export async function sendFile(ctx: HandlerContext, file: string, kind: UploadKind): Promise<string> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (error) {
    throw new CliError(`Cannot open ${file}: ${(error as Error).message}`);
  }
  try {
    const size = (await handle.stat()).size;
    const buffer = Buffer.alloc(UPLOAD_CHUNK_BYTES);
    const fileName = path.basename(file);
    let uploadId: string | null = null;
    let offset = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, UPLOAD_CHUNK_BYTES, offset);
      const done = bytesRead === 0 || offset + bytesRead >= size;
      const answer: { uploadId: string } = await call(ctx, 'upload/chunk', {
        uploadId,
        kind,
        fileName,
        totalBytes: size,
        offset,
        base64: buffer.subarray(0, bytesRead).toString('base64'),
        done,
      });
      uploadId = answer.uploadId;
      offset += bytesRead;
      if (done) return answer.uploadId;
    }
  } finally {
    await handle.close();
  }
}

/** Sends a file, hands its upload reference to `use`, and discards whatever is left of the upload afterwards. */
export async function withSentFile<T>(
  ctx: HandlerContext,
  file: string,
  kind: UploadKind,
  use: (uploadId: string) => Promise<T>,
): Promise<T> {
  const uploadId = await sendFile(ctx, file, kind);
  try {
    return await use(uploadId);
  } finally {
    await call(ctx, 'upload/discard', { uploadId }).catch(() => undefined);
  }
}
