import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTER, effectiveFilter, filterToApiQuery, filterToParams, loadQueryFor, parseFilter, sameServerFilter, type QueueFilter } from './filters';
import { DEFAULT_FLEET_FILTER } from './fleet-filter';
import { parseHash, routeToHash, storeFleetHash, storeQueueHash, storeReplacementsHash } from './route';

const full: QueueFilter = { status: 'all', sort: 'due', group: 'printers', myGroups: false, category: 'printer', storeId: 'msk-014', mine: true, unassigned: true, overdue: true };
const allGroups: QueueFilter = { ...DEFAULT_FILTER, myGroups: false, category: 'fiscal' };

describe('queue filter <-> URL', () => {
  it('round-trips every field', () => {
    for (const f of [DEFAULT_FILTER, full, allGroups, { ...DEFAULT_FILTER, sort: 'priority' as const }, { ...DEFAULT_FILTER, status: 'resolved' as const }, { ...DEFAULT_FILTER, storeId: 'S1' }]) {
      expect(parseFilter(filterToParams(f))).toEqual(f);
    }
  });
  it('writes nothing for the default view and a stable order otherwise', () => {
    expect(filterToParams(DEFAULT_FILTER).toString()).toBe('');
    expect(filterToParams(full).toString()).toBe('status=all&group=printers&category=printer&store=msk-014&mine=1&unassigned=1&overdue=1');
    expect(filterToParams(allGroups).toString()).toBe('mygroups=0&category=fiscal');
    expect(filterToParams({ ...allGroups, sort: 'priority' }).toString()).toBe('sort=priority&mygroups=0&category=fiscal');
  });
  it('has "my groups" on unless the URL turns it off or names one group', () => {
    expect(parseFilter(new URLSearchParams('')).myGroups).toBe(true);
    expect(parseFilter(new URLSearchParams('mygroups=0')).myGroups).toBe(false);
    expect(parseFilter(new URLSearchParams('group=fiscal'))).toMatchObject({ group: 'fiscal', myGroups: false });
    expect(parseFilter(new URLSearchParams('group=my_admin_group')).group).toBe('my_admin_group');
  });
  it('an engineer in no group has no "my groups"', () => {
    expect(effectiveFilter(DEFAULT_FILTER, { groups: [] }).myGroups).toBe(false);
    expect(effectiveFilter(DEFAULT_FILTER, { groups: ['fiscal'] })).toBe(DEFAULT_FILTER);
  });
  it('ignores unknown or hostile values', () => {
    const f = parseFilter(new URLSearchParams('status=deleted&sort=random&group=<script>&category=toys&store=a%20b%3Cimg%3E&mine=yes'));
    expect(f).toEqual(DEFAULT_FILTER);
  });
  it('builds the API query (TicketListQuery names)', () => {
    expect(filterToApiQuery(DEFAULT_FILTER)).toBe('status=active&myGroups=1');
    expect(filterToApiQuery(full)).toBe('status=all&group=printers&category=printer&storeId=msk-014&mine=1&unassigned=1&overdue=1');
    expect(filterToApiQuery({ ...DEFAULT_FILTER, myGroups: false }, { after: '2~2026-03-02T09:00:00.000Z~7', limit: 500 })).toBe('status=active&after=2%7E2026-03-02T09%3A00%3A00.000Z%7E7&limit=500');
  });
  it('loads the whole active queue and filters it in the renderer; other statuses are filtered by the server, unassigned and overdue too', () => {
    const active = { ...full, status: 'active' as const };
    const nothing = { ...DEFAULT_FILTER, myGroups: false };
    expect(loadQueryFor(active)).toEqual(nothing);
    expect(loadQueryFor(DEFAULT_FILTER)).toEqual(nothing);
    expect(loadQueryFor(full)).toEqual(full);
    expect(loadQueryFor({ ...DEFAULT_FILTER, status: 'resolved', unassigned: true, overdue: true })).toMatchObject({ unassigned: true, overdue: true });
    expect(loadQueryFor({ ...DEFAULT_FILTER, status: 'resolved' })).toEqual({ ...nothing, status: 'resolved', myGroups: true });
  });
  it('knows which changes need a server reload', () => {
    // the active queue is loaded whole: unassigned and overdue are answered from memory
    expect(sameServerFilter(loadQueryFor(DEFAULT_FILTER), loadQueryFor({ ...DEFAULT_FILTER, overdue: true, unassigned: true }))).toBe(true);
    const resolved = { ...DEFAULT_FILTER, status: 'resolved' as const };
    expect(sameServerFilter(loadQueryFor(resolved), loadQueryFor({ ...resolved, unassigned: true }))).toBe(false);
    expect(sameServerFilter(loadQueryFor(resolved), loadQueryFor({ ...resolved, overdue: true }))).toBe(false);
    expect(sameServerFilter(loadQueryFor(resolved), loadQueryFor({ ...resolved, sort: 'priority' }))).toBe(true);
    expect(sameServerFilter(DEFAULT_FILTER, { ...DEFAULT_FILTER, mine: true })).toBe(false);
    expect(sameServerFilter(DEFAULT_FILTER, { ...DEFAULT_FILTER, myGroups: false })).toBe(false);
    expect(sameServerFilter(DEFAULT_FILTER, { ...DEFAULT_FILTER, category: 'network' })).toBe(false);
  });
});

