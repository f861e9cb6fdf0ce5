import type { BrowserWindow } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { channels, inboundChannels } from '../common/ipc-channels';
import { argSchemas, isTrustedSender, setupIpc, type IpcContext } from './ipc';
import { openExternalChecked } from './security';
import { FakeBrowserWindow, FakeIpcMain, FakeWebContents, FakeWebFrame } from './testing/fake-electron';

vi.mock('electron', () => import('./testing/fake-electron'));

const ORIGIN = 'http://127.0.0.1:8080';

function setup() {
  const ipc = new FakeIpcMain();
  const win = new FakeBrowserWindow({});
  const ctx: IpcContext = { window: () => win as unknown as BrowserWindow, serverOrigin: ORIGIN };
  const deps = {
    config: vi.fn(() => ({ serverOrigin: ORIGIN, appVersion: '0.1.0', platform: 'linux' })),
    notify: vi.fn(),
    openExternal: vi.fn(async (_url: string) => undefined),
  };
  setupIpc(ipc as never, ctx, deps);
  const invoke = (channel: string, event: unknown, ...args: unknown[]) => Promise.resolve().then(() => ipc.handlers.get(channel)!(event, ...args));
  const ownEvent = () => ({ sender: win.webContents, senderFrame: win.webContents.mainFrame });
  return { ipc, win, ctx, deps, invoke, ownEvent };
}

describe('IPC', () => {
  beforeEach(() => {
    FakeBrowserWindow.instances = [];
  });

  it('registers exactly the channels in the table', () => {
    const { ipc } = setup();
    expect([...ipc.handlers.keys()].sort()).toEqual([...inboundChannels].sort());
    expect(Object.keys(argSchemas).sort()).toEqual(Object.keys(channels).sort());
  });

  it('answers our window', async () => {
    const { invoke, ownEvent, deps } = setup();
    await expect(invoke(channels.getConfig, ownEvent())).resolves.toMatchObject({ serverOrigin: ORIGIN });
    await invoke(channels.notify, ownEvent(), 'Новая заявка P1 №7', 'Нет бумаги');
    expect(deps.notify).toHaveBeenCalledWith('Новая заявка P1 №7', 'Нет бумаги', undefined);
    await invoke(channels.notify, ownEvent(), 'Новая заявка P1 №7', 'Нет бумаги', 7);
    expect(deps.notify).toHaveBeenLastCalledWith('Новая заявка P1 №7', 'Нет бумаги', 7);
  });

  it('rejects a sender that is not our window', async () => {
    const { invoke, deps } = setup();
    const stranger = new FakeWebContents();
    await expect(invoke(channels.notify, { sender: stranger, senderFrame: stranger.mainFrame }, 'x', 'y')).rejects.toThrow(/sender rejected/);
    expect(deps.notify).not.toHaveBeenCalled();
  });

  it('rejects a sub-frame of our window', async () => {
    const { invoke, ownEvent, deps } = setup();
    const event = ownEvent();
    const child = new FakeWebFrame(`${ORIGIN}/frame`, 1, 2);
    child.parent = event.senderFrame;
    await expect(invoke(channels.notify, { ...event, senderFrame: child }, 'x', 'y')).rejects.toThrow(/sender rejected/);
    expect(deps.notify).not.toHaveBeenCalled();
  });

  it('rejects our main frame once it shows another origin', async () => {
    const { invoke, ownEvent, win } = setup();
    win.webContents.mainFrame.url = 'https://evil.example/';
    await expect(invoke(channels.getConfig, ownEvent())).rejects.toThrow(/sender rejected/);
  });

  it('rejects when the window is gone', () => {
    const { ctx, ownEvent, win } = setup();
    win.destroyed = true;
    expect(isTrustedSender(ownEvent() as never, ctx)).toBe(false);
  });

  it('rejects invalid arguments', async () => {
    const { invoke, ownEvent, deps } = setup();
    await expect(invoke(channels.notify, ownEvent(), { title: 'x' })).rejects.toThrow(/invalid arguments/);
    await expect(invoke(channels.notify, ownEvent(), 'x'.repeat(201), 'body')).rejects.toThrow(/invalid arguments/);
    await expect(invoke(channels.notify, ownEvent(), 'a', 'b', 'extra')).rejects.toThrow(/invalid arguments/);
    for (const ticketId of [0, -3, 1.5, '7']) await expect(invoke(channels.notify, ownEvent(), 'a', 'b', ticketId)).rejects.toThrow(/invalid arguments/);
    await expect(invoke(channels.notify, ownEvent(), 'a', 'b', 7, 'more')).rejects.toThrow(/invalid arguments/);
    await expect(invoke(channels.openExternal, ownEvent(), 42)).rejects.toThrow(/invalid arguments/);
    await expect(invoke(channels.getConfig, ownEvent(), 'unexpected')).rejects.toThrow(/invalid arguments/);
    expect(deps.notify).not.toHaveBeenCalled();
    expect(deps.openExternal).not.toHaveBeenCalled();
  });

  it('openExternal refuses non-http(s) and foreign URLs', async () => {
    const { invoke, ownEvent, deps } = setup();
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'https://evil.example/', 'ms-msdt:/id', `${ORIGIN.replace('http', 'ftp')}/x`]) {
      await expect(invoke(channels.openExternal, ownEvent(), url), url).resolves.toBe(false);
    }
    expect(deps.openExternal).not.toHaveBeenCalled();
    await expect(invoke(channels.openExternal, ownEvent(), `${ORIGIN}/help`)).resolves.toBe(true);
    expect(deps.openExternal).toHaveBeenCalledWith(`${ORIGIN}/help`);
  });

  it('openExternalChecked does not call the opener for refused URLs', async () => {
    const open = vi.fn(async () => undefined);
    expect(await openExternalChecked('data:text/html,<script>', ORIGIN, open)).toBe(false);
    expect(open).not.toHaveBeenCalled();
  });
});
