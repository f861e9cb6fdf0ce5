import { RegisterListQuery } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { makeRegister } from '../testing/fixtures';
import { DEFAULT_FLEET_FILTER, fleetFilterToApiQuery, fleetFilterToParams, matchesFleetFilter, parseFleetFilter, type FleetFilter } from './fleet-filter';

const full: FleetFilter = { storeId: 'msk-014', connected: 'silent', health: 'fault', openTickets: true, blockingWithinDays: 30, sort: 'blocking' };
const NOW = Date.parse('2026-11-30T10:00:00.000Z');
const forecast = (days: number) => ({ blockingAt: new Date(NOW + days * 86_400_000).toISOString(), reason: 'fn_validity' as const, deviceId: 'kkt-1', daysLeft: Math.floor(days) });

describe('fleet filter', () => {
  it('round-trips through the URL, writing nothing for the default view', () => {
    for (const filter of [DEFAULT_FLEET_FILTER, full, { ...DEFAULT_FLEET_FILTER, connected: 'connected' as const }]) {
      expect(parseFleetFilter(fleetFilterToParams(filter))).toEqual(filter);
    }
    expect(fleetFilterToParams(DEFAULT_FLEET_FILTER).toString()).toBe('');
    expect(fleetFilterToParams(full).toString()).toBe('store=msk-014&connected=silent&health=fault&open=1&blocking=30&sort=blocking');
  });

  it('ignores unknown or hostile values', () => {
    expect(parseFleetFilter(new URLSearchParams('store=a%20b%3Cimg%3E&connected=maybe&health=ok&open=yes&blocking=31&sort=desc'))).toEqual(DEFAULT_FLEET_FILTER);
  });

  it('builds a RegisterListQuery the server accepts', () => {
    expect(fleetFilterToApiQuery(DEFAULT_FLEET_FILTER)).toBe('');
    const query = fleetFilterToApiQuery(full, { after: '2026-12-01T00:00:00.000Z~msk-014/pos-2', limit: 200 });
    expect(query).toBe('storeId=msk-014&connected=0&health=fault&openTickets=1&blockingWithinDays=30&sort=blocking&after=2026-12-01T00%3A00%3A00.000Z%7Emsk-014%2Fpos-2&limit=200');
    expect(RegisterListQuery.safeParse(Object.fromEntries(new URLSearchParams(query))).success).toBe(true);
  });

  it('re-applies the server filter to a register from the live feed', () => {
    const faulty = makeRegister('a', { connected: false, openTickets: 1, devices: [{ ...makeRegister('x').devices[0]!, health: 'fault' }], forecast: forecast(12) });
    expect(matchesFleetFilter(faulty, full, NOW)).toBe(true);
    expect(matchesFleetFilter({ ...faulty, connected: true }, full, NOW)).toBe(false);
    expect(matchesFleetFilter({ ...faulty, openTickets: 0 }, full, NOW)).toBe(false);
    expect(matchesFleetFilter({ ...faulty, forecast: forecast(30.5) }, full, NOW)).toBe(false);
    expect(matchesFleetFilter({ ...faulty, forecast: forecast(-3) }, full, NOW)).toBe(true);
    expect(matchesFleetFilter({ ...faulty, forecast: null }, full, NOW)).toBe(false);
    expect(matchesFleetFilter({ ...faulty, forecast: null }, { ...full, blockingWithinDays: null }, NOW)).toBe(false); // sorted by blocking date
    expect(matchesFleetFilter(makeRegister('b', { connected: false, openTickets: 1 }), full)).toBe(false);
    expect(matchesFleetFilter(makeRegister('b'), DEFAULT_FLEET_FILTER)).toBe(true);
  });
});
