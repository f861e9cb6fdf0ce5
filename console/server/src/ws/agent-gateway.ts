import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  AGENT_MESSAGE_TYPES,
  AgentMessage,
  CLOSE_REENROLLED,
  CLOSE_REPLACED,
  MAX_FRAME_BYTES,
  parseFrame,
  PROTOCOL_VERSION,
  type Ack,
  type Command,
  type ServerMessage,
  type TicketRef,
} from '@tillscope/shared';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { AgentRegistry } from '../agents/agent-registry';
import type { IngestBatcher } from '../agents/ingest-batcher';
import type { FailureRateLimiter } from '../auth/rate-limiter';
import { type Logger, withFields } from '../logger';
import { AgentSocketFlow, type AgentSendLimits, type AgentSocketFlowState } from './agent-socket-flow';
import { startHeartbeat } from './heartbeat';
import { closeReason, rejectUpgrade } from './reject-upgrade';
import type { UpgradeAdmission } from './upgrade-admission';

/** RFC 6455: the payload was not consistent with the message type (bad JSON, no usable id). */
export const CLOSE_INVALID_PAYLOAD = 1007;
export const CLOSE_UNSUPPORTED_DATA = 1003;
export { CLOSE_REENROLLED, CLOSE_REPLACED };

interface AgentConnection {
  socket: WebSocket;
  flow: AgentSocketFlow;
  stopHeartbeat: () => void;
}

export interface AgentGatewayDeps {
  registry: AgentRegistry;
  ingest: IngestBatcher;
  /**
   * Failed agent logins, counted per source address and per claimed agent id. Over the limit,
   * a wrong credential is answered 429; a valid one is always accepted (see handleUpgrade).
   */
  authFailures: FailureRateLimiter;
  /** Upgrades above this rate are answered 503 + Retry-After before any authentication work. */
  admission: UpgradeAdmission;
  /** Outgoing-buffer bounds of each agent socket (createConsoleServices fills in DEFAULT_AGENT_SEND_LIMITS). */
  sendLimits: AgentSendLimits;
  logger: Logger;
  now: () => Date;
  heartbeatIntervalMs: number;
}

/** The bearer credential of an upgrade request, '' when there is none. */
function bearerCredential(request: IncomingMessage): string {
  const header = request.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
}