describe('routes', () => {
  it('round-trips queue, ticket and fleet routes through the hash', () => {
    for (const route of [
      { name: 'queue' as const, filter: { ...DEFAULT_FILTER } },
      { name: 'queue' as const, filter: full },
      { name: 'ticket' as const, id: 42 },
      { name: 'fleet' as const, filter: { ...DEFAULT_FLEET_FILTER } },
      { name: 'fleet' as const, filter: { storeId: 'msk-014', connected: 'silent' as const, health: 'fault' as const, openTickets: true, blockingWithinDays: 30 as const, sort: 'blocking' as const } },
      { name: 'replacements' as const, storeId: null },
      { name: 'replacements' as const, storeId: 'msk-014' },
      { name: 'register' as const, agentId: 'agt_0a1b2c3d4e5f' },
      { name: 'references' as const, id: null },
      { name: 'references' as const, id: 7 },
      { name: 'references' as const, id: 'new' as const },
    ]) {
      expect(parseHash(routeToHash(route))).toEqual(route);
    }
  });
  it('links to one store\'s queue, registers and drives to replace', () => {
    expect(storeReplacementsHash('msk-014')).toBe('#/fiscal?store=msk-014');
    expect(parseHash('#/fiscal?store=a%20b')).toEqual({ name: 'replacements', storeId: null });
    expect(storeQueueHash('msk-014')).toBe('#/queue?mygroups=0&store=msk-014');
    expect(storeFleetHash('msk-014')).toBe('#/fleet?store=msk-014');
    expect(routeToHash({ name: 'fleet', filter: { ...DEFAULT_FLEET_FILTER, connected: 'silent', openTickets: true } })).toBe('#/fleet?connected=silent&open=1');
    expect(parseHash(storeQueueHash('msk-014'))).toEqual({ name: 'queue', filter: { ...DEFAULT_FILTER, myGroups: false, storeId: 'msk-014' } });
  });
  it('falls back to the queue for anything else', () => {
    expect(parseHash('')).toEqual({ name: 'queue', filter: DEFAULT_FILTER });
    expect(parseHash('#/tickets/abc')).toEqual({ name: 'queue', filter: DEFAULT_FILTER });
    expect(parseHash('#/tickets/0')).toEqual({ name: 'queue', filter: DEFAULT_FILTER });
    expect(parseHash('#/queue?group=fiscal')).toEqual({ name: 'queue', filter: { ...DEFAULT_FILTER, group: 'fiscal', myGroups: false } });
    expect(parseHash('#/registers/a%2Fb')).toEqual({ name: 'queue', filter: DEFAULT_FILTER });
    expect(parseHash('#/registers/%E0%A4%A')).toEqual({ name: 'queue', filter: DEFAULT_FILTER });
    expect(parseHash('#/references/0')).toEqual({ name: 'queue', filter: DEFAULT_FILTER });
  });
});
