// Sandboxed preload (bundled to dist/preload.cjs). It exposes a few named functions, never
// ipcRenderer itself; the main process checks the sender and validates every argument again.
import { contextBridge, ipcRenderer } from 'electron';
import { DESKTOP_API_KEY, type DesktopApi } from '../common/desktop-api';
import { channels } from '../common/ipc-channels';

const api: DesktopApi = {
  getConfig: () => ipcRenderer.invoke(channels.getConfig),
  notify: (title, body) => ipcRenderer.invoke(channels.notify, String(title), String(body)),
  openExternal: (url) => ipcRenderer.invoke(channels.openExternal, String(url)),
};

contextBridge.exposeInMainWorld(DESKTOP_API_KEY, api);
