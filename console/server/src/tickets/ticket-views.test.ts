import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RegisterList, RegisterListQuery, TicketList, TicketListQuery, type RegisterSummary, type TicketSummary } from '@tillscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedConsoleDatabase, SEED_LOGIN } from '../../../../scripts/bench/lib/seed-console-db';
import { openConsoleDatabase, type ConsoleDatabase } from '../db/console-database';
import { TicketViews } from './ticket-views';

// The list pages against an oracle: every ticket and register read one by one through the strict
// zod path (summaries(), registers()), then filtered and sorted in plain JS.

const NOW = new Date('2026-11-22T12:00:00.000Z');
let dataDir: string;
let db: ConsoleDatabase;
let views: TicketViews;
let allTickets: TicketSummary[];
let allRegisters: RegisterSummary[];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'tillscope-views-'));
  await seedConsoleDatabase({ dataDir, registers: 120, tickets: 1_500, openTickets: 200, silentShare: 0.1, now: NOW });
  db = await openConsoleDatabase(dataDir);
  views = new TicketViews(db.sql);
  const ids = (await db.sql.all<{ id: number }[]>('SELECT id FROM tickets')).map((row) => row.id);
  allTickets = await views.summaries(ids);
  const agentIds = (await db.sql.all<{ id: string }[]>('SELECT id FROM agents')).map((row) => row.id);
  allRegisters = await views.registers(agentIds);
});
afterAll(async () => {
  await db.close();
  await rm(dataDir, { recursive: true, force: true });
});

const queueOrder = (a: TicketSummary, b: TicketSummary) =>
  a.priority - b.priority || (a.openedAt < b.openedAt ? -1 : a.openedAt > b.openedAt ? 1 : 0) || a.id - b.id;
const isActive = (t: TicketSummary) => t.status === 'open' || t.status === 'in_progress';

/** The engineer asking: "mine" and "my groups" are theirs. */
const VIEWER = { username: SEED_LOGIN.username, groups: ['printers', 'fiscal'] };
const inMyGroups = (t: TicketSummary) => VIEWER.groups.includes(t.group);

async function ticketPage(raw: Record<string, string>) {
  const json = await views.listPage(TicketListQuery.parse(raw), VIEWER);
  return TicketList.parse(JSON.parse(json));
}

/** Every page of a filter, following nextCursor. */
async function allTicketPages(raw: Record<string, string>) {
  const pages: TicketList[] = [];
  let after: string | null = null;
  do {
    const page: TicketList = await ticketPage({ ...raw, ...(after ? { after } : {}) });
    pages.push(page);
    after = page.nextCursor;
  } while (after && pages.length < 1_000);
  return pages;
}

