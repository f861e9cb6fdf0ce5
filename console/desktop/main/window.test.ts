import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow } from './testing/fake-electron';
import { createMainWindow, secureWebPreferences } from './window';

vi.mock('electron', () => import('./testing/fake-electron'));

const ORIGIN = 'http://127.0.0.1:8080';

function open() {
  const openExternal = vi.fn(async (_url: string) => undefined);
  createMainWindow({ serverUrl: `${ORIGIN}/`, serverOrigin: ORIGIN, preloadPath: '/app/preload.cjs', openExternal });
  const win = FakeBrowserWindow.instances.at(-1)!;
  return { win, openExternal };
}

describe('createMainWindow', () => {
  beforeEach(() => {
    FakeBrowserWindow.instances = [];
  });

  it('creates the window with the secure webPreferences and loads the server URL', () => {
    const { win } = open();
    const prefs = win.options.webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(win.loadURL).toHaveBeenCalledWith(`${ORIGIN}/`);
  });

  it('secureWebPreferences never turns Node on', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({ nodeIntegration: false, sandbox: true, contextIsolation: true });
  });

  it('prevents navigation to another origin and allows its own', () => {
    const { win } = open();
    expect(win.webContents.navigate('will-navigate', 'https://evil.example/phish')).toBe(true);
    expect(win.webContents.navigate('will-navigate', 'http://127.0.0.1:9999/')).toBe(true);
    expect(win.webContents.navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(win.webContents.navigate('will-redirect', 'https://evil.example/')).toBe(true);
    expect(win.webContents.navigate('will-navigate', `${ORIGIN}/#/tickets/4`)).toBe(false);
  });

  it('denies window.open, and hands only our own http(s) pages to the system browser', () => {
    const { win, openExternal } = open();
    const handler = win.webContents.windowOpenHandler!;
    expect(handler({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'file:///C:/Windows/System32/calc.exe' })).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
    expect(handler({ url: `${ORIGIN}/docs/help.html` })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith(`${ORIGIN}/docs/help.html`);
  });

  it('refuses webviews', () => {
    const { win } = open();
    const preventDefault = vi.fn();
    win.webContents.emit('will-attach-webview', { preventDefault }, {}, {});
    expect(preventDefault).toHaveBeenCalled();
  });

  it('retries loading when the server cannot be reached', () => {
    vi.useFakeTimers();
    try {
      const { win } = open();
      win.webContents.emit('did-fail-load', {}, -102, 'ERR_CONNECTION_REFUSED', `${ORIGIN}/`, true);
      expect(win.loadURL).toHaveBeenCalledTimes(1);
      vi.runOnlyPendingTimers();
      expect(win.loadURL).toHaveBeenCalledTimes(2);
      expect(win.loadURL).toHaveBeenLastCalledWith(`${ORIGIN}/`);
    } finally {
      vi.useRealTimers();
    }
  });
});
