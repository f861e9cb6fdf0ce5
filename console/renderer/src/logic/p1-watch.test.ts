import { describe, expect, it } from 'vitest';
import { makeTicket, T0 } from '../testing/fixtures';
import { P1Watch } from './p1-watch';

describe('P1Watch', () => {
  it('notifies once for a new P1', () => {
    const w = new P1Watch();
    const t = makeTicket(1, { priority: 1 });
    expect(w.check(t, T0 + 1000)).toBe(true);
    expect(w.check(t, T0 + 2000)).toBe(false);
  });
  it('does not notify for tickets already listed, lower priorities, resolved or old ones', () => {
    const w = new P1Watch();
    w.markSeen([makeTicket(1, { priority: 1 })]);
    expect(w.check(makeTicket(1, { priority: 1 }), T0)).toBe(false);
    expect(w.check(makeTicket(2, { priority: 2 }), T0)).toBe(false);
    expect(w.check(makeTicket(3, { priority: 1, status: 'resolved' }), T0)).toBe(false);
    expect(w.check(makeTicket(4, { priority: 1 }), T0 + 60 * 60_000)).toBe(false);
  });
  it('notifies when a ticket escalates to P1', () => {
    const w = new P1Watch();
    w.markSeen([makeTicket(5, { priority: 2 })]);
    expect(w.check(makeTicket(5, { priority: 1 }), T0 + 1000)).toBe(true);
  });
});