describe('ticket list pages', () => {
  it('the JSON SQLite builds is exactly what the zod path builds, for every ticket', async () => {
    const { tickets } = await ticketPage({ status: 'all', limit: '20000' });
    expect(tickets).toHaveLength(allTickets.length);
    const byId = new Map(allTickets.map((t) => [t.id, t]));
    for (const ticket of tickets) expect(ticket).toEqual(byId.get(ticket.id));
    // booleans are JSON booleans, nulls are null: the raw text, not only the parsed value
    const raw = JSON.parse(await views.listPage(TicketListQuery.parse({ status: 'all', limit: '5' }), { username: 'x', groups: [] })) as { tickets: Record<string, unknown>[] };
    for (const ticket of raw.tickets) {
      expect(typeof ticket.active).toBe('boolean');
      expect(typeof ticket.hasCashierReport).toBe('boolean');
      expect(Object.keys(ticket)).toEqual(Object.keys(byId.get(ticket.id as number)!));
    }
  });

  const filters: Record<string, [Record<string, string>, (t: TicketSummary) => boolean]> = {
    'the default queue': [{}, isActive],
    'a group': [{ group: 'helpdesk' }, (t) => isActive(t) && t.group === 'helpdesk'],
    'mine': [{ mine: '1' }, (t) => isActive(t) && t.assignee === SEED_LOGIN.username],
    'resolved': [{ status: 'resolved' }, (t) => !isActive(t)],
    'resolved, mine, in a group': [{ status: 'resolved', mine: '1', group: 'printers' }, (t) => !isActive(t) && t.assignee === SEED_LOGIN.username && t.group === 'printers'],
    'all': [{ status: 'all' }, () => true],
    'my groups': [{ myGroups: '1' }, (t) => isActive(t) && inMyGroups(t)],
    'unassigned': [{ unassigned: '1' }, (t) => isActive(t) && t.assignee === null],
    'my groups, unassigned': [{ myGroups: '1', unassigned: '1' }, (t) => isActive(t) && inMyGroups(t) && t.assignee === null],
    'my groups, one of them, all statuses': [{ myGroups: '1', group: 'fiscal', status: 'all' }, (t) => t.group === 'fiscal'],
    'resolved, my groups, mine': [{ status: 'resolved', myGroups: '1', mine: '1' }, (t) => !isActive(t) && inMyGroups(t) && t.assignee === SEED_LOGIN.username],
  };
  for (const [name, [raw, keep]] of Object.entries(filters)) {
    it(`${name}: pages of 37 add up to the filter, in queue order, each ticket once; the total comes with the first page`, async () => {
      const expected = allTickets.filter(keep).sort(queueOrder);
      expect(expected.length).toBeGreaterThan(0);
      const pages = await allTicketPages({ ...raw, limit: '37' });
      expect(pages.flatMap((page) => page.tickets)).toEqual(expected);
      expect(pages[0]!.total).toBe(expected.length);
      expect(pages.slice(1).every((page) => page.total === null)).toBe(true);
      expect(pages.at(-1)!.nextCursor).toBeNull();
      expect(pages.slice(0, -1).every((page) => page.tickets.length === 37)).toBe(true);
    });
  }

  it('overdue: only running clocks past due, also among all statuses; resolved ones are never overdue', async () => {
    // The seeded clocks as of NOW: a running clock (not waiting) past its due (sla/overdue.ts).
    const at = new TicketViews(db.sql, () => NOW);
    const nowIso = NOW.toISOString();
    const overdue = (t: TicketSummary) => isActive(t) && t.waitingOn === null && ((t.reactedAt === null && t.reactBy < nowIso) || t.resolveBy < nowIso);
    const expected = allTickets.filter(overdue).sort(queueOrder);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(allTickets.filter(isActive).length);
    const page = async (raw: Record<string, string>) => TicketList.parse(JSON.parse(await at.listPage(TicketListQuery.parse(raw), VIEWER)));
    for (const status of ['active', 'all']) {
      const first = await page({ status, overdue: '1', limit: '7' });
      expect(first.total).toBe(expected.length);
      expect(first.tickets).toEqual(expected.slice(0, 7));
      expect((await page({ status, overdue: '1', limit: '7', after: first.nextCursor! })).tickets).toEqual(expected.slice(7, 14));
    }
    expect(await page({ status: 'resolved', overdue: '1' })).toEqual({ tickets: [], total: 0, nextCursor: null });
  });

  it('a store: its tickets only, through its registers', async () => {
    const storeId = allTickets.find((t) => !isActive(t))!.storeId;
    const expected = allTickets.filter((t) => t.storeId === storeId && !isActive(t)).sort(queueOrder);
    const pages = await allTicketPages({ status: 'resolved', storeId, limit: '3' });
    expect(pages.flatMap((page) => page.tickets)).toEqual(expected);
  });

  it('my groups: a group outside them, or an engineer in no group, lists nothing', async () => {
    expect(await ticketPage({ myGroups: '1', group: 'network' })).toEqual({ tickets: [], total: 0, nextCursor: null });
    const nobody = TicketList.parse(JSON.parse(await views.listPage(TicketListQuery.parse({ myGroups: '1' }), { username: 'x', groups: [] })));
    expect(nobody).toEqual({ tickets: [], total: 0, nextCursor: null });
  });

  it('a store, my groups, unassigned: the store path applies both', async () => {
    const storeId = allTickets.find((t) => isActive(t) && inMyGroups(t) && t.assignee === null)!.storeId;
    const expected = allTickets.filter((t) => t.storeId === storeId && isActive(t) && inMyGroups(t) && t.assignee === null).sort(queueOrder);
    const pages = await allTicketPages({ storeId, myGroups: '1', unassigned: '1', limit: '2' });
    expect(pages.flatMap((page) => page.tickets)).toEqual(expected);
    expect(pages[0]!.total).toBe(expected.length);
  });

  it('a page that holds the whole filter counts it without a second query, and says there is no next page', async () => {
    const page = await ticketPage({ status: 'all', limit: '20000' });
    expect(page.total).toBe(allTickets.length);
    expect(page.nextCursor).toBeNull();
  });
});

