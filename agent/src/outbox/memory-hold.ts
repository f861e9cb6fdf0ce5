import type { TicketRef } from '@tillscope/shared';
import type { AckPayload, CashierReportState, PendingMessage } from './outbox-contract';

/** A message as queued: its frame plus when it was queued (to keep memory and disk in one order). */
export type QueuedMessage = PendingMessage & { createdAt: string };

/** A report's state as the outbox keeps it; whether it is saved is known only from the database. */
export type ReportState = Omit<CashierReportState, 'saved'>;

/**
 * What the outbox could not write to its database and holds in memory until it can. Lost if the
 * agent stops first, which is why the outbox tells callers which of their messages are only here.
 *
 * - `messages`: cashier reports and answers, oldest first; never dropped.
 * - `health`: the latest health snapshot only. A snapshot is the state of every device, so a newer
 *   one supersedes the older; replaced ones are counted in `dropped`.
 * - `acks`: ids acked by the server whose outbox row could not be deleted; not sent again.
 * - `reports`: cashier report states newer than the database's (an ack, a ticket, an answer).
 */
export interface MemoryHold {
  readonly messages: QueuedMessage[];
  readonly acks: Set<string>;
  readonly reports: Map<string, ReportState>;
  health: QueuedMessage | null;
  dropped: number;
  hold(message: QueuedMessage): void;
  /** Takes a message out (it was acked or written); undefined when none is held under `id`. */
  take(id: string): QueuedMessage | undefined;
  /** True when a cashier report or answer with this id is held. */
  holds(id: string): boolean;
  /** Held messages not in `exclude`, oldest first. */
  sendable(exclude: ReadonlySet<string>): QueuedMessage[];
  /** Messages held (health included). */
  count(): number;
  empty(): boolean;
}

export function createMemoryHold(): MemoryHold {
  const hold: MemoryHold = {
    messages: [],
    acks: new Set(),
    reports: new Map(),
    health: null,
    dropped: 0,
    hold(message) {
      if (message.type !== 'health') {
        hold.messages.push(message);
        return;
      }
      if (hold.health) hold.dropped += 1;
      hold.health = message;
    },
    take(id) {
      if (hold.health?.id === id) {
        const taken = hold.health;
        hold.health = null;
        return taken;
      }
      const index = hold.messages.findIndex((m) => m.id === id);
      return index < 0 ? undefined : hold.messages.splice(index, 1)[0];
    },
    holds: (id) => hold.messages.some((m) => m.id === id),
    sendable(exclude) {
      const all = hold.health ? [...hold.messages, hold.health] : [...hold.messages];
      return all.filter((m) => !exclude.has(m.id)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    count: () => hold.messages.length + (hold.health ? 1 : 0),
    empty: () => hold.count() === 0 && hold.acks.size === 0 && hold.reports.size === 0,
  };
  return hold;
}

/**
 * Two lists oldest first into one, at most `limit` long: the database's rows keep their order and
 * held messages go in by the time they were queued. An id in both (a write that committed but
 * reported failure) is listed once.
 */
export function mergeOldestFirst(stored: QueuedMessage[], held: QueuedMessage[], limit: number): PendingMessage[] {
  const seen = new Set(stored.map((m) => m.id));
  const extra = held.filter((m) => !seen.has(m.id));
  const result: PendingMessage[] = [];
  let i = 0;
  let j = 0;
  while (result.length < limit && (i < stored.length || j < extra.length)) {
    const takeHeld = i >= stored.length || (j < extra.length && extra[j]!.createdAt < stored[i]!.createdAt);
    const next = takeHeld ? extra[j++]! : stored[i++]!;
    result.push({ id: next.id, type: next.type, body: next.body });
  }
  return result;
}

function isDone(status: TicketRef['status']): boolean {
  return status === 'resolved' || status === 'closed';
}

/** The server's ack: delivered (with the ticket it names, if any) or rejected for good. */
export function acked(state: ReportState, ack: AckPayload): ReportState {
  if (!ack.ok) return { ...state, state: 'rejected' };
  return { ...state, state: 'delivered', ticket: ack.ticket ?? state.ticket };
}

/**
 * A ticket_update. An answer belongs to one resolution: a ticket that the cashier's "no" reopened
 * and an engineer resolved again needs a fresh answer, so a move from open to resolved clears it.
 */
export function ticketUpdated(state: ReportState, ticket: TicketRef): ReportState {
  const resolvedAnew = ticket.status === 'resolved' && state.ticket !== null && !isDone(state.ticket.status);
  return { ...state, ticket, working: resolvedAnew ? null : state.working };
}
