import type { DeviceHealth, RegisterSummary } from '@tillscope/shared';

export interface StoreGroup {
  storeId: string;
  registers: RegisterSummary[];
  connected: number;
  openTickets: number;
  worst: DeviceHealth | 'silent';
}

const HEALTH_RANK: Record<DeviceHealth | 'silent', number> = { fault: 4, silent: 3, warning: 2, unknown: 1, ok: 0 };

/** The worst of `states`; `none` when there are none. */
export function worstOf<S extends DeviceHealth | 'silent'>(states: readonly S[], none: S): S {
  return states.reduce((w, s) => (HEALTH_RANK[s] > HEALTH_RANK[w] ? s : w), none);
}

/** The worst state of a register: silent if its agent is not connected, else its worst device. */
export function registerHealth(register: RegisterSummary): DeviceHealth | 'silent' {
  if (!register.connected) return 'silent';
  return register.devices.length ? worstOf(register.devices.map((d) => d.health), 'ok') : 'unknown';
}

/**
 * Registers grouped by store, stores in the order they come (the server pages the fleet by store,
 * then register, so a page never reshuffles when the next one is added), registers by number.
 */
export function groupByStore(registers: readonly RegisterSummary[]): StoreGroup[] {
  const byStore = new Map<string, RegisterSummary[]>();
  for (const r of registers) {
    const list = byStore.get(r.storeId) ?? [];
    list.push(r);
    byStore.set(r.storeId, list);
  }
  return [...byStore].map(([storeId, list]) => {
    list.sort((a, b) => a.registerId.localeCompare(b.registerId, 'en', { numeric: true }));
    return {
      storeId,
      registers: list,
      connected: list.filter((r) => r.connected).length,
      openTickets: list.reduce((n, r) => n + r.openTickets, 0),
      worst: worstOf(list.map(registerHealth), 'ok'),
    };
  });
}

/** Replaces the register with the same agentId; the same array when it is not in the list. */
export function replaceRegister(list: readonly RegisterSummary[], register: RegisterSummary): readonly RegisterSummary[] {
  const at = list.findIndex((r) => r.agentId === register.agentId);
  if (at < 0) return list;
  const next = [...list];
  next[at] = register;
  return next;
}

export function findRegister(list: readonly RegisterSummary[], storeId: string, registerId: string): RegisterSummary | undefined {
  return list.find((r) => r.storeId === storeId && r.registerId === registerId);
}
