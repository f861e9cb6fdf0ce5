import type { Session, WebContents } from 'electron';
import { HEADER_ONLY_CSP_DIRECTIVES, PAGE_CSP_DIRECTIVES } from '../common/csp';

/**
 * The window shows one origin: the console server's. Everything else is refused here, in the
 * main process, whatever the page does (Electron security checklist items 5, 7, 13, 14, 15).
 */

export function isSameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/** An http(s) URL without credentials, or null: the only kind of URL the shell loads or hands out. */
export function parseHttpUrl(raw: string): URL | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  return url;
}

/** Only http(s) pages of the console server itself may be handed to the system browser. */
export function isAllowedExternal(url: string, origin: string): boolean {
  return parseHttpUrl(url)?.origin === origin;
}

export type OpenExternal = (url: string) => Promise<void>;

/** shell.openExternal only for http(s) pages of the console server; false when refused. */
export async function openExternalChecked(url: string, origin: string, open: OpenExternal): Promise<boolean> {
  if (!isAllowedExternal(url, origin)) return false;
  await open(url);
  return true;
}

/** Locks one web contents: no popups, no navigation away, no webviews. */
export function guardWebContents(contents: WebContents, origin: string, openExternal: OpenExternal): void {
  contents.setWindowOpenHandler(({ url }) => {
    void openExternalChecked(url, origin, openExternal).catch(() => undefined);
    return { action: 'deny' };
  });
  const stayHome = (event: { preventDefault(): void }, url: string) => {
    if (!isSameOrigin(url, origin)) event.preventDefault();
  };
  contents.on('will-navigate', stayHome);
  contents.on('will-redirect', stayHome);
  contents.on('will-frame-navigate', (event) => {
    if (!isSameOrigin(event.url, origin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Electron approves every permission by default; we allow notifications from our origin only. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications']);

export function setupPermissions(session: Session, origin: string): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const from = details.requestingUrl ?? '';
    callback(ALLOWED_PERMISSIONS.has(permission) && isSameOrigin(from, origin));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => {
    return ALLOWED_PERMISSIONS.has(permission) && isSameOrigin(requestingOrigin, origin);
  });
  session.setDevicePermissionHandler(() => false);
}

/**
 * A backstop for the renderer's CSP meta tag, added to every response from the server. If the
 * server sends its own policy too, the browser enforces both (the stricter wins). Header-only
 * directives (frame-ancestors) live here.
 */
export const BACKSTOP_CSP = [...PAGE_CSP_DIRECTIVES, ...HEADER_ONLY_CSP_DIRECTIVES].join('; ');

export function withBackstopCsp(headers: Record<string, string[] | string> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name] = Array.isArray(value) ? value : [value];
  const existing = Object.keys(out).find((name) => name.toLowerCase() === 'content-security-policy');
  if (existing) out[existing] = [...(out[existing] ?? []), BACKSTOP_CSP];
  else out['Content-Security-Policy'] = [BACKSTOP_CSP];
  return out;
}

export function setupCsp(session: Session, origin: string): void {
  // No URL filter (match patterns and ports are fiddly): the origin check is done here instead.
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isSameOrigin(details.url, origin)) return callback({});
    callback({ responseHeaders: withBackstopCsp(details.responseHeaders) });
  });
}
