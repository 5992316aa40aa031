import { todayIso } from '../../../shared/common/clock';
import type { frameworkChannels } from '../../../shared/framework/channels';
import type { HandlerGroup } from '../../handler';
import { exportRoleMap } from './exports';
import { bulkMapping, deleteMapping, getMapping, listMappings, saveMapping, variation } from './mapping';
import { deletePathway, listPathways, savePathway } from './pathways';
import { adoptImport, descriptorTemplate, frameworkOverview, previewImport } from './versions';

export const frameworkHandlers: HandlerGroup<keyof typeof frameworkChannels> = {
  'framework/overview': (ctx) => frameworkOverview(ctx.store.db),
  'framework/template': (ctx, input) => descriptorTemplate(ctx.store.db, ctx, input.format),
  'framework/import-preview': (ctx, input) => previewImport(ctx.store, input),
  'framework/import-adopt': (ctx, input) => adoptImport(ctx.store, ctx, input),
  'framework/mappings': (ctx) => listMappings(ctx.store.db, todayIso(ctx.now())),
  'framework/mapping': (ctx, input) => getMapping(ctx.store.db, input.roleId, todayIso(ctx.now())),
  'framework/mapping-save': (ctx, input) => saveMapping(ctx.store.db, ctx, input),
  'framework/mapping-bulk': (ctx, input) => bulkMapping(ctx.store.db, ctx, input),
  'framework/mapping-delete': (ctx, input) => deleteMapping(ctx.store.db, ctx, input.roleId),
  'framework/variation': (ctx) => variation(ctx.store.db, todayIso(ctx.now())),
  'framework/pathways': (ctx) => listPathways(ctx.store.db, todayIso(ctx.now())),
  'framework/pathway-save': (ctx, input) => savePathway(ctx.store.db, ctx, input),
  'framework/pathway-delete': (ctx, input) => deletePathway(ctx.store.db, ctx, input.id),
  'framework/export': (ctx, input) => exportRoleMap(ctx.store.db, ctx, input.format),
};
