import { contextBridge, ipcRenderer } from 'electron';
import type { FileData, Result } from '../shared/common/api';
import { IPC_CALL, IPC_SAVE_FILE, type BridgeApi, type SaveFileAnswer } from '../shared/common/bridge';
import { channelNames } from '../shared/contract';

/**
 * Exposes one named function per contract channel and a file save, frozen; never ipcRenderer itself.
 * Bundled into one file because a sandboxed preload may only require 'electron'.
 */
const call = Object.freeze(
  Object.fromEntries(
    channelNames.map((name) => [
      name,
      (input: unknown) => ipcRenderer.invoke(IPC_CALL, name, input) as Promise<Result<unknown>>,
    ]),
  ),
) as BridgeApi['call'];

const api: BridgeApi = Object.freeze({
  call,
  saveFile: (file: FileData) => ipcRenderer.invoke(IPC_SAVE_FILE, file) as Promise<SaveFileAnswer>,
});

contextBridge.exposeInMainWorld('api', api);
