// Test support: a tiny stand-in for the console server's agent endpoints (enroll + /ws/agent),
// following the server contract. Not used in production code.
import { PROTOCOL_VERSION, type TicketRef } from '@tillscope/shared';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createCredentialStore } from '../credential-store';
import type { Outbox } from '../outbox/outbox';
import { fakeReport } from '../probe-loop/fake-driver';
import { agentMessage, type LinkOptions } from './link';

export interface ReceivedFrame {
  v: number;
  type: string;
  id: string;
  payload: Record<string, unknown>;
}

export interface FakeConsoleServerOptions {
  port?: number;
  tokens?: string[];
  /** Credentials accepted from the start (a restarted console still knows its agents). */
  credentials?: string[];
  /** Ack every non-hello message (default true); a function may add a ticket or refuse. */
  autoAck?: boolean;
  ticketFor?: (frame: ReceivedFrame) => TicketRef | undefined;
  /** Seconds for a 503 + Retry-After answer to the next upgrade, as the console's admission does; undefined admits it. */
  busy?: () => number | undefined;
}

/** The link options every test of the link starts from: register till-1 of store-1, enrollment token 1. */
export function testLinkOptions(server: FakeConsoleServer, dataDir: string, outbox: Outbox): LinkOptions {
  return {
    server: server.url,
    storeId: 'store-1',
    registerId: 'till-1',
    enrollmentToken: 'enroll-token-1',
    hostname: 'till-1.local',
    credentials: createCredentialStore(dataDir),
    outbox,
    hello: () => ({ agentVersion: 'test', os: { platform: 'linux', release: '6', hostname: 'till-1' }, inventory: [], probeIntervalSec: 10 }),
    onCommand: async (command, live) => {
      live(agentMessage('command_result', { commandId: command.commandId, ok: true, devices: [fakeReport('p1')] }));
    },
  };
}

export interface FakeConsoleServer {
  readonly url: string;
  readonly port: number;
  readonly frames: ReceivedFrame[];
  readonly enrollments: { token: string; storeId: string; registerId: string }[];
  readonly upgrades: { authorization: string | undefined; status: number }[];
  autoAck: boolean;
  ticketFor: ((frame: ReceivedFrame) => TicketRef | undefined) | undefined;
  clients(): WebSocket[];
  sendRaw(data: string | Buffer): void;
  send(type: string, payload: unknown): void;
  ack(id: string, extra?: Record<string, unknown>): void;
  revokeAll(): void;
  dropClients(code?: number, reason?: string): void;
  close(): Promise<void>;
}

export async function startFakeConsoleServer(options: FakeConsoleServerOptions = {}): Promise<FakeConsoleServer> {
  const tokens = new Set(options.tokens ?? ['enroll-token-1']);
  const credentials = new Set<string>(options.credentials ?? []);
  const frames: ReceivedFrame[] = [];
  const enrollments: FakeConsoleServer['enrollments'] = [];
  const upgrades: FakeConsoleServer['upgrades'] = [];
  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });

  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/api/agents/enroll') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { token: string; storeId: string; registerId: string };
        enrollments.push(body);
        res.setHeader('content-type', 'application/json');
        if (!tokens.has(body.token)) {
          res.statusCode = 401;
          res.end(JSON.stringify({ ok: false, code: 'token_invalid', message: 'unknown enrollment token' }));
          return;
        }
        const credential = `cred-${randomUUID()}`;
        credentials.add(credential);
        res.end(JSON.stringify({ agentId: `agent-${enrollments.length}`, credential }));
      });
      return;
    }
    res.statusCode = 404;
    res.end();
  });

  server.on('upgrade', (req, socket, head) => {
    // The link terminates a refused upgrade at once: a reset here is expected, not an error.
    socket.on('error', () => undefined);
    const authorization = req.headers.authorization;
    const credential = authorization?.replace(/^Bearer /, '');
    const retryAfter = options.busy?.();
    if (retryAfter !== undefined) {
      upgrades.push({ authorization, status: 503 });
      socket.end(`HTTP/1.1 503 Service Unavailable\r\nRetry-After: ${retryAfter}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    if (req.url !== '/ws/agent' || !credential || !credentials.has(credential)) {
      upgrades.push({ authorization, status: 401 });
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    upgrades.push({ authorization, status: 101 });
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const fake: FakeConsoleServer = {
    url: '',
    port: 0,
    frames,
    enrollments,
    upgrades,
    autoAck: options.autoAck ?? true,
    ticketFor: options.ticketFor,
    clients: () => [...wss.clients],
    sendRaw(data) {
      for (const c of wss.clients) c.send(data);
    },
    send(type, payload) {
      fake.sendRaw(JSON.stringify({ v: PROTOCOL_VERSION, type, id: randomUUID(), ts: new Date().toISOString(), payload }));
    },
    ack(id, extra = {}) {
      fake.send('ack', { ackOf: id, ok: true, ...extra });
    },
    revokeAll() {
      credentials.clear();
    },
    dropClients(code, reason) {
      for (const c of wss.clients) {
        if (code) c.close(code, reason);
        else c.terminate();
      }
    },
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };

  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ReceivedFrame;
      frames.push(frame);
      // Like the console, every message but hello is acked, command_result included (the agent's
      // outbox keeps a result until then); command_started is acked too (the agent ignores it).
      if (frame.type === 'hello' || !fake.autoAck) return;
      const ticket = fake.ticketFor?.(frame);
      fake.ack(frame.id, ticket ? { ticket } : {});
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  Object.assign(fake, { port, url: `http://127.0.0.1:${port}` });
  return fake;
}
