import type { pictureChannels } from '../../../shared/workforce-picture';
import type { HandlerGroup } from '../../ipc/types';
import { todayIso } from '../workforce/dates';
import { workforceMetrics } from './metrics';
import { staffIndex, staffRecord, staffRows } from './staff-list';

export const pictureHandlers: HandlerGroup<keyof typeof pictureChannels> = {
  'workforce/metrics': (ctx, input) => workforceMetrics(ctx.store.db, input),
  'staff/index': (ctx, input) => staffIndex(ctx.store.db, input, todayIso(ctx.now())),
  'staff/rows': (ctx, input) => staffRows(ctx.store.db, input.ids, todayIso(ctx.now())),
  'staff/record': (ctx, input) => staffRecord(ctx.store.db, input.id),
};
