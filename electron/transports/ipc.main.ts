import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { HandlerContext } from '../handler';
import { registerIpcHandlers } from './ipc';

/** Electron's transport: ipc.ts with the real ipcMain and save dialog. */
export function registerIpc(ctx: HandlerContext): void {
  registerIpcHandlers<IpcMainInvokeEvent>(
    {
      handle: (channel, listener) => ipcMain.handle(channel, listener),
      async chooseSavePath(event, suggestedName) {
        const window = BrowserWindow.fromWebContents(event.sender);
        const options = { defaultPath: suggestedName };
        const choice = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
        return choice.canceled || !choice.filePath ? null : choice.filePath;
      },
    },
    ctx,
  );
}
