import { describe, expect, it } from 'vitest';
import { isOverdue, reactClock, resolveClock, ticketClock, vendorClock, type ClockTicket } from './sla';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const min = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

const open: ClockTicket = {
  status: 'open', openedAt: iso(T0), reactBy: iso(T0 + 100 * min), resolveBy: iso(T0 + 1000 * min),
  resolvedAt: null, reactedAt: null, waitingOn: null, pausedAt: null,
};

describe('ticketClock', () => {
  it('runs the reaction clock until somebody reacts: ok, amber at a quarter left, red at a tenth, then overdue', () => {
    expect(ticketClock(open, T0 + 10 * min)).toMatchObject({ kind: 'react', state: 'ok', remainingMs: 90 * min });
    expect(ticketClock(open, T0 + 76 * min).state).toBe('amber');
    expect(ticketClock(open, T0 + 91 * min).state).toBe('red');
    expect(ticketClock(open, T0 + 101 * min)).toMatchObject({ state: 'overdue', remainingMs: -min });
    expect(isOverdue(open, T0 + 101 * min)).toBe(true);
  });

  it('switches to the resolution clock once reacted, even while the status is still open (a note)', () => {
    const reacted = { ...open, reactedAt: iso(T0 + 5 * min) };
    expect(ticketClock(reacted, T0 + 101 * min)).toMatchObject({ kind: 'resolve', state: 'ok' });
    expect(isOverdue(reacted, T0 + 101 * min)).toBe(false);
    // an older ticket taken before reactions were recorded
    expect(ticketClock({ ...open, status: 'in_progress' }, T0 + 950 * min)).toMatchObject({ kind: 'resolve', state: 'red' });
  });

  it('is paused while the ticket waits, with what was left when it paused, and never overdue then', () => {
    const waiting = { ...open, status: 'in_progress' as const, reactedAt: iso(T0), waitingOn: 'vendor' as const, pausedAt: iso(T0 + 400 * min) };
    expect(ticketClock(waiting, T0 + 5000 * min)).toMatchObject({ kind: 'resolve', state: 'paused', remainingMs: 600 * min });
    expect(isOverdue(waiting, T0 + 5000 * min)).toBe(false);
  });

  it('is met, or missed, once resolved, and a resolved ticket is never in the overdue filter', () => {
    const resolved = { ...open, status: 'resolved' as const, reactedAt: iso(T0), resolvedAt: iso(T0 + 900 * min) };
    expect(ticketClock(resolved, T0 + 5000 * min)).toMatchObject({ state: 'met', remainingMs: 100 * min });
    const late = { ...resolved, resolvedAt: iso(T0 + 1100 * min) };
    expect(ticketClock(late, T0 + 5000 * min).state).toBe('overdue');
    expect(isOverdue(late, T0 + 5000 * min)).toBe(false);
  });
});

describe('reactClock and resolveClock', () => {
  it('the reaction clock is met by the reaction and unknown without one once taken', () => {
    expect(reactClock({ ...open, reactedAt: iso(T0 + 120 * min), status: 'in_progress' }, T0 + 200 * min)?.state).toBe('overdue');
    expect(reactClock({ ...open, reactedAt: iso(T0 + 20 * min) }, T0 + 200 * min)).toMatchObject({ state: 'met', remainingMs: 80 * min });
    expect(reactClock({ ...open, status: 'in_progress' }, T0)).toBeNull();
  });

  it('both clocks pause while waiting, until reacted for the reaction clock', () => {
    const waiting = { ...open, waitingOn: 'store' as const, pausedAt: iso(T0 + 50 * min) };
    expect(reactClock(waiting, T0 + 500 * min)).toMatchObject({ state: 'paused', remainingMs: 50 * min });
    expect(resolveClock(waiting, T0 + 500 * min)).toMatchObject({ state: 'paused', remainingMs: 950 * min });
    // waitingOn cleared (resumed): pausedAt left behind does not pause it
    expect(resolveClock({ ...waiting, waitingOn: null }, T0 + 500 * min).state).toBe('ok');
  });
});

describe('vendorClock', () => {
  const vendor = { escalatedAt: iso(T0 + 100 * min), dueAt: iso(T0 + 200 * min) };
  it('runs from the escalation to the vendor\'s deadline while the store\'s clocks are paused', () => {
    const waiting = { ...open, status: 'in_progress' as const, waitingOn: 'vendor' as const, pausedAt: iso(T0 + 100 * min) };
    expect(vendorClock(waiting, vendor, T0 + 150 * min)).toMatchObject({ kind: 'vendor', state: 'ok', remainingMs: 50 * min });
    expect(vendorClock(waiting, vendor, T0 + 195 * min)?.state).toBe('red');
    expect(vendorClock(waiting, vendor, T0 + 201 * min)?.state).toBe('overdue');
    expect(resolveClock(waiting, T0 + 201 * min).state).toBe('paused');
  });
  it('stops at the resolution, and is absent without an agreed deadline', () => {
    expect(vendorClock({ status: 'resolved', resolvedAt: iso(T0 + 180 * min) }, vendor, T0 + 900 * min)).toMatchObject({ state: 'met', done: true });
    expect(vendorClock(open, { ...vendor, dueAt: null }, T0)).toBeNull();
  });
});
