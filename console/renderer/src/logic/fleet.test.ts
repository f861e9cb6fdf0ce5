import { describe, expect, it } from 'vitest';
import { makeRegister } from '../testing/fixtures';
import { findRegister, groupByStore, registerHealth, replaceRegister } from './fleet';

const device = makeRegister('a').devices[0]!;

describe('fleet', () => {
  it('a register is silent when disconnected, else its worst device', () => {
    expect(registerHealth(makeRegister('a', { connected: false }))).toBe('silent');
    expect(registerHealth(makeRegister('a', { devices: [device, { ...device, deviceId: 'p2', health: 'fault' }] }))).toBe('fault');
    expect(registerHealth(makeRegister('a', { devices: [] }))).toBe('unknown');
  });
  it('groups by store in the order the server pages them, registers by number, with the store\'s worst state', () => {
    const groups = groupByStore([
      makeRegister('a', { storeId: 'S1', registerId: 'pos-10' }),
      makeRegister('b', { storeId: 'S1', registerId: 'pos-2', devices: [{ ...device, health: 'fault' }], openTickets: 2 }),
      makeRegister('c', { storeId: 'S2', connected: false }),
    ]);
    expect(groups.map((g) => g.storeId)).toEqual(['S1', 'S2']);
    expect(groups[0]).toMatchObject({ worst: 'fault', openTickets: 2, connected: 2 });
    expect(groups[0]!.registers.map((r) => r.registerId)).toEqual(['pos-2', 'pos-10']);
    expect(groups[1]).toMatchObject({ worst: 'silent', connected: 0 });
  });
  it('replaces a register the page shows by agent id, and leaves the page alone for one it does not', () => {
    const list = [makeRegister('a'), makeRegister('b', { registerId: 'pos-03' })];
    const next = replaceRegister(list, makeRegister('a', { connected: false }));
    expect(next[0]!.connected).toBe(false);
    expect(replaceRegister(list, makeRegister('c'))).toBe(list);
    expect(findRegister(list, 'msk-014', 'pos-03')?.agentId).toBe('b');
  });
});
