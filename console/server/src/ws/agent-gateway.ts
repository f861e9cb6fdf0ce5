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
import type { AgentMessageHandler } from '../agents/agent-message-handler';
import type { AgentRegistry } from '../agents/agent-registry';
import type { FailureRateLimiter } from '../auth/rate-limiter';
import type { ConsoleDatabase } from '../db/console-database';
import { type Logger, withFields } from '../logger';
import { ChangeSet, type ChangeBus } from '../tickets/change-set';
import type { TicketEngine } from '../tickets/ticket-engine';
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
  /** Messages of one agent are handled one after another, so acks and effects keep its order. */
  queue: Promise<void>;
  stopHeartbeat: () => void;
}

export interface AgentGatewayDeps {
  db: ConsoleDatabase;
  registry: AgentRegistry;
  handler: AgentMessageHandler;
  engine: TicketEngine;
  bus: ChangeBus;
  authFailures: FailureRateLimiter;
  logger: Logger;
  now: () => Date;
  heartbeatIntervalMs: number;
}

function serverMessageId(): string {
  return `srv-${randomUUID()}`;
}

/** `/ws/agent`: authenticates agents on upgrade, parses every frame, acks after commit. */
export class AgentGateway {
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  private readonly connections = new Map<string, AgentConnection>();
  private stopping = false;

  constructor(private readonly deps: AgentGatewayDeps) {}

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
    if (this.stopping || socket.destroyed) return;
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
    const connection: AgentConnection = {
      socket,
      queue: Promise.resolve(),
      stopHeartbeat: startHeartbeat(socket, this.deps.heartbeatIntervalMs),
    };
    this.connections.set(agentId, connection);
    logger.info('ws/agent', withFields('agent connected', { agentId }));

    // An oversized frame makes ws emit 'error' and close with 1009; without a listener it would throw.
    socket.on('error', (error) => logger.warn('ws/agent', withFields('agent socket error', { agentId, error: error.message })));
    socket.on('message', (data, isBinary) => {
      connection.queue = connection.queue.then(() => this.onFrame(agentId, socket, data, isBinary));
    });
    socket.on('close', (code) => {
      connection.stopHeartbeat();
      logger.info('ws/agent', withFields('agent disconnected', { agentId, code }));
      if (this.connections.get(agentId) !== connection) return; // replaced: the new one owns the state
      this.connections.delete(agentId);
      if (this.stopping) return;
      this.deps.registry
        .markDisconnected(agentId)
        .then(() => {
          const changes = new ChangeSet();
          changes.registers.add(agentId);
          this.deps.bus.publish(changes);
        })
        .catch((error: unknown) => logger.error('ws/agent', withFields('could not record disconnect', { agentId, error: String(error) })));
    });

    this.recordConnected(agentId).catch((error: unknown) => logger.error('ws/agent', withFields('could not record connect', { agentId, error: String(error) })));
  }

  private async recordConnected(agentId: string): Promise<void> {
    const changes = new ChangeSet();
    await this.deps.db.write(async (sql) => {
      await this.deps.registry.markConnected(sql, agentId);
      await this.deps.engine.agentReconnected(sql, agentId, changes);
    });
    changes.registers.add(agentId);
    this.deps.bus.publish(changes);
  }

  /** Never throws: a bad frame or a failing handler affects this one message or this one socket only. */
  private async onFrame(agentId: string, socket: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
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
    const message = parsed.value;
    try {
      const ack = await this.deps.handler.handle(agentId, message);
      this.sendAck(socket, ack);
    } catch (error) {
      // Deliberately no ack: the transaction rolled back, and the agent drops a message on ok=false.
      // Unacked, it stays in the agent's outbox and is resent, so a transient failure loses nothing.
      logger.error('ws/agent', withFields('agent message failed; left unacked for a resend', { agentId, type: message.type, id: message.id, error: String(error) }));
    }
  }

  private sendAck(socket: WebSocket, payload: Ack['payload']): void {
    if (socket.readyState !== socket.OPEN) return;
    const ack: Ack = { v: PROTOCOL_VERSION, type: 'ack', id: serverMessageId(), ts: this.deps.now().toISOString(), payload };
    socket.send(JSON.stringify(ack));
  }
}
