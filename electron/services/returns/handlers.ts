import type { returnsChannels, returnsExportChannels } from '../../../shared/returns/channels';
import type { HandlerGroup } from '../../handler';
import { diffReturns } from './diff';
import { exportReturn } from './export';
import {
  buildReturn,
  checkReturn,
  deleteReturn,
  listReturns,
  markSent,
  rebuildReturn,
  saveReadiness,
  saveThreshold,
  showReturn,
  signReturn,
  verifyChain,
} from './states';
import { thresholdSetting } from './store';

export const returnsHandlers: HandlerGroup<keyof typeof returnsChannels> = {
  'returns/list': (ctx) => listReturns(ctx.store.db),
  'returns/build': (ctx, input) => buildReturn(ctx.store.db, ctx, input),
  'returns/rebuild': (ctx, input) => rebuildReturn(ctx.store.db, ctx, input.id),
  'returns/show': (ctx, input) => showReturn(ctx.store.db, input.id, input.version),
  'returns/readiness-save': (ctx, input) => saveReadiness(ctx.store.db, ctx, input.id, input.readiness),
  'returns/check': (ctx, input) => checkReturn(ctx.store.db, ctx, input.id, input.acceptWarnings),
  'returns/sign': (ctx, input) => signReturn(ctx.store.db, ctx, input),
  'returns/sent': (ctx, input) => markSent(ctx.store.db, ctx, input.id, input.sentOn),
  'returns/delete': (ctx, input) => deleteReturn(ctx.store.db, ctx, input.id),
  'returns/diff': (ctx, input) => diffReturns(ctx.store.db, input.fromId, input.toId, input.version),
  'returns/verify': (ctx) => verifyChain(ctx.store.db),
  'returns/settings': (ctx) => ({ threshold: thresholdSetting(ctx.store.db) }),
  'returns/settings-save': (ctx, input) => saveThreshold(ctx.store.db, ctx, input.threshold),
};

// ---------- exports (branch helper-returns-exports) ----------
export const returnsExportHandlers: HandlerGroup<keyof typeof returnsExportChannels> = {
  'returns/export': (ctx, input) => exportReturn(ctx.store.db, input),
};
