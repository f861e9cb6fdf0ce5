import { FeedMessage } from '@tillscope/shared';

export type FeedState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

/** The subset of the WebSocket API the feed uses, so tests can pass a fake. */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(code?: number): void;
}

export interface FeedOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  /** backoff: first delay, cap, both ms */
  minDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/** Delay before reconnect attempt `attempt` (0-based): exponential, capped, with ±20% jitter. */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random: () => number): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 16));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** ws(s)://<same host>/ws/feed for the page at `location`. */
export function feedUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/feed`;
}

/**
 * The live feed (/ws/feed): parses and validates each frame with the shared schema, drops what
 * does not validate, and reconnects with backoff. After a reconnect listeners get `onReconnect`
 * so they can reload what they may have missed.
 */
export class FeedClient {
  private socket: SocketLike | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private everConnected = false;
  private stopped = true;
  private readonly messageListeners = new Set<(m: FeedMessage) => void>();
  private readonly stateListeners = new Set<(s: FeedState) => void>();
  private readonly reconnectListeners = new Set<() => void>();
  state: FeedState = 'stopped';
  rejected = 0;

  constructor(private readonly options: FeedOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.everConnected = false;
    this.setState('connecting');
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) (this.options.clearTimer ?? clearTimeout)(this.timer as ReturnType<typeof setTimeout>);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.onerror = null;
      socket.onopen = null;
      socket.close(1000);
    }
    this.setState('stopped');
  }

  onMessage(fn: (m: FeedMessage) => void): () => void {
    this.messageListeners.add(fn);
    return () => this.messageListeners.delete(fn);
  }

  onState(fn: (s: FeedState) => void): () => void {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
  }

  onReconnect(fn: () => void): () => void {
    this.reconnectListeners.add(fn);
    return () => this.reconnectListeners.delete(fn);
  }

  private connect(): void {
    const create = this.options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
    let socket: SocketLike;
    try {
      socket = create(this.options.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      const wasReconnect = this.everConnected || this.attempt > 0;
      this.attempt = 0;
      this.everConnected = true;
      this.setState('live');
      if (wasReconnect) for (const fn of this.reconnectListeners) fn();
    };
    socket.onmessage = (ev) => this.handleFrame(ev.data);
    socket.onerror = () => {
      // onclose follows and schedules the reconnect
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.setState('reconnecting');
    const delay = backoffDelay(this.attempt++, this.options.minDelayMs ?? 1_000, this.options.maxDelayMs ?? 30_000, this.options.random ?? Math.random);
    this.timer = (this.options.setTimer ?? setTimeout)(() => {
      this.timer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }

  private handleFrame(data: unknown): void {
    if (typeof data !== 'string') {
      this.rejected++;
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      this.rejected++;
      return;
    }
    const parsed = FeedMessage.safeParse(json);
    if (!parsed.success) {
      this.rejected++;
      return;
    }
    for (const fn of this.messageListeners) fn(parsed.data);
  }

  private setState(state: FeedState): void {
    if (this.state === state) return;
    this.state = state;
    for (const fn of this.stateListeners) fn(state);
  }
}
