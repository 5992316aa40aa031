import type { establishmentChannels } from '../../../shared/establishment/channels';
import type { HandlerGroup } from '../../handler';
import { commitEstablishment, previewEstablishment } from './apply';
import { listEstablishmentBatches, undoEstablishmentBatch } from './batches';
import { deleteEstablishmentProfile, listEstablishmentProfiles } from './profiles';
import { inspectEstablishment } from './read';

export const establishmentHandlers: HandlerGroup<keyof typeof establishmentChannels> = {
  'establishment/inspect': (ctx, input) => inspectEstablishment(ctx.store, input.uploadId),
  'establishment/preview': (ctx, input) => previewEstablishment(ctx.store, ctx, input),
  'establishment/commit': (ctx, input) => commitEstablishment(ctx.store, ctx, input),
  'establishment/batches': (ctx) => listEstablishmentBatches(ctx.store.db),
  'establishment/undo': (ctx, input) => undoEstablishmentBatch(ctx.store.db, ctx, input.id),
  'establishment/profiles': (ctx) => listEstablishmentProfiles(ctx.store.db),
  'establishment/profile-delete': (ctx, input) => deleteEstablishmentProfile(ctx.store.db, ctx, input.id),
};
