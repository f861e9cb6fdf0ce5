import { CLOSE_TOO_SLOW } from '@tillscope/shared';
import type { WebSocket } from 'ws';

/** Bounds on what the server holds for one agent socket that does not read what it is sent. */
export interface AgentSendLimits {
  /** Above this many unsent bytes the socket is no longer read, so its frames stop producing acks. */
  highWaterBytes: number;
  /** Reading resumes once the unsent bytes fall to this. */
  lowWaterBytes: number;
  /** Past this the socket is closed with 4008 (as `/ws/feed` does for its clients). */
  maxBufferedBytes: number;
  /** Paused this long without draining to the low-water mark: closed with 4008. */
  stalledTimeoutMs: number;
  /** After the 4008 close frame is queued, how long before the socket is terminated regardless. */
  closeGraceMs: number;
}

/**
 * A healthy agent has at most a few dozen acks in flight (a few KB, on top of what the kernel's
 * socket buffers hold): these marks are only ever reached by an agent that stopped reading. They
 * are per socket, so they are kept low: 20,000 agents all stalled at the high-water mark still
 * hold about 1.3 GB, not 20,000 times the feed's 4 MiB.
 */
export const DEFAULT_AGENT_SEND_LIMITS: AgentSendLimits = {
  highWaterBytes: 64 * 1024,
  lowWaterBytes: 8 * 1024,
  maxBufferedBytes: 1024 * 1024,
  stalledTimeoutMs: 30_000,
  closeGraceMs: 2_000,
};

/** What a test or an operator can see of one agent socket's flow control. */
export interface AgentSocketFlowState {
  bufferedAmount: number;
  /** The most unsent bytes seen on this socket after a send. */
  peakBufferedBytes: number;
  readingPaused: boolean;
  closingTooSlow: boolean;
}

/**
 * Flow control of one agent socket. Reading stops for either of two reasons, and resumes only
 * when neither holds: the server's ingest queue is full (every socket), or this agent is not
 * reading what the server sends it (this socket only). An agent that stays behind is closed
 * with 4008 and terminated shortly after, so nothing held for it outlives the socket.
 */
export class AgentSocketFlow {
  private pausedForIngest = false;
  private pausedForBackpressure = false;
  private closingTooSlow = false;
  private peakBufferedBytes = 0;
  private stallTimer: NodeJS.Timeout | undefined;
  private graceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly limits: AgentSendLimits,
    /** Called once, when the socket is being closed for not reading. */
    private readonly onTooSlow: (why: string, bufferedAmount: number) => void,
  ) {}

  /** Sends `text` unless the socket is closing; false when not sent. */
  send(text: string): boolean {
    if (this.closingTooSlow || this.socket.readyState !== this.socket.OPEN) return false;
    // The callback runs when these bytes reached the kernel: the moment to see whether it drained.
    this.socket.send(text, () => this.onFlushed());
    const buffered = this.socket.bufferedAmount;
    this.peakBufferedBytes = Math.max(this.peakBufferedBytes, buffered);
    if (buffered > this.limits.maxBufferedBytes) {
      this.closeTooSlow(`more than ${this.limits.maxBufferedBytes} bytes unsent`);
    } else if (buffered > this.limits.highWaterBytes && !this.pausedForBackpressure) {
      this.pausedForBackpressure = true;
      this.socket.pause();
      this.stallTimer = setTimeout(() => this.closeTooSlow(`not reading for ${this.limits.stalledTimeoutMs} ms`), this.limits.stalledTimeoutMs);
      this.stallTimer.unref();
    }
    return true;
  }

  /** Being closed for not reading: frames still arriving from it are to be dropped, not handled. */
  get closing(): boolean {
    return this.closingTooSlow;
  }

  pauseForIngest(): void {
    this.pausedForIngest = true;
    if (!this.closingTooSlow) this.socket.pause();
  }

  resumeForIngest(): void {
    this.pausedForIngest = false;
    this.resumeIfFree();
  }

  state(): AgentSocketFlowState {
    return {
      bufferedAmount: this.socket.bufferedAmount,
      peakBufferedBytes: this.peakBufferedBytes,
      readingPaused: this.pausedForIngest || this.pausedForBackpressure,
      closingTooSlow: this.closingTooSlow,
    };
  }

  /** The socket closed: no timer of it stays behind. */
  dispose(): void {
    clearTimeout(this.stallTimer);
    clearTimeout(this.graceTimer);
  }

  private onFlushed(): void {
    if (!this.pausedForBackpressure || this.socket.bufferedAmount > this.limits.lowWaterBytes) return;
    this.pausedForBackpressure = false;
    clearTimeout(this.stallTimer);
    this.resumeIfFree();
  }

  private resumeIfFree(): void {
    if (this.pausedForIngest || this.pausedForBackpressure) return;
    this.socket.resume();
  }

  private closeTooSlow(why: string): void {
    if (this.closingTooSlow) return;
    this.closingTooSlow = true;
    clearTimeout(this.stallTimer);
    this.onTooSlow(why, this.socket.bufferedAmount);
    // The close frame waits behind the unsent acks: an agent that wakes up reads them and the
    // reason; one that never does is terminated after the grace, and its buffers go with it.
    this.socket.close(CLOSE_TOO_SLOW, 'too_slow: not reading acks; reconnect');
    // Read again so the agent's answering close frame is seen; its other frames are dropped unread
    // (see `closing`), so this costs parsing only, for the grace at most.
    this.socket.resume();
    this.graceTimer = setTimeout(() => this.socket.terminate(), this.limits.closeGraceMs);
    this.graceTimer.unref();
  }
}
