import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  AGENT_MESSAGE_TYPES,
  AgentMessage,
  MAX_FRAME_BYTES,
  parseFrame,
  PROTOCOL_VERSION,
  type Ack,
  type CommandVerb,
  type ServerMessage,
  type TicketRef,
} from '@tillscope/shared';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { AgentRegistry } from '../agents/agent-registry';
import type { IngestBatcher } from '../agents/ingest-batcher';
import type { FailureRateLimiter } from '../auth/rate-limiter';
import { type Logger, withFields } from '../logger';
import { startHeartbeat } from './heartbeat';
import { closeReason, rejectUpgrade } from './reject-upgrade';

/** RFC 6455: the payload was not consistent with the message type (bad JSON, no usable id). */
export const CLOSE_INVALID_PAYLOAD = 1007;
export const CLOSE_UNSUPPORTED_DATA = 1003;
/** Private-range close code: a newer connection of the same agent took over. */
export const CLOSE_REPLACED = 4000;
/** Private-range close code: the agent's credential was replaced by a new enrollment. */
export const CLOSE_REENROLLED = 4001;

interface AgentConnection {
  socket: WebSocket;
  stopHeartbeat: () => void;
}

export interface AgentGatewayDeps {
  registry: AgentRegistry;
  ingest: IngestBatcher;
  authFailures: FailureRateLimiter;
  logger: Logger;
  now: () => Date;
  heartbeatIntervalMs: number;
}

function serverMessageId(): string {
  return `srv-${randomUUID()}`;
}

/**
 * `/ws/agent`: authenticates agents on upgrade, parses every frame, hands it to the ingest batcher
 * and acks after its batch committed. Frames of one socket are submitted in arrival order and the
 * batcher keeps one agent's messages in order, so acks go out in order too.
 */
export class AgentGateway {
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  private readonly connections = new Map<string, AgentConnection>();
  /** Sockets not read while the ingest queue is over its high-water mark (TCP pushes back on the agents). */
  private readonly paused = new Set<WebSocket>();
  private stopping = false;

  constructor(private readonly deps: AgentGatewayDeps) {
    deps.ingest.onDrained(() => {
      for (const socket of this.paused) socket.resume();
      this.paused.clear();
    });
  }

  isConnected(agentId: string): boolean {
    return this.connections.has(agentId);
  }

