import type { ApiError, FileData, Result } from './api';
import type { Channel, ChannelInput, ChannelOutput } from '../contract';

/** What Electron's preload exposes as window.api: one named call per contract channel, plus saving a file. */
export interface BridgeApi {
  call: { readonly [C in Channel]: (input: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>> };
  saveFile(file: FileData): Promise<SaveFileAnswer>;
}

/** `saved: false` without an error: the user cancelled. */
export interface SaveFileAnswer {
  saved: boolean;
  error?: ApiError;
}

export const IPC_CALL = 'ahp:call';
export const IPC_SAVE_FILE = 'ahp:save-file';
