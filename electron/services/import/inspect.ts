import type { InspectOutput } from '../../../shared/import/channels';
import { cellText, guessDateFormat, type Cell } from '../../../shared/common/cells';
import { applyProfile, guessMapping } from '../../../shared/import/fields';
import type { DatabaseStore } from '../../db/store';
import { listProfiles } from './profiles';
import { extractProblem, openChecked } from './stage';
import { requireKey } from '../common/keys';
import { forgetUpload, getUpload } from '../common/uploads';

/** The latest import of a file with this SHA-256, if any. */
function alreadyImported(store: DatabaseStore, sha256: string): InspectOutput['alreadyImported'] {
  const row = store.db
    .prepare(
      `SELECT id AS batchId, file_name AS fileName, committed_at AS committedAt, user, undone_at AS undoneAt
       FROM import_batch WHERE kind = 'staff' AND sha256 = ? ORDER BY id DESC LIMIT 1`,
    )
    .get(sha256) as InspectOutput['alreadyImported'] | undefined;
  return row ?? null;
}

const SAMPLE_ROWS = 10;
const DATE_SAMPLE_ROWS = 200;

/** Reads only the start of an uploaded extract: format, headers, sample rows, a guessed mapping, fitting profiles. */
export async function inspectUpload(store: DatabaseStore, uploadId: string): Promise<InspectOutput> {
  const upload = getUpload(store, uploadId, 'staff-extract');
  // Without the key the extract's people cannot be matched: say so before the user maps any column.
  requireKey(store.db);
  let extract;
  try {
    extract = await openChecked(upload.path, upload.fileName);
  } catch (error) {
    forgetUpload(store, uploadId); // an unreadable file is not kept
    throw error;
  }
  const sampleRows: InspectOutput['sampleRows'] = [];
  const guessed = guessMapping(extract.headers);
  const dateCells: Cell[] = [];
  const dateColumns = [guessed.startDate, guessed.endDate, guessed.dateOfBirth].filter(
    (i): i is number => i !== null && i !== undefined,
  );
  try {
    let n = 0;
    for await (const record of extract.records) {
      if (sampleRows.length < SAMPLE_ROWS)
        sampleRows.push({ line: record.line, cells: record.cells.map((c) => cellText(c as Cell)) });
      for (const i of dateColumns) dateCells.push(record.cells[i] as Cell);
      if (++n >= DATE_SAMPLE_ROWS) break;
    }
  } catch (error) {
    forgetUpload(store, uploadId);
    throw extractProblem(error, upload.fileName);
  } finally {
    extract.close();
  }
  const profiles = listProfiles(store.db).map((p) => {
    const applied = applyProfile(p, extract.headers);
    return {
      ...p,
      fits: applied.missingHeaders.length === 0,
      missingHeaders: applied.missingHeaders,
      mapping: applied.mapping,
    };
  });
  return {
    uploadId,
    fileName: upload.fileName,
    sizeBytes: upload.size,
    alreadyImported: alreadyImported(store, upload.sha256),
    format: extract.format,
    encoding: extract.encoding,
    delimiter: extract.delimiter,
    headers: extract.headers,
    headerLine: extract.headerLine,
    sampleRows,
    guessedMapping: guessed,
    dateOrder: guessDateFormat(dateCells),
    profiles,
  };
}
