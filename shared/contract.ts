import type { z } from 'zod';
import { combineChannels } from './common/api';
import { uploadChannels } from './common/upload';
import { frameworkChannels } from './framework/channels';
import { icsChannels } from './ics/channels';
import { fundingChannels } from './funding/channels';
import { establishmentChannels } from './establishment/channels';
import { importChannels } from './import/channels';
import { pictureChannels } from './picture/channels';
import { returnsChannels, returnsExportChannels } from './returns/channels';
import { settingsChannels } from './settings/channels';
import { trainingChannels } from './training/channels';
import { workforceChannels } from './workforce/channels';

/** Every request the renderer may make, with its input and output schemas. Add a capability's group here. */
export const contract = combineChannels(
  uploadChannels,
  settingsChannels,
  workforceChannels,
  importChannels,
  establishmentChannels,
  pictureChannels,
  frameworkChannels,
  trainingChannels,
  fundingChannels,
  returnsChannels,
  returnsExportChannels,
  icsChannels,
);

export type Contract = typeof contract;
export type Channel = keyof Contract & string;
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ChannelParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;
export const channelNames = Object.keys(contract) as Channel[];

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(contract, name);
}
