import type { importChannels } from '../../../shared/import/channels';
import type { HandlerGroup } from '../../handler';
import { commitImport, previewImport } from './apply';
import { listBatches, undoBatch } from './batches';
import { inspectUpload } from './inspect';
import { cancelJob, jobProgress } from './jobs';
import { deleteProfile, listProfiles, saveProfile } from './profiles';

export const importHandlers: HandlerGroup<keyof typeof importChannels> = {
  'import/inspect': (ctx, input) => inspectUpload(ctx.store, input.uploadId),
  'import/preview': (ctx, input) => previewImport(ctx.store, ctx, input),
  'import/commit': (ctx, input) => commitImport(ctx.store, ctx, input),
  'import/progress': (ctx) => jobProgress(ctx.store),
  'import/cancel': (ctx) => cancelJob(ctx.store),
  'import/batches': (ctx) => listBatches(ctx.store.db),
  'import/undo': (ctx, input) => undoBatch(ctx.store.db, ctx, input.id),
  'import/profiles': (ctx) => listProfiles(ctx.store.db),
  'import/profile-save': (ctx, input) => saveProfile(ctx.store.db, ctx, input),
  'import/profile-delete': (ctx, input) => deleteProfile(ctx.store.db, ctx, input.id),
};
