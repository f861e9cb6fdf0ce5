import { DESKTOP_API_KEY, type DesktopApi } from '../../desktop/common/desktop-api';

/** The Electron preload's API when running in the desktop app; undefined in a browser. */
export function desktopApi(): DesktopApi | undefined {
  const api = (globalThis as Record<string, unknown>)[DESKTOP_API_KEY];
  return api && typeof api === 'object' ? (api as DesktopApi) : undefined;
}
