import type { z } from 'zod';
import {
  guessLedgerMapping,
  ledgerMappingSchema,
  type ImportBatchView,
  type ImportProfileView,
  type importProfileInputSchema,
  type ledgerCommitInputSchema,
  type ledgerImportInputSchema,
  type LedgerMapping,
  type LedgerPreview,
  type LedgerPreviewRow,
  type LedgerRowIssue,
} from '../../../shared/funding/ledger-import';
import { dateOrderLabel, ledgerMappingProblems, ledgerRowReader } from '../../../shared/funding/ledger-rows';
import { formatPence, sumPence } from '../../../shared/common/money';
import { guessDateFormat } from '../../../shared/common/cells';
import { localYear } from '../../../shared/common/clock';
import type { DB } from '../../db/connection';
import type { DatabaseStore } from '../../db/store';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { ExtractError, openExtract, type ExtractCell } from '../common/file-reader';
import { forgetUpload, getUpload } from '../common/uploads';
import { makeMatcher, streamYears } from './ledger';

/**
 * Ledger import: read (CSV or XLSX) -> map columns -> preview with row-level errors -> commit every row in one
 * transaction, or none. The same reading and checking code runs for the preview and the commit.
 */

interface ReadFile {
  fileName: string;
  format: 'csv' | 'xlsx';
  headers: string[];
  records: { line: number; cells: ExtractCell[]; error: string | null }[];
  sha256: string;
}

const MAX_ERRORS = 200;
const MAX_SAMPLE = 100;

/** Reads an uploaded ledger (streamed from disk by the common reader). */
async function readLedgerFile(store: DatabaseStore, uploadId: string): Promise<ReadFile> {
  const upload = getUpload(store, uploadId, 'ledger');
  try {
    const extract = await openExtract(upload.path);
    const records: ReadFile['records'] = [];
    for await (const r of extract.records)
      records.push({ line: r.line, cells: r.cells, error: r.error?.message ?? null });
    return {
      fileName: upload.fileName,
      format: extract.format,
      headers: extract.headers,
      records,
      sha256: upload.sha256,
    };
  } catch (err) {
    if (err instanceof ExtractError) {
      forgetUpload(store, uploadId); // an unreadable file is not kept for another try
      throw new AppError('invalid-input', `${upload.fileName}: ${err.message} Nothing was saved.`);
    }
    throw err;
  }
}

interface ParsedRow {
  line: number;
  date: string | null;
  amountPence: number | null;
  costCentre: string;
  accountCode: string;
  description: string;
  planLineId: number | null;
  ruleId: number | null;
  error: string | null;
}

interface Processed {
  mapping: LedgerMapping;
  mappingGuessed: boolean;
  dateOrderNote: string;
  rows: ParsedRow[];
  issues: LedgerRowIssue[];
  errorRows: number;
}

function processRows(
  db: DB,
  input: z.output<typeof ledgerImportInputSchema>,
  file: ReadFile,
  referenceYear: number,
): Processed {
  const { mapping, mappingGuessed, dateOrderNote } = chooseMapping(input.mapping, file);
  const read = ledgerRowReader(mapping, file.headers, { referenceYear, ...allowedYears(db, input.streamId) });
  const match = makeMatcher(db, input.streamId);
  const rows: ParsedRow[] = [];
  const issues: LedgerRowIssue[] = [];
  let errorRows = 0;
  for (const record of file.records) {
    const row = read(record.cells, record.error);
    const matched = row.date
      ? match({
          date: row.date,
          costCentre: row.costCentre,
          accountCode: row.accountCode,
          description: row.description,
        })
      : { planLineId: null, ruleId: null };
    for (const issue of row.issues) {
      if (issues.length < MAX_ERRORS) issues.push({ line: record.line, ...issue });
    }
    if (row.issues.length > 0) errorRows++;
    rows.push({
      line: record.line,
      date: row.date,
      amountPence: row.amountPence,
      costCentre: row.costCentre,
      accountCode: row.accountCode,
      description: row.description,
      planLineId: matched.planLineId,
      ruleId: matched.ruleId,
      error: row.issues.length ? row.issues.map((i) => `${i.column}: ${i.message}`).join('; ') : null,
    });
  }
  return { mapping, mappingGuessed, dateOrderNote, rows, issues, errorRows };
}

