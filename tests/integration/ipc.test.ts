import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerIpcHandlers, type InvokeEvent, type IpcHost } from '../../electron/transports/ipc';
import type { Result } from '../../shared/common/api';
import { IPC_CALL, IPC_SAVE_FILE, type SaveFileAnswer } from '../../shared/common/bridge';
import { tempStore, type TempStore } from './helpers';

/**
 * The desktop transport without Electron: registerIpcHandlers gets a stand-in for ipcMain (a table of listeners
 * we invoke as Electron would) and for the save dialog, over a real database.
 */

const electron = vi.hoisted(() => ({
  handle: vi.fn(),
  fromWebContents: vi.fn(),
  showSaveDialog: vi.fn(),
}));
vi.mock('electron', () => ({
  ipcMain: { handle: electron.handle },
  BrowserWindow: { fromWebContents: electron.fromWebContents },
  dialog: { showSaveDialog: electron.showSaveDialog },
}));

type Listener = (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>;

function standIn(savePath: () => string | null) {
  const listeners = new Map<string, Listener>();
  const chooseSavePath = vi.fn(async (_event: InvokeEvent, _name: string) => savePath());
  const host: IpcHost<InvokeEvent> = {
    handle(channel, listener) {
      if (listeners.has(channel)) throw new Error(`${channel} is registered twice`); // as ipcMain.handle does
      listeners.set(channel, listener);
    },
    chooseSavePath,
  };
  const invoke = (channel: string, event: InvokeEvent, ...args: unknown[]) => listeners.get(channel)!(event, ...args);
  return { host, listeners, chooseSavePath, invoke };
}

/** A frame as Electron describes it: the main frame of its window, or a subframe inside it. */
function mainFrame(url: string): InvokeEvent {
  const frame = { url };
  return { senderFrame: frame, sender: { mainFrame: frame } };
}
const appPage = mainFrame('app://ahp/index.html');
const untrustedSenders: [string, InvokeEvent][] = [
  ['another origin', mainFrame('https://example.org/index.html')],
  ['a file:// page', mainFrame('file:///tmp/index.html')],
  [
    'a subframe of our own page',
    { senderFrame: { url: 'app://ahp/index.html' }, sender: { mainFrame: { url: 'app://ahp/index.html' } } },
  ],
  ['a frame that has gone', { senderFrame: null, sender: { mainFrame: {} } }],
];

const organisation = {
  name: 'Example NHS Trust',
  odsCode: 'RX1',
  ics: 'Example ICS',
  ahpFaculty: 'Example AHP faculty',
};
const file = { fileName: 'gaps.csv', mimeType: 'text/csv', base64: Buffer.from('a,b\n1,2\n').toString('base64') };

let t: TempStore;
let ipc: ReturnType<typeof standIn>;
let nextSavePath: string | null = null;
beforeAll(async () => {
  t = await tempStore();
  ipc = standIn(() => nextSavePath);
  registerIpcHandlers(ipc.host, t.ctx);
});
afterAll(() => t.cleanup());

describe('Electron IPC, driven with a stand-in ipcMain', () => {
  it('registers the call and the file save, nothing else', () => {
    expect([...ipc.listeners.keys()].sort()).toEqual([IPC_CALL, IPC_SAVE_FILE].sort());
  });

  it("passes a trusted sender's call to the router and answers its typed Result", async () => {
    const saved = (await ipc.invoke(IPC_CALL, appPage, 'settings/organisation-save', organisation)) as Result<unknown>;
    expect(saved).toEqual({ ok: true, value: { ...organisation, kind: 'trust', isDemo: false } });
    const info = (await ipc.invoke(IPC_CALL, appPage, 'settings/info', {})) as Result<{ path: string }>;
    expect(info.ok && info.value.path).toBe(t.store.path);
  });

  it.each(untrustedSenders)('refuses %s with unauthorised, before the router sees the call', async (_name, event) => {
    const answer = await ipc.invoke(IPC_CALL, event, 'settings/organisation-save', {
      ...organisation,
      name: 'Changed by a stranger',
    });
    expect(answer).toEqual({
      ok: false,
      error: { code: 'unauthorised', message: 'This request did not come from the app.' },
    });
    const now = (await ipc.invoke(IPC_CALL, appPage, 'settings/organisation', {})) as Result<{ name: string }>;
    expect(now.ok && now.value.name).toBe(organisation.name);
  });

  it('answers invalid input with invalid-input and the field that is wrong', async () => {
    const answer = (await ipc.invoke(IPC_CALL, appPage, 'settings/organisation-save', {
      ...organisation,
      odsCode: 'R!',
    })) as Result<unknown>;
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.code).toBe('invalid-input');
    expect(answer.error.details).toEqual({ odsCode: expect.stringContaining('ODS code') });
  });

  it('answers a channel that does not exist, or no channel name, with unknown-channel', async () => {
    expect(await ipc.invoke(IPC_CALL, appPage, 'settings/drop-everything', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown-channel' },
    });
    expect(await ipc.invoke(IPC_CALL, appPage, { name: 'settings/info' }, {})).toMatchObject({
      ok: false,
      error: { code: 'unknown-channel' },
    });
  });

  it.each(untrustedSenders)('save-file refuses %s without opening a dialog', async (_name, event) => {
    ipc.chooseSavePath.mockClear();
    const answer = (await ipc.invoke(IPC_SAVE_FILE, event, file)) as SaveFileAnswer;
    expect(answer).toEqual({ saved: false, error: { code: 'unauthorised', message: expect.any(String) } });
    expect(ipc.chooseSavePath).not.toHaveBeenCalled();
  });

  it('save-file checks the file against the contract before asking where to save it', async () => {
    ipc.chooseSavePath.mockClear();
    const answer = (await ipc.invoke(IPC_SAVE_FILE, appPage, { fileName: '', mimeType: 'text/csv' })) as SaveFileAnswer;
    expect(answer.saved).toBe(false);
    expect(answer.error?.code).toBe('invalid-input');
    expect(Object.keys(answer.error?.details ?? {}).sort()).toEqual(['base64', 'fileName']);
    expect(ipc.chooseSavePath).not.toHaveBeenCalled();
  });

  it('save-file writes the bytes where the user chose, and nothing when they cancel', async () => {
    nextSavePath = path.join(t.dir, 'chosen.csv');
    expect(await ipc.invoke(IPC_SAVE_FILE, appPage, file)).toEqual({ saved: true });
    expect(ipc.chooseSavePath).toHaveBeenLastCalledWith(appPage, 'gaps.csv');
    expect(fs.readFileSync(nextSavePath, 'utf8')).toBe('a,b\n1,2\n');
    nextSavePath = null;
    expect(await ipc.invoke(IPC_SAVE_FILE, appPage, file)).toEqual({ saved: false });
  });

  it('ipc.main.ts wires the real ipcMain and the save dialog of the sending window', async () => {
    const { registerIpc } = await import('../../electron/transports/ipc.main');
    registerIpc(t.ctx);
    expect(electron.handle.mock.calls.map(([channel]) => channel).sort()).toEqual([IPC_CALL, IPC_SAVE_FILE].sort());
    const save = electron.handle.mock.calls.find(([channel]) => channel === IPC_SAVE_FILE)![1] as Listener;
    const window = { id: 1 };
    const target = path.join(t.dir, 'via-dialog.csv');
    electron.fromWebContents.mockReturnValue(window);
    electron.showSaveDialog.mockResolvedValue({ canceled: false, filePath: target });
    expect(await save(appPage, file)).toEqual({ saved: true });
    expect(electron.fromWebContents).toHaveBeenCalledWith(appPage.sender);
    expect(electron.showSaveDialog).toHaveBeenCalledWith(window, { defaultPath: 'gaps.csv' });
    expect(fs.existsSync(target)).toBe(true);
  });
});
