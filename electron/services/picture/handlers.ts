import type { pictureChannels } from '../../../shared/picture/channels';
import type { HandlerGroup } from '../../handler';
import { exportPicture } from './export';
import { workforceMetrics } from './metrics';

export const pictureHandlers: HandlerGroup<keyof typeof pictureChannels> = {
  'picture/metrics': (ctx, input) => workforceMetrics(ctx.store.db, input),
  'picture/export': (ctx, input) => exportPicture(ctx.store.db, ctx, input),
};
