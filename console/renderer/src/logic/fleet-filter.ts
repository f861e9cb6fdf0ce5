import { RegisterListQuery, StoreId, type RegisterSummary } from '@tillscope/shared';
import type { PageRequest } from './filters';

export type ConnectionFilter = 'any' | 'connected' | 'silent';
/** The device health a register can be filtered by: a device in trouble (`fault`, `warning`, `unknown`). */
export const HealthFilter = RegisterListQuery.shape.health.unwrap();
export type HealthFilter = NonNullable<RegisterListQuery['health']>;
export const HEALTH_FILTERS: readonly HealthFilter[] = HealthFilter.options;

/** "Sales blocked within N days (or already)": the choices the fleet screen offers. */
export const BLOCKING_FILTERS = [3, 7, 30, 90] as const;
export type BlockingFilter = (typeof BLOCKING_FILTERS)[number];
export type FleetSort = 'store' | 'blocking';

/**
 * What the fleet screen shows. Every field is a server filter (GET /api/registers): a fleet of
 * 25,000 registers is paged by the server, never loaded whole.
 */
export interface FleetFilter {
  storeId: string | null;
  connected: ConnectionFilter;
  /** registers with at least one device whose last report had this health */
  health: HealthFilter | null;
  /** only registers with open tickets */
  openTickets: boolean;
  /** only registers whose sales will be blocked within this many days, or already are */
  blockingWithinDays: BlockingFilter | null;
  /** by store (default), or by blocking date, earliest first (registers without a forecast are left out) */
  sort: FleetSort;
}

/** Registers per page of the fleet screen (the API's default too). */
export const FLEET_PAGE_SIZE = 200;

export const DEFAULT_FLEET_FILTER: Readonly<FleetFilter> = Object.freeze({
  storeId: null, connected: 'any', health: null, openTickets: false, blockingWithinDays: null, sort: 'store',
});

const CONNECTIONS: readonly ConnectionFilter[] = ['any', 'connected', 'silent'];

/** Reads a fleet filter from URL parameters. Anything unknown or malformed falls back to the default. */
export function parseFleetFilter(params: URLSearchParams): FleetFilter {
  const store = StoreId.safeParse(params.get('store'));
  const health = HealthFilter.safeParse(params.get('health'));
  const connected = params.get('connected') as ConnectionFilter;
  return {
    storeId: store.success ? store.data : null,
    connected: CONNECTIONS.includes(connected) ? connected : 'any',
    health: health.success ? health.data : null,
    openTickets: params.get('open') === '1',
    blockingWithinDays: BLOCKING_FILTERS.find((days) => String(days) === params.get('blocking')) ?? null,
    sort: params.get('sort') === 'blocking' ? 'blocking' : 'store',
  };
}

/** Writes only what differs from the default, in a fixed order, so equal views have equal URLs. */
export function fleetFilterToParams(filter: FleetFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.storeId) params.set('store', filter.storeId);
  if (filter.connected !== 'any') params.set('connected', filter.connected);
  if (filter.health) params.set('health', filter.health);
  if (filter.openTickets) params.set('open', '1');
  if (filter.blockingWithinDays !== null) params.set('blocking', String(filter.blockingWithinDays));
  if (filter.sort !== 'store') params.set('sort', filter.sort);
  return params;
}

/** The query string for GET /api/registers (RegisterListQuery); `after` is the previous page's `nextCursor`. */
export function fleetFilterToApiQuery(filter: FleetFilter, { after, limit }: PageRequest = {}): string {
  const params = new URLSearchParams();
  if (filter.storeId) params.set('storeId', filter.storeId);
  if (filter.connected !== 'any') params.set('connected', filter.connected === 'connected' ? '1' : '0');
  if (filter.health) params.set('health', filter.health);
  if (filter.openTickets) params.set('openTickets', '1');
  if (filter.blockingWithinDays !== null) params.set('blockingWithinDays', String(filter.blockingWithinDays));
  if (filter.sort !== 'store') params.set('sort', filter.sort);
  if (after) params.set('after', after);
  if (limit !== undefined) params.set('limit', String(limit));
  return params.toString();
}

export function sameFleetFilter(a: FleetFilter, b: FleetFilter): boolean {
  return a.storeId === b.storeId && a.connected === b.connected && a.health === b.health && a.openTickets === b.openTickets
    && a.blockingWithinDays === b.blockingWithinDays && a.sort === b.sort;
}

const DAY_MS = 86_400_000;

/** The server's filter, re-applied to registers that arrive on the live feed. */
export function matchesFleetFilter(register: RegisterSummary, filter: FleetFilter, nowMs = Date.now()): boolean {
  if (filter.storeId && register.storeId !== filter.storeId) return false;
  if (filter.connected === 'connected' && !register.connected) return false;
  if (filter.connected === 'silent' && register.connected) return false;
  if (filter.health && !register.devices.some((d) => d.health === filter.health)) return false;
  if (filter.openTickets && register.openTickets === 0) return false;
  if (filter.sort === 'blocking' && !register.forecast) return false;
  if (filter.blockingWithinDays !== null && !(register.forecast && Date.parse(register.forecast.blockingAt) <= nowMs + filter.blockingWithinDays * DAY_MS)) return false;
  return true;
}
