import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { startHeartbeat } from './heartbeat';

const INTERVAL_MS = 20;

/** A real server/client pair on loopback; `server` is the server's side of the one connection. */
async function connectedPair(): Promise<{ server: WebSocket; client: WebSocket; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(wss, 'listening');
  const accepted = once(wss, 'connection') as Promise<[WebSocket]>;
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  await once(client, 'open');
  const [server] = await accepted;
  return {
    server,
    client,
    close: async () => {
      client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

describe('startHeartbeat', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('keeps a socket the server itself stopped reading: its pongs are unread, not missing', async () => {
    const { server, client, close } = await connectedPair();
    cleanups.push(close);
    server.pause(); // as the gateway does while the ingest queue is full
    const stop = startHeartbeat(server, INTERVAL_MS);
    cleanups.push(stop);
    await sleep(INTERVAL_MS * 10);
    expect(server.readyState).toBe(WebSocket.OPEN);
    expect(client.readyState).toBe(WebSocket.OPEN);
  });

  it('still terminates a peer that stops answering once reading resumes', async () => {
    const { server, client, close } = await connectedPair();
    cleanups.push(close);
    server.pause();
    const stop = startHeartbeat(server, INTERVAL_MS);
    cleanups.push(stop);
    await sleep(INTERVAL_MS * 4);
    // The peer goes silent (its socket stops reading, so no pong is ever sent) and the server reads again.
    (client as unknown as { _socket: { pause(): void } })._socket.pause();
    server.resume();
    const [code] = (await once(server, 'close')) as [number];
    expect(code).toBe(1006);
  });
});
