import { BrowserWindow, type WebPreferences } from 'electron';
import { guardWebContents, type OpenExternal } from './security';

/** Electron security checklist items 2–4, 6, 8–11: the renderer is web content, nothing more. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

export interface MainWindowOptions {
  serverUrl: string;
  serverOrigin: string;
  preloadPath: string;
  openExternal: OpenExternal;
}

/** Delay before reloading when the server cannot be reached. */
const LOAD_RETRY_MS = 5_000;

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Tillscope',
    backgroundColor: '#f5f6f8',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(options.preloadPath),
  });
  guardWebContents(win.webContents, options.serverOrigin, options.openExternal);
  win.once('ready-to-show', () => win.show());

  // The console server may start after the desktop app (or restart): keep retrying the load.
  let retry: ReturnType<typeof setTimeout> | null = null;
  win.webContents.on('did-fail-load', (_event, errorCode, _description, _url, isMainFrame) => {
    if (!isMainFrame || errorCode === -3 /* ERR_ABORTED: a navigation replaced it */) return;
    if (!win.isVisible()) win.show();
    if (retry) clearTimeout(retry);
    retry = setTimeout(() => {
      retry = null;
      if (!win.isDestroyed()) void win.loadURL(options.serverUrl).catch(() => undefined);
    }, LOAD_RETRY_MS);
  });
  win.on('closed', () => {
    if (retry) clearTimeout(retry);
  });

  void win.loadURL(options.serverUrl).catch(() => undefined); // failures surface via did-fail-load
  return win;
}
