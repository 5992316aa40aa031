import type { settingsChannels } from '../../../shared/settings/channels';
import type { HandlerGroup } from '../../handler';
import { backupAsFile, databaseInfo, listAudit, restoreFromUpload } from './database';
import { loadDemoTrust } from './demo-load';
import { exportKey, importKeyFromUpload, keyStatus } from './key';
import { getOrganisation, saveOrganisation } from './organisation';

export const settingsHandlers: HandlerGroup<keyof typeof settingsChannels> = {
  'settings/organisation': (ctx) => getOrganisation(ctx.store.db),
  'settings/organisation-save': (ctx, input) => saveOrganisation(ctx.store.db, ctx, input),
  'settings/info': (ctx) => databaseInfo(ctx.store),
  'settings/backup': (ctx) => backupAsFile(ctx.store, ctx),
  'settings/restore': (ctx, input) => restoreFromUpload(ctx.store, ctx, input.uploadId),
  'settings/key': (ctx) => keyStatus(ctx.store.db),
  'settings/key-export': (ctx) => exportKey(ctx.store, ctx),
  'settings/key-import': (ctx, input) => importKeyFromUpload(ctx.store, ctx, input.uploadId),
  'settings/audit': (ctx, input) => listAudit(ctx.store.db, input),
  'settings/demo-load': (ctx, input) => loadDemoTrust(ctx.store.db, ctx, input),
};
