import { KpiQuery, type KpiReport } from '@tillscope/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTimelineTicket } from '../test-support/kpi-timeline';
import { kpiReportOracle } from '../test-support/kpi-report-oracle';
import { openTicketTestDb, type TicketTestDb } from '../test-support/ticket-db';
import { KpiFacts } from './kpi-facts';
import { kpiReport } from './kpi-report';
import { FACT_COLUMNS, type TicketFact } from './ticket-fact';

// The report over the copy in memory (kpi-columns.ts) must give what the first report gave
// (test-support/kpi-report-oracle.ts: every fact read out of SQLite, summed and sorted) for random
// facts and random queries: every bucket size, slice and filter, ranges cutting weeks and months,
// ties and nulls in the durations, filter values no fact has. Means may differ in the last bits
// only (the values may be summed in another order), so they are compared to 1e-9 relative;
// everything else exactly.

const TICKETS = 40;
const NOW = new Date('2026-12-20T12:00:00.000Z');
const day = fc.integer({ min: 0, max: 75 }).map((offset) => new Date(Date.UTC(2026, 9, 20 + offset)).toISOString().slice(0, 10));
const seconds = fc.oneof(fc.constantFrom(0, 60, 600, 3600), fc.integer({ min: 0, max: 90_000_000 }).map((ms) => ms / 1000));
const bit = fc.constantFrom(0, 1);

const fact = fc.record({
  store_id: fc.constantFrom('store-1', 'store-2', 'store-3'),
  model: fc.constantFrom('Epson', 'Citizen', ''),
  group_id: fc.constantFrom('helpdesk', 'hardware'),
  engineer: fc.constantFrom('ann', 'bob', ''),
  code: fc.constant('paper_end'),
  priority: fc.integer({ min: 1, max: 4 }),
  symptom: fc.constantFrom(0, 0, 0, 1),
  opened_day: day,
  resolved_day: fc.option(day),
  react_sec: fc.option(seconds),
  react_met: fc.option(bit),
  resolve_sec: fc.option(seconds),
  resolve_met: fc.option(bit),
  resolved_by: fc.option(fc.constantFrom('engineer' as const, 'machine' as const)),
  fcr: fc.option(bit),
  reassignments: fc.nat(3),
  escalations: fc.nat(2),
  reopens: fc.nat(1),
  overdue: bit,
  fault_to_ticket_sec: fc.option(seconds),
});

/** A filter set in one query of four: with all five always set, nearly every report would be empty. */
const sometimes = <T>(values: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: values });

const query = fc.record({
  from: day, to: day,
  bucket: fc.constantFrom('day', 'week', 'month'),
  slice: fc.constantFrom('none', 'store', 'model', 'group', 'engineer'),
  storeId: sometimes(fc.constantFrom('store-1', 'store-2', 'store-9')),
  model: sometimes(fc.constantFrom('Epson', '')),
  group: sometimes(fc.constantFrom('helpdesk', 'field')),
  engineer: sometimes(fc.constantFrom('ann', '')),
  priority: sometimes(fc.integer({ min: 1, max: 4 })),
  cells: fc.constantFrom('true', 'false'),
  limit: fc.integer({ min: 1, max: 4 }),
}).map((q) => (q.from <= q.to ? q : { ...q, from: q.to, to: q.from }));

/** Every meanSec of a report, in order, and the report with them blanked. */
function splitMeans(report: KpiReport): { means: (number | null)[]; rest: unknown } {
  const means: (number | null)[] = [];
  const rest: unknown = JSON.parse(JSON.stringify(report), (key, value: unknown) => {
    if (key !== 'meanSec') return value;
    means.push(value as number | null);
    return 'mean';
  });
  return { means, rest };
}

let test: TicketTestDb;
let ticketIds: number[] = [];
beforeAll(async () => {
  test = await openTicketTestDb(1);
  ticketIds = await test.db.write(async (sql) => {
    const ids: number[] = [];
    for (let index = 0; index < TICKETS; index += 1) ids.push(await insertTimelineTicket(sql, '2026-11-01T08:00:00.000Z', { agentId: test.agentIds[0]!, openedMin: index }));
    return ids;
  });
});
afterAll(async () => test.dispose());

async function writeFacts(facts: Omit<TicketFact, 'ticket_id'>[]): Promise<void> {
  await test.db.write(async (sql) => {
    await sql.run('DELETE FROM kpi_facts');
    await sql.run('DELETE FROM kpi_dirty'); // these facts stand as written: no refresh recomputes them from the timeline
    for (const [index, one] of facts.entries()) {
      const row: TicketFact = { ...one, ticket_id: ticketIds[index]! };
      await sql.run(`INSERT INTO kpi_facts (${FACT_COLUMNS.join(', ')}) VALUES (${FACT_COLUMNS.map(() => '?').join(', ')})`, ...FACT_COLUMNS.map((column) => row[column]));
    }
  });
}

describe('the KPI report over the copy in memory', () => {
  it('equals the JavaScript oracle over random facts and queries', async () => {
    let reports = 0;
    let withFigures = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fact, { minLength: 1, maxLength: TICKETS, size: 'medium' }), fc.array(query, { minLength: 1, maxLength: 4 }), async (facts, queries) => {
        await writeFacts(facts);
        for (const raw of queries) {
          const parsed = KpiQuery.parse(raw);
          const actual = splitMeans(kpiReport(await new KpiFacts(test.db).snapshot(), parsed, NOW));
          const oracle = await kpiReportOracle(test.db.sql, parsed, NOW);
          const expected = splitMeans(oracle);
          reports += 1;
          if (oracle.total.opened + oracle.total.resolved > 0) withFigures += 1;
          expect(actual.rest).toEqual(expected.rest);
          expect(actual.means.length).toBe(expected.means.length);
          actual.means.forEach((mean, index) => {
            const want = expected.means[index] ?? null;
            if (want === null) expect(mean).toBeNull();
            else expect(Math.abs((mean ?? Number.NaN) - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
          });
        }
      }),
      { numRuns: 80 },
    );
    // Not a property over empty reports: most compare real figures.
    expect(withFigures).toBeGreaterThan(reports / 3);
  });
});
