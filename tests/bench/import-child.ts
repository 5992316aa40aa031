import { DatabaseStore } from '../../electron/db/store';
import { dispatch } from '../../electron/router';
import { sendFile } from '../../electron/transports/cli-upload';
import { ESR_HEADERS } from '../fixtures/extracts';
import { guessMapping } from '../../shared/import/fields';

/**
 * One full import in its own process, so that its peak RSS is its own: upload in chunks (as the app and CLI
 * do), then commit (parse, validate, normalise, pseudonymise, stage, write in one transaction).
 * Prints one JSON line: { ms, uploadMs, rows, added, maxRssMb }.
 */
const [file, dbFile] = process.argv.slice(2) as [string, string];
const store = await DatabaseStore.open(dbFile);
const ctx = { store, user: 'bench', now: () => new Date() };
const started = performance.now();
const uploadId = await sendFile(ctx, file, 'staff-extract');
const uploadMs = performance.now() - started;
const result = await dispatch(ctx, 'import/commit', {
  uploadId,
  mapping: guessMapping([...ESR_HEADERS]),
  acceptRejected: true,
});
if (!result.ok) throw new Error(result.error.message);
const ms = performance.now() - started;
const value = result.value;
store.close();
console.log(
  JSON.stringify({
    ms,
    uploadMs,
    rows: value.rowsRead,
    added: value.added,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
