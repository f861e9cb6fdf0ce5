// Every IPC channel between the console window and the main process, in one table.
// Renderer → main only (invoke/handle); main never pushes to the renderer today.
// Keep this file free of runtime dependencies: the sandboxed preload bundles it.

export const channels = {
  getConfig: 'tillscope:get-config',
  notify: 'tillscope:notify',
  openExternal: 'tillscope:open-external',
} as const;

export type ChannelName = keyof typeof channels;
export type Channel = (typeof channels)[ChannelName];

/** Channels the main process accepts from the renderer: all of them, listed for audit. */
export const inboundChannels = [channels.getConfig, channels.notify, channels.openExternal] as const satisfies readonly Channel[];
