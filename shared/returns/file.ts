import { z } from 'zod';
import { idSchema } from '../common/schemas';
import {
  cellStatusSchema,
  returnContentSchema,
  returnSummarySchema,
  signOffSchema,
  type ReturnContent,
  type ReturnSummary,
} from './channels';

/**
 * What a return's export files hold (issue 12): the frozen content of one version (publication or exact) with the
 * record of the return it came from (its number, status and hash). The JSON file is exactly this; the XLSX, CSV and
 * PDF files are drawings of it. `return.schema.json` beside this file is generated from `returnFileSchema`, so
 * someone at the ICS can validate a file without this app.
 *
 * The exact (ICS data-sharing) version carries everything its hash covers (issue 13): the snapshot's id, what it
 * supersedes, the warnings accepted at sign-off and which cells the publication version hides. So the ICS can work
 * the SHA-256 out again from the file alone (`frozenFromFile`) and refuse a file changed after sign-off.
 */

/**
 * The return a file comes from, as frozen when it was signed off. Exports are made only from signed-off returns;
 * what changes afterwards (the date it was sent, a later correction) is not written, so exporting the same snapshot
 * again gives the same bytes.
 */
export const returnRecordSchema = returnSummarySchema
  .pick({ period: true, asAt: true, version: true, correctionReason: true, previousHash: true, supersedesId: true })
  .extend({
    /** The return's number in the trust's database. */
    id: idSchema,
    hash: z.string(),
    signOff: signOffSchema,
    warningsAccepted: z.object({ reason: z.string(), by: z.string(), at: z.string() }).nullable(),
  });
export type ReturnRecord = z.infer<typeof returnRecordSchema>;

/** A cell the publication version hides, and why (the exact version shows its value and marks it exact). */
export const hiddenCellSchema = z.object({
  table: z.string(),
  row: z.string(),
  column: z.string(),
  measure: z.string(),
  status: cellStatusSchema.exclude(['exact', 'not-applicable']),
});
export type HiddenCell = z.infer<typeof hiddenCellSchema>;

export const returnFileSchema = z.object({
  schemaVersion: returnContentSchema.shape.schemaVersion,
  return: returnRecordSchema,
  ...returnContentSchema.omit({ schemaVersion: true }).shape,
  /** Exact version only (null on the publication version, whose cells say it themselves). */
  hiddenInPublication: z.array(hiddenCellSchema).nullable(),
});
export type ReturnFile = z.infer<typeof returnFileSchema>;

/** What a signed-off return's hash covers (kept in data_return.snapshot_json as canonical JSON). */
export interface FrozenReturn {
  id: number;
  period: string;
  version: number;
  asAt: string;
  correctionReason: string | null;
  supersedesId: number | null;
  signOff: { name: string; role: string; user: string; at: string };
  warningsAccepted: { reason: string; by: string; at: string } | null;
  content: ReturnContent;
}

const cellKey = (table: string, row: string, column: string, measure: string) =>
  JSON.stringify([table, row, column, measure]);

/**
 * The file's content in the schema's key order, so the same snapshot always gives the same JSON text. `content` is
 * the version asked for; `frozen` the snapshot it was made from.
 */
export function returnFile(summary: ReturnSummary, frozen: FrozenReturn, content: ReturnContent): ReturnFile {
  if (summary.hash === null || summary.signOff === null)
    throw new Error(`Return ${summary.id} is not signed off: only a signed-off return is exported`);
  const hidden: HiddenCell[] = [];
  if (content.version === 'exact')
    for (const t of frozen.content.tables)
      for (const c of t.cells)
        if (c.status === 'suppressed-primary' || c.status === 'suppressed-secondary')
          hidden.push({ table: t.id, row: c.row, column: c.column, measure: c.measure, status: c.status });
  return returnFileSchema.parse({
    ...content,
    return: {
      ...summary,
      id: frozen.id,
      supersedesId: frozen.supersedesId,
      signOff: frozen.signOff,
      warningsAccepted: frozen.warningsAccepted,
    },
    hiddenInPublication: content.version === 'exact' ? hidden : null,
  });
}

/**
 * The snapshot an exact-version file was made from, as it was hashed: the content with the statuses protection gave
 * each cell and no marking. Null for a publication version (its hidden values are gone).
 */
export function frozenFromFile(file: ReturnFile): FrozenReturn | null {
  if (file.version !== 'exact' || file.hiddenInPublication === null) return null;
  const hidden = new Map(file.hiddenInPublication.map((h) => [cellKey(h.table, h.row, h.column, h.measure), h.status]));
  const content: ReturnContent = {
    schemaVersion: file.schemaVersion,
    version: 'exact',
    marking: null,
    about: file.about,
    tables: file.tables.map((t) => ({
      ...t,
      cells: t.cells.map((c) => {
        const status = hidden.get(cellKey(t.id, c.row, c.column, c.measure));
        return status ? { ...c, status } : c;
      }),
    })),
    checklist: file.checklist,
    readiness: file.readiness,
  };
  const r = file.return;
  return {
    id: r.id,
    period: r.period,
    version: r.version,
    asAt: r.asAt,
    correctionReason: r.correctionReason,
    supersedesId: r.supersedesId,
    signOff: r.signOff,
    warningsAccepted: r.warningsAccepted,
    content,
  };
}

/** The JSON Schema checked in as shared/returns/return.schema.json (a test regenerates it and compares). */
export function returnJsonSchema(): string {
  const schema = z.toJSONSchema(returnFileSchema, { io: 'output', target: 'draft-2020-12' });
  const titled = {
    $schema: schema.$schema,
    title: 'AHP support workforce return (export file)',
    ...schema,
  };
  return `${JSON.stringify(titled, null, 2)}\n`;
}
