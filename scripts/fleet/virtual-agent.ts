import { randomUUID } from 'node:crypto';
import { MAX_FRAME_BYTES, parseFrame, PROTOCOL_VERSION, ServerMessage, type Ack, type DeviceReport } from '@tillscope/shared';
import WebSocket from 'ws';
import { classifyAttempt, parseRetryAfter, ReconnectPolicy, type ReconnectPolicyOptions } from '../../agent/src/link/reconnect-policy';
import type { FiscalProfile } from './fiscal-reports';
import { hostReports, type HostProfile } from './host-reports';
import { cashierReportPayload, healthPayload, helloPayload } from './reports';

/** What a virtual agent needs to connect: the result of a real enrollment. */
export interface VirtualAgentIdentity {
  agentId: string;
  credential: string;
  storeId: string;
  registerId: string;
}

export interface VirtualAgentOptions {
  /** ws://host:port/ws/agent */
  url: string;
  identity: VirtualAgentIdentity;
  /** Loopback source address, so tens of thousands of sockets do not exhaust one address's ports. */
  localAddress?: string;
  /** Whether this register's printer is out of paper (a persistent fault: one ticket, kept open). */
  faulting: boolean;
  /** A fiscal register beside the printer, reporting its facts with every health report. */
  fiscal?: FiscalProfile;
  /** The register's host (host-reports.ts): its six host reports ride in every health snapshot, as the real agent's latest do. */
  host?: HostProfile;
  /** The real agent's reconnect policy (agent/src/link/reconnect-policy.ts); its defaults where not given. */
  backoff: Partial<ReconnectPolicyOptions>;
  /** Called for every ack of a health or cashier report: milliseconds from (re)send to ack. */
  onAckLatency: (milliseconds: number, type: string) => void;
  onEvent: (event: VirtualAgentEvent) => void;
}

export type VirtualAgentEvent = 'connected' | 'disconnected' | 'acked' | 'rejected' | 'connect_failed' | 'protocol_error';

interface OutboxEntry {
  id: string;
  type: string;
  text: string;
  /** performance.now() of the latest send; undefined while waiting for a connection. */
  sentAt?: number;
}

/**
 * One simulated register speaking the real agent protocol over a real WebSocket: `hello` first on
 * every connection, then `health` reports and the odd `cashier_report`, each kept in an outbox
 * until the server's ack and resent with the same id after a reconnect (at-least-once, as the
 * real agent's SQLite outbox does, but in memory: a fleet of 20,000 cannot afford 20,000 files).
 */
export class VirtualAgent {
  private socket: WebSocket | undefined;
  private readonly outbox = new Map<string, OutboxEntry>();
  private readonly reconnectPolicy: ReconnectPolicy;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private open = false;
  private openedAt = 0;

  constructor(private readonly options: VirtualAgentOptions) {
    this.reconnectPolicy = new ReconnectPolicy(options.backoff);
  }

  get storeId(): string {
    return this.options.identity.storeId;
  }

  get connected(): boolean {
    return this.open;
  }

  /** Messages not yet acknowledged by the server. */
  get pending(): number {
    return this.outbox.size;
  }

  /** One line for diagnosing a register that does not come back or keeps messages pending. */
  describe(): string {
    const unsent = [...this.outbox.values()].filter((entry) => entry.sentAt === undefined).length;
    const oldest = Math.min(...[...this.outbox.values()].map((entry) => entry.sentAt ?? Infinity));
    return `${this.options.identity.storeId}/${this.options.identity.registerId}: ${this.open ? 'open' : this.socket ? `socket state ${this.socket.readyState}` : 'no socket'}, `
      + `${this.outbox.size} pending (${unsent} unsent${Number.isFinite(oldest) ? `, oldest sent ${Math.round(performance.now() - oldest)} ms ago` : ''})`;
  }

  setFaulting(faulting: boolean): void {
    this.options.faulting = faulting;
  }

