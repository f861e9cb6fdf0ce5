import type { Me, RegisterSummary, TicketSummary } from '@tillscope/shared';
import type { ApiClient } from '../api/client';
import { DEFAULT_FILTER, effectiveFilter, listOrder, loadQueryFor, QUEUE_FIRST_PAGE_SIZE, QUEUE_PAGE_SIZE, sameFilter, sameServerFilter, type QueueFilter } from '../logic/filters';
import { DEFAULT_FLEET_FILTER, FLEET_PAGE_SIZE, sameFleetFilter, type FleetFilter } from '../logic/fleet-filter';
import { replaceRegister } from '../logic/fleet';
import { DeskAlertWatch } from '../logic/desk-alerts';
import { matchesServerFilter, mergePage, sortTickets, upsertTicket } from '../logic/queue';
import { GroupDirectory } from './groups';
import { Store } from './store';

/** The most the renderer holds of one list; the active queue beyond this is filtered by the server. */
export const QUEUE_MAX_ROWS = 20_000;

export interface QueueState {
  filter: QueueFilter;
  /**
   * What the tickets below were loaded for (loadQueryFor): the view applies the rest of `filter`
   * to them in the renderer. Null before the first load.
   */
  loaded: QueueFilter | null;
  /** sorted in listOrder(loaded) (the active queue as the user chose, else as the server sorts); may hold more than the view shows */
  tickets: readonly TicketSummary[];
  /** tickets matching `loaded` on the server, from the first page */
  total: number | null;
  nextCursor: string | null;
  /** every ticket matching `loaded` is here (the last page came) */
  complete: boolean;
  /** the first page is on its way */
  loading: boolean;
  /** a later page is on its way */
  loadingMore: boolean;
  error: unknown;
  /** the row the keyboard cursor is on; kept when the user opens a ticket and comes back */
  selectedId: number | null;
}

export interface FleetState {
  filter: FleetFilter;
  loaded: FleetFilter | null;
  registers: readonly RegisterSummary[];
  total: number | null;
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
}

const EMPTY_QUEUE: QueueState = {
  filter: { ...DEFAULT_FILTER }, loaded: null, tickets: [], total: null, nextCursor: null, complete: false,
  loading: false, loadingMore: false, error: null, selectedId: null,
};
const EMPTY_FLEET: FleetState = {
  filter: { ...DEFAULT_FLEET_FILTER }, loaded: null, registers: [], total: null, nextCursor: null, loading: false, loadingMore: false, error: null,
};

/**
 * Client state that outlives screens: the queue and the fleet, kept current by the live feed so
 * switching between a ticket and the queue is instant even with ten thousand rows.
 */
export class ConsoleState {
  readonly queue = new Store<QueueState>(EMPTY_QUEUE);
  readonly fleet = new Store<FleetState>(EMPTY_FLEET);
  /** new P1s, escalations and SLA clocks about to breach, for desktop and browser notifications */
  readonly alerts = new DeskAlertWatch();
  /** the support groups, for the queue's group filter and the ticket's moves */
  readonly groups: GroupDirectory;
  private queueSeq = 0;
  private fleetSeq = 0;
  /** Tickets the feed took out of the loaded list while pages were still coming (see mergePage). */
  private gone = new Map<number, string>();

  constructor(
    private readonly api: ApiClient,
    private readonly me: () => Me | null,
  ) {
    this.groups = new GroupDirectory(api);
  }

  /**
   * Shows `filter`; asks the server only when what must be loaded for it changed. Another order of
   * the active queue re-sorts the tickets held.
   */
  setFilter(filter: QueueFilter): void {
    const current = this.queue.get();
    const want = loadQueryFor(effectiveFilter(filter, this.me()));
    if (current.loaded && sameServerFilter(current.loaded, want) && !current.error) {
      if (listOrder(current.loaded) !== listOrder(want)) this.queue.set({ ...current, filter, loaded: want, tickets: sortTickets(current.tickets, listOrder(want)) });
      else if (!sameFilter(current.filter, filter)) this.queue.set({ ...current, filter });
      return;
    }
    this.queue.set({ ...current, filter });
    void this.reloadQueue();
  }

  /**
   * Loads the first page for the current filter (a small one: it is what the user waits for); for
   * the active queue, then every next page in the background, the view showing what has arrived.
   */
  async reloadQueue(): Promise<void> {
    const seq = ++this.queueSeq;
    const want = loadQueryFor(effectiveFilter(this.queue.get().filter, this.me()));
    this.gone = new Map();
    this.queue.update((s) => ({ ...s, loading: true, loadingMore: false, error: null, ...(s.loaded && sameServerFilter(s.loaded, want) ? {} : { loaded: want, tickets: [], total: null, nextCursor: null, complete: false }) }));
    try {
      const page = await this.api.tickets(want, { limit: QUEUE_FIRST_PAGE_SIZE });
      if (seq !== this.queueSeq) return;
      this.alerts.markSeen(page.tickets);
      this.queue.update((s) => {
        // The order may have been switched while the page was on its way (setFilter keeps the load).
        const loaded = s.loaded && sameServerFilter(s.loaded, want) ? s.loaded : want;
        const order = listOrder(loaded);
        return {
          ...s, loaded, tickets: order === 'priority' ? page.tickets : sortTickets(page.tickets, order), total: page.total, nextCursor: page.nextCursor, complete: page.nextCursor === null,
          loading: false, error: null,
        };
      });
    } catch (error) {
      if (seq !== this.queueSeq) return;
      this.queue.update((s) => ({ ...s, loading: false, error }));
      return;
    }
    if (want.status === 'active') {
      while (seq === this.queueSeq && this.queue.get().nextCursor && this.queue.get().tickets.length < QUEUE_MAX_ROWS) {
        if (!(await this.loadMoreQueue(seq))) return;
      }
    }
  }

