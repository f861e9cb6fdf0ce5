import type { TicketRow } from '../db/rows';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FiscalTracker } from '../fiscal/fiscal-tracker';
import { openTicketTestDb, paperEndFinding, type TicketTestDb } from '../test-support/ticket-db';
import { ChangeSet } from '../tickets/change-set';
import { createTicketPipeline } from '../tickets/stages/pipeline';
import { TicketMoves, type PauseClock } from './moves';

// The pause seam on a real database: what wait, a vendor escalation and resume tell the SLA clocks
// (the deadlines stage pushes due dates there), and that without it due dates stay as they are.

let t: TicketTestDb;
let ticketId: number;
beforeEach(async () => {
  t = await openTicketTestDb();
  const pipeline = createTicketPipeline({ now: t.clock.now, fiscal: new FiscalTracker(t.clock.now) });
  ticketId = (await t.db.write((sql) => pipeline.present(sql, paperEndFinding(t.agentIds[0]!), undefined, new ChangeSet())))!;
});
afterEach(() => t.dispose());

const eve = { username: 'eve' };
const dueDates = () => t.db.sql.get('SELECT react_by, resolve_by FROM tickets WHERE id = ?', ticketId);

function recordingClock(): PauseClock & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    clockPaused: (_sql, ticket: TicketRow, at) => Promise.resolve(void calls.push(`paused ${ticket.id} ${ticket.waiting_on ?? '-'} at ${at}`)),
    clockResumed: (_sql, ticket: TicketRow, pausedAt, at) => Promise.resolve(void calls.push(`resumed ${ticket.id} ${ticket.waiting_on ?? '-'} ${pausedAt} → ${at}`)),
  };
}

describe('the pause seam', () => {
  it('hears each pause once and each resume with the time spent waiting', async () => {
    const clock = recordingClock();
    const moves = new TicketMoves(t.clock.now, clock);
    const run = (move: (changes: ChangeSet) => Promise<void>) => t.db.write(() => move(new ChangeSet()));
    await run((changes) => moves.wait(t.db.sql, ticketId, eve, { on: 'store', reason: 'store closed' }, changes));
    t.clock.advanceSeconds(600);
    // already paused: a vendor escalation switches whom it waits on, the clocks stay paused since the wait
    await run((changes) => moves.escalate(t.db.sql, ticketId, eve, { to: 'vendor', vendor: 'ATOL', reason: 'fiscal drive' }, changes));
    t.clock.advanceSeconds(1200);
    await run((changes) => moves.resume(t.db.sql, ticketId, eve, 'part arrived', changes));
    await run((changes) => moves.escalate(t.db.sql, ticketId, eve, { to: 'vendor', vendor: 'ATOL', reason: 'again' }, changes));
    expect(clock.calls).toEqual([
      `paused ${ticketId} - at 2026-11-22T10:00:00.000Z`,
      `resumed ${ticketId} vendor 2026-11-22T10:00:00.000Z → 2026-11-22T10:30:00.000Z`,
      `paused ${ticketId} - at 2026-11-22T10:30:00.000Z`,
    ]);
  });

  it('by default leaves the due dates as they are', async () => {
    const before = await dueDates();
    const moves = new TicketMoves(t.clock.now);
    await t.db.write((sql) => moves.wait(sql, ticketId, eve, { on: 'vendor', reason: 'waiting for a part' }, new ChangeSet()));
    t.clock.advanceSeconds(3600);
    await t.db.write((sql) => moves.resume(sql, ticketId, eve, '', new ChangeSet()));
    expect(await dueDates()).toEqual(before);
    expect(await t.db.sql.get('SELECT waiting_on, paused_at FROM tickets WHERE id = ?', ticketId)).toEqual({ waiting_on: null, paused_at: null });
  });
});