/** The mapping given, or one guessed from the headers with the date order guessed from the first 200 rows. */
function chooseMapping(
  given: LedgerMapping | null,
  file: ReadFile,
): { mapping: LedgerMapping; mappingGuessed: boolean; dateOrderNote: string } {
  let mapping: LedgerMapping;
  if (given) {
    mapping = given;
  } else {
    const guessed = ledgerMappingSchema.safeParse(guessLedgerMapping(file.headers));
    if (!guessed.success) {
      throw new AppError(
        'invalid-input',
        `The columns of ${file.fileName} could not be recognised. Choose which column holds the date and the amount.`,
        { mapping: guessed.error.issues[0]?.message ?? 'Choose the columns' },
      );
    }
    mapping = guessed.data;
  }
  const problems = ledgerMappingProblems(mapping, file.headers);
  if (Object.keys(problems).length > 0) {
    throw new AppError('invalid-input', `The column choices do not fit ${file.fileName}.`, problems);
  }
  if (given)
    return { mapping, mappingGuessed: false, dateOrderNote: `Dates are read as ${dateOrderLabel(mapping.dateOrder)}.` };
  const dateColumn = file.headers.indexOf(mapping.date);
  const guess = guessDateFormat(file.records.slice(0, 200).map((r) => r.cells[dateColumn]));
  return { mapping: { ...mapping, dateOrder: guess.order }, mappingGuessed: true, dateOrderNote: `${guess.reason}.` };
}

/** The years a row may fall in: the chosen stream's, or any stream's. */
function allowedYears(db: DB, streamId: number | null): { streamYear: string | null; streamYears: Set<string> } {
  let streamYear: string | null = null;
  if (streamId !== null) {
    const s = db.prepare(`SELECT financial_year AS y FROM funding_stream WHERE id = ?`).get(streamId) as
      { y: string } | undefined;
    if (!s)
      throw new AppError('invalid-input', 'Choose a funding stream that exists.', {
        streamId: 'Choose a funding stream',
      });
    streamYear = s.y;
  }
  const years = new Set(streamYears(db));
  if (years.size === 0)
    throw new AppError(
      'invalid-input',
      'Add a funding stream before importing a ledger: each row must fall in a stream’s year.',
    );
  return { streamYear, streamYears: years };
}

function duplicateOf(db: DB, sha256: string): LedgerPreview['duplicateOf'] {
  const row = db
    .prepare(
      `SELECT id AS batchId, file_name AS fileName, imported_at AS importedAt FROM funding_ledger_batch WHERE file_sha256 = ? ORDER BY id LIMIT 1`,
    )
    .get(sha256) as LedgerPreview['duplicateOf'] | undefined;
  return row ?? null;
}

function lineLabels(db: DB): Map<number, string> {
  return new Map(
    (
      db
        .prepare(
          `SELECT l.id, s.name || ': ' || l.description AS label FROM funding_plan_line l JOIN funding_stream s ON s.id = l.stream_id`,
        )
        .all() as { id: number; label: string }[]
    ).map((r) => [r.id, r.label]),
  );
}

export async function previewImport(
  store: DatabaseStore,
  actor: Actor,
  input: z.output<typeof ledgerImportInputSchema>,
): Promise<LedgerPreview> {
  const db = store.db;
  const file = await readLedgerFile(store, input.uploadId);
  const p = processRows(db, input, file, localYear(actor.now()));
  const labels = lineLabels(db);
  const good = p.rows.filter((r) => r.error === null);
  const sample: LedgerPreviewRow[] = p.rows.slice(0, MAX_SAMPLE).map((r) => ({
    line: r.line,
    date: r.date,
    amountPence: r.amountPence,
    costCentre: r.costCentre,
    accountCode: r.accountCode,
    description: r.description,
    planLineId: r.planLineId,
    planLineLabel: r.planLineId === null ? null : (labels.get(r.planLineId) ?? null),
    error: r.error,
  }));
  return {
    fileName: file.fileName,
    format: file.format,
    headers: file.headers,
    mapping: p.mapping,
    mappingGuessed: p.mappingGuessed,
    dateOrderNote: p.dateOrderNote,
    rowCount: p.rows.length,
    errorCount: p.errorRows,
    matchedCount: good.filter((r) => r.planLineId !== null).length,
    unmatchedCount: good.filter((r) => r.planLineId === null).length,
    totalPence: sumPence(good.map((r) => r.amountPence!)),
    creditCount: good.filter((r) => r.amountPence! < 0).length,
    errors: p.issues,
    sample,
    duplicateOf: duplicateOf(db, file.sha256),
  };
}

