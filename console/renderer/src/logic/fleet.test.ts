import { describe, expect, it } from 'vitest';
import { makeRegister } from '../testing/fixtures';
import { findRegister, groupByStore, registerHealth, upsertRegister } from './fleet';

const device = makeRegister('a').devices[0]!;

describe('fleet', () => {
  it('a register is silent when disconnected, else its worst device', () => {
    expect(registerHealth(makeRegister('a', { connected: false }))).toBe('silent');
    expect(registerHealth(makeRegister('a', { devices: [device, { ...device, deviceId: 'p2', health: 'fault' }] }))).toBe('fault');
    expect(registerHealth(makeRegister('a', { devices: [] }))).toBe('unknown');
  });
  it('groups by store, stores in trouble first', () => {
    const groups = groupByStore([
      makeRegister('a', { storeId: 'S2', registerId: 'pos-10' }),
      makeRegister('b', { storeId: 'S2', registerId: 'pos-2' }),
      makeRegister('c', { storeId: 'S1', devices: [{ ...device, health: 'fault' }], openTickets: 2 }),
    ]);
    expect(groups.map((g) => g.storeId)).toEqual(['S1', 'S2']);
    expect(groups[0]).toMatchObject({ worst: 'fault', openTickets: 2, connected: 1 });
    expect(groups[1]!.registers.map((r) => r.registerId)).toEqual(['pos-2', 'pos-10']);
  });
  it('upserts by agent id', () => {
    const list = [makeRegister('a'), makeRegister('b', { registerId: 'pos-03' })];
    const next = upsertRegister(list, makeRegister('a', { connected: false }));
    expect(next[0]!.connected).toBe(false);
    expect(upsertRegister(list, makeRegister('c'))).toHaveLength(3);
    expect(findRegister(list, 'msk-014', 'pos-03')?.agentId).toBe('b');
  });
});
