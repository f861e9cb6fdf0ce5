import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CLOSE_TOO_SLOW, PROTOCOL_VERSION, type FeedMessage } from '@tillscope/shared';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SessionUser } from '../auth/user-store';
import { type Logger, withFields } from '../logger';
import type { ChangeSet } from '../tickets/change-set';
import type { TicketViews } from '../tickets/ticket-views';
import { startHeartbeat } from './heartbeat';
import { rejectUpgrade } from './reject-upgrade';

/** A client this far behind is not reading; it is dropped rather than buffered without bound. */
const FEED_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface FeedGatewayDeps {
  sessionUser: (request: IncomingMessage) => Promise<SessionUser | undefined>;
  /** Extra origins allowed besides the server's own (e.g. the Electron app's `app://tillscope`). */
  allowedOrigins: readonly string[];
  views: TicketViews;
  logger: Logger;
  heartbeatIntervalMs: number;
}

/** `/ws/feed`: pushes ticket and register changes to logged-in console clients. Receives nothing. */
export class FeedGateway {
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024, perMessageDeflate: false });
  private readonly clients = new Map<WebSocket, () => void>();

  constructor(private readonly deps: FeedGatewayDeps) {}

  async handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    // Without this check any web page could open the feed with the engineer's cookie (cross-site WebSocket hijacking).
    const origin = request.headers.origin;
    const ownOrigins = [`http://${request.headers.host}`, `https://${request.headers.host}`];
    if (origin !== undefined && !ownOrigins.includes(origin) && !this.deps.allowedOrigins.includes(origin)) {
      rejectUpgrade(socket, 403, { ok: false, code: 'forbidden', message: 'origin not allowed' });
      return;
    }
    const user = await this.deps.sessionUser(request);
    if (!user) {
      rejectUpgrade(socket, 401, { ok: false, code: 'unauthorized', message: 'log in first' });
      return;
    }
    if (socket.destroyed) return;
    this.server.handleUpgrade(request, socket, head, (ws) => {
      const stopHeartbeat = startHeartbeat(ws, this.deps.heartbeatIntervalMs);
      this.clients.set(ws, stopHeartbeat);
      ws.on('error', (error) => this.deps.logger.warn('ws/feed', withFields('feed socket error', { error: error.message })));
      ws.on('close', () => {
        stopHeartbeat();
        this.clients.delete(ws);
      });
    });
  }

  /** Change listener: one message per changed ticket and register, read after commit. */
  readonly onChanges = async (changes: ChangeSet): Promise<void> => {
    if (this.clients.size === 0) return;
    for (const summary of await this.deps.views.summaries([...changes.tickets])) {
      this.broadcast({ v: PROTOCOL_VERSION, type: 'ticket', payload: summary });
    }
    for (const register of await this.deps.views.registers([...changes.registers])) {
      this.broadcast({ v: PROTOCOL_VERSION, type: 'register', payload: register });
    }
  };

  broadcast(message: FeedMessage): void {
    const text = JSON.stringify(message);
    for (const client of this.clients.keys()) {
      if (client.readyState !== client.OPEN) continue;
      if (client.bufferedAmount > FEED_MAX_BUFFERED_BYTES) {
        this.deps.logger.warn('ws/feed', withFields('feed client too slow; dropping it', { bufferedAmount: client.bufferedAmount }));
        client.close(CLOSE_TOO_SLOW, 'too_slow: reload to resync');
        client.terminate();
        continue;
      }
      client.send(text);
    }
  }

  async close(): Promise<void> {
    for (const [client, stopHeartbeat] of this.clients) {
      stopHeartbeat();
      client.terminate();
    }
    this.clients.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
