import { z } from 'zod';
import { channel } from './api';

/**
 * The one way a file the user gives the app reaches a service, whatever the transport (Electron IPC, the local
 * web host, the command line): its bytes go in ordered chunks to `upload/chunk`, which answers with an upload
 * reference; the channel that uses the file (`import/inspect`, `funding/import-preview`,
 * `framework/import-preview`, `settings/restore`, `settings/key-import`...) takes that reference and reads the
 * file from disk.
 */

/** Raw bytes per chunk: well under the web host's request limit once base64-encoded. */
export const UPLOAD_CHUNK_BYTES = 8 * 1024 * 1024;
const MAX_CHUNK_BASE64 = Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4 + 4;

export const uploadIdSchema = z.string().regex(/^[a-f0-9]{32}$/, 'Not an upload reference');

/** What the file is for: each use takes only its own kind, and each kind has its own size limit. */
export const uploadKindSchema = z.enum([
  'staff-extract',
  'training-records',
  'establishment',
  'ledger',
  'descriptors',
  'backup',
  'key',
  'return-file',
]);
export type UploadKind = z.infer<typeof uploadKindSchema>;

const MB = 1024 * 1024;
export const UPLOAD_KINDS: Record<UploadKind, { maxBytes: number; what: string }> = {
  'staff-extract': { maxBytes: 1024 * MB, what: 'staff extract' },
  'training-records': { maxBytes: 1024 * MB, what: 'training records extract' },
  ledger: { maxBytes: 200 * MB, what: 'ledger file' },
  descriptors: { maxBytes: 200 * MB, what: 'descriptor template' },
  backup: { maxBytes: 1024 * MB, what: 'database backup' },
  key: { maxBytes: 64 * 1024, what: 'pseudonymisation key file' },
  establishment: { maxBytes: 200 * MB, what: 'establishment report' },
  'return-file': { maxBytes: 20 * MB, what: "trust's return (JSON file)" },
};

export const uploadChunkInputSchema = z.object({
  /** null for the first chunk: the answer carries the upload's reference, used for the rest. */
  uploadId: uploadIdSchema.nullable(),
  kind: uploadKindSchema,
  fileName: z.string().trim().min(1).max(255),
  /** The whole file's size, when known, so that a file over the limit is refused before it is sent. */
  totalBytes: z.number().int().min(0).optional(),
  /** Where this chunk starts in the file; chunks must arrive in order. */
  offset: z.number().int().min(0),
  base64: z.string().max(MAX_CHUNK_BASE64, 'A chunk is larger than the app accepts'),
  /** True on the last chunk. */
  done: z.boolean(),
});
export type UploadChunkInput = z.input<typeof uploadChunkInputSchema>;
export const uploadChunkOutputSchema = z.object({ uploadId: uploadIdSchema, receivedBytes: z.number().int() });

export const uploadChannels = {
  'upload/chunk': channel(
    uploadChunkInputSchema,
    uploadChunkOutputSchema,
    'Send a file to the app, one chunk at a time',
  ),
  'upload/discard': channel(
    z.object({ uploadId: uploadIdSchema }),
    z.object({ discarded: z.boolean() }),
    'Delete an uploaded file that will not be used',
  ),
};
