// A TCP client for simulator tests: connects, keeps every byte it receives, and waits for counts.
import { connect, type Socket } from 'node:net';
import { expect, vi } from 'vitest';

export interface TcpTestClient {
  /** every byte received so far, in order */
  got: number[];
  socket: Socket;
  send(bytes: number[]): boolean;
  /** waits until `count` bytes arrived (the test fails by timeout otherwise) */
  until(count: number): Promise<void>;
  close(): void;
}

export async function tcpTestClient(port: number): Promise<TcpTestClient> {
  const socket = connect({ host: '127.0.0.1', port });
  const got: number[] = [];
  socket.on('data', (chunk) => got.push(...chunk));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return {
    got,
    socket,
    send: (bytes) => socket.write(Uint8Array.from(bytes)),
    until: (count) => vi.waitFor(() => expect(got.length).toBeGreaterThanOrEqual(count), { timeout: 5_000, interval: 5 }),
    close: () => void socket.destroy(),
  };
}
