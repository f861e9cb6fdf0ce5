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

/** Registers grouped by store: stores in need first (worst health, then open tickets), then by id. */
export function groupByStore(registers: readonly RegisterSummary[]): StoreGroup[] {
  const byStore = new Map<string, RegisterSummary[]>();
  for (const r of registers) {
    const list = byStore.get(r.storeId) ?? [];
    list.push(r);
    byStore.set(r.storeId, list);
  }
  const groups = [...byStore].map(([storeId, list]) => {
    list.sort((a, b) => a.registerId.localeCompare(b.registerId, 'en', { numeric: true }));
    return {
      storeId,
      registers: list,
      connected: list.filter((r) => r.connected).length,
      openTickets: list.reduce((n, r) => n + r.openTickets, 0),
      worst: worstOf(list.map(registerHealth), 'ok'),
    };
  });
  return groups.sort(
    (a, b) => HEALTH_RANK[b.worst] - HEALTH_RANK[a.worst] || b.openTickets - a.openTickets || a.storeId.localeCompare(b.storeId, 'en', { numeric: true }),
  );
}

/** Replaces a register by agentId or appends it. */
export function upsertRegister(list: readonly RegisterSummary[], register: RegisterSummary): RegisterSummary[] {
  const at = list.findIndex((r) => r.agentId === register.agentId);
  if (at < 0) return [...list, register];
  const next = [...list];
  next[at] = register;
  return next;
}

export function findRegister(list: readonly RegisterSummary[], storeId: string, registerId: string): RegisterSummary | undefined {
  return list.find((r) => r.storeId === storeId && r.registerId === registerId);
}