  connect(): void {
    if (this.stopped || this.socket) return;
    const { url, identity, localAddress } = this.options;
    const socket = new WebSocket(url, {
      headers: { authorization: `Bearer ${identity.credential}` },
      perMessageDeflate: false,
      maxPayload: MAX_FRAME_BYTES,
      handshakeTimeout: 30_000,
      ...(localAddress ? { localAddress } : {}),
    });
    this.socket = socket;
    let httpStatus: number | undefined;
    let retryAfterMs: number | undefined;
    let heardValid = false;
    socket.on('open', () => {
      this.open = true;
      this.openedAt = performance.now();
      this.options.onEvent('connected');
      this.sendNow(this.envelope('hello', helloPayload(identity, this.options.fiscal !== undefined)));
      for (const entry of this.outbox.values()) this.transmit(entry);
    });
    socket.on('message', (data) => {
      heardValid = this.onFrame(String(data)) || heardValid;
    });
    let errorCode: string | undefined;
    socket.on('error', (error: NodeJS.ErrnoException) => {
      errorCode = error.code; // 'close' follows and schedules the retry
    });
    socket.on('unexpected-response', (_request, response) => {
      httpStatus = response.statusCode;
      retryAfterMs = parseRetryAfter(response.headers['retry-after'], Date.now());
      response.resume();
      socket.terminate();
    });
    socket.on('close', () => {
      const wasOpen = this.open;
      this.open = false;
      this.socket = undefined;
      for (const entry of this.outbox.values()) entry.sentAt = undefined;
      this.options.onEvent(wasOpen ? 'disconnected' : 'connect_failed');
      // As in the real agent: a connection that heard something valid or held 30 s resets the backoff.
      const stable = wasOpen && (heardValid || performance.now() - this.openedAt > 30_000);
      this.scheduleReconnect(this.reconnectPolicy.delayAfter(classifyAttempt({ opened: wasOpen, stable, httpStatus, retryAfterMs, errorCode })));
    });
  }

  /** Queues a health report (and sends it if connected). */
  report(): void {
    const payload = healthPayload(this.options.faulting, this.options.fiscal);
    if (this.options.host) payload.devices.push(...this.hostReportsNow());
    this.enqueue(this.envelope('health', payload));
  }

  cashierReport(): void {
    this.enqueue(this.envelope('cashier_report', cashierReportPayload(this.options.faulting)));
  }

  /** Host facts change slowly: built once (schema-checked), then only their timestamps move. */
  private hostTemplates: DeviceReport[] | undefined;

  private hostReportsNow(): DeviceReport[] {
    this.hostTemplates ??= hostReports(this.options.host!, Date.now());
    const probedAt = new Date().toISOString();
    return this.hostTemplates.map((report) => ({ ...report, probedAt }));
  }

  /** Drops the connection as a network failure would; the agent reconnects with its backoff. */
  dropConnection(): void {
    this.socket?.terminate();
  }

  /** Closes the socket and stops reconnecting. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.socket?.terminate();
  }

  /** Powered off (a store's power cut): no socket, no reconnect, no reports until powered on. */
  get silent(): boolean {
    return this.stopped;
  }

  /** Power back after `stop()`: connects again with the same identity; unacked messages are resent. */
  resume(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  private scheduleReconnect(delayMs: number): void {
    if (this.stopped) return;
    this.reconnectTimer = setTimeout(() => this.connect(), delayMs);
  }

  private envelope(type: string, payload: unknown): OutboxEntry & { text: string } {
    const id = randomUUID();
    return { id, type, text: JSON.stringify({ v: PROTOCOL_VERSION, type, id, ts: new Date().toISOString(), payload }) };
  }

  private enqueue(entry: OutboxEntry): void {
    this.outbox.set(entry.id, entry);
    if (this.open) this.transmit(entry);
  }

  private transmit(entry: OutboxEntry): void {
    entry.sentAt = performance.now();
    this.sendNow(entry);
  }

  private sendNow(entry: OutboxEntry): void {
    this.socket?.send(entry.text);
  }

  /** True for a valid server message. */
  private onFrame(text: string): boolean {
    const parsed = parseFrame(text, ServerMessage, ['ack', 'command', 'ticket_update']);
    if (!parsed.ok) {
      this.options.onEvent('protocol_error');
      return false;
    }
    const message = parsed.value;
    if (message.type === 'ack') this.onAck(message); // commands and ticket updates are not simulated
    return true;
  }

  private onAck(ack: Ack): void {
    const entry = this.outbox.get(ack.payload.ackOf);
    if (!entry) return; // the hello's ack, or a late duplicate
    this.outbox.delete(entry.id);
    if (!ack.payload.ok) {
      this.options.onEvent('rejected');
      return;
    }
    if (entry.sentAt !== undefined) this.options.onAckLatency(performance.now() - entry.sentAt, entry.type);
    this.options.onEvent('acked');
  }
}
