import { createServer, Socket, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { describeTransportContract } from '../transport-contract';
import { openTcpTransport } from './tcp-transport';

interface Listening {
  server: Server;
  port: number;
  sockets: Socket[];
  received: number[];
}

async function listen(): Promise<Listening> {
  const state: Listening = { server: createServer(), port: 0, sockets: [], received: [] };
  state.server.on('connection', (socket) => {
    state.sockets.push(socket);
    socket.on('data', (chunk) => state.received.push(...chunk));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  const address = state.server.address();
  state.port = typeof address === 'object' && address ? address.port : 0;
  return state;
}

const target = (port: number, connectTimeoutMs = 1500) => ({ kind: 'tcp' as const, host: '127.0.0.1', port, connectTimeoutMs });

describeTransportContract('TCP (loopback server)', async () => {
  const listening = await listen();
  const port = await openTcpTransport(target(listening.port));
  while (listening.sockets.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  const peer = listening.sockets[0]!;
  return {
    port,
    peer: {
      send: (bytes) => new Promise<void>((resolve) => peer.write(Uint8Array.from(bytes), () => resolve())),
      received: () => listening.received,
      vanish: () => {
        peer.destroy();
      },
    },
    teardown: () => new Promise<void>((resolve) => listening.server.close(() => resolve())),
  };
});

describe('openTcpTransport failures', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  it('maps ECONNREFUSED to cannot_connect with plain words', async () => {
    const listening = await listen();
    const port = listening.port;
    await new Promise((resolve) => listening.server.close(resolve));
    await expect(openTcpTransport(target(port))).rejects.toMatchObject({
      name: 'TransportError',
      code: 'cannot_connect',
      message: `cannot connect to 127.0.0.1:${port}: connection refused (nothing listens on that port, or the printer is busy)`,
    });
  });

  it('maps a connect that never completes to cannot_connect after the target timeout', async () => {
    const hanging = () => new Socket(); // never connected, never errors
    await expect(openTcpTransport(target(9100, 50), undefined, { connect: hanging })).rejects.toMatchObject({
      code: 'cannot_connect',
      message: 'cannot connect to 127.0.0.1:9100: no answer within 50 ms',
    });
  });

  it('maps EHOSTUNREACH to cannot_connect', async () => {
    const unreachable = () => {
      const socket = new Socket();
      process.nextTick(() => socket.emit('error', Object.assign(new Error('connect EHOSTUNREACH'), { code: 'EHOSTUNREACH' })));
      return socket;
    };
    await expect(openTcpTransport(target(9100), undefined, { connect: unreachable })).rejects.toMatchObject({
      code: 'cannot_connect',
      message: 'cannot connect to 127.0.0.1:9100: host unreachable',
    });
  });

  it('an aborted signal rejects with canceled', async () => {
    const controller = new AbortController();
    const pending = openTcpTransport(target(9100), controller.signal, { connect: () => new Socket() });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'canceled' });
  });

  it('close() ends the connection so the printer port is free again', async () => {
    const listening = await listen();
    servers.push(listening.server);
    const port = await openTcpTransport(target(listening.port));
    while (listening.sockets.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const serverSide = listening.sockets[0]!;
    const ended = new Promise<void>((resolve) => serverSide.once('end', () => resolve()));
    await port.close();
    await ended;
    expect(port.isOpen).toBe(false);
  });
});
