import { describe, expect, it } from 'vitest';
import { isOverdue, slaState, ticketSla } from './sla';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const min = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('slaState', () => {
  it('is ok with more than a quarter of the window left', () => {
    expect(slaState(T0, T0 + 100 * min, T0)).toBe('ok');
    expect(slaState(T0, T0 + 100 * min, T0 + 75 * min)).toBe('ok'); // exactly 25% left
  });
  it('turns amber under 25% left', () => {
    expect(slaState(T0, T0 + 100 * min, T0 + 75 * min + 1)).toBe('amber');
    expect(slaState(T0, T0 + 100 * min, T0 + 99 * min)).toBe('amber');
  });
  it('turns red at and after the deadline', () => {
    expect(slaState(T0, T0 + 100 * min, T0 + 100 * min)).toBe('red');
    expect(slaState(T0, T0 + 100 * min, T0 + 500 * min)).toBe('red');
  });
  it('copes with an empty window', () => {
    expect(slaState(T0, T0, T0 - 1)).toBe('ok');
    expect(slaState(T0, T0, T0)).toBe('red');
  });
});

describe('ticketSla', () => {
  const ticket = { openedAt: iso(T0), reactBy: iso(T0 + 30 * min), resolveBy: iso(T0 + 480 * min) };
  it('counts an open ticket down to reactBy', () => {
    expect(ticketSla({ ...ticket, status: 'open' }, T0 + 10 * min)).toMatchObject({ kind: 'react', state: 'ok', remainingMs: 20 * min });
    expect(ticketSla({ ...ticket, status: 'open' }, T0 + 25 * min).state).toBe('amber');
    expect(ticketSla({ ...ticket, status: 'open' }, T0 + 31 * min)).toMatchObject({ state: 'red', remainingMs: -min });
    expect(isOverdue({ ...ticket, status: 'open' }, T0 + 31 * min)).toBe(true);
  });
  it('counts a taken ticket down to resolveBy', () => {
    expect(ticketSla({ ...ticket, status: 'in_progress' }, T0 + 31 * min)).toMatchObject({ kind: 'resolve', state: 'ok' });
    expect(ticketSla({ ...ticket, status: 'in_progress' }, T0 + 400 * min).state).toBe('amber');
  });
  it('has no clock once resolved', () => {
    expect(ticketSla({ ...ticket, status: 'resolved' }, T0 + 999 * min)).toMatchObject({ kind: 'none', state: 'done' });
    expect(isOverdue({ ...ticket, status: 'closed' }, T0 + 999 * min)).toBe(false);
  });
});
