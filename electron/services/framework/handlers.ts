import type { frameworkChannels } from '../../../shared/framework/channels';
import type { HandlerGroup } from '../../ipc/types';
import { deleteQualification, gapAnalysis, personEducation, saveQualification } from './education';
import { exportFile } from './exports';
import { bulkMapping, deleteMapping, getMapping, listMappings, saveMapping, variation } from './mapping';
import { deletePathway, listPathways, savePathway } from './pathways';
import { deleteTnaItem, saveTnaItem, saveTnaSettings, tnaOverview } from './tna';
import { adoptImport, descriptorTemplate, frameworkOverview, previewImport } from './versions';

export const frameworkHandlers: HandlerGroup<keyof typeof frameworkChannels> = {
  'framework/overview': (ctx) => frameworkOverview(ctx.store.db),
  'framework/template': (ctx, input) => descriptorTemplate(ctx.store.db, ctx, input.format),
  'framework/import-preview': (ctx, input) => previewImport(ctx.store.db, input),
  'framework/import-adopt': (ctx, input) => adoptImport(ctx.store.db, ctx, input),
  'mapping/list': (ctx) => listMappings(ctx.store.db),
  'mapping/get': (ctx, input) => getMapping(ctx.store.db, input.roleId),
  'mapping/save': (ctx, input) => saveMapping(ctx.store.db, ctx, input),
  'mapping/bulk': (ctx, input) => bulkMapping(ctx.store.db, ctx, input),
  'mapping/delete': (ctx, input) => deleteMapping(ctx.store.db, ctx, input.roleId),
  'mapping/variation': (ctx) => variation(ctx.store.db),
  'education/person': (ctx, input) => personEducation(ctx.store.db, input.personId),
  'education/qualification-save': (ctx, input) => saveQualification(ctx.store.db, ctx, input),
  'education/qualification-delete': (ctx, input) => deleteQualification(ctx.store.db, ctx, input.id),
  'education/gaps': (ctx, input) => gapAnalysis(ctx.store.db, input),
  'tna/get': (ctx) => tnaOverview(ctx.store.db),
  'tna/save': (ctx, input) => saveTnaItem(ctx.store.db, ctx, input),
  'tna/delete': (ctx, input) => deleteTnaItem(ctx.store.db, ctx, input.id),
  'tna/settings-save': (ctx, input) => saveTnaSettings(ctx.store.db, ctx, input),
  'pathways/list': (ctx) => listPathways(ctx.store.db),
  'pathways/save': (ctx, input) => savePathway(ctx.store.db, ctx, input),
  'pathways/delete': (ctx, input) => deletePathway(ctx.store.db, ctx, input.id),
  'framework/export': (ctx, input) => exportFile(ctx.store.db, ctx, input.what, input.format),
};
