import { describe, expect, it, vi } from 'vitest';
import { contextBridge, ipcRenderer } from '../main/testing/fake-electron';
import { DESKTOP_API_KEY } from '../common/desktop-api';
import { channels } from '../common/ipc-channels';

vi.mock('electron', () => import('../main/testing/fake-electron'));

describe('preload', () => {
  it('exposes three named functions and never ipcRenderer itself', async () => {
    await import('./preload');
    expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [key, api] = contextBridge.exposeInMainWorld.mock.calls[0] as unknown as [string, Record<string, unknown>];
    expect(key).toBe(DESKTOP_API_KEY);
    expect(Object.keys(api).sort()).toEqual(['getConfig', 'notify', 'openExternal']);
    for (const value of Object.values(api)) {
      expect(typeof value).toBe('function');
      expect(value).not.toBe(ipcRenderer);
      expect(value).not.toBe(ipcRenderer.invoke);
    }
    await (api.notify as (t: unknown, b: unknown) => Promise<void>)('P1', { toString: () => 'body' });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(channels.notify, 'P1', 'body');
  });
});
