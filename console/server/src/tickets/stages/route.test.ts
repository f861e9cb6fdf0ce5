import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FiscalTracker } from '../../fiscal/fiscal-tracker';
import { openTicketTestDb, paperEndFinding, type TicketTestDb } from '../../test-support/ticket-db';
import { ChangeSet } from '../change-set';
import { createTicketPipeline } from './pipeline';
import { routeOf } from './route';

let t: TicketTestDb;
beforeEach(async () => {
  t = await openTicketTestDb();
});
afterEach(() => t.dispose());

describe('route stage', () => {
  it("routes by the catalogue's group, a cashier's report by its symptom", () => {
    expect(routeOf({ code: 'printer.paper_end' })).toBe('printers');
    expect(routeOf({ code: 'agent.offline' })).toBe('network');
    expect(routeOf({ code: 'cashier.problem_reported' })).toBe('helpdesk');
    expect(routeOf({ code: 'cashier.problem_reported', symptom: 'fiscal_error' })).toBe('fiscal');
  });

  it("gives a new ticket the route stage's group", async () => {
    const pipeline = createTicketPipeline({ now: t.clock.now, fiscal: new FiscalTracker(t.clock.now), route: { groupOf: () => Promise.resolve('network') } });
    const id = await t.db.write((sql) => pipeline.present(sql, paperEndFinding(t.agentIds[0]!), undefined, new ChangeSet()));
    expect(await t.db.sql.get('SELECT group_name FROM tickets WHERE id = ?', id)).toEqual({ group_name: 'network' });
  });
});
