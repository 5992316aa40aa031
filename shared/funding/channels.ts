import { z } from 'zod';
import { channel, fileSchema } from '../common/api';
import { financialYearSchema } from '../common/periods';
import { idResultSchema, idSchema } from '../common/schemas';
import { exportInputSchema, fundingReportSchema, reportInputSchema } from './report';
import {
  importBatchViewSchema,
  importProfileInputSchema,
  importProfileViewSchema,
  ledgerCommitInputSchema,
  ledgerCommitResultSchema,
  ledgerImportInputSchema,
  ledgerPreviewSchema,
} from './ledger-import';
import { ledgerEntryInputSchema, ledgerListInputSchema, ledgerListSchema, ledgerRowViewSchema } from './ledger';
import {
  categoryViewSchema,
  planCategoryCodeSchema,
  planCategorySchema,
  planLineInputSchema,
  planLineViewSchema,
  tnaItemViewSchema,
} from './plan';
import { ledgerRuleInputSchema, ledgerRuleViewSchema } from './rules';
import { fundingStreamInputSchema, fundingStreamViewSchema } from './streams';

/** The Funding area's contract: every channel with its input and output schemas. */

const idInput = z.object({ id: idSchema });

export const fundingChannels = {
  'funding/streams': channel(
    z.object({ financialYear: financialYearSchema.nullable().default(null) }),
    z.array(fundingStreamViewSchema),
    'Funding streams with planned, committed, actual and forecast totals',
  ),
  'funding/stream-save': channel(fundingStreamInputSchema, fundingStreamViewSchema, 'Add or change a funding stream'),
  'funding/stream-delete': channel(idInput, idResultSchema, 'Delete a funding stream that has no plan lines'),
  'funding/categories': channel(z.object({}), z.array(categoryViewSchema), 'Spend plan categories'),
  'funding/category-save': channel(planCategorySchema, z.array(categoryViewSchema), 'Add a category or rename one'),
  'funding/category-delete': channel(
    z.object({ code: planCategoryCodeSchema }),
    z.object({ code: z.string() }),
    'Delete an unused category',
  ),
  'funding/tna-items': channel(
    z.object({}),
    z.array(tnaItemViewSchema),
    'Training needs assessment items whose cost a plan line can use',
  ),
  'funding/lines': channel(
    z.object({
      streamId: idSchema.nullable().default(null),
      financialYear: financialYearSchema.nullable().default(null),
    }),
    z.array(planLineViewSchema),
    'Spend plan lines',
  ),
  'funding/line-save': channel(
    planLineInputSchema,
    planLineViewSchema,
    'Add or change a spend plan line and its phasing',
  ),
  'funding/line-delete': channel(
    idInput,
    z.object({ id: idSchema, unallocatedEntries: z.number().int() }),
    'Delete a plan line',
  ),
  'funding/ledger': channel(ledgerListInputSchema, ledgerListSchema, 'Actuals and commitments'),
  'funding/ledger-save': channel(
    ledgerEntryInputSchema,
    ledgerRowViewSchema,
    'Type in or change an actual or commitment',
  ),
  'funding/ledger-delete': channel(idInput, idResultSchema, 'Delete a ledger entry'),
  'funding/ledger-assign': channel(
    z.object({
      entryIds: z.array(idSchema).min(1, 'Choose at least one entry').max(20_000),
      planLineId: idSchema.nullable(),
    }),
    z.object({ updated: z.number().int() }),
    'Allocate ledger entries to a plan line by hand (or take them off)',
  ),
  'funding/rules': channel(z.object({}), z.array(ledgerRuleViewSchema), 'Matching rules'),
  'funding/rule-save': channel(ledgerRuleInputSchema, ledgerRuleViewSchema, 'Add or change a matching rule'),
  'funding/rule-delete': channel(idInput, idResultSchema, 'Delete a matching rule'),
  'funding/rules-apply': channel(
    z.object({ financialYear: financialYearSchema.nullable().default(null) }),
    z.object({ checked: z.number().int(), changed: z.number().int(), unmatched: z.number().int() }),
    'Match entries again (entries allocated by hand are left alone)',
  ),
  'funding/import-preview': channel(
    ledgerImportInputSchema,
    ledgerPreviewSchema,
    'Read a ledger file and show what would be imported',
  ),
  'funding/import-commit': channel(
    ledgerCommitInputSchema,
    ledgerCommitResultSchema,
    'Import a ledger file: every row or none',
  ),
  'funding/import-batches': channel(z.object({}), z.array(importBatchViewSchema), 'Ledger files imported so far'),
  'funding/import-batch-delete': channel(
    idInput,
    z.object({ id: idSchema, rowCount: z.number().int() }),
    'Remove an imported ledger file and its rows',
  ),
  'funding/import-profiles': channel(z.object({}), z.array(importProfileViewSchema), 'Saved ledger column mappings'),
  'funding/import-profile-save': channel(
    importProfileInputSchema,
    importProfileViewSchema,
    'Save a ledger column mapping',
  ),
  'funding/import-profile-delete': channel(idInput, idResultSchema, 'Delete a saved ledger column mapping'),
  'funding/report': channel(
    reportInputSchema,
    fundingReportSchema,
    'Plan, commitments, actuals, variance and forecast for a year',
  ),
  'funding/export': channel(exportInputSchema, fileSchema, 'The spend report as an Excel workbook or CSV file'),
};
