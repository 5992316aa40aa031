import { z } from 'zod';
import {
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
 */

/**
 * The return a file comes from, as frozen when it was signed off. Exports are made only from signed-off returns;
 * what changes afterwards (the date it was sent, a later correction) is not written, so exporting the same snapshot
 * again gives the same bytes.
 */
export const returnRecordSchema = returnSummarySchema
  .pick({ period: true, asAt: true, version: true, correctionReason: true, previousHash: true })
  .extend({ hash: z.string(), signOff: signOffSchema });
export type ReturnRecord = z.infer<typeof returnRecordSchema>;

export const returnFileSchema = z.object({
  schemaVersion: returnContentSchema.shape.schemaVersion,
  return: returnRecordSchema,
  ...returnContentSchema.omit({ schemaVersion: true }).shape,
});
export type ReturnFile = z.infer<typeof returnFileSchema>;

/** The file's content in the schema's key order, so the same snapshot always gives the same JSON text. */
export function returnFile(summary: ReturnSummary, content: ReturnContent): ReturnFile {
  if (summary.hash === null || summary.signOff === null)
    throw new Error(`Return ${summary.id} is not signed off: only a signed-off return is exported`);
  return returnFileSchema.parse({ ...content, return: summary });
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
