import type { z } from 'zod';
import type { FileData } from '../../../shared/common/api';
import type { returnExportInputSchema } from '../../../shared/returns/channels';
import { returnFile } from '../../../shared/returns/file';
import type { DB } from '../../db/connection';
import { RETURN_MIME, returnFileBytes, returnFileName } from './export-file';
import { returnSnapshot } from './snapshot';

/**
 * A signed-off return as a file to save (channel `returns/export`, and `return export` on the command line): made
 * from its frozen snapshot only, in the version asked for, so the same return and version always give the same
 * bytes, whichever transport asks.
 */

export async function exportReturn(db: DB, input: z.output<typeof returnExportInputSchema>): Promise<FileData> {
  const snapshot = returnSnapshot(db, input.id, input.version);
  const file = returnFile(snapshot.summary, snapshot.frozen, snapshot.content);
  const bytes = await returnFileBytes(file, input.format);
  return {
    fileName: returnFileName(file, input.format),
    mimeType: RETURN_MIME[input.format],
    base64: bytes.toString('base64'),
  };
}
