// Sandboxed preload (bundled to dist/preload.cjs). It exposes a few named functions, never
// ipcRenderer itself; the main process checks the sender and validates every argument again.
import { contextBridge, ipcRenderer } from 'electron';
import { DESKTOP_API_KEY, type DesktopApi } from '../common/desktop-api';
import { channels, events } from '../common/ipc-channels';

const api: DesktopApi = {
  getConfig: () => ipcRenderer.invoke(channels.getConfig),
  notify: (title, body, ticketId) => ipcRenderer.invoke(channels.notify, String(title), String(body), ...(ticketId === undefined ? [] : [Number(ticketId)])),
  onOpenTicket: (listener) => {
    // Only the ticket id crosses to the page, never the IPC event (it carries the sender).
    const forward = (_event: unknown, ticketId: unknown) => {
      if (typeof ticketId === 'number' && Number.isSafeInteger(ticketId) && ticketId > 0) listener(ticketId);
    };
    ipcRenderer.on(events.openTicket, forward);
    return () => {
      ipcRenderer.removeListener(events.openTicket, forward);
    };
  },
  openExternal: (url) => ipcRenderer.invoke(channels.openExternal, String(url)),
};

contextBridge.exposeInMainWorld(DESKTOP_API_KEY, api);
