// What the byte-device simulators (ESC/POS, Shtrih-M) share around their byte logic: a TCP server
// with a handler per connection, and their command-line options (TCP, pty, control port).
import { createServer, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { listenOn } from './http-json';

/** One connection's byte handling; `stop` runs when the connection closes. */
export interface ConnectionHandler {
  receive(chunk: Uint8Array): void;
  stop(): void;
}

export interface TcpDeviceServer {
  port: number;
  /** connections accepted so far */
  connections(): number;
  /** connections open right now: a probe that forgot to close shows up here */
  openConnections(): number;
  close(): Promise<void>;
}

/**
 * Listens on host:port (0 = any free port). `onConnection` gets each socket's writer and returns
 * its handler, or undefined to drop the connection at once without a byte.
 */
export async function serveTcp(host: string, port: number, onConnection: (write: (bytes: readonly number[]) => void) => ConnectionHandler | undefined): Promise<TcpDeviceServer> {
  const open = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    // A device answers at once: Nagle would hold a reply written right after an ACK byte until
    // the peer's delayed ACK (~40 ms on Linux), which real registers do not do.
    socket.setNoDelay(true);
    const handler = onConnection((bytes) => {
      if (!socket.destroyed) socket.write(Uint8Array.from(bytes));
    });
    if (!handler) {
      socket.destroy();
      return;
    }
    open.add(socket);
    socket.on('data', (chunk: Buffer) => handler.receive(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      open.delete(socket);
      handler.stop();
    });
  });
  const bound = await listenOn(server, host, port);
  return {
    port: bound,
    connections: () => accepted,
    openConnections: () => open.size,
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A `--name` port option: undefined when absent, an Error for anything but 0..65535. */
export function portOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name} must be a port number 0..65535, got "${text}"`);
  return n;
}

/** Where a simulator serves, from its command line; `json` is its state option's text, unparsed. */
export interface SimulatorArgs {
  help: boolean;
  /** TCP on host:port; with neither --tcp-port nor --pty given, TCP on the default port */
  tcp?: { host: string; port: number };
  pty: boolean;
  control?: { port: number };
  json?: string;
}

/** Parses `--tcp-port N --tcp-host H --pty --control-port N --<jsonOption> JSON --help`. */
export function parseSimulatorArgs(argv: string[], jsonOption: string, defaultTcpPort: number): SimulatorArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      'tcp-port': { type: 'string' },
      'tcp-host': { type: 'string' },
      pty: { type: 'boolean', default: false },
      'control-port': { type: 'string' },
      [jsonOption]: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const tcpPort = portOption('tcp-port', text('tcp-port'));
  const controlPort = portOption('control-port', text('control-port'));
  const pty = values.pty === true;
  const tcpHost = text('tcp-host');
  const wantsTcp = tcpPort !== undefined || tcpHost !== undefined || !pty;
  const json = text(jsonOption);
  return {
    help: values.help === true,
    pty,
    ...(wantsTcp ? { tcp: { host: tcpHost ?? '127.0.0.1', port: tcpPort ?? defaultTcpPort } } : {}),
    ...(controlPort !== undefined ? { control: { port: controlPort } } : {}),
    ...(json !== undefined ? { json } : {}),
  };
}
