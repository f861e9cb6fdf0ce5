// The API the preload exposes on `window.tillscopeDesktop`. Shared by the preload (which must
// implement it exactly: `const api: DesktopApi = …`) and the renderer (which treats it as
// optional, because browsers load the same renderer without it). Types only: no Electron here.

export interface DesktopConfig {
  /** origin of the console server the window was loaded from, e.g. "http://127.0.0.1:8080" */
  serverOrigin: string;
  appVersion: string;
  platform: string;
}

export interface DesktopApi {
  getConfig(): Promise<DesktopConfig>;
  /** A native notification; clicking it focuses the console window and, given a ticket, opens it (onOpenTicket). */
  notify(title: string, body: string, ticketId?: number): Promise<void>;
  /**
   * Calls `listener` with the ticket of each clicked notification; returns the unsubscribe. Absent
   * in desktop apps built before it: the server serves the renderer, so a newer page may run in an
   * older shell.
   */
  onOpenTicket?(listener: (ticketId: number) => void): () => void;
  /** Opens an http(s) URL of the console server in the system browser; false when refused. */
  openExternal(url: string): Promise<boolean>;
}

/** Property name on `window`; the preload and the renderer both use this constant. */
export const DESKTOP_API_KEY = 'tillscopeDesktop';
