import { describe, expect, it, vi } from 'vitest';
import { IPC_CALL, IPC_SAVE_FILE, type BridgeApi } from '../../shared/common/bridge';
import { channelNames } from '../../shared/contract';

/** The preload with stand-ins for contextBridge and ipcRenderer: what the page gets is named calls only. */
const electron = vi.hoisted(() => ({
  exposeInMainWorld: vi.fn(),
  invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, value: null })),
}));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: electron.exposeInMainWorld },
  ipcRenderer: { invoke: electron.invoke, send: vi.fn(), on: vi.fn() },
}));

async function exposed(): Promise<BridgeApi> {
  await import('../../electron/preload');
  expect(electron.exposeInMainWorld).toHaveBeenCalledTimes(1);
  const [key, api] = electron.exposeInMainWorld.mock.calls[0]!;
  expect(key).toBe('api');
  return api as BridgeApi;
}

describe('preload', () => {
  it('exposes a frozen api with one named call per contract channel and a file save', async () => {
    const api = await exposed();
    expect(Object.keys(api).sort()).toEqual(['call', 'saveFile']);
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api.call)).toBe(true);
    expect(Object.keys(api.call).sort()).toEqual([...channelNames].sort());
    for (const fn of Object.values(api.call)) expect(typeof fn).toBe('function');
  });

  it('never hands the page ipcRenderer or a way to name an arbitrary channel', async () => {
    const api = await exposed();
    const reachable = [api, api.call, ...Object.values(api.call), api.saveFile];
    for (const value of reachable) {
      for (const key of ['invoke', 'send', 'on', 'sendSync', 'ipcRenderer']) expect(key in Object(value)).toBe(false);
    }
  });

  it('each call invokes the one IPC channel with its own name', async () => {
    const api = await exposed();
    electron.invoke.mockClear();
    await api.call['settings/info']({});
    expect(electron.invoke).toHaveBeenCalledWith(IPC_CALL, 'settings/info', {});
    const file = { fileName: 'a.csv', mimeType: 'text/csv', base64: '' };
    await api.saveFile(file);
    expect(electron.invoke).toHaveBeenLastCalledWith(IPC_SAVE_FILE, file);
  });
});
