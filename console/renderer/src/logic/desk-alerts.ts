import { CATALOGUE, type TicketSummary } from '@tillscope/shared';
import type { I18n } from '../i18n/locale';
import { formatDateTime } from './format';
import { P1Watch } from './p1-watch';
import { isActiveStatus } from './queue';
import { reactClock, resolveClock, type ClockTicket } from './sla';

/** Something on the desk that deserves a desktop or browser notification. */
export type DeskAlert =
  | { kind: 'p1'; ticket: TicketSummary }
  | { kind: 'escalated'; ticket: TicketSummary }
  /** a running clock turned amber or red: about to breach */
  | { kind: 'sla_warning'; ticket: TicketSummary; clock: 'react' | 'resolve'; dueAt: string };

/** A ticket changed longer ago than this is not news even if this client never saw it before. */
export const NEWS_WINDOW_MS = 10 * 60_000;

const WARNING_STATES = new Set(['amber', 'red']);

/** The clocks of a ticket that are running and about to breach now (amber or red; not paused, met or overdue). */
function warningClocks(ticket: ClockTicket, nowMs: number): { clock: 'react' | 'resolve'; dueAt: string }[] {
  const clocks = [reactClock(ticket, nowMs), resolveClock(ticket, nowMs)];
  return clocks.flatMap((clock) => (clock && !clock.done && clock.kind !== 'vendor' && WARNING_STATES.has(clock.state) ? [{ clock: clock.kind, dueAt: clock.dueAt }] : []));
}

/**
 * Decides which feed updates raise a notification on this desk: a new P1 (P1Watch), an escalation
 * (the ticket's escalation count went up), an SLA clock about to breach (it turned amber or red;
 * the server's SLA watch pushes the ticket when it does). Never a store incident's symptom (the
 * incident speaks for it). Tickets from list loads are marked seen with their state then, so a
 * reload or a reconnect raises nothing again; each clock warns once per ticket.
 */
export class DeskAlertWatch {
  private readonly p1 = new P1Watch();
  private readonly escalations = new Map<number, number>();
  /** `${ticketId}:${clock}` already amber or red when seen, or already notified */
  private readonly warned = new Set<string>();

  markSeen(tickets: Iterable<TicketSummary>, nowMs: number = Date.now()): void {
    const list = [...tickets];
    this.p1.markSeen(list);
    for (const ticket of list) {
      this.escalations.set(ticket.id, Math.max(ticket.escalations, this.escalations.get(ticket.id) ?? 0));
      for (const { clock } of warningClocks(ticket, nowMs)) this.warned.add(`${ticket.id}:${clock}`);
    }
  }

  /** Records the ticket; the notifications it raises now. */
  check(ticket: TicketSummary, nowMs: number): DeskAlert[] {
    const alerts: DeskAlert[] = [];
    const symptom = ticket.parentId !== null;
    if (this.p1.check(ticket, nowMs) && !symptom) alerts.push({ kind: 'p1', ticket });
    const before = this.escalations.get(ticket.id);
    this.escalations.set(ticket.id, Math.max(ticket.escalations, before ?? 0));
    const recent = nowMs - Date.parse(ticket.updatedAt) <= NEWS_WINDOW_MS;
    if (!symptom && ticket.escalations > (before ?? 0) && (before !== undefined || recent)) alerts.push({ kind: 'escalated', ticket });
    if (!isActiveStatus(ticket.status) || symptom) return alerts;
    for (const { clock, dueAt } of warningClocks(ticket, nowMs)) {
      const key = `${ticket.id}:${clock}`;
      if (this.warned.has(key)) continue;
      this.warned.add(key);
      alerts.push({ kind: 'sla_warning', ticket, clock, dueAt });
    }
    return alerts;
  }
}

/** The notification's title and body in the console's language. */
export function alertText(alert: DeskAlert, i18n: I18n): { title: string; body: string } {
  const { ticket } = alert;
  const where = `${i18n.l(CATALOGUE[ticket.code].title)} — ${ticket.storeId} / ${ticket.registerId}`;
  switch (alert.kind) {
    case 'p1':
      return { title: i18n.t('notify.newP1', { id: ticket.id }), body: where };
    case 'escalated':
      return { title: i18n.t('notify.escalated', { id: ticket.id }), body: where };
    case 'sla_warning': {
      const due = i18n.t(alert.clock === 'react' ? 'notify.slaReactBy' : 'notify.slaResolveBy', { time: formatDateTime(alert.dueAt, i18n.locale) });
      return { title: i18n.t('notify.slaWarning', { id: ticket.id }), body: `${where}\n${due}` };
    }
  }
}
