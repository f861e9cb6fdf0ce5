import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import { setupIpc } from './ipc';
import { showNotification } from './notify';
import { guardWebContents, setupCsp, setupPermissions } from './security';
import { loadSettings, type DesktopSettings } from './settings';
import { createMainWindow } from './window';

export interface Bootstrapped {
  settings: () => DesktopSettings | null;
  window: () => BrowserWindow | null;
  ready: Promise<void>;
}

/** Wires the desktop shell: one window on the console server, locked down, with a tiny IPC API. */
export function bootstrap(options: { preloadPath?: string; env?: Record<string, string | undefined> } = {}): Bootstrapped {
  const env = options.env ?? process.env;
  const preloadPath = options.preloadPath ?? join(__dirname, 'preload.cjs');
  let settings: DesktopSettings | null = null;
  let win: BrowserWindow | null = null;

  app.enableSandbox();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { settings: () => null, window: () => null, ready: Promise.resolve() };
  }
  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  const openExternal = (url: string) => shell.openExternal(url);

  // Every web contents, including any the page manages to create, gets the same locks.
  app.on('web-contents-created', (_event, contents) => {
    if (settings) guardWebContents(contents, settings.serverOrigin, openExternal);
  });

  const open = () => {
    if (!settings) return;
    win = createMainWindow({ serverUrl: settings.serverUrl, serverOrigin: settings.serverOrigin, preloadPath, openExternal });
    win.on('closed', () => {
      win = null;
    });
  };

  const ready = app.whenReady().then(() => {
    settings = loadSettings(app.getPath('userData'), env);
    for (const warning of settings.warnings) console.warn(`tillscope: ${warning}`);
    const origin = settings.serverOrigin;
    setupPermissions(session.defaultSession, origin);
    setupCsp(session.defaultSession, origin);
    setupIpc(
      ipcMain,
      { window: () => win, serverOrigin: origin },
      {
        config: () => ({ serverOrigin: origin, appVersion: app.getVersion(), platform: process.platform }),
        notify: (title, body, ticketId) => showNotification(title, body, win, ticketId),
        openExternal,
      },
    );
    open();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) open();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  return { settings: () => settings, window: () => win, ready };
}
