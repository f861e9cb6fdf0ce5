import { StoreId } from '@tillscope/shared';
import { DEFAULT_FILTER, filterToParams, parseFilter, storeFilter, type QueueFilter } from './filters';
import { auditFilterToParams, parseAuditFilter, type AuditFilter } from './audit-filter';
import { kpiFilterToParams, parseKpiFilter, type KpiFilter } from './kpi-filter';
import { DEFAULT_FLEET_FILTER, fleetFilterToParams, parseFleetFilter, type FleetFilter } from './fleet-filter';

/** Screens are addressed by the URL hash so a view can be shared and the server needs no fallback. */
export type Route =
  | { name: 'queue'; filter: QueueFilter }
  | { name: 'ticket'; id: number }
  | { name: 'fleet'; filter: FleetFilter }
  /** "ФН к замене": the fiscal drives to replace, optionally of one store */
  | { name: 'replacements'; storeId: string | null }
  /** one register: its devices, its host (OS, drivers, services, peripherals, POS software) and its drift */
  | { name: 'register'; agentId: string }
  /** the reference images (эталоны); `id` null: the list, 'new': the form for a new one */
  | { name: 'references'; id: number | 'new' | null }
  /** "Сервис": the service-desk settings (SLA targets, stores, calendars, groups, routing, noise, maintenance windows) */
  | { name: 'service'; section: ServiceSection }
  /** "База знаний": articles (`id` null: the list with `q`; 'new': the editor) or reply templates */
  | { name: 'kb'; section: 'articles' | 'templates'; id: number | 'new' | null; q: string }
  /** "Журнал действий": every remote action, filtered by the URL's query */
  | { name: 'audit'; filter: AuditFilter }
  /** "Показатели": the support KPIs, their charts and breakdown */
  | { name: 'kpi'; filter: KpiFilter };

/** The parts of the service-desk area, in the order of its tabs. */
export const SERVICE_SECTIONS = ['sla', 'stores', 'calendar', 'groups', 'routing', 'noise', 'maintenance', 'notify', 'actions', 'cashier'] as const;
export type ServiceSection = (typeof SERVICE_SECTIONS)[number];
const isServiceSection = (part: string | undefined): part is ServiceSection => (SERVICE_SECTIONS as readonly (string | undefined)[]).includes(part);

/** An agent id as the console issues it ("agt_…"); anything else in a URL is not a register. */
const AGENT_ID = /^[A-Za-z0-9_.-]{1,140}$/;
const ID = /^[1-9]\d{0,9}$/;

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [path = '', query = ''] = raw.split('?', 2);
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'tickets' && parts.length === 2 && ID.test(parts[1] ?? '')) {
    return { name: 'ticket', id: Number(parts[1]) };
  }
  if (parts[0] === 'fleet' && parts.length === 1) return { name: 'fleet', filter: parseFleetFilter(new URLSearchParams(query)) };
  if (parts[0] === 'fiscal' && parts.length === 1) {
    const store = StoreId.safeParse(new URLSearchParams(query).get('store'));
    return { name: 'replacements', storeId: store.success ? store.data : null };
  }
  if (parts[0] === 'registers' && parts.length === 2 && AGENT_ID.test(decodeSafe(parts[1] ?? ''))) {
    return { name: 'register', agentId: decodeSafe(parts[1] ?? '') };
  }
  if (parts[0] === 'references' && parts.length === 1) return { name: 'references', id: null };
  if (parts[0] === 'references' && parts.length === 2 && (parts[1] === 'new' || ID.test(parts[1] ?? ''))) {
    return { name: 'references', id: parts[1] === 'new' ? 'new' : Number(parts[1]) };
  }
  if (parts[0] === 'kpi' && parts.length === 1) return { name: 'kpi', filter: parseKpiFilter(new URLSearchParams(query)) };
  if (parts[0] === 'audit' && parts.length === 1) return { name: 'audit', filter: parseAuditFilter(new URLSearchParams(query)) };
  if (parts[0] === 'kb') return parseKb(parts.slice(1), new URLSearchParams(query));
  if (parts[0] === 'service' && parts.length <= 2) return { name: 'service', section: isServiceSection(parts[1]) ? parts[1] : 'sla' };
  return { name: 'queue', filter: parts[0] === 'queue' || parts.length === 0 ? parseFilter(new URLSearchParams(query)) : { ...DEFAULT_FILTER } };
}

export function routeToHash(route: Route): string {
  switch (route.name) {
    case 'ticket':
      return `#/tickets/${route.id}`;
    case 'fleet': {
      const query = fleetFilterToParams(route.filter).toString();
      return query ? `#/fleet?${query}` : '#/fleet';
    }
    case 'replacements':
      return route.storeId ? `#/fiscal?${new URLSearchParams({ store: route.storeId }).toString()}` : '#/fiscal';
    case 'register':
      return `#/registers/${encodeURIComponent(route.agentId)}`;
    case 'references':
      return route.id === null ? '#/references' : `#/references/${route.id}`;
    case 'service':
      return `#/service/${route.section}`;
    case 'kb':
      return kbHash(route);
    case 'kpi': {
      const query = kpiFilterToParams(route.filter).toString();
      return query ? `#/kpi?${query}` : '#/kpi';
    }
    case 'audit': {
      const query = auditFilterToParams(route.filter).toString();
      return query ? `#/audit?${query}` : '#/audit';
    }
    case 'queue': {
      const query = filterToParams(route.filter).toString();
      return query ? `#/queue?${query}` : '#/queue';
    }
  }
}

/** The registers of one store (links from a ticket). */
export function storeFleetHash(storeId: string): string {
  return routeToHash({ name: 'fleet', filter: { ...DEFAULT_FLEET_FILTER, storeId } });
}

/** The queue filtered to one store, every group (links from the fleet and from a ticket). */
export function storeQueueHash(storeId: string): string {
  return routeToHash({ name: 'queue', filter: storeFilter(storeId) });
}

/** The drives to replace of one store (links from the fleet). */
export function storeReplacementsHash(storeId: string): string {
  return routeToHash({ name: 'replacements', storeId });
}

/** The page of one register. */
export function registerHash(agentId: string): string {
  return routeToHash({ name: 'register', agentId });
}

/** #/kb[?q=…], #/kb/new, #/kb/12, #/kb/templates */
function parseKb(parts: string[], query: URLSearchParams): Route {
  const q = (query.get('q') ?? '').slice(0, 200);
  if (parts[0] === 'templates') return { name: 'kb', section: 'templates', id: null, q: '' };
  if (parts[0] === 'new') return { name: 'kb', section: 'articles', id: 'new', q: '' };
  if (parts.length === 1 && ID.test(parts[0] ?? '')) return { name: 'kb', section: 'articles', id: Number(parts[0]), q: '' };
  return { name: 'kb', section: 'articles', id: null, q };
}

function kbHash(route: Extract<Route, { name: 'kb' }>): string {
  if (route.section === 'templates') return '#/kb/templates';
  if (route.id !== null) return `#/kb/${route.id}`;
  return route.q ? `#/kb?${new URLSearchParams({ q: route.q }).toString()}` : '#/kb';
}

/** One knowledge-base article's page (links from a ticket). */
export function kbArticleHash(id: number): string {
  return kbHash({ name: 'kb', section: 'articles', id, q: '' });
}

function decodeSafe(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return '';
  }
}
