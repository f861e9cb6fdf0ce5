import type { Me, RegisterSummary, TicketSummary } from '@tillscope/shared';
import type { ApiClient } from '../api/client';
import { DEFAULT_FILTER, sameServerFilter, type QueueFilter } from '../logic/filters';
import { upsertRegister } from '../logic/fleet';
import { P1Watch } from '../logic/p1-watch';
import { sortTickets, upsertTicket } from '../logic/queue';
import { Store } from './store';

export interface QueueState {
  filter: QueueFilter;
  /** server-filtered, sorted; the renderer-only filters are applied when drawing */
  tickets: readonly TicketSummary[];
  loading: boolean;
  error: unknown;
  /** the row the keyboard cursor is on; kept when the user opens a ticket and comes back */
  selectedId: number | null;
}

export interface FleetState {
  registers: readonly RegisterSummary[];
  loading: boolean;
  error: unknown;
}

/**
 * Client state that outlives screens: the queue and the fleet, kept current by the live feed so
 * switching between a ticket and the queue is instant even with ten thousand rows.
 */
export class ConsoleState {
  readonly queue = new Store<QueueState>({ filter: { ...DEFAULT_FILTER }, tickets: [], loading: false, error: null, selectedId: null });
  readonly fleet = new Store<FleetState>({ registers: [], loading: false, error: null });
  readonly p1 = new P1Watch();
  private queueSeq = 0;
  private loaded = false;

  constructor(
    private readonly api: ApiClient,
    private readonly me: () => Me | null,
  ) {}

  /** Shows `filter`; reloads from the server only when the server-side part changed. */
  setFilter(filter: QueueFilter): void {
    const current = this.queue.get();
    if (this.loaded && sameServerFilter(current.filter, filter)) {
      if (current.filter !== filter) this.queue.set({ ...current, filter });
      return;
    }
    this.queue.set({ ...current, filter });
    void this.reloadQueue();
  }

  async reloadQueue(): Promise<void> {
    const seq = ++this.queueSeq;
    const { filter } = this.queue.get();
    this.queue.update((s) => ({ ...s, loading: true, error: null }));
    try {
      const list = await this.api.tickets(filter);
      if (seq !== this.queueSeq) return;
      this.p1.markSeen(list.tickets);
      this.loaded = true;
      this.queue.update((s) => ({ ...s, tickets: sortTickets(list.tickets), loading: false, error: null }));
    } catch (error) {
      if (seq !== this.queueSeq) return;
      this.queue.update((s) => ({ ...s, loading: false, error }));
    }
  }

  async reloadFleet(): Promise<void> {
    this.fleet.update((s) => ({ ...s, loading: true, error: null }));
    try {
      const list = await this.api.registers();
      this.fleet.set({ registers: list.registers, loading: false, error: null });
    } catch (error) {
      this.fleet.update((s) => ({ ...s, loading: false, error }));
    }
  }

  /** A ticket from the feed or from an action's reply. */
  applyTicket(ticket: TicketSummary): void {
    this.queue.update((s) => {
      const tickets = upsertTicket(s.tickets, ticket, s.filter, this.me());
      return tickets === s.tickets ? s : { ...s, tickets };
    });
  }

  applyRegister(register: RegisterSummary): void {
    this.fleet.update((s) => ({ ...s, registers: upsertRegister(s.registers, register) }));
  }

  select(id: number | null): void {
    this.queue.update((s) => (s.selectedId === id ? s : { ...s, selectedId: id }));
  }

  reset(): void {
    this.queueSeq++;
    this.loaded = false;
    this.queue.set({ filter: { ...DEFAULT_FILTER }, tickets: [], loading: false, error: null, selectedId: null });
    this.fleet.set({ registers: [], loading: false, error: null });
  }
}
