import type { Channel, ChannelOutput, ChannelParsedInput } from '../shared/contract';
import type { DatabaseStore } from './db/store';
import type { Actor } from './services/common/audit';

/** What every handler receives besides its validated input: the database and who is acting. */
export interface HandlerContext extends Actor {
  store: DatabaseStore;
}

export type Handler<C extends Channel> = (
  ctx: HandlerContext,
  input: ChannelParsedInput<C>,
) => ChannelOutput<C> | Promise<ChannelOutput<C>>;

/** A capability's handlers: exactly the channels it declares in the contract, each with its typed handler. */
export type HandlerGroup<Channels extends Channel> = { [C in Channels]: Handler<C> };
