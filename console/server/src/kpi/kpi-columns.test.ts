import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConsoleDatabase } from '../db/console-database';
import { insertTimelineTicket } from '../test-support/kpi-timeline';
import { openTicketTestDb, type TicketTestDb } from '../test-support/ticket-db';
import { KpiColumns, dayNumber, dayOfNumber, type StoredFact } from './kpi-columns';
import { KpiFacts } from './kpi-facts';
import type { TicketFact } from './ticket-fact';

// The copy of kpi_facts in memory: its own bookkeeping (rows for life, interned texts, NULLs, growth)
// and its contract with the table (kept up by this process's refreshes, loaded again when another
// writer moved the generation). That it equals the table after any timeline is the refresh
// property test's (kpi-refresh.property.test.ts); that reports over it are right, the report's.

const fact = (ticketId: number, changes: Partial<TicketFact> = {}): TicketFact => ({
  ticket_id: ticketId, store_id: 'msk-0001', model: 'Epson TM-T20III', group_id: 'printers', engineer: 'ann', code: 'printer.paper_end',
  priority: 2, symptom: 0, opened_day: '2026-11-30', resolved_day: null, react_sec: 600, react_met: 1, resolve_sec: null, resolve_met: null,
  resolved_by: null, fcr: null, reassignments: 0, escalations: 0, reopens: 0, overdue: 0, fault_to_ticket_sec: 0, ...changes,
});

const held = ({ code: _code, reopens: _reopens, ...rest }: TicketFact): StoredFact => rest;

describe('KpiColumns', () => {
  it('day numbers round-trip every day, leap days and year ends included', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 60_000 }), (day) => {
      expect(dayNumber(dayOfNumber(day))).toBe(day);
    }));
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayOfNumber(dayNumber('2028-02-29') + 1)).toBe('2028-03-01');
  });

  it('holds what was put, NULLs as null, a ticket put again in its own row, a removed one no more', () => {
    const columns = new KpiColumns();
    const a = fact(7, { resolved_day: '2026-12-01', resolve_sec: 0, resolve_met: 0, resolved_by: 'machine', fcr: 0, fault_to_ticket_sec: -5 });
    const b = fact(9, { react_sec: null, react_met: null, fault_to_ticket_sec: null, engineer: '' });
    columns.put(a);
    columns.put(b);
    expect(columns.stored()).toEqual(new Map([[7, held(a)], [9, held(b)]]));
    const again = fact(7, { resolved_by: 'engineer', fcr: 1, store_id: 'spb-0002' });
    columns.put(again);
    columns.remove(9);
    columns.remove(404); // never held: nothing to do
    expect(columns.size).toBe(2);
    expect(columns.liveCount).toBe(1);
    expect(columns.stored()).toEqual(new Map([[7, held(again)]]));
    expect(columns.stores.values).toEqual(['msk-0001', 'spb-0002']);
    expect(columns.stores.find('nowhere')).toBe(-1);
  });

  it('grows past its first capacity without losing a row', () => {
    const columns = new KpiColumns();
    const facts = Array.from({ length: 5_000 }, (_, index) => fact(index + 1, { priority: (index % 4) + 1, react_sec: index }));
    for (const one of facts) columns.put(one);
    expect(columns.stored()).toEqual(new Map(facts.map((one) => [one.ticket_id, held(one)])));
    expect(columns.columnBytes).toBeGreaterThanOrEqual(5_000 * 70);
  });
});

describe('KpiFacts copy against the table', () => {
  let test: TicketTestDb;
  beforeEach(async () => {
    test = await openTicketTestDb(1);
  });
  afterEach(async () => test.dispose());

  it('is loaded again when another connection rebuilt the facts, and then equals the table', async () => {
    await test.db.write(async (sql) => {
      for (let index = 0; index < 5; index += 1) await insertTimelineTicket(sql, '2026-11-30T08:00:00.000Z', { agentId: test.agentIds[0]!, openedMin: index });
    });
    const facts = new KpiFacts(test.db);
    const first = await facts.snapshot();
    expect(first.liveCount).toBe(5);
    expect(facts.memory()).toMatchObject({ facts: 5 });
    expect(await facts.snapshot()).toBe(first); // nothing changed: the same copy, not loaded again

    const other = await openConsoleDatabase(test.dir);
    try {
      await other.write((sql) => sql.run("UPDATE kpi_facts SET engineer = 'zoe'")); // a write the generation does not know…
      await new KpiFacts(other).rebuild(); // …and one it does: every fact again, from the timeline
      await other.write((sql) => insertTimelineTicket(sql, '2026-11-30T08:00:00.000Z', { agentId: test.agentIds[0]!, openedMin: 9 }));
    } finally {
      await other.close();
    }
    const second = await facts.snapshot();
    expect(second).not.toBe(first);
    const table = await test.db.sql.all<(StoredFact & { code: string; reopens: number })[]>('SELECT * FROM kpi_facts');
    expect(second.stored()).toEqual(new Map(table.map(({ code: _code, reopens: _reopens, ...row }) => [row.ticket_id, row])));
    expect(second.liveCount).toBe(6);
  });
});
