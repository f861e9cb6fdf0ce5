import { type Logger, withFields } from '../logger';

/** What one committed transaction changed, so the feed and the agents hear about it afterwards. */
export class ChangeSet {
  readonly tickets = new Set<number>();
  /**
   * Tickets whose status or cashier-visible progress (taken, waiting, no longer waiting; see
   * TicketProgress) changed, or whose register reconnected: the cashier who reported them gets a ticket_update.
   */
  readonly ticketStatuses = new Set<number>();
  readonly registers = new Set<string>();
  /** Registers whose hello committed: their queued remote actions go out (actions/action-queue.ts). */
  readonly hellos = new Set<string>();

  ticketChanged(ticketId: number, agentId: string, statusChanged = false): void {
    this.tickets.add(ticketId);
    this.registers.add(agentId); // its open-ticket count may have moved
    if (statusChanged) this.ticketStatuses.add(ticketId);
  }

  get isEmpty(): boolean {
    return this.tickets.size === 0 && this.registers.size === 0;
  }
}

export type ChangeListener = (changes: ChangeSet) => Promise<void> | void;

/**
 * Fans committed changes out to the live feed and the agent gateway. Publish only after COMMIT:
 * a listener reads the database and must see the new state. A failing listener is logged and
 * never reaches the publisher.
 */
export class ChangeBus {
  private readonly listeners: ChangeListener[] = [];
  /** Listener calls still running (never rejecting): `settled` waits for them. */
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  subscribe(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  publish(changes: ChangeSet): void {
    if (changes.isEmpty) return;
    for (const listener of this.listeners) {
      const call = Promise.resolve()
        .then(() => listener(changes))
        .catch((error: unknown) => this.logger.error('changes', withFields('change listener failed', { error: String(error) })))
        .finally(() => this.running.delete(call));
      this.running.add(call);
    }
  }

  /** Resolves once every listener call published so far has finished: before closing the database they read. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }
}
