// Every IPC channel between the console window and the main process, in one table.
// Renderer → main: invoke/handle (`channels`). Main → renderer: one event (`events`), sent only
// to the console window's own webContents.
// Keep this file free of runtime dependencies: the sandboxed preload bundles it.

export const channels = {
  getConfig: 'tillscope:get-config',
  notify: 'tillscope:notify',
  openExternal: 'tillscope:open-external',
} as const;

/** Main → renderer: a clicked native notification asks the window to open its ticket (a positive id). */
export const events = {
  openTicket: 'tillscope:open-ticket',
} as const;

export type ChannelName = keyof typeof channels;
export type Channel = (typeof channels)[ChannelName];

/** Channels the main process accepts from the renderer: all of them, listed for audit. */
export const inboundChannels = [channels.getConfig, channels.notify, channels.openExternal] as const satisfies readonly Channel[];
