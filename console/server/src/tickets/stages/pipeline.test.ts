import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqlConnection } from '../../db/console-database';
import { FiscalTracker } from '../../fiscal/fiscal-tracker';
import { openTicketTestDb, paperEndFinding, type TicketTestDb } from '../../test-support/ticket-db';
import { ChangeSet } from '../change-set';
import { findOpen } from '../ticket-store';
import { DeadlinesStage } from './deadlines';
import { openAtOnce } from './hold';
import { createTicketPipeline, type TicketPipeline, type TicketPipelineDeps } from './pipeline';

// The pipeline on a real database: which stage runs when, in which order, and what it writes.

let t: TicketTestDb;
let calls: string[];
beforeEach(async () => {
  t = await openTicketTestDb();
  calls = [];
});
afterEach(() => t.dispose());

/** A pipeline whose stages say when they run and otherwise apply today's rules. */
function recordingPipeline(overrides: Partial<TicketPipelineDeps> = {}): TicketPipeline {
  const fiscal = new FiscalTracker(t.clock.now);
  return createTicketPipeline({
    now: t.clock.now,
    fiscal,
    hold: { ...openAtOnce, admit: () => (calls.push('hold'), Promise.resolve('open')) },
    correlate: { parentOf: () => (calls.push('correlate'), Promise.resolve(null)) },
    route: { groupOf: () => (calls.push('route'), Promise.resolve('printers')) },
    deadlines: new (class extends DeadlinesStage {
      override dueDates(sql: SqlConnection, input: Parameters<DeadlinesStage['dueDates']>[1]) {
        calls.push('deadlines');
        return super.dueDates(sql, input);
      }
    })(fiscal),
    notify: { ticketChanged: (changes, id, agentId, statusChanged) => (calls.push(`notify:${statusChanged}`), changes.ticketChanged(id, agentId, statusChanged)) },
    ...overrides,
  });
}

const ticketCount = async () => (await t.db.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM tickets'))?.n;

describe('ticket pipeline', () => {
  it('runs a new finding through hold, correlate, route, deadlines and notify, in that order', async () => {
    const pipeline = recordingPipeline();
    const changes = new ChangeSet();
    const id = await t.db.write((sql) => pipeline.present(sql, paperEndFinding(t.agentIds[0]!), undefined, changes));
    expect(calls).toEqual(['hold', 'correlate', 'route', 'deadlines', 'notify:true']);
    expect(id).not.toBeNull();
    expect([...changes.ticketStatuses]).toEqual([id]);
    const row = await t.db.sql.get<{ status: string; group_name: string; react_by: string }>('SELECT status, group_name, react_by FROM tickets WHERE id = ?', id);
    // Sunday 13:00 in Moscow, the default store open 08–22: a major ticket's 30 minutes run at once.
    expect(row).toEqual({ status: 'open', group_name: 'printers', react_by: '2026-11-22T10:30:00.000Z' });
  });

  it('stops at a hold that holds: no ticket, nothing published', async () => {
    const pipeline = recordingPipeline({ hold: { ...openAtOnce, admit: () => (calls.push('hold'), Promise.resolve('held')) } });
    const changes = new ChangeSet();
    const id = await t.db.write((sql) => pipeline.present(sql, paperEndFinding(t.agentIds[0]!), undefined, changes));
    expect(id).toBeNull();
    expect(calls).toEqual(['hold']);
    expect(changes.isEmpty).toBe(true);
    expect(await ticketCount()).toBe(0);
  });

  it('merges a finding that has an open ticket into it without asking the other stages', async () => {
    const pipeline = recordingPipeline();
    const agentId = t.agentIds[0]!;
    const first = await t.db.write((sql) => pipeline.present(sql, paperEndFinding(agentId), undefined, new ChangeSet()));
    calls = [];
    const open = await findOpen(t.db.sql, agentId, 'printer-1', 'printer.paper_end');
    const second = await t.db.write((sql) => pipeline.present(sql, paperEndFinding(agentId), open, new ChangeSet()));
    expect(second).toBe(first);
    expect(calls).toEqual([]);
    expect(await ticketCount()).toBe(1);
    expect((await findOpen(t.db.sql, agentId, 'printer-1', 'printer.paper_end'))?.occurrences).toBe(2);
  });

  it('reopens a ticket that resolved itself minutes ago after the hold, without correlating, routing or new due dates', async () => {
    const pipeline = recordingPipeline();
    const agentId = t.agentIds[0]!;
    const first = await t.db.write((sql) => pipeline.present(sql, paperEndFinding(agentId), undefined, new ChangeSet()));
    const open = await findOpen(t.db.sql, agentId, 'printer-1', 'printer.paper_end');
    await t.db.write((sql) => pipeline.absent(sql, open!, new ChangeSet()));
    t.clock.advanceSeconds(60);
    calls = [];
    const again = await t.db.write((sql) => pipeline.present(sql, paperEndFinding(agentId), undefined, new ChangeSet()));
    expect(again).toBe(first);
    expect(calls).toEqual(['hold', 'notify:true']);
  });

  it('recovers an absent finding and tells notify whether the status changed', async () => {
    const pipeline = recordingPipeline();
    const agentId = t.agentIds[0]!;
    await t.db.write((sql) => pipeline.present(sql, paperEndFinding(agentId), undefined, new ChangeSet()));
    const open = await findOpen(t.db.sql, agentId, 'printer-1', 'printer.paper_end');
    calls = [];
    const changes = new ChangeSet();
    await t.db.write((sql) => pipeline.absent(sql, open!, changes));
    expect(calls).toEqual(['notify:true']);
    expect(await findOpen(t.db.sql, agentId, 'printer-1', 'printer.paper_end')).toBeUndefined();
  });
});
