import { KpiQuery, KpiReport } from '@tillscope/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addTimelineStep, insertTimelineTicket, type TimelineStep, type TimelineTicket } from '../test-support/kpi-timeline';
import { openTicketTestDb, type TicketTestDb } from '../test-support/ticket-db';
import { KpiFacts } from './kpi-facts';
import { p90 } from '../test-support/kpi-report-oracle';
import { bucketOf, kpiReport } from './kpi-report';

// The report's arithmetic against a hand-computed timeline, on a real SQLite file: six tickets of
// one Moscow store, written as rows, refreshed into facts, summed. Every expected figure below is
// worked out by hand in the comments from the timeline, not from the code.

const BASE = '2026-11-30T08:00:00.000Z'; // 11:00 in Moscow, a Monday
const NOW = new Date('2026-12-02T12:00:00.000Z');

let test: TicketTestDb;
beforeEach(async () => {
  test = await openTicketTestDb(1);
});
afterEach(async () => test.dispose());

async function ticketWith(ticket: Omit<TimelineTicket, 'agentId'>, steps: TimelineStep[]): Promise<number> {
  return test.db.write(async (sql) => {
    const id = await insertTimelineTicket(sql, BASE, { agentId: test.agentIds[0]!, ...ticket });
    for (const step of steps) await addTimelineStep(sql, BASE, id, step);
    return id;
  });
}

/** The hand-computed fleet (minutes after BASE; react due 30 min, resolve due 240 min after opening). */
async function seedSixTickets(): Promise<void> {
  // A: taken at 10, resolved at 50 by ann: reaction 600 s met, resolution 3,000 s met, first contact.
  const a = await ticketWith({ openedMin: 0 }, [
    { kind: 'taken', atMin: 10, actor: 'ann', move: 'take', toAssignee: 'ann' }, { kind: 'resolved', atMin: 50, actor: 'ann' },
  ]);
  // B (opened 20): assigned at 40 (reaction 1,200 s, met: due 50), reassigned at 45, resolved by bob at 300:
  // resolution 16,800 s, due 260: late, overdue; not first contact.
  await ticketWith({ openedMin: 20 }, [
    { kind: 'assigned', atMin: 40, actor: 'lead', move: 'assign', toAssignee: 'ann' },
    { kind: 'reassigned', atMin: 45, actor: 'lead', move: 'reassign', toAssignee: 'bob' },
    { kind: 'resolved', atMin: 300, actor: 'bob' },
  ]);
  // C (opened 30): resolved itself at 35: 300 s, met, by the machine.
  await ticketWith({ openedMin: 30 }, [{ kind: 'recovered', atMin: 35 }, { kind: 'auto_resolved', atMin: 35 }]);
  // D (opened 60, found at 58): still open, its resolution clock breached at 301: overdue; fault-to-ticket 120 s.
  await ticketWith({ openedMin: 60, foundMin: 58 }, [{ kind: 'sla_breached', atMin: 301, text: 'resolve overdue since …' }]);
  // E: a symptom of A, resolved with it: left out everywhere.
  await ticketWith({ openedMin: 5, parentId: a }, [{ kind: 'resolved_with_incident', atMin: 50 }]);
  // F: the next day (Dec 1, 12:00 Moscow), taken 60 min after opening: reaction 3,600 s, late.
  await ticketWith({ openedMin: 1500 }, [{ kind: 'taken', atMin: 1560, actor: 'ann', move: 'take', toAssignee: 'ann' }]);
}

async function report(query: KpiQuery) {
  return KpiReport.parse(kpiReport(await new KpiFacts(test.db).snapshot(), KpiQuery.parse(query), NOW));
}

describe('KPI report arithmetic', () => {
  it('per day: counts, means, nearest-rank p90, shares against the SLA', async () => {
    await seedSixTickets();
    const result = await report({ from: '2026-11-30', to: '2026-12-01' });
    expect(result.buckets.map((row) => row.bucket)).toEqual(['2026-11-30', '2026-12-01']);
    const [first, second] = result.buckets;
    expect(first).toMatchObject({
      opened: 4, // A, B, C, D (E is a symptom)
      resolved: 3, // A, B, C
      reaction: { count: 2, meanSec: 900, p90Sec: 1200, metShare: 1 },
      resolution: { count: 3, meanSec: (3000 + 16800 + 300) / 3, p90Sec: 16800, metShare: 2 / 3 },
      firstContact: { count: 1, of: 2, share: 0.5 },
      autoResolved: { count: 1, share: 1 / 3 },
      overdue: 2, // B late, D breached
      reassignments: 1,
      escalations: 0,
      faultToTicket: { count: 1, meanSec: 120, p90Sec: 120, metShare: null },
    });
    expect(result.total).toMatchObject({ opened: 5, resolved: 3, reaction: { count: 3, meanSec: (600 + 1200 + 3600) / 3, p90Sec: 3600, metShare: 2 / 3 } });
    expect(second).toMatchObject({ opened: 1, resolved: 0, reaction: { count: 1, meanSec: 3600, metShare: 0 }, resolution: { count: 0, meanSec: null, p90Sec: null, metShare: null } });
  });

  it('by engineer: the resolver, else the last assignee, else none', async () => {
    await seedSixTickets();
    const result = await report({ from: '2026-11-30', to: '2026-12-01', slice: 'engineer', cells: 'true' });
    const by = Object.fromEntries(result.breakdown.map((row) => [row.key, row]));
    expect(Object.keys(by).sort()).toEqual(['', 'ann', 'bob']);
    expect(by.ann).toMatchObject({ opened: 2, resolved: 1, firstContact: { count: 1, of: 1 } }); // A, F
    expect(by.bob).toMatchObject({ opened: 1, resolved: 1, reassignments: 1, firstContact: { count: 0, of: 1 } }); // B
    expect(by['']).toMatchObject({ opened: 2, resolved: 1, autoResolved: { count: 1, share: 1 } }); // C, D
    expect(result.rows.filter((row) => row.key === 'ann').map((row) => row.bucket)).toEqual(['2026-11-30', '2026-12-01']);
  });

  it('a week bucket starts on Monday; filters narrow the facts', async () => {
    await seedSixTickets();
    const weekly = await report({ from: '2026-11-30', to: '2026-12-06', bucket: 'week' });
    expect(weekly.buckets).toHaveLength(1);
    expect(weekly.buckets[0]).toMatchObject({ bucket: '2026-11-30', opened: 5, resolved: 3 });
    const bob = await report({ from: '2026-11-30', to: '2026-12-01', engineer: 'bob' });
    expect(bob.buckets[0]).toMatchObject({ opened: 1, resolved: 1 });
  });

  it('bucket starts and the percentile rule', () => {
    expect(bucketOf('2026-12-03', 'week')).toBe('2026-11-30');
    expect(bucketOf('2026-11-29', 'week')).toBe('2026-11-23');
    expect(bucketOf('2026-12-03', 'month')).toBe('2026-12-01');
    expect(p90([5, 1, 4, 2, 3, 6, 7, 8, 9, 10])).toBe(9);
    expect(p90([10, 20])).toBe(20);
    expect(p90([])).toBeNull();
  });

  it('refuses a range of too many buckets and a reversed range (schema)', () => {
    expect(KpiQuery.safeParse({ from: '2020-01-01', to: '2026-01-01', bucket: 'day' }).success).toBe(false);
    expect(KpiQuery.safeParse({ from: '2026-02-01', to: '2026-01-01' }).success).toBe(false);
    expect(KpiQuery.safeParse({ from: '2020-01-01', to: '2026-01-01', bucket: 'month' }).success).toBe(true);
  });
});