describe('ticket list pages: rows the SQL check does not pass', () => {
  it('a valid time in another ISO form goes through zod and comes out the same; a corrupt row fails loudly', async () => {
    const ticket = allTickets.find(isActive)!;
    await db.sql.run('UPDATE tickets SET updated_at = ? WHERE id = ?', '2026-11-22T10:00:00Z', ticket.id);
    try {
      const { tickets } = await ticketPage({ status: 'active', limit: '20000' });
      expect(tickets.find((t) => t.id === ticket.id)).toEqual({ ...ticket, updatedAt: '2026-11-22T10:00:00Z' });

      await db.sql.run("UPDATE tickets SET code = 'printer.on_fire' WHERE id = ?", ticket.id);
      await expect(views.listPage(TicketListQuery.parse({}), { username: 'x', groups: [] })).rejects.toThrow(/code/);
    } finally {
      await db.sql.run('UPDATE tickets SET code = ?, updated_at = ? WHERE id = ?', ticket.code, ticket.updatedAt, ticket.id);
    }
  });
});

describe('register list pages', () => {
  const byStoreThenRegister = (a: RegisterSummary, b: RegisterSummary) =>
    (a.storeId < b.storeId ? -1 : a.storeId > b.storeId ? 1 : 0) || (a.registerId < b.registerId ? -1 : a.registerId > b.registerId ? 1 : 0);

  async function allRegisterPages(raw: Record<string, string>) {
    const pages: RegisterList[] = [];
    let after: string | null = null;
    do {
      pages.push(RegisterList.parse(await views.registerPage(RegisterListQuery.parse({ ...raw, ...(after ? { after } : {}) }))));
      after = pages.at(-1)!.nextCursor;
    } while (after && pages.length < 1_000);
    return pages;
  }

  const filters: Record<string, [Record<string, string>, (r: RegisterSummary) => boolean]> = {
    'the fleet': [{}, () => true],
    'silent': [{ connected: '0' }, (r) => !r.connected],
    'connected': [{ connected: '1' }, (r) => r.connected],
    'a faulty device': [{ health: 'fault' }, (r) => r.devices.some((d) => d.health === 'fault')],
    'a device in warning, connected': [{ health: 'warning', connected: '1' }, (r) => r.connected && r.devices.some((d) => d.health === 'warning')],
    'with open tickets': [{ openTickets: '1' }, (r) => r.openTickets > 0],
    'without open tickets': [{ openTickets: '0' }, (r) => r.openTickets === 0],
  };
  for (const [name, [raw, keep]] of Object.entries(filters)) {
    it(`${name}: pages of 7 add up to the filter, by store and register; the total comes with the first page`, async () => {
      const expected = allRegisters.filter(keep).sort(byStoreThenRegister);
      expect(expected.length).toBeGreaterThan(0);
      const pages = await allRegisterPages({ ...raw, limit: '7' });
      expect(pages.flatMap((page) => page.registers)).toEqual(expected);
      expect(pages[0]!.total).toBe(expected.length);
      expect(pages.slice(1).every((page) => page.total === null)).toBe(true);
      expect(pages.at(-1)!.nextCursor).toBeNull();
    });
  }

  it('a store: its registers, with devices and open-ticket counts', async () => {
    const storeId = allRegisters.find((r) => r.openTickets > 0)!.storeId;
    const page = await views.registerPage(RegisterListQuery.parse({ storeId }));
    expect(page.registers).toEqual(allRegisters.filter((r) => r.storeId === storeId).sort(byStoreThenRegister));
    expect(page.registers.some((r) => r.openTickets > 0 && r.devices.length > 0)).toBe(true);
    expect(page).toMatchObject({ total: page.registers.length, nextCursor: null });
  });
});
