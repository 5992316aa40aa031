import type { icsChannels } from '../../../shared/ics/channels';
import { parseReturnPeriod } from '../../../shared/returns/periods';
import type { HandlerGroup } from '../../handler';
import { AppError } from '../common/errors';
import { icsPicture } from './aggregate';
import { addReturns } from './collect';
import { loadDemoIcs } from './demo';
import { deleteTrust, icsStatus, listCollected, listTrusts, requireIcs, saveTrust } from './workspace';

function rangeOf(period: string) {
  const range = parseReturnPeriod(period);
  if (!range)
    throw new AppError(
      'invalid-input',
      `${period} is not a period: use a year like 2025/26 or a quarter like 2025/26-Q2.`,
    );
  return range;
}

export const icsHandlers: HandlerGroup<keyof typeof icsChannels> = {
  'ics/trusts': (ctx) => listTrusts(ctx.store.db),
  'ics/trust-save': (ctx, input) => saveTrust(ctx.store.db, ctx, input),
  'ics/trust-delete': (ctx, input) => deleteTrust(ctx.store.db, ctx, input.id),
  'ics/add': (ctx, input) => addReturns(ctx.store, ctx, input.uploadIds),
  'ics/collected': (ctx, input) => listCollected(ctx.store.db, input.period),
  'ics/status': (ctx, input) => icsStatus(ctx.store.db, input.period),
  'ics/demo-load': (ctx) => loadDemoIcs(ctx.store, ctx),
  'ics/picture': (ctx, input) => {
    requireIcs(ctx.store.db);
    const range = rangeOf(input.period);
    return icsPicture(ctx.store.db, range, range.to);
  },
};
