import { z } from 'zod';
import { penceSchema } from '../common/money';
import { financialYearSchema, isoDateSchema } from '../common/periods';
import { idSchema, textOrBlank } from '../common/schemas';

/** Actuals and commitments: a ledger entry as typed in or imported, and the ledger list. */

export const ledgerKindSchema = z.enum(['actual', 'commitment']);
export type LedgerKind = z.infer<typeof ledgerKindSchema>;

/** Negative amounts are credits and reversals. A null plan line means "not yet allocated". */
export const ledgerEntryInputSchema = z.object({
  id: idSchema.optional(),
  kind: ledgerKindSchema,
  date: isoDateSchema,
  amountPence: penceSchema,
  description: textOrBlank(300),
  costCentre: textOrBlank(40),
  accountCode: textOrBlank(40),
  planLineId: idSchema.nullable().default(null),
});
export type LedgerEntryInput = z.input<typeof ledgerEntryInputSchema>;
export type LedgerEntry = z.output<typeof ledgerEntryInputSchema>;

export const ledgerEntryViewSchema = z.object({
  id: idSchema,
  kind: ledgerKindSchema,
  date: isoDateSchema,
  amountPence: penceSchema,
  description: z.string(),
  costCentre: z.string(),
  accountCode: z.string(),
  planLineId: idSchema.nullable(),
  /** The rule that allocated an imported row, so the allocation can be explained. */
  matchedRuleId: idSchema.nullable(),
});
export type LedgerEntryView = z.infer<typeof ledgerEntryViewSchema>;

// ---------- ledger list and hand assignment ----------

export const ledgerRowViewSchema = ledgerEntryViewSchema.extend({
  planLineLabel: z.string().nullable(),
  batchId: idSchema.nullable(),
});
export type LedgerRowView = z.infer<typeof ledgerRowViewSchema>;

export const ledgerListInputSchema = z.object({
  financialYear: financialYearSchema.nullable().default(null),
  unmatchedOnly: z.boolean().default(false),
  limit: z.number().int().min(1).max(1000).default(100),
  offset: z.number().int().min(0).default(0),
});
export const ledgerListSchema = z.object({
  total: z.number().int(),
  totalPence: penceSchema,
  rows: z.array(ledgerRowViewSchema),
});
export type LedgerList = z.infer<typeof ledgerListSchema>;