export async function commitImport(
  store: DatabaseStore,
  actor: Actor,
  input: z.output<typeof ledgerCommitInputSchema>,
): Promise<{ batchId: number; rowCount: number; matchedCount: number; unmatchedCount: number; totalPence: number }> {
  let file: ReadFile;
  try {
    file = await readLedgerFile(store, input.uploadId);
  } finally {
    forgetUpload(store, input.uploadId); // read in full: the file is not kept, whatever happens next
  }
  const db = store.db;
  // Everything from here to the end of the transaction is synchronous: nothing else can interleave.
  const result = db.transaction(() => {
    const p = processRows(db, input, file, localYear(actor.now()));
    if (p.errorRows > 0) {
      const details: Record<string, string> = {};
      for (const issue of p.issues.slice(0, 50)) {
        const key = `line ${issue.line}, ${issue.column}`;
        if (!(key in details)) details[key] = issue.message;
      }
      throw new AppError(
        'invalid-input',
        `${p.errorRows} of the ${p.rows.length} rows in ${file.fileName} cannot be imported, so nothing was saved. Fix those rows (or the column choices) and import the file again.`,
        details,
      );
    }
    const duplicate = duplicateOf(db, file.sha256);
    if (duplicate) {
      throw new AppError(
        'conflict',
        `This file was already imported on ${duplicate.importedAt.slice(0, 10)} as ${duplicate.fileName}. Remove that import first if you mean to load it again. Nothing was saved.`,
      );
    }
    const totalPence = sumPence(p.rows.map((r) => r.amountPence!));
    const batchId = Number(
      db
        .prepare(
          `INSERT INTO funding_ledger_batch (file_name, file_sha256, imported_at, imported_by, kind, stream_id, mapping, row_count, total_pence)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          file.fileName,
          file.sha256,
          actor.now().toISOString(),
          actor.user,
          input.kind,
          input.streamId,
          JSON.stringify(p.mapping),
          p.rows.length,
          totalPence,
        ).lastInsertRowid,
    );
    const insert = db.prepare(
      `INSERT INTO funding_ledger_entry (kind, entry_date, amount_pence, description, cost_centre, account_code, plan_line_id, rule_id, batch_id, source_line)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let matchedCount = 0;
    for (const r of p.rows) {
      insert.run(
        input.kind,
        r.date,
        r.amountPence,
        r.description,
        r.costCentre,
        r.accountCode,
        r.planLineId,
        r.ruleId,
        batchId,
        r.line,
      );
      if (r.planLineId !== null) matchedCount++;
    }
    if (input.saveProfileAs) saveProfileInTransaction(db, actor, { name: input.saveProfileAs, mapping: p.mapping });
    const result = {
      batchId,
      rowCount: p.rows.length,
      matchedCount,
      unmatchedCount: p.rows.length - matchedCount,
      totalPence,
    };
    recordChange(db, actor, {
      entity: 'funding-ledger-batch',
      entityId: batchId,
      action: 'import',
      after: {
        fileName: file.fileName,
        kind: input.kind,
        streamId: input.streamId,
        mapping: p.mapping,
        ...result,
        total: formatPence(totalPence),
      },
    });
    return result;
  })();
  return result;
}

export function listBatches(db: DB): ImportBatchView[] {
  return db
    .prepare(
      `SELECT id, file_name AS fileName, imported_at AS importedAt, imported_by AS importedBy, kind, stream_id AS streamId,
              row_count AS rowCount, total_pence AS totalPence
       FROM funding_ledger_batch ORDER BY id DESC`,
    )
    .all() as ImportBatchView[];
}

/**
 * Entries of a ledger import changed by hand since it ran: allocated to a plan line by hand (a line without a rule:
 * the import sets both or neither), or edited, allocated or unallocated by hand per the audit trail. Removing the
 * import would delete them with it, so it is refused, saying so (the same rule as a staff import's Undo).
 */
function handChangesBlocking(db: DB, batchId: number, fileName: string): string | null {
  const since =
    (db
      .prepare(
        `SELECT max(id) FROM audit WHERE entity = 'funding-ledger-batch' AND entity_id = ? AND action = 'import'`,
      )
      .pluck()
      .get(String(batchId)) as number | null) ?? 0;
  const found = db
    .prepare(
      `SELECT count(*) AS n,
              count(*) FILTER (WHERE e.plan_line_id IS NOT NULL AND e.rule_id IS NULL) AS allocated,
              min(e.source_line) AS example
       FROM funding_ledger_entry e
       WHERE e.batch_id = @batch AND (
         (e.plan_line_id IS NOT NULL AND e.rule_id IS NULL)
         OR EXISTS (SELECT 1 FROM audit a WHERE a.id > @since AND a.entity = 'funding-ledger-entry' AND a.action = 'update'
                    AND (a.entity_id = CAST(e.id AS TEXT)
                         OR (a.entity_id IS NULL AND EXISTS (SELECT 1 FROM json_each(a.after, '$.entryIds') j WHERE j.value = e.id)))))`,
    )
    .get({ batch: batchId, since }) as { n: number; allocated: number; example: number | null };
  if (found.n === 0) return null;
  const n = found.n.toLocaleString('en-GB');
  const what =
    found.allocated === found.n
      ? `allocated to a plan line by hand`
      : found.allocated > 0
        ? `changed by hand (${found.allocated.toLocaleString('en-GB')} of them allocated to a plan line by hand)`
        : 'changed by hand';
  return `The import of ${fileName} cannot be removed: ${n} of its entries ${found.n === 1 ? 'was' : 'were'} ${what} since it ran${found.example !== null ? ` (for example the row from line ${found.example.toLocaleString('en-GB')})` : ''}. Removing the import would delete that work with it. Delete ${found.n === 1 ? 'that entry' : 'those entries'} on the Actuals tab first if you mean to lose ${found.n === 1 ? 'it' : 'them'}. Nothing was changed.`;
}

export function deleteBatch(db: DB, actor: Actor, id: number): { id: number; rowCount: number } {
  return db.transaction(() => {
    const before = listBatches(db).find((b) => b.id === id);
    if (!before) throw new AppError('not-found', `There is no ledger import with id ${id}.`);
    const blocked = handChangesBlocking(db, id, before.fileName);
    if (blocked) throw new AppError('conflict', blocked);
    const rowCount = db.prepare(`DELETE FROM funding_ledger_entry WHERE batch_id = ?`).run(id).changes;
    db.prepare(`DELETE FROM funding_ledger_batch WHERE id = ?`).run(id);
    recordChange(db, actor, {
      entity: 'funding-ledger-batch',
      entityId: id,
      action: 'delete',
      before: { ...before, rowsRemoved: rowCount },
    });
    return { id, rowCount };
  })();
}

// ---------- saved column mappings ----------

export function listProfiles(db: DB): ImportProfileView[] {
  return (
    db.prepare(`SELECT id, name, mapping, updated_at AS updatedAt FROM funding_import_profile ORDER BY name`).all() as {
      id: number;
      name: string;
      mapping: string;
      updatedAt: string;
    }[]
  ).map((r) => ({ ...r, mapping: ledgerMappingSchema.parse(JSON.parse(r.mapping)) }));
}

function saveProfileInTransaction(
  db: DB,
  actor: Actor,
  input: { id?: number; name: string; mapping: LedgerMapping },
): ImportProfileView {
  const existing = db.prepare(`SELECT id FROM funding_import_profile WHERE name = ? COLLATE NOCASE`).get(input.name) as
    { id: number } | undefined;
  const id = input.id ?? existing?.id;
  if (existing && input.id !== undefined && existing.id !== input.id) {
    throw new AppError('conflict', `There is already a saved mapping called ${input.name}.`, {
      name: 'Choose another name',
    });
  }
  const before = id === undefined ? undefined : listProfiles(db).find((p) => p.id === id);
  if (id !== undefined && !before) throw new AppError('not-found', `There is no saved mapping with id ${id}.`);
  const now = actor.now().toISOString();
  let savedId: number;
  if (before) {
    db.prepare(`UPDATE funding_import_profile SET name = ?, mapping = ?, updated_at = ? WHERE id = ?`).run(
      input.name,
      JSON.stringify(input.mapping),
      now,
      before.id,
    );
    savedId = before.id;
  } else {
    savedId = Number(
      db
        .prepare(`INSERT INTO funding_import_profile (name, mapping, updated_at) VALUES (?, ?, ?)`)
        .run(input.name, JSON.stringify(input.mapping), now).lastInsertRowid,
    );
  }
  const after = listProfiles(db).find((p) => p.id === savedId)!;
  recordChange(db, actor, {
    entity: 'funding-import-profile',
    entityId: savedId,
    action: before ? 'update' : 'create',
    before,
    after,
  });
  return after;
}

export function saveProfile(db: DB, actor: Actor, input: z.output<typeof importProfileInputSchema>): ImportProfileView {
  return db.transaction(() => saveProfileInTransaction(db, actor, input))();
}

export function deleteProfile(db: DB, actor: Actor, id: number): { id: number } {
  return db.transaction(() => {
    const before = listProfiles(db).find((p) => p.id === id);
    if (!before) throw new AppError('not-found', `There is no saved mapping with id ${id}.`);
    db.prepare(`DELETE FROM funding_import_profile WHERE id = ?`).run(id);
    recordChange(db, actor, { entity: 'funding-import-profile', entityId: id, action: 'delete', before });
    return { id };
  })();
}
