import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import fs from 'node:fs';
import { fileSchema, type Result } from '../../shared/common/api';
import { IPC_CALL, IPC_SAVE_FILE } from '../../shared/common/bridge';
import { dispatch } from '../router';
import type { HandlerContext } from '../handler';
import { isTrustedSender } from '../security';

const untrusted: Result<never> = { ok: false, error: { code: 'unauthorised', message: 'This request did not come from the app.' } };

function trusted(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return isTrustedSender(frame?.url, frame !== null && frame === event.sender.mainFrame);
}

/** Electron's transport: the same handler table as the web host, behind a sender check. */
export function registerIpc(ctx: HandlerContext): void {
  ipcMain.handle(IPC_CALL, async (event, channel: unknown, input: unknown) => {
    if (!trusted(event)) return untrusted;
    if (typeof channel !== 'string') return { ok: false, error: { code: 'unknown-channel', message: 'No request name given.' } };
    return dispatch(ctx, channel, input);
  });

  ipcMain.handle(IPC_SAVE_FILE, async (event, raw: unknown) => {
    if (!trusted(event)) return { saved: false };
    const file = fileSchema.parse(raw);
    const window = BrowserWindow.fromWebContents(event.sender);
    const options = { defaultPath: file.fileName };
    const choice = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
    if (choice.canceled || !choice.filePath) return { saved: false };
    await fs.promises.writeFile(choice.filePath, Buffer.from(file.base64, 'base64'));
    return { saved: true };
  });
}
