import type { settingsChannels } from '../../../shared/settings';
import type { HandlerGroup } from '../../ipc/types';
import { loadDemoTrust } from '../demo/load';
import { backupAsFile, databaseInfo, listAudit, restoreFromFile } from './index';

export const settingsHandlers: HandlerGroup<keyof typeof settingsChannels> = {
  'settings/info': (ctx) => databaseInfo(ctx.store),
  'settings/backup': (ctx) => backupAsFile(ctx.store, ctx),
  'settings/restore': (ctx, input) => restoreFromFile(ctx.store, ctx, input),
  'audit/list': (ctx, input) => listAudit(ctx.store.db, input.limit),
  'demo/load': (ctx, input) => loadDemoTrust(ctx.store.db, ctx, input),
};
