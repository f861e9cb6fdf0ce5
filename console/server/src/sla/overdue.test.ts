import fc from 'fast-check';
import { slaClock } from '@tillscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTicketTestDb, type TicketTestDb } from '../test-support/ticket-db';
import { OVERDUE_SQL, overdueParams } from './overdue';

// The overdue filter's SQL says "overdue" exactly when the shared slaClock() does for the clock
// the ticket is running (reaction until the first reaction, then resolution), never while paused.

let t: TicketTestDb;
beforeAll(async () => {
  t = await openTicketTestDb(1);
});
afterAll(() => t.dispose());

const BASE = Date.parse('2026-11-22T10:00:00.000Z');
const MIN = 60_000;
const iso = (minutes: number) => new Date(BASE + minutes * MIN).toISOString();

const ticketShape = fc.record({
  status: fc.constantFrom('open', 'in_progress', 'resolved', 'closed'),
  react: fc.integer({ min: 1, max: 600 }),
  resolve: fc.integer({ min: 1, max: 6000 }),
  reactedAfter: fc.option(fc.integer({ min: 0, max: 3000 })),
  pausedAfter: fc.option(fc.integer({ min: 0, max: 3000 })),
  now: fc.integer({ min: 0, max: 7000 }),
  /** a third of the cases look exactly at a due instant */
  nowAt: fc.constantFrom('any', 'react', 'resolve'),
}).map((ticket) => ({ ...ticket, now: ticket.nowAt === 'react' ? ticket.react : ticket.nowAt === 'resolve' ? ticket.resolve : ticket.now }));

type TicketShape = typeof ticketShape extends fc.Arbitrary<infer T> ? T : never;

/** What the renderer shows as overdue: a clock still running (not met, not paused) past due. */
function clockOverdue(ticket: TicketShape): boolean {
  if (ticket.status === 'resolved' || ticket.status === 'closed') return false;
  const pausedAt = ticket.pausedAfter === null ? null : iso(ticket.pausedAfter);
  const now = BASE + ticket.now * MIN;
  // The reaction clock runs until the first reaction; a met clock (even met late) is not running.
  const reactRunning = ticket.reactedAfter === null && slaClock({ startAt: iso(0), dueAt: iso(ticket.react), doneAt: null, pausedAt }, now).state === 'overdue';
  return reactRunning || slaClock({ startAt: iso(0), dueAt: iso(ticket.resolve), doneAt: null, pausedAt }, now).state === 'overdue';
}

describe('overdue filter', () => {
  it('agrees with slaClock on random tickets', async () => {
    await fc.assert(fc.asyncProperty(ticketShape, async (ticket) => {
      const matched = await t.db.write(async (sql) => {
        await sql.run('DELETE FROM tickets');
        await sql.run(
          `INSERT INTO tickets (agent_id, device_id, code, status, severity, priority, group_name, opened_at, updated_at, react_by, resolve_by, reacted_at, waiting_on, paused_at)
           VALUES (?, 'p1', 'printer.paper_end', ?, 'major', 2, 'printers', ?, ?, ?, ?, ?, ?, ?)`,
          t.agentIds[0], ticket.status, iso(0), iso(0), iso(ticket.react), iso(ticket.resolve),
          ticket.reactedAfter === null ? null : iso(ticket.reactedAfter), ticket.pausedAfter === null ? null : 'store', ticket.pausedAfter === null ? null : iso(ticket.pausedAfter),
        );
        return (await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM tickets t WHERE ${OVERDUE_SQL}`, ...overdueParams(iso(ticket.now))))?.n;
      });
      expect(matched === 1).toBe(clockOverdue(ticket));
    }), { numRuns: 150 });
  });
});
