import fs from 'node:fs';
import path from 'node:path';
import { DatabaseStore } from '../../electron/db/store';
import { dispatch } from '../../electron/router';
import { UPLOAD_CHUNK_BYTES } from '../../shared/import/channels';
import { ESR_HEADERS } from '../fixtures/extracts';
import { guessMapping } from '../../shared/import/fields';
import type { Result } from '../../shared/common/api';
import type { ChannelOutput } from '../../shared/contract';

/**
 * One full import in its own process, so that its peak RSS is its own: upload in chunks (as the app and CLI
 * do), then commit (parse, validate, normalise, pseudonymise, stage, write in one transaction).
 * Prints one JSON line: { ms, uploadMs, rows, added, maxRssMb }.
 */
const [file, dbFile] = process.argv.slice(2) as [string, string];
const store = await DatabaseStore.open(dbFile);
const ctx = { store, user: 'bench', now: () => new Date() };
const started = performance.now();
const handle = await fs.promises.open(file, 'r');
const buffer = Buffer.alloc(UPLOAD_CHUNK_BYTES);
const size = (await handle.stat()).size;
let uploadId: string | null = null;
let offset = 0;
for (;;) {
  const { bytesRead } = await handle.read(buffer, 0, UPLOAD_CHUNK_BYTES, offset);
  const done = offset + bytesRead >= size;
  const r: Result<ChannelOutput<'import/upload'>> = await dispatch(ctx, 'import/upload', { uploadId, fileName: path.basename(file), offset, base64: buffer.subarray(0, bytesRead).toString('base64'), done });
  if (!r.ok) throw new Error(r.error.message);
  uploadId = r.value.uploadId;
  offset += bytesRead;
  if (done) break;
}
await handle.close();
const uploadMs = performance.now() - started;
const result = await dispatch(ctx, 'import/commit', { uploadId, mapping: guessMapping([...ESR_HEADERS]), acceptRejected: true });
if (!result.ok) throw new Error(result.error.message);
const ms = performance.now() - started;
const value = result.value;
store.close();
console.log(JSON.stringify({ ms, uploadMs, rows: value.rowsRead, added: value.added, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
