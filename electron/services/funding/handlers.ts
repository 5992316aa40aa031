import type { fundingChannels } from '../../../shared/funding/channels';
import type { HandlerGroup } from '../../handler';
import { todayIso } from '../../../shared/common/clock';
import { exportReport } from './export';
import {
  commitImport,
  deleteBatch,
  deleteProfile,
  listBatches,
  listProfiles,
  previewImport,
  saveProfile,
} from './import';
import {
  applyRules,
  assignEntries,
  deleteEntry,
  deleteRule,
  listLedger,
  listRules,
  saveEntry,
  saveRule,
} from './ledger';
import { deleteCategory, deleteLine, listCategories, listTnaItems, readLines, saveCategory, saveLine } from './lines';
import { buildReport } from './report';
import { deleteStream, listStreams, saveStream } from './streams';

export const fundingHandlers: HandlerGroup<keyof typeof fundingChannels> = {
  'funding/streams': (ctx, input) => listStreams(ctx.store.db, input, todayIso(ctx.now())),
  'funding/stream-save': (ctx, input) => saveStream(ctx.store.db, ctx, input, todayIso(ctx.now())),
  'funding/stream-delete': (ctx, input) => deleteStream(ctx.store.db, ctx, input.id, todayIso(ctx.now())),
  'funding/categories': (ctx) => listCategories(ctx.store.db),
  'funding/category-save': (ctx, input) => saveCategory(ctx.store.db, ctx, input),
  'funding/category-delete': (ctx, input) => deleteCategory(ctx.store.db, ctx, input.code),
  'funding/tna-items': (ctx) => listTnaItems(ctx.store.db),
  'funding/lines': (ctx, input) => readLines(ctx.store.db, input),
  'funding/line-save': (ctx, input) => saveLine(ctx.store.db, ctx, input),
  'funding/line-delete': (ctx, input) => deleteLine(ctx.store.db, ctx, input.id),
  'funding/ledger': (ctx, input) => listLedger(ctx.store.db, input),
  'funding/ledger-save': (ctx, input) => saveEntry(ctx.store.db, ctx, input),
  'funding/ledger-delete': (ctx, input) => deleteEntry(ctx.store.db, ctx, input.id),
  'funding/ledger-assign': (ctx, input) => assignEntries(ctx.store.db, ctx, input.entryIds, input.planLineId),
  'funding/rules': (ctx) => listRules(ctx.store.db),
  'funding/rule-save': (ctx, input) => saveRule(ctx.store.db, ctx, input),
  'funding/rule-delete': (ctx, input) => deleteRule(ctx.store.db, ctx, input.id),
  'funding/rules-apply': (ctx, input) => applyRules(ctx.store.db, ctx, input.financialYear),
  'funding/import-preview': (ctx, input) => previewImport(ctx.store, ctx, input),
  'funding/import-commit': (ctx, input) => commitImport(ctx.store, ctx, input),
  'funding/import-batches': (ctx) => listBatches(ctx.store.db),
  'funding/import-batch-delete': (ctx, input) => deleteBatch(ctx.store.db, ctx, input.id),
  'funding/import-profiles': (ctx) => listProfiles(ctx.store.db),
  'funding/import-profile-save': (ctx, input) => saveProfile(ctx.store.db, ctx, input),
  'funding/import-profile-delete': (ctx, input) => deleteProfile(ctx.store.db, ctx, input.id),
  'funding/report': (ctx, input) => buildReport(ctx.store.db, { ...input, asAt: input.asAt ?? todayIso(ctx.now()) }),
  'funding/export': (ctx, input) =>
    exportReport(
      ctx.store.db,
      ctx,
      buildReport(ctx.store.db, { ...input, asAt: input.asAt ?? todayIso(ctx.now()) }),
      input.format,
    ),
};
