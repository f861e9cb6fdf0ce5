import { describe, expect, it, vi } from 'vitest';
import { contextBridge, ipcRenderer } from '../main/testing/fake-electron';
import { DESKTOP_API_KEY } from '../common/desktop-api';
import { channels, events } from '../common/ipc-channels';

vi.mock('electron', () => import('../main/testing/fake-electron'));

describe('preload', () => {
  it('exposes four named functions and never ipcRenderer itself', async () => {
    await import('./preload');
    expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [key, api] = contextBridge.exposeInMainWorld.mock.calls[0] as unknown as [string, Record<string, unknown>];
    expect(key).toBe(DESKTOP_API_KEY);
    expect(Object.keys(api).sort()).toEqual(['getConfig', 'notify', 'onOpenTicket', 'openExternal']);
    for (const value of Object.values(api)) {
      expect(typeof value).toBe('function');
      expect(value).not.toBe(ipcRenderer);
      expect(value).not.toBe(ipcRenderer.invoke);
    }
    await (api.notify as (t: unknown, b: unknown) => Promise<void>)('P1', { toString: () => 'body' });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(channels.notify, 'P1', 'body');
    await (api.notify as (t: string, b: string, id: unknown) => Promise<void>)('P1', 'body', '7');
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith(channels.notify, 'P1', 'body', 7);
  });

  it('hands the page a clicked notification\'s ticket id, and nothing else; unsubscribes', async () => {
    await import('./preload');
    const [, api] = contextBridge.exposeInMainWorld.mock.calls[0] as unknown as [string, { onOpenTicket(listener: (id: number) => void): () => void }];
    const opened: unknown[][] = [];
    const stop = api.onOpenTicket((...args) => opened.push(args));
    ipcRenderer.emit(events.openTicket, { sender: 'the IPC event' }, 7);
    for (const bad of [0, -1, 2.5, '8', null]) ipcRenderer.emit(events.openTicket, {}, bad);
    expect(opened).toEqual([[7]]); // the id alone: never the event, which carries the sender
    stop();
    ipcRenderer.emit(events.openTicket, {}, 9);
    expect(opened).toEqual([[7]]);
    expect(ipcRenderer.listenerCount(events.openTicket)).toBe(0);
  });
});
