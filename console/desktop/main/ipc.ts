import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import { channels, type ChannelName } from '../common/ipc-channels';
import type { DesktopApi, DesktopConfig } from '../common/desktop-api';
import { isSameOrigin, openExternalChecked } from './security';

/** Runtime argument schemas, one per channel: the renderer is web content and is not trusted. */
export const argSchemas = {
  getConfig: z.tuple([]),
  notify: z.tuple([z.string().min(1).max(200), z.string().max(1000), z.number().int().positive().optional()]),
  openExternal: z.tuple([z.string().min(1).max(2048)]),
} as const satisfies Record<ChannelName, z.ZodTuple>;

export interface IpcContext {
  /** the console window, or null before it exists / after it closed */
  window: () => BrowserWindow | null;
  serverOrigin: string;
}

/**
 * True only for the main frame of our window while it shows the console server's origin. This
 * rejects IPC from sub-frames, other windows and pages the window was somehow navigated to.
 */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, ctx: IpcContext): boolean {
  const win = ctx.window();
  if (!win || win.isDestroyed() || event.sender !== win.webContents) return false;
  const frame = event.senderFrame;
  const main = event.sender.mainFrame;
  if (!frame || !main || frame.parent !== null) return false;
  if (frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
  return isSameOrigin(frame.url, ctx.serverOrigin);
}

export class IpcRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IpcRejected';
  }
}

type Handlers = { [K in ChannelName]: (...args: z.infer<(typeof argSchemas)[K]>) => ReturnType<DesktopApi[K]> | Awaited<ReturnType<DesktopApi[K]>> };

/** The one way main registers IPC: sender check, then zod validation, then the handler. */
export function handle<K extends ChannelName>(ipcMain: Pick<IpcMain, 'handle'>, name: K, ctx: IpcContext, handler: Handlers[K]): void {
  const schema: z.ZodTuple = argSchemas[name];
  ipcMain.handle(channels[name], async (event, ...args: unknown[]) => {
    if (!isTrustedSender(event, ctx)) throw new IpcRejected(`${channels[name]}: sender rejected`);
    const parsed = schema.safeParse(args);
    if (!parsed.success) throw new IpcRejected(`${channels[name]}: invalid arguments`);
    return (handler as (...a: unknown[]) => unknown)(...(parsed.data as unknown[]));
  });
}

export interface IpcDeps {
  config: () => DesktopConfig;
  notify: (title: string, body: string, ticketId: number | undefined) => void;
  openExternal: (url: string) => Promise<void>;
}

export function setupIpc(ipcMain: Pick<IpcMain, 'handle'>, ctx: IpcContext, deps: IpcDeps): void {
  handle(ipcMain, 'getConfig', ctx, async () => deps.config());
  handle(ipcMain, 'notify', ctx, async (title, body, ticketId) => deps.notify(title, body, ticketId));
  handle(ipcMain, 'openExternal', ctx, async (url) => openExternalChecked(url, ctx.serverOrigin, deps.openExternal));
}