  async handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const { authFailures, registry, logger } = this.deps;
    const ip = request.socket.remoteAddress ?? 'unknown';
    if (authFailures.isBlocked(`agent:${ip}`)) {
      rejectUpgrade(socket, 429, { ok: false, code: 'rate_limited', message: 'too many failed agent logins; try later' });
      return;
    }
    const header = request.headers.authorization ?? '';
    const credential = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
    const agent = credential ? await registry.authenticate(credential) : undefined;
    if (!agent) {
      authFailures.recordFailure(`agent:${ip}`);
      logger.warn('ws/agent', withFields('agent upgrade refused', { ip }));
      rejectUpgrade(socket, 401, { ok: false, code: 'unauthorized', message: 'missing or wrong agent credential' });
      return;
    }
    if (this.stopping) {
      // Not left hanging: an upgraded socket is no longer the HTTP server's to close, so a socket
      // dropped here would stay open until the process exits and stall the agent's reconnect.
      socket.destroy();
      return;
    }
    if (socket.destroyed) return;
    this.server.handleUpgrade(request, socket, head, (ws) => this.onConnection(ws, agent.id));
  }

  /** Sends one server message to a connected agent; false when it is not connected. */
  send(agentId: string, message: ServerMessage): boolean {
    const connection = this.connections.get(agentId);
    if (!connection || connection.socket.readyState !== connection.socket.OPEN) return false;
    connection.socket.send(JSON.stringify(message));
    return true;
  }

  sendTicketUpdate(agentId: string, reportId: string, ticket: TicketRef): boolean {
    return this.send(agentId, { v: PROTOCOL_VERSION, type: 'ticket_update', id: serverMessageId(), ts: this.deps.now().toISOString(), payload: { reportId, ticket } });
  }

  /** Sends an allow-listed command; false when the agent is not connected. */
  sendCommand(agentId: string, verb: CommandVerb, commandId: string, deviceId?: string): boolean {
    return this.send(agentId, {
      v: PROTOCOL_VERSION,
      type: 'command',
      id: commandId,
      ts: this.deps.now().toISOString(),
      payload: { commandId, verb, ...(deviceId ? { deviceId } : {}) },
    });
  }

  /** Drops the live connection of an agent whose credential was just replaced. */
  disconnect(agentId: string, code: number, reason: string): void {
    this.connections.get(agentId)?.socket.close(code, reason);
  }

  async close(): Promise<void> {
    this.stopping = true;
    for (const connection of this.connections.values()) {
      connection.stopHeartbeat();
      connection.socket.terminate();
    }
    this.connections.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onConnection(socket: WebSocket, agentId: string): void {
    const { logger } = this.deps;
    const previous = this.connections.get(agentId);
    if (previous) {
      // One connection per agent: the newest wins (the old one is usually a half-dead TCP session).
      previous.stopHeartbeat();
      previous.socket.close(CLOSE_REPLACED, 'replaced: a newer connection of this agent');
      previous.socket.terminate();
    }
    const connection: AgentConnection = { socket, stopHeartbeat: startHeartbeat(socket, this.deps.heartbeatIntervalMs) };
    this.connections.set(agentId, connection);
    logger.info('ws/agent', withFields('agent connected', { agentId }));

    // An oversized frame makes ws emit 'error' and close with 1009; without a listener it would throw.
    socket.on('error', (error) => logger.warn('ws/agent', withFields('agent socket error', { agentId, error: error.message })));
    socket.on('message', (data, isBinary) => {
      this.onFrame(agentId, socket, data, isBinary);
      if (this.deps.ingest.overloaded && !this.paused.has(socket)) {
        socket.pause();
        this.paused.add(socket);
      }
    });
    socket.on('close', (code) => {
      connection.stopHeartbeat();
      this.paused.delete(socket);
      logger.info('ws/agent', withFields('agent disconnected', { agentId, code }));
      if (this.connections.get(agentId) !== connection) return; // replaced: the new one owns the state
      this.connections.delete(agentId);
      if (this.stopping) return;
      void this.deps.ingest.connection(agentId, false);
    });

    void this.deps.ingest.connection(agentId, true);
  }

  /** Never throws: a bad frame or a failing handler affects this one message or this one socket only. */
  private onFrame(agentId: string, socket: WebSocket, data: RawData, isBinary: boolean): void {
    const { logger } = this.deps;
    if (isBinary) {
      socket.close(CLOSE_UNSUPPORTED_DATA, closeReason('bad_request', 'binary frames are not accepted'));
      return;
    }
    const raw = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    const parsed = parseFrame(raw, AgentMessage, AGENT_MESSAGE_TYPES);
    if (!parsed.ok) {
      if (parsed.id === undefined || parsed.code === 'malformed_json') {
        logger.warn('ws/agent', withFields('agent frame unusable; closing', { agentId, code: parsed.code }));
        socket.close(CLOSE_INVALID_PAYLOAD, closeReason(parsed.code, parsed.message));
        return;
      }
      this.sendAck(socket, { ackOf: parsed.id, ok: false, code: parsed.code, message: parsed.message.slice(0, 500) });
      return;
    }
    // No ack when its effect failed: the agent drops a message on ok=false, but an unacked one
    // stays in its outbox and is resent, so a transient failure loses nothing.
    void this.deps.ingest.submit(agentId, parsed.value).then((ack) => {
      if (ack) this.sendAck(socket, ack);
    });
  }

  private sendAck(socket: WebSocket, payload: Ack['payload']): void {
    if (socket.readyState !== socket.OPEN) return;
    const ack: Ack = { v: PROTOCOL_VERSION, type: 'ack', id: serverMessageId(), ts: this.deps.now().toISOString(), payload };
    socket.send(JSON.stringify(ack));
  }
}
