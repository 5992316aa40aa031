import { z } from 'zod';
import { dateOrderSchema } from '../common/cells';
import { penceSchema } from '../common/money';
import { idSchema, requiredText } from '../common/schemas';
import { uploadIdSchema } from '../common/upload';
import { ledgerKindSchema } from './ledger';

/** Importing a ledger file: its columns (guessed from the headers or saved as a profile), the preview and the commit. */

export const LEDGER_FIELDS = ['date', 'amount', 'debit', 'credit', 'costCentre', 'accountCode', 'description'] as const;
export type LedgerField = (typeof LEDGER_FIELDS)[number];
export const LEDGER_FIELD_LABELS: Record<LedgerField, string> = {
  date: 'Date',
  amount: 'Amount (one signed column)',
  debit: 'Debit',
  credit: 'Credit',
  costCentre: 'Cost centre',
  accountCode: 'Account (subjective) code',
  description: 'Description',
};

const headerRef = z.string().trim().max(200).nullable().default(null);

/** Columns are named by their header text, so a saved profile still fits when a column moves. */
export const ledgerMappingSchema = z
  .object({
    date: z.string().trim().min(1, 'Choose the date column').max(200),
    amount: headerRef,
    debit: headerRef,
    credit: headerRef,
    costCentre: headerRef,
    accountCode: headerRef,
    description: headerRef,
    dateOrder: dateOrderSchema.default('dmy'),
  })
  .transform((m) => {
    const blank = (v: string | null) => (v === null || v === '' ? null : v);
    return {
      ...m,
      amount: blank(m.amount),
      debit: blank(m.debit),
      credit: blank(m.credit),
      costCentre: blank(m.costCentre),
      accountCode: blank(m.accountCode),
      description: blank(m.description),
    };
  })
  .refine((m) => Boolean(m.amount || m.debit || m.credit), {
    message: 'Choose an amount column, or a debit and/or credit column',
    path: ['amount'],
  })
  .refine((m) => !(m.amount && (m.debit || m.credit)), {
    message: 'Use either one amount column or debit and credit columns, not both',
    path: ['amount'],
  });
export type LedgerMapping = z.output<typeof ledgerMappingSchema>;
export type LedgerMappingInput = z.input<typeof ledgerMappingSchema>;

const HEADER_GUESSES: [Exclude<LedgerField, never>, RegExp][] = [
  ['date', /^(transaction |trans |posting |posted |gl |invoice |accounting )?date$|^date/i],
  ['debit', /^(debit|dr)( amount)?$/i],
  ['credit', /^(credit|cr)( amount)?$/i],
  ['amount', /^(amount|value|net|net amount|total|amount £|amount \(£\)|£|gbp|actual|spend)$/i],
  ['costCentre', /cost ?cent(re|er)|^cc$|^cost code$|department|budget code/i],
  ['accountCode', /subjective|account|nominal|^gl code$|expense code|^code$/i],
  ['description', /desc|narrative|details|memo|text|supplier|reference/i],
];

/** Guesses which header holds which field from its name (the user can change every choice). */
export function guessLedgerMapping(headers: readonly string[]): LedgerMappingInput {
  const used = new Set<string>();
  const found: Partial<Record<LedgerField, string>> = {};
  for (const [field, pattern] of HEADER_GUESSES) {
    const header = headers.find((h) => !used.has(h) && pattern.test(h.trim()));
    if (header) {
      found[field] = header;
      used.add(header);
    }
  }
  if (found.amount && (found.debit || found.credit)) delete found.amount;
  return {
    date: found.date ?? '',
    amount: found.amount ?? null,
    debit: found.debit ?? null,
    credit: found.credit ?? null,
    costCentre: found.costCentre ?? null,
    accountCode: found.accountCode ?? null,
    description: found.description ?? null,
    dateOrder: 'dmy',
  };
}

export const ledgerImportInputSchema = z.object({
  /** The ledger file, sent first through the common upload (`upload/chunk`, kind "ledger"). */
  uploadId: uploadIdSchema,
  kind: ledgerKindSchema.default('actual'),
  /** Restrict matching and date checks to one stream; otherwise every stream whose year holds the date. */
  streamId: idSchema.nullable().default(null),
  /** Leave out to have the columns guessed from the headers. */
  mapping: ledgerMappingSchema.nullable().default(null),
});
export type LedgerImportInput = z.input<typeof ledgerImportInputSchema>;

export const ledgerRowIssueSchema = z.object({ line: z.number().int(), column: z.string(), message: z.string() });
export type LedgerRowIssue = z.infer<typeof ledgerRowIssueSchema>;

export const ledgerPreviewRowSchema = z.object({
  line: z.number().int(),
  date: z.string().nullable(),
  amountPence: penceSchema.nullable(),
  costCentre: z.string(),
  accountCode: z.string(),
  description: z.string(),
  planLineId: idSchema.nullable(),
  planLineLabel: z.string().nullable(),
  error: z.string().nullable(),
});
export type LedgerPreviewRow = z.infer<typeof ledgerPreviewRowSchema>;

export const ledgerPreviewSchema = z.object({
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  headers: z.array(z.string()),
  mapping: z.object({
    date: z.string(),
    amount: z.string().nullable(),
    debit: z.string().nullable(),
    credit: z.string().nullable(),
    costCentre: z.string().nullable(),
    accountCode: z.string().nullable(),
    description: z.string().nullable(),
    dateOrder: dateOrderSchema,
  }),
  mappingGuessed: z.boolean(),
  dateOrderNote: z.string(),
  rowCount: z.number().int(),
  errorCount: z.number().int(),
  matchedCount: z.number().int(),
  unmatchedCount: z.number().int(),
  totalPence: penceSchema,
  creditCount: z.number().int(),
  /** The first row-level problems (at most 200), each naming the line and column. */
  errors: z.array(ledgerRowIssueSchema),
  /** The first rows as they would be saved (at most 100). */
  sample: z.array(ledgerPreviewRowSchema),
  duplicateOf: z.object({ batchId: idSchema, fileName: z.string(), importedAt: z.string() }).nullable(),
});
export type LedgerPreview = z.infer<typeof ledgerPreviewSchema>;

export const ledgerCommitInputSchema = ledgerImportInputSchema.extend({
  saveProfileAs: z.string().trim().max(80).nullable().default(null),
});
export type LedgerCommitInput = z.input<typeof ledgerCommitInputSchema>;

export const ledgerCommitResultSchema = z.object({
  batchId: idSchema,
  rowCount: z.number().int(),
  matchedCount: z.number().int(),
  unmatchedCount: z.number().int(),
  totalPence: penceSchema,
});

export const importBatchViewSchema = z.object({
  id: idSchema,
  fileName: z.string(),
  importedAt: z.string(),
  importedBy: z.string(),
  kind: ledgerKindSchema,
  streamId: idSchema.nullable(),
  rowCount: z.number().int(),
  totalPence: penceSchema,
});
export type ImportBatchView = z.infer<typeof importBatchViewSchema>;

export const importProfileInputSchema = z.object({
  id: idSchema.optional(),
  name: requiredText('profile name', 80),
  mapping: ledgerMappingSchema,
});
export const importProfileViewSchema = z.object({
  id: idSchema,
  name: z.string(),
  mapping: ledgerPreviewSchema.shape.mapping,
  updatedAt: z.string(),
});
export type ImportProfileView = z.infer<typeof importProfileViewSchema>;
