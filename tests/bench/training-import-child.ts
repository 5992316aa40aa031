import { DatabaseStore } from '../../electron/db/store';
import { dispatch } from '../../electron/router';
import { sendFile } from '../../electron/transports/cli-upload';
import { guessRecordMapping } from '../../shared/training/record-fields';
import { TRAINING_HEADERS } from './training-import';

/**
 * One training records import in its own process (so its peak RSS is its own), into a database that already holds
 * the staff: upload in chunks, then commit (read, check, pseudonymise, match, stage, write in one transaction).
 * Prints one JSON line: { ms, uploadMs, rows, added, maxRssMb }.
 */
const [file, dbFile] = process.argv.slice(2) as [string, string];
const store = await DatabaseStore.open(dbFile);
const ctx = { store, user: 'bench', now: () => new Date() };
const started = performance.now();
const uploadId = await sendFile(ctx, file, 'training-records');
const uploadMs = performance.now() - started;
const result = await dispatch(ctx, 'training/import-commit', {
  uploadId,
  mapping: guessRecordMapping(TRAINING_HEADERS),
  acceptRejected: true,
  acceptUnmatched: true,
});
if (!result.ok) throw new Error(result.error.message);
const ms = performance.now() - started;
store.close();
console.log(
  JSON.stringify({
    ms,
    uploadMs,
    rows: result.value.rowsRead,
    added: result.value.added,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
