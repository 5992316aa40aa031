import fs from 'node:fs';
import { fileSchema, issuesToDetails, type Result } from '../../shared/common/api';
import { IPC_CALL, IPC_SAVE_FILE, type SaveFileAnswer } from '../../shared/common/bridge';
import { dispatch } from '../router';
import type { HandlerContext } from '../handler';
import { isTrustedSender } from '../security';

/**
 * Electron's transport without Electron: the same handler table as the web host, behind a sender check.
 * ipc.main.ts hands in the real ipcMain and save dialog; tests hand in stand-ins, so this runs in CI.
 */

/** What the sender check reads from Electron's IpcMainInvokeEvent. */
export interface InvokeEvent {
  readonly senderFrame: { readonly url: string } | null;
  readonly sender: { readonly mainFrame: unknown };
}

export interface IpcHost<E extends InvokeEvent> {
  /** ipcMain.handle */
  handle(channel: string, listener: (event: E, ...args: unknown[]) => Promise<unknown>): void;
  /** Asks the user where to save; null when they cancel. */
  chooseSavePath(event: E, suggestedName: string): Promise<string | null>;
}

const untrusted = { code: 'unauthorised', message: 'This request did not come from the app.' } as const;

/** Only our own page, in the main frame of our window: not a subframe, not a page navigated elsewhere. */
function trusted(event: InvokeEvent): boolean {
  const frame = event.senderFrame;
  return isTrustedSender(frame?.url, frame !== null && frame === event.sender.mainFrame);
}

export function registerIpcHandlers<E extends InvokeEvent>(host: IpcHost<E>, ctx: HandlerContext): void {
  host.handle(IPC_CALL, async (event, channel, input): Promise<Result<unknown>> => {
    if (!trusted(event)) return { ok: false, error: untrusted };
    if (typeof channel !== 'string')
      return { ok: false, error: { code: 'unknown-channel', message: 'No request name given.' } };
    return dispatch(ctx, channel, input);
  });

  host.handle(IPC_SAVE_FILE, async (event, raw): Promise<SaveFileAnswer> => {
    if (!trusted(event)) return { saved: false, error: untrusted };
    const file = fileSchema.safeParse(raw);
    if (!file.success) {
      return {
        saved: false,
        error: {
          code: 'invalid-input',
          message: 'The file to save is not valid.',
          details: issuesToDetails(file.error.issues),
        },
      };
    }
    const target = await host.chooseSavePath(event, file.data.fileName);
    if (target === null) return { saved: false };
    try {
      await fs.promises.writeFile(target, Buffer.from(file.data.base64, 'base64'));
    } catch (err) {
      return {
        saved: false,
        error: {
          code: 'refused',
          message: `The file could not be saved: ${err instanceof Error ? err.message : String(err)}`,
        },
      };
    }
    return { saved: true };
  });
}
