import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlConnection } from '../db/console-database';
import { addTimelineStep, at, insertTimelineTicket, type TimelineStep } from '../test-support/kpi-timeline';
import { openTicketTestDb, type TicketTestDb } from '../test-support/ticket-db';
import type { KpiColumns, StoredFact } from './kpi-columns';
import { KpiFacts } from './kpi-facts';

// The facts table is a cache of the timeline: refreshed incrementally at any points along the way,
// it must hold exactly what a rebuild from scratch computes, whatever the timeline did (random
// tickets, engineer and machine steps, moves that change the row, due dates pushed, tickets deleted,
// the store's time zone changed). The copy in memory the reports read (kpi-columns.ts), kept up by
// the same refreshes, must equal the table too, without ever being loaded again.

const BASE = '2026-11-30T05:00:00.000Z';
const ACTORS = ['ann', 'bob', null] as const;
const STEP_KINDS = ['taken', 'assigned', 'note', 'resolved', 'auto_resolved', 'resolved_with_incident', 'reopened', 'cashier_not_fixed',
  'cashier_confirmed', 'sla_breached', 'reassigned', 'escalated', 'deadline_changed'] as const;

type Operation =
  | { op: 'open'; openedMin: number; foundBefore: number | null; model: string | null }
  | { op: 'step'; ticket: number; kind: (typeof STEP_KINDS)[number]; afterMin: number; actor: (typeof ACTORS)[number] }
  | { op: 'delete'; ticket: number }
  | { op: 'zone'; zone: string }
  | { op: 'refresh' }
  | { op: 'report' };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant('open' as const), openedMin: fc.integer({ min: 0, max: 4 * 1440 }), foundBefore: fc.option(fc.integer({ min: 0, max: 30 })), model: fc.constantFrom('Epson TM-T20III', 'Citizen CT-S310II', null) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('step' as const), ticket: fc.nat(), kind: fc.constantFrom(...STEP_KINDS), afterMin: fc.integer({ min: 0, max: 600 }), actor: fc.constantFrom(...ACTORS) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), ticket: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('zone' as const), zone: fc.constantFrom('Europe/Moscow', 'Pacific/Kiritimati', 'Pacific/Pago_Pago') }) },
  { weight: 2, arbitrary: fc.constant({ op: 'refresh' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'report' as const }) },
);

/** A step as the console would write it: moves get their row, a reassignment changes the group, a deadline change the due date. */
async function applyStep(sql: SqlConnection, id: number, openedMin: number, step: Extract<Operation, { op: 'step' }>): Promise<void> {
  const atMin = openedMin + step.afterMin;
  const base: TimelineStep = { kind: step.kind, atMin, actor: step.actor, text: step.kind === 'sla_breached' ? 'resolve overdue since …' : '' };
  if (step.kind === 'reassigned') {
    await sql.run('UPDATE tickets SET group_name = ?, assignee = ? WHERE id = ?', step.afterMin % 2 ? 'hardware' : 'helpdesk', step.actor, id);
    await addTimelineStep(sql, BASE, id, { ...base, move: 'reassign', toAssignee: step.actor });
  } else if (step.kind === 'escalated') {
    await addTimelineStep(sql, BASE, id, { ...base, move: 'escalate_third_line' });
  } else if (step.kind === 'deadline_changed') {
    await sql.run('UPDATE tickets SET resolve_by = ? WHERE id = ?', at(BASE, atMin + 5), id);
    await addTimelineStep(sql, BASE, id, base);
  } else {
    await addTimelineStep(sql, BASE, id, base);
  }
}

const snapshot = (sql: SqlConnection) => sql.all('SELECT * FROM kpi_facts ORDER BY ticket_id');

/** The table's facts as the copy holds them (code and reopens left out). */
async function tableAsStored(sql: SqlConnection): Promise<Map<number, StoredFact>> {
  const rows = await sql.all<(StoredFact & { code: string; reopens: number })[]>('SELECT * FROM kpi_facts ORDER BY ticket_id');
  return new Map(rows.map(({ code: _code, reopens: _reopens, ...fact }) => [fact.ticket_id, fact]));
}

let test: TicketTestDb;
beforeAll(async () => {
  test = await openTicketTestDb(2);
});
afterAll(async () => test.dispose());

/** One file for every run: each starts from no tickets (the cascade empties events, moves and facts). */
async function emptied(): Promise<void> {
  await test.db.write((sql) => sql.run('DELETE FROM tickets'));
}

describe('KPI facts: incremental refresh equals a full rebuild', () => {
  it('for random timelines refreshed at random points', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 4, maxLength: 40, size: 'medium' }), async (operations) => {
        await emptied();
        {
          const facts = new KpiFacts(test.db);
          const tickets: { id: number; openedMin: number }[] = [];
          let copy: KpiColumns | null = null;
          for (const [index, operation] of operations.entries()) {
            if (operation.op === 'refresh') {
              await facts.refresh();
              continue;
            }
            if (operation.op === 'report') {
              copy = await facts.snapshot();
              continue;
            }
            await test.db.write(async (sql) => {
              if (operation.op === 'open') {
                const id = await insertTimelineTicket(sql, BASE, {
                  agentId: test.agentIds[index % 2]!, openedMin: operation.openedMin, model: operation.model,
                  foundMin: operation.foundBefore === null ? null : operation.openedMin - operation.foundBefore,
                });
                tickets.push({ id, openedMin: operation.openedMin });
                return;
              }
              if (operation.op === 'zone') {
                await sql.run("UPDATE stores SET time_zone = ? WHERE id = 'store-1'", operation.zone);
                return;
              }
              const target = tickets[operation.ticket % Math.max(1, tickets.length)];
              if (!target) return;
              if (operation.op === 'delete') {
                await sql.run('DELETE FROM tickets WHERE id = ?', target.id);
                tickets.splice(tickets.indexOf(target), 1);
              } else {
                await applyStep(sql, target.id, target.openedMin, operation);
              }
            });
          }
          await facts.refresh();
          const incremental = await snapshot(test.db.sql);
          if (copy) {
            expect(await facts.snapshot()).toBe(copy); // kept up chunk by chunk, never loaded again
            expect(copy.stored()).toEqual(await tableAsStored(test.db.sql));
          }
          await facts.rebuild();
          const rebuilt = await snapshot(test.db.sql);
          expect(incremental).toEqual(rebuilt);
          expect(rebuilt).toHaveLength(tickets.length);
          const reloaded = await new KpiFacts(test.db).snapshot();
          expect(reloaded.stored()).toEqual(await tableAsStored(test.db.sql));
          if (copy) expect((await facts.snapshot()).stored()).toEqual(reloaded.stored());
        }
      }),
      { numRuns: 50 },
    );
  });
});