/** The agent id a credential `<agentId>.<secret>` claims to be; undefined when it is not of that shape. */
function claimedAgentId(credential: string): string | undefined {
  const dot = credential.indexOf('.');
  return dot > 0 && dot <= 64 ? credential.slice(0, dot) : undefined;
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
  private readonly paused = new Set<AgentSocketFlow>();
  private stopping = false;

  constructor(private readonly deps: AgentGatewayDeps) {
    deps.ingest.onDrained(() => {
      for (const flow of this.paused) flow.resumeForIngest();
      this.paused.clear();
    });
  }

  isConnected(agentId: string): boolean {
    return this.connections.has(agentId);
  }

  /**
   * Order matters: admission first (a 503 costs no database work), then the credential. A valid
   * credential is accepted even from an address or for an id over the failure limit: agents of
   * one store share one address, and a secret of 32 random bytes is not guessed by retrying, so
   * the limit only spares the server the work and the logs of wrong ones.
   */
  async handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const { registry, admission } = this.deps;
    const admitted = admission.admit();
    if (!admitted.admitted) {
      rejectUpgrade(socket, 503, { ok: false, code: 'busy', message: 'too many agents connecting; retry after the given seconds' }, {
        'Retry-After': String(admitted.retryAfterSec),
      });
      return;
    }
    const credential = bearerCredential(request);
    const agent = credential ? await registry.authenticate(credential) : undefined;
    if (!agent) {
      this.refuseCredential(socket, request.socket.remoteAddress ?? 'unknown', claimedAgentId(credential));
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

  /** Agent upgrades admitted and answered 503 since start. */
  admissionStats(): { admitted: number; refused: number } {
    return this.deps.admission.stats();
  }

  /** The flow-control state of an agent's live socket (diagnostics and tests); undefined when not connected. */
  socketFlow(agentId: string): AgentSocketFlowState | undefined {
    return this.connections.get(agentId)?.flow.state();
  }

  /** Sends one server message to a connected agent; false when it is not connected (or being dropped for not reading). */
  send(agentId: string, message: ServerMessage): boolean {
    const connection = this.connections.get(agentId);
    return connection ? connection.flow.send(JSON.stringify(message)) : false;
  }

  sendTicketUpdate(agentId: string, reportId: string, ticket: TicketRef): boolean {
    return this.send(agentId, { v: PROTOCOL_VERSION, type: 'ticket_update', id: serverMessageId(), ts: this.deps.now().toISOString(), payload: { reportId, ticket } });
  }

  /** Sends an allow-listed command (actions/action-queue.ts builds it); false when the agent is not connected. */
  sendCommand(agentId: string, payload: Command['payload']): boolean {
    return this.send(agentId, { v: PROTOCOL_VERSION, type: 'command', id: payload.commandId, ts: this.deps.now().toISOString(), payload });
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

  private refuseCredential(socket: Duplex, ip: string, claimedId: string | undefined): void {
    const { authFailures, logger } = this.deps;
    const keys = [`agent:${ip}`, ...(claimedId ? [`agent-id:${claimedId}`] : [])];
    if (keys.some((key) => authFailures.isBlocked(key))) {
      rejectUpgrade(socket, 429, { ok: false, code: 'rate_limited', message: 'too many failed agent logins; try later' });
      return;
    }
    for (const key of keys) authFailures.recordFailure(key);
    logger.warn('ws/agent', withFields('agent upgrade refused', { ip, claimedId }));
    rejectUpgrade(socket, 401, { ok: false, code: 'unauthorized', message: 'missing or wrong agent credential' });
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
    const flow = new AgentSocketFlow(socket, this.deps.sendLimits, (why, bufferedAmount) => {
      logger.warn('ws/agent', withFields('agent not reading its socket; closing with 4008', { agentId, why, bufferedAmount }));
    });
    const connection: AgentConnection = { socket, flow, stopHeartbeat: startHeartbeat(socket, this.deps.heartbeatIntervalMs) };
    this.connections.set(agentId, connection);
    logger.info('ws/agent', withFields('agent connected', { agentId }));

    // An oversized frame makes ws emit 'error' and close with 1009; without a listener it would throw.
    socket.on('error', (error) => logger.warn('ws/agent', withFields('agent socket error', { agentId, error: error.message })));
    socket.on('message', (data, isBinary) => {
      if (flow.closing) return;
      this.onFrame(agentId, connection, data, isBinary);
      if (this.deps.ingest.overloaded && !this.paused.has(flow)) {
        flow.pauseForIngest();
        this.paused.add(flow);
      }
    });
    socket.on('close', (code) => {
      connection.stopHeartbeat();
      flow.dispose();
      this.paused.delete(flow);
      logger.info('ws/agent', withFields('agent disconnected', { agentId, code }));
      if (this.connections.get(agentId) !== connection) return; // replaced: the new one owns the state
      this.connections.delete(agentId);
      if (this.stopping) return;
      void this.deps.ingest.connection(agentId, false);
    });

    void this.deps.ingest.connection(agentId, true);
  }

  /** Never throws: a bad frame or a failing handler affects this one message or this one socket only. */
  private onFrame(agentId: string, { socket, flow }: AgentConnection, data: RawData, isBinary: boolean): void {
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
      this.sendAck(flow, { ackOf: parsed.id, ok: false, code: parsed.code, message: parsed.message.slice(0, 500) });
      return;
    }
    // No ack when its effect failed: the agent drops a message on ok=false, but an unacked one
    // stays in its outbox and is resent, so a transient failure loses nothing. The same holds
    // for an ack whose socket closed meanwhile: it is dropped, the agent resends.
    void this.deps.ingest.submit(agentId, parsed.value).then((ack) => {
      if (ack) this.sendAck(flow, ack);
    });
  }

  private sendAck(flow: AgentSocketFlow, payload: Ack['payload']): void {
    const ack: Ack = { v: PROTOCOL_VERSION, type: 'ack', id: serverMessageId(), ts: this.deps.now().toISOString(), payload };
    flow.send(JSON.stringify(ack));
  }
}
