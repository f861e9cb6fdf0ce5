import type WebSocket from 'ws';
import { errorText, type ModuleLogger } from '../logger';
import type { Outbox } from '../outbox/outbox';

export interface LinkConnectionOptions {
  outbox: Outbox;
  log: ModuleLogger;
  maxInFlight: number;
  /** Terminate when nothing (ping or message) came from the server for this long. */
  heartbeatTimeoutMs: number;
  /** A message not acked within this is sent again on the same connection. */
  ackTimeoutMs: number;
}

/**
 * One WebSocket of the link, from the upgrade request until its close; the link makes a new one
 * for every attempt and wires the socket's events to it.
 *
 * Contract:
 * - `opened()` when the upgrade succeeded, `heard()` for every ping or frame, `closed()` on close
 *   (it stops the watchdog and says whether the socket had been open);
 * - `pump()` sends the outbox oldest first while open, with at most `maxInFlight` unacknowledged;
 *   a call while one runs makes it go round once more instead of running twice;
 * - `acked(id)` frees the message's slot and pumps; the watchdog forgets a message not acked
 *   within `ackTimeoutMs` and pumps, so it is sent again with the same id, and terminates the
 *   socket when nothing was heard for `heartbeatTimeoutMs` (the close then drives the reconnect);
 * - `send` never throws for a failed write: it is logged, and the close that follows reconnects.
 */
export class LinkConnection {
  private isOpen = false;
  private openedAtMs = 0;
  private lastHeard = Date.now();
  /** id → when it was sent */
  private readonly inflight = new Map<string, number>();
  private pumping = false;
  private pumpAgain = false;
  private readonly watchdog: NodeJS.Timeout;

  constructor(
    readonly ws: WebSocket,
    private readonly options: LinkConnectionOptions,
  ) {
    this.watchdog = setInterval(() => this.watch(), Math.max(10, Math.min(options.heartbeatTimeoutMs / 5, 5_000)));
  }

  get open(): boolean {
    return this.isOpen;
  }

  /** When the upgrade succeeded (0 if it never did). */
  get openedAt(): number {
    return this.openedAtMs;
  }

  opened(): void {
    this.openedAtMs = Date.now();
    this.lastHeard = Date.now();
    this.isOpen = true;
  }

  heard(): void {
    this.lastHeard = Date.now();
  }

  /** Stops the watchdog; true when the socket had been open. */
  closed(): boolean {
    clearInterval(this.watchdog);
    const wasOpen = this.isOpen;
    this.isOpen = false;
    return wasOpen;
  }

  send(frame: string): void {
    this.ws.send(frame, (error) => {
      // The close event that follows a failed send drives the reconnect.
      if (error) this.options.log.warn(`send failed: ${errorText(error)}`);
    });
  }

  acked(id: string): void {
    this.inflight.delete(id);
    void this.pump();
  }

  async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        const room = this.options.maxInFlight - this.inflight.size;
        if (!this.isOpen || room <= 0) return;
        const batch = await this.options.outbox.pending(room, new Set(this.inflight.keys()));
        for (const message of batch) {
          if (!this.isOpen) return;
          this.inflight.set(message.id, Date.now());
          this.send(message.body);
        }
        if (batch.length === room) this.pumpAgain = true;
      } while (this.pumpAgain);
    } catch (error) {
      this.options.log.error(`cannot read the outbox: ${errorText(error)}`);
    } finally {
      this.pumping = false;
    }
  }

  private watch(): void {
    const { heartbeatTimeoutMs, ackTimeoutMs, log } = this.options;
    if (!this.isOpen) return;
    if (Date.now() - this.lastHeard > heartbeatTimeoutMs) {
      log.warn(`nothing heard from the server for ${Math.round((Date.now() - this.lastHeard) / 1000)} s; reconnecting`);
      this.ws.terminate();
      return;
    }
    let expired = 0;
    for (const [id, sentAt] of this.inflight) {
      if (Date.now() - sentAt > ackTimeoutMs) {
        this.inflight.delete(id);
        expired += 1;
      }
    }
    if (expired > 0) {
      log.warn(`${expired} message(s) not acknowledged in ${ackTimeoutMs} ms; sending them again`);
      void this.pump();
    }
  }
}
