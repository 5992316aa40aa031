import type { z } from 'zod';
import { combineChannels } from './api';
import { frameworkChannels } from './framework/channels';
import { fundingChannels } from './funding';
import { importChannels } from './import';
import { pictureChannels } from './workforce-picture';
import { settingsChannels } from './settings';
import { workforceChannels } from './workforce';

/** Every request the renderer may make, with its input and output schemas. Add a capability's group here. */
export const contract = combineChannels(workforceChannels, settingsChannels, fundingChannels, frameworkChannels, importChannels, pictureChannels);

export type Contract = typeof contract;
export type Channel = keyof Contract & string;
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ChannelParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;
export const channelNames = Object.keys(contract) as Channel[];

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(contract, name);
}
