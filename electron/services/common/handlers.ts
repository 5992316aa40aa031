import type { uploadChannels } from '../../../shared/common/upload';
import type { HandlerGroup } from '../../handler';
import { discardUpload, receiveChunk } from './uploads';

export const uploadHandlers: HandlerGroup<keyof typeof uploadChannels> = {
  'upload/chunk': (ctx, input) => receiveChunk(ctx.store, input),
  'upload/discard': (ctx, input) => discardUpload(ctx.store, input.uploadId),
};
