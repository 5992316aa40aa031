import type { Cell } from '../../../shared/common/cells';
import { cellText } from '../../../shared/common/cells';
import type { EstablishmentInspect } from '../../../shared/establishment/channels';
import {
  applyEstablishmentProfile,
  establishmentFieldLabels,
  guessEstablishmentMapping,
  missingEstablishmentFields,
  type EstablishmentField,
  type EstablishmentMapping,
} from '../../../shared/establishment/fields';
import { readEstablishmentLine, type EstablishmentLine, type LineIssue } from '../../../shared/establishment/lines';
import type { DatabaseStore } from '../../db/store';
import type { DB } from '../../db/connection';
import { AppError } from '../common/errors';
import { forgetUpload, getUpload, type ReceivedUpload } from '../common/uploads';
import { extractProblem, openChecked } from '../common/extract-open';
import { listEstablishmentProfiles } from './profiles';

/** Reading an establishment report: its start for the mapping screen, then all of it, line by line. */

const SAMPLE_LINES = 10;

/** The latest establishment import of a file with this SHA-256, if any. */
export function alreadyImported(db: DB, sha256: string): EstablishmentInspect['alreadyImported'] {
  const row = db
    .prepare(
      `SELECT id AS batchId, file_name AS fileName, committed_at AS committedAt, user, undone_at AS undoneAt
       FROM import_batch WHERE kind = 'establishment' AND sha256 = ? ORDER BY id DESC LIMIT 1`,
    )
    .get(sha256) as EstablishmentInspect['alreadyImported'] | undefined;
  return row ?? null;
}

export async function inspectEstablishment(store: DatabaseStore, uploadId: string): Promise<EstablishmentInspect> {
  const upload = getUpload(store, uploadId, 'establishment');
  let extract;
  try {
    extract = await openChecked(upload.path, upload.fileName);
  } catch (error) {
    forgetUpload(store, uploadId); // an unreadable file is not kept
    throw error;
  }
  const sampleRows: EstablishmentInspect['sampleRows'] = [];
  try {
    for await (const record of extract.records) {
      sampleRows.push({ line: record.line, cells: record.cells.map((c) => cellText(c as Cell)) });
      if (sampleRows.length >= SAMPLE_LINES) break;
    }
  } catch (error) {
    forgetUpload(store, uploadId);
    throw extractProblem(error, upload.fileName);
  } finally {
    extract.close();
  }
  const profiles = listEstablishmentProfiles(store.db).map((p) => {
    const applied = applyEstablishmentProfile(p.columns, extract.headers);
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
    alreadyImported: alreadyImported(store.db, upload.sha256),
    format: extract.format,
    encoding: extract.encoding,
    headers: extract.headers,
    sampleRows,
    guessedMapping: guessEstablishmentMapping(extract.headers),
    profiles,
  };
}

export interface ReadReport {
  format: 'csv' | 'xlsx';
  encoding: string | null;
  headers: string[];
  linesRead: number;
  lines: EstablishmentLine[];
  rejected: Map<number, LineIssue[]>;
  warnings: LineIssue[];
}

/** Every line of the report, read and checked; refused whole when a required column is not mapped. */
export async function readReport(upload: ReceivedUpload, mapping: EstablishmentMapping): Promise<ReadReport> {
  const missing = missingEstablishmentFields(mapping);
  if (missing.length > 0)
    throw new AppError(
      'invalid-input',
      `${upload.fileName}: choose the column that holds ${missing.join('; ')}. Nothing has been changed.`,
      { mapping: `Not mapped: ${missing.join('; ')}` },
    );
  const extract = await openChecked(upload.path, upload.fileName);
  const report: ReadReport = {
    format: extract.format,
    encoding: extract.encoding,
    headers: extract.headers,
    linesRead: 0,
    lines: [],
    rejected: new Map(),
    warnings: [],
  };
  try {
    for (const [field, index] of Object.entries(mapping) as [EstablishmentField, number | null][]) {
      if (index !== null && index >= extract.headers.length)
        throw new AppError(
          'invalid-input',
          `${upload.fileName} has ${extract.headers.length} columns, so column ${index + 1} cannot hold ${establishmentFieldLabels[field]}. Nothing has been changed.`,
        );
    }
    const headers = extract.headers.map((h, i) => h || `Column ${i + 1}`);
    for await (const records of extract.batches) {
      for (const record of records) {
        report.linesRead++;
        if (record.error) {
          report.rejected.set(record.line, [
            { line: record.line, column: '(whole line)', message: record.error.message },
          ]);
          continue;
        }
        const read = readEstablishmentLine(record.line, record.cells as Cell[], mapping, headers);
        if (read.value) {
          report.lines.push(read.value);
          report.warnings.push(...read.warnings);
        } else report.rejected.set(record.line, read.errors);
      }
    }
  } catch (error) {
    throw extractProblem(error, upload.fileName);
  } finally {
    extract.close();
  }
  return report;
}
