import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTicketTestDb, paperEndFinding, type TicketTestDb } from '../test-support/ticket-db';
import { routingTableRoute } from '../tickets/stages/route';
import { routeByTable, setRoute } from './routing-table';

// The routing table's answer for a new ticket on a real database: the rule, the default (the
// catalogue's or a cashier's symptom's), and the fallbacks when groups are archived.

let t: TicketTestDb;
beforeEach(async () => {
  t = await openTicketTestDb();
});
afterEach(() => t.dispose());

const at = '2026-11-30T10:00:00.000Z';
const archive = (id: string) => t.db.sql.run('UPDATE support_groups SET archived = 1 WHERE id = ?', id);

describe('routeByTable', () => {
  it('answers the default without a rule, the rule with one', async () => {
    expect(await routeByTable(t.db.sql, 'printer.paper_end', 'printers')).toBe('printers');
    await setRoute(t.db.sql, 'printer.paper_end', 'hardware', 'admin', at);
    expect(await routeByTable(t.db.sql, 'printer.paper_end', 'printers')).toBe('hardware');
    expect(await routeByTable(t.db.sql, 'printer.cover_open', 'printers')).toBe('printers');
  });

  it('falls back from an archived rule group to the default, from an archived default to the helpdesk, and never leaves a ticket without a group', async () => {
    await setRoute(t.db.sql, 'printer.paper_end', 'hardware', 'admin', at);
    await archive('hardware');
    expect(await routeByTable(t.db.sql, 'printer.paper_end', 'printers')).toBe('printers');
    await archive('printers');
    expect(await routeByTable(t.db.sql, 'printer.paper_end', 'printers')).toBe('helpdesk');
    await archive('helpdesk');
    expect(await routeByTable(t.db.sql, 'printer.paper_end', 'printers')).toBe('printers');
  });

  it("a cashier's report goes by its symptom unless an admin routed its code", async () => {
    const report = { ...paperEndFinding(t.agentIds[0]!), code: 'cashier.problem_reported' as const, deviceId: null, symptom: 'fiscal_error' as const };
    expect(await routingTableRoute.groupOf(t.db.sql, report)).toBe('fiscal');
    await setRoute(t.db.sql, 'cashier.problem_reported', 'helpdesk', 'admin', at);
    expect(await routingTableRoute.groupOf(t.db.sql, report)).toBe('helpdesk');
  });
});
