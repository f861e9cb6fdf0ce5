import { describe, expect, it } from 'vitest';
import { makeTicket, T0 } from '../testing/fixtures';
import { makeI18n } from '../i18n/locale';
import { alertText, DeskAlertWatch } from './desk-alerts';

const min = 60_000;
const kinds = (alerts: { kind: string }[]) => alerts.map((a) => a.kind);

describe('DeskAlertWatch', () => {
  it('a new P1 once; a store incident\'s symptom never', () => {
    const w = new DeskAlertWatch();
    expect(kinds(w.check(makeTicket(1, { priority: 1 }), T0 + 1000))).toEqual(['p1']);
    expect(w.check(makeTicket(1, { priority: 1 }), T0 + 2000)).toEqual([]);
    expect(w.check(makeTicket(2, { priority: 1, parentId: 9 }), T0 + 1000)).toEqual([]);
  });

  it('an escalation when the count goes up, once; not for a ticket listed escalated already', () => {
    const w = new DeskAlertWatch();
    w.markSeen([makeTicket(1), makeTicket(2, { escalations: 1 })], T0);
    expect(w.check(makeTicket(1, { escalations: 1, updatedAt: new Date(T0 + min).toISOString() }), T0 + min).map((a) => [a.kind, a.ticket.id])).toEqual([['escalated', 1]]);
    expect(w.check(makeTicket(1, { escalations: 1 }), T0 + 2 * min)).toEqual([]);
    expect(w.check(makeTicket(2, { escalations: 1 }), T0 + min)).toEqual([]);
    expect(kinds(w.check(makeTicket(2, { escalations: 2 }), T0 + min))).toEqual(['escalated']);
    // A ticket never seen: news only when it changed lately.
    expect(kinds(w.check(makeTicket(3, { escalations: 1, updatedAt: new Date(T0).toISOString() }), T0 + 5 * min))).toEqual(['escalated']);
    expect(w.check(makeTicket(4, { escalations: 1, updatedAt: new Date(T0).toISOString() }), T0 + 60 * min)).toEqual([]);
  });

  it('an SLA clock turning amber warns once per clock; one amber when listed does not; paused or resolved does not', () => {
    const w = new DeskAlertWatch();
    const ticket = makeTicket(1); // reaction due 30 min after T0, resolution 480 min
    w.markSeen([ticket, makeTicket(2)], T0);
    expect(w.check(ticket, T0 + 10 * min)).toEqual([]);
    const amber = w.check(ticket, T0 + 23 * min);
    expect(amber).toEqual([{ kind: 'sla_warning', ticket, clock: 'react', dueAt: ticket.reactBy }]);
    expect(w.check(ticket, T0 + 28 * min)).toEqual([]); // red now, but warned already
    // The resolution clock, later, after a reaction.
    const reacted = makeTicket(1, { reactedAt: new Date(T0 + 29 * min).toISOString(), status: 'in_progress' });
    expect(w.check(reacted, T0 + 361 * min).map((a) => (a.kind === 'sla_warning' ? a.clock : a.kind))).toEqual(['resolve']);

    const seenAmber = new DeskAlertWatch();
    seenAmber.markSeen([makeTicket(3)], T0 + 24 * min);
    expect(seenAmber.check(makeTicket(3), T0 + 25 * min)).toEqual([]);
    expect(new DeskAlertWatch().check(makeTicket(4, { waitingOn: 'vendor', pausedAt: new Date(T0 + min).toISOString() }), T0 + 25 * min)).toEqual([]);
    expect(new DeskAlertWatch().check(makeTicket(5, { status: 'resolved', resolvedAt: new Date(T0 + 2 * min).toISOString() }), T0 + 25 * min)).toEqual([]);
  });
});

describe('alertText', () => {
  it('says what happened in the console\'s language, with the clock\'s due time', () => {
    const ticket = makeTicket(7, { priority: 1 });
    expect(alertText({ kind: 'p1', ticket }, makeI18n('ru'))).toEqual({ title: 'Новая заявка P1 №7', body: expect.stringContaining('— msk-014 / pos-02') });
    expect(alertText({ kind: 'escalated', ticket }, makeI18n('en')).title).toBe('Escalated: ticket #7');
    const sla = alertText({ kind: 'sla_warning', ticket, clock: 'react', dueAt: ticket.reactBy }, makeI18n('ru'));
    expect(sla.title).toBe('Срок SLA на исходе: заявка №7');
    expect(sla.body.split('\n')[1]).toMatch(/^Реакция до /);
  });
});
