import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RegisterListQuery, TicketListQuery } from '@tillscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsoleDatabase, type ConsoleDatabase } from '../db/console-database';
import { replacementPageSql, replacementsSql, replacementStoresSql } from '../fiscal/replacements';
import { LATEST_BUNDLE_SQL } from '../routing/vendor-pack';
import { openTicketCountsSql, registerCountSql, registerPageSql } from './register-views';
import { ticketCountSql, ticketListSql } from './ticket-views';

// The list APIs stay fast at 200,000 tickets and 25,000 registers only while SQLite reads each page
// from an index, in order, and stops at the LIMIT. EXPLAIN QUERY PLAN on the migrated schema
// (no table statistics, as in the field) pins that: a dropped or renamed index, or a query change
// that makes SQLite scan or sort a whole table, fails here long before anyone notices a slow queue.
// No timing is asserted.

const NOW_MS = Date.parse('2026-11-30T10:00:00.000Z');
const NOW_ISO = new Date(NOW_MS).toISOString();

let dataDir: string;
let db: ConsoleDatabase;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'tillscope-plans-'));
  db = await openConsoleDatabase(dataDir);
});
afterAll(async () => {
  await db.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function planOf(sql: string, params: unknown[]): Promise<string[]> {
  const rows = await db.sql.all<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${sql}`, ...params);
  return rows.map((row) => row.detail);
}

/** A full scan of a table (with or without a covering index) reads every row: never allowed for tickets. */
const scansTickets = (step: string) => /^SCAN (t|tickets)\b/.test(step);
const scansAgentsTable = (step: string) => /^SCAN (a|agents)$/.test(step);
const sorts = (step: string) => step.includes('USE TEMP B-TREE FOR ORDER BY');

/** A store's tickets come through its registers: the agents index, then each register's tickets. */
const BY_STORE = ['sqlite_autoindex_agents_2', 'SEARCH t USING INDEX tickets_by_register (agent_id=?)'];

const TICKET_CASES: Record<string, { query: Record<string, string>; index: string | string[]; sorted: 'index' | 'small set' }> = {
  'the default queue': { query: {}, index: 'tickets_queue', sorted: 'index' },
  'a group': { query: { group: 'printers' }, index: 'tickets_by_group', sorted: 'index' },
  'mine': { query: { mine: '1' }, index: 'tickets_by_assignee_queue', sorted: 'index' },
  'mine in a group': { query: { mine: '1', group: 'network' }, index: 'tickets_by_assignee_queue', sorted: 'index' },
  'resolved': { query: { status: 'resolved' }, index: 'tickets_queue', sorted: 'index' },
  'resolved in a group': { query: { status: 'resolved', group: 'printers' }, index: 'tickets_by_group', sorted: 'index' },
  'resolved, mine': { query: { status: 'resolved', mine: '1' }, index: 'tickets_by_assignee_queue', sorted: 'index' },
  'all statuses': { query: { status: 'all' }, index: 'tickets_queue', sorted: 'index' },
  'with store incidents\' symptoms': { query: { symptoms: '1' }, index: 'tickets_queue', sorted: 'index' },
  'a next page': { query: { status: 'resolved', after: '2~2026-09-01T00:00:00.000Z~5' }, index: 'tickets_queue', sorted: 'index' },
  // A store has a handful of registers: its tickets are found through them and sorted in memory.
  // With a group, SQLite would rather read the group's index (group, status) for every register
  // of the store: thousands of rows per register at 20,000 tickets (60 ms instead of 3).
  'a store': { query: { storeId: 'msk-001' }, index: BY_STORE, sorted: 'small set' },
  'a store, resolved, in a group': { query: { storeId: 'msk-001', status: 'resolved', group: 'printers' }, index: BY_STORE, sorted: 'small set' },
  'a store, resolved, in my groups': { query: { storeId: 'msk-001', status: 'resolved', myGroups: '1' }, index: BY_STORE, sorted: 'small set' },
  // "My groups": one arm per (status, group), each read in order from the group index and merged.
  'my groups': { query: { myGroups: '1' }, index: 'tickets_by_group', sorted: 'index' },
  'my groups, all statuses': { query: { myGroups: '1', status: 'all' }, index: 'tickets_by_group', sorted: 'index' },
  'unassigned': { query: { unassigned: '1' }, index: 'tickets_by_assignee_queue', sorted: 'index' },
  // Either index keeps the order; SQLite takes the unassigned ones of a status and checks the group.
  'my groups, unassigned': { query: { myGroups: '1', unassigned: '1' }, index: 'tickets_by_assignee_queue', sorted: 'index' },
  'a store, my groups, unassigned': { query: { storeId: 'msk-001', myGroups: '1', unassigned: '1' }, index: BY_STORE, sorted: 'small set' },
  // Overdue is a check on each active ticket read in queue order (only running clocks can be overdue).
  'overdue': { query: { overdue: '1' }, index: 'tickets_queue', sorted: 'index' },
  'overdue in my groups': { query: { overdue: '1', myGroups: '1' }, index: 'tickets_by_group', sorted: 'index' },
  'overdue among all statuses': { query: { overdue: '1', status: 'all' }, index: 'tickets_queue', sorted: 'index' },
};

/** The engineer asking: "mine" and "my groups" are theirs. */
const VIEWER = { username: 'eve', groups: ['printers', 'fiscal', 'network'] };

describe('ticket list query plans', () => {
  for (const [name, { query, index, sorted }] of Object.entries(TICKET_CASES)) {
    it(`${name}: every ticket row comes through an index${sorted === 'index' ? ', already in queue order' : ''}`, async () => {
      const parsed = TicketListQuery.parse(query);
      const { sql, params } = ticketListSql(parsed, VIEWER, NOW_ISO);
      const plan = await planOf(sql, [...params, parsed.limit + 1]);
      expect(plan.filter(scansTickets), plan.join('\n')).toEqual([]);
      expect(plan.filter(scansAgentsTable), plan.join('\n')).toEqual([]);
      for (const wanted of [index].flat()) expect(plan.some((step) => step.includes(wanted)), `uses ${wanted}:\n${plan.join('\n')}`).toBe(true);
      if (sorted === 'index') expect(plan.filter(sorts), plan.join('\n')).toEqual([]);
    });

    if (!query.after) {
      it(`${name}: the total is counted from an index`, async () => {
        const { sql, params } = ticketCountSql(TicketListQuery.parse(query), VIEWER, NOW_ISO);
        const plan = await planOf(sql, params);
        expect(plan.filter(scansTickets), plan.join('\n')).toEqual([]);
        expect(plan.filter(scansAgentsTable), plan.join('\n')).toEqual([]);
        if (query.storeId) for (const wanted of BY_STORE) expect(plan.some((step) => step.includes(wanted)), `uses ${wanted}:\n${plan.join('\n')}`).toBe(true);
      });
    }
  }
});

describe('the overdue filter reads active tickets only', () => {
  // Resolved tickets run no clock: their arms (hundreds of thousands of rows) are not read at all.
  it('among all statuses: the open and in-progress arms, the list and its count', () => {
    const query = TicketListQuery.parse({ overdue: '1', status: 'all' });
    for (const { params } of [ticketListSql(query, VIEWER, NOW_ISO), ticketCountSql(query, VIEWER, NOW_ISO)]) {
      expect(params).not.toContain('resolved');
      expect(params).not.toContain('closed');
    }
    expect(ticketListSql(query, VIEWER, NOW_ISO).sql.split('UNION ALL')).toHaveLength(2);
  });
});

describe('register list query plans', () => {
  const cases: Record<string, Record<string, string>> = {
    'the fleet': {},
    'a store': { storeId: 'msk-001' },
    'silent registers': { connected: '0' },
    'connected registers': { connected: '1' },
    'a faulty device': { health: 'fault' },
    'with open tickets': { openTickets: '1' },
    'without open tickets': { openTickets: '0' },
    'everything at once, next page': { connected: '1', health: 'warning', openTickets: '1', after: 'msk-001/pos-2' },
    'sales blocked within 30 days': { blockingWithinDays: '30' },
    'blocked within 30 days, silent, next page': { blockingWithinDays: '30', connected: '0', after: 'msk-001/pos-2' },
  };
  for (const [name, raw] of Object.entries(cases)) {
    it(`${name}: read in (store, register) order from its index, filters checked on the way, nothing sorted`, async () => {
      const query = RegisterListQuery.parse(raw);
      const { sql, params } = registerPageSql(query, NOW_MS);
      const plan = await planOf(sql, [...params, query.limit + 1]);
      expect(plan.some((step) => /^(SCAN|SEARCH) a USING INDEX sqlite_autoindex_agents_2\b/.test(step)), plan.join('\n')).toBe(true);
      expect(plan.filter(scansAgentsTable), plan.join('\n')).toEqual([]);
      expect(plan.filter(scansTickets), plan.join('\n')).toEqual([]);
      expect(plan.filter(sorts), plan.join('\n')).toEqual([]);
      if (query.openTickets) expect(plan.some((step) => step.includes('tickets_one_open_per_finding')), plan.join('\n')).toBe(true);
    });

    if (!raw.after) {
      it(`${name}: the total is counted without reading tickets in full`, async () => {
        const { sql, params } = registerCountSql(RegisterListQuery.parse(raw), NOW_MS);
        const plan = await planOf(sql, params);
        expect(plan.filter(scansAgentsTable), plan.join('\n')).toEqual([]);
        expect(plan.filter(scansTickets), plan.join('\n')).toEqual([]);
      });
    }
  }

  // Sorted by blocking date: the partial index (blocking date, store, register) is read in order from
  // the earliest date and the page stops at its LIMIT; a date bound is the index range.
  const byBlocking: Record<string, Record<string, string>> = {
    'by blocking date': { sort: 'blocking' },
    'by blocking date, within 30 days': { sort: 'blocking', blockingWithinDays: '30' },
    'by blocking date, within 30 days, next page': { sort: 'blocking', blockingWithinDays: '30', after: '2026-12-01T00:00:00.000Z~msk-001/pos-2' },
    'by blocking date, with open tickets and a faulty device': { sort: 'blocking', blockingWithinDays: '90', openTickets: '1', health: 'fault' },
  };
  for (const [name, raw] of Object.entries(byBlocking)) {
    it(`${name}: read in blocking-date order from agents_by_fiscal_blocking, nothing sorted`, async () => {
      const query = RegisterListQuery.parse(raw);
      const { sql, params } = registerPageSql(query, NOW_MS);
      const plan = await planOf(sql, [...params, query.limit + 1]);
      expect(plan.some((step) => /^(SCAN|SEARCH) a USING INDEX agents_by_fiscal_blocking\b/.test(step)), plan.join('\n')).toBe(true);
      expect(plan.filter(scansAgentsTable), plan.join('\n')).toEqual([]);
      expect(plan.filter(scansTickets), plan.join('\n')).toEqual([]);
      expect(plan.filter(sorts), plan.join('\n')).toEqual([]);
    });
    if (!raw.after) {
      it(`${name}: the total is counted from an index (the blocking index, or the health set when there is one)`, async () => {
        const { sql, params } = registerCountSql(RegisterListQuery.parse(raw), NOW_MS);
        const plan = await planOf(sql, params);
        expect(plan.filter(scansAgentsTable), plan.join('\n')).toEqual([]);
        if (!raw.health) expect(plan.some((step) => step.includes('agents_by_fiscal_blocking')), plan.join('\n')).toBe(true);
      });
    }
  }

  it('a store sorted by blocking date: its few registers through the store index, sorted in memory', async () => {
    const query = RegisterListQuery.parse({ sort: 'blocking', storeId: 'msk-001' });
    const { sql, params } = registerPageSql(query, NOW_MS);
    const plan = await planOf(sql, [...params, query.limit + 1]);
    expect(plan.filter(scansAgentsTable), plan.join('\n')).toEqual([]);
    expect(plan.some((step) => /USING (COVERING )?INDEX (sqlite_autoindex_agents_2|agents_by_fiscal_blocking)\b/.test(step)), plan.join('\n')).toBe(true);
  });

  it('the open-ticket counts of a page probe the one-open-ticket-per-finding index', async () => {
    const plan = await planOf(openTicketCountsSql(2), ['a', 'b']);
    expect(plan.filter(scansTickets), plan.join('\n')).toEqual([]);
    expect(plan.some((step) => step.includes('tickets_one_open_per_finding')), plan.join('\n')).toBe(true);
  });
});

describe('fiscal list query plans', () => {
  it('the fleet\'s drives to replace are a range of fiscal_states_by_replace, not a scan', async () => {
    const plan = await planOf(replacementsSql(undefined), ['2027-03-01T00:00:00.000Z']);
    expect(plan.some((step) => /^SEARCH f USING INDEX fiscal_states_by_replace \(fn_replace_by<\?\)/.test(step)), plan.join('\n')).toBe(true);
    expect(plan.filter((step) => /^SCAN (f|a|d)\b/.test(step)), plan.join('\n')).toEqual([]);
  });

  it('one store\'s drives: no table is scanned', async () => {
    const plan = await planOf(replacementsSql('msk-001'), ['2027-03-01T00:00:00.000Z', 'msk-001']);
    expect(plan.filter((step) => /^SCAN (f|a|d)\b/.test(step)), plan.join('\n')).toEqual([]);
  });

  it('a page of stores: the due drives are an index range, only their store ids are sorted', async () => {
    const plan = await planOf(replacementStoresSql({ after: 'msk-001' }), ['2027-03-01T00:00:00.000Z', 'msk-001', 101]);
    expect(plan.some((step) => /^SEARCH f USING INDEX fiscal_states_by_replace \(fn_replace_by<\?\)/.test(step)), plan.join('\n')).toBe(true);
    expect(plan.filter((step) => /^SCAN (f|a)\b/.test(step)), plan.join('\n')).toEqual([]);
  });

  it('the drives of a page\'s stores come through the store index', async () => {
    const plan = await planOf(replacementPageSql(3), ['msk-001', 'msk-002', 'msk-003', '2027-03-01T00:00:00.000Z']);
    expect(plan.some((step) => /^SEARCH a USING (COVERING )?INDEX sqlite_autoindex_agents_2 \(store_id=\?\)/.test(step)), plan.join('\n')).toBe(true);
    expect(plan.filter((step) => /^SCAN (f|a|d)\b/.test(step)), plan.join('\n')).toEqual([]);
  });
});

describe('vendor pack query plans', () => {
  it("a register's latest diagnostics bundle is one step along bundles_by_agent, nothing sorted", async () => {
    const plan = await planOf(LATEST_BUNDLE_SQL, ['agent-1']);
    expect(plan.some((step) => step.includes('bundles_by_agent (agent_id=?)')), plan.join('\n')).toBe(true);
    expect(plan.filter(sorts), plan.join('\n')).toEqual([]);
  });
});