  /** The next page of the loaded list; false when there is none, it failed, or a newer load replaced this one. */
  async loadMoreQueue(seq = this.queueSeq): Promise<boolean> {
    const { loaded, nextCursor, loadingMore, loading } = this.queue.get();
    if (seq !== this.queueSeq || !loaded || !nextCursor || loadingMore || loading) return false;
    this.queue.update((s) => ({ ...s, loadingMore: true }));
    try {
      const page = await this.api.tickets(loaded, { after: nextCursor, limit: QUEUE_PAGE_SIZE });
      if (seq !== this.queueSeq) return false;
      this.alerts.markSeen(page.tickets);
      this.queue.update((s) => ({
        ...s, tickets: s.loaded ? mergePage(s.tickets, page.tickets, this.gone, listOrder(s.loaded)) : s.tickets, nextCursor: page.nextCursor, complete: page.nextCursor === null, loadingMore: false,
      }));
      return true;
    } catch (error) {
      if (seq !== this.queueSeq) return false;
      this.queue.update((s) => ({ ...s, loadingMore: false, error }));
      return false;
    }
  }

  /** Shows `filter` on the fleet screen; asks the server only when it changed. */
  setFleetFilter(filter: FleetFilter): void {
    const current = this.fleet.get();
    if (current.loaded && sameFleetFilter(current.loaded, filter) && !current.error) {
      if (!sameFleetFilter(current.filter, filter)) this.fleet.set({ ...current, filter });
      return;
    }
    this.fleet.set({ ...current, filter });
    void this.reloadFleet();
  }

  /** The first page of registers for the fleet filter (after a reconnect: only if the fleet was shown). */
  async reloadFleet({ ifLoaded = false } = {}): Promise<void> {
    if (ifLoaded && !this.fleet.get().loaded) return;
    const seq = ++this.fleetSeq;
    const { filter } = this.fleet.get();
    this.fleet.update((s) => ({ ...s, loading: true, loadingMore: false, error: null }));
    try {
      const page = await this.api.registers(filter, { limit: FLEET_PAGE_SIZE });
      if (seq !== this.fleetSeq) return;
      this.fleet.update((s) => ({ ...s, loaded: filter, registers: page.registers, total: page.total, nextCursor: page.nextCursor, loading: false, error: null }));
    } catch (error) {
      if (seq !== this.fleetSeq) return;
      this.fleet.update((s) => ({ ...s, loading: false, error }));
    }
  }

  async loadMoreFleet(): Promise<void> {
    const seq = this.fleetSeq;
    const { loaded, nextCursor, loadingMore } = this.fleet.get();
    if (!loaded || !nextCursor || loadingMore) return;
    this.fleet.update((s) => ({ ...s, loadingMore: true }));
    try {
      const page = await this.api.registers(loaded, { after: nextCursor, limit: FLEET_PAGE_SIZE });
      if (seq !== this.fleetSeq) return;
      const known = new Set(this.fleet.get().registers.map((r) => r.agentId));
      this.fleet.update((s) => ({ ...s, registers: [...s.registers, ...page.registers.filter((r) => !known.has(r.agentId))], nextCursor: page.nextCursor, loadingMore: false }));
    } catch (error) {
      if (seq !== this.fleetSeq) return;
      this.fleet.update((s) => ({ ...s, loadingMore: false, error }));
    }
  }

  /** A ticket from the feed or from an action's reply. */
  applyTicket(ticket: TicketSummary): void {
    this.queue.update((s) => {
      if (!s.loaded) return s;
      const tickets = upsertTicket(s.tickets, ticket, s.loaded, this.me());
      if (tickets === s.tickets) return s;
      if (!s.complete && !matchesServerFilter(ticket, s.loaded, this.me())) this.gone.set(ticket.id, ticket.updatedAt);
      // A new ticket counts toward the total; one that left the view no longer does.
      const was = s.tickets.length;
      const total = s.total === null ? null : Math.max(0, s.total + (tickets.length - was));
      return { ...s, tickets, total };
    });
  }

  /** A register from the feed: updated where the fleet page shows it (a page is not re-sorted or refilled live). */
  applyRegister(register: RegisterSummary): void {
    this.fleet.update((s) => {
      const registers = replaceRegister(s.registers, register);
      return registers === s.registers ? s : { ...s, registers };
    });
  }

  select(id: number | null): void {
    this.queue.update((s) => (s.selectedId === id ? s : { ...s, selectedId: id }));
  }

  reset(): void {
    this.queueSeq++;
    this.fleetSeq++;
    this.gone = new Map();
    this.queue.set({ ...EMPTY_QUEUE, filter: { ...DEFAULT_FILTER } });
    this.fleet.set({ ...EMPTY_FLEET, filter: { ...DEFAULT_FLEET_FILTER } });
    this.groups.reset();
  }
}

