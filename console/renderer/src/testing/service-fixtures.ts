import {
  DEFAULT_SLA_MINUTES, DiagnosisCode, PRIORITY_TITLES, ServiceCategory,
  type GroupList, type MaintenanceWindow, type Me, type NoiseSettingsView, type Priority, type RoutingTable, type SlaTargets, type StoreSettings,
} from '@tillscope/shared';
import { ApiClient } from '../api/client';

export const engineer: Me = { username: 'ivanov', displayName: 'Иван Иванов', role: 'engineer', groups: ['printers'] };
export const admin: Me = { username: 'root', displayName: 'Админ', role: 'admin', groups: [] };

export interface FakeCall {
  method: string;
  path: string;
  body: unknown;
}

/** An answer (the body of a 200), or a function of the call giving one; `{ status, body }` for another status. */
type Handler = ((call: FakeCall) => unknown) | object;

/**
 * A console server for dom tests, at the api-client boundary: the real ApiClient (its schemas and
 * request checks) over a fetch that answers from `routes` ("PUT /api/stores/msk-001" or a prefix
 * ending in "*"). A route not listed answers 404 as the server does for a route it lacks.
 */
export function fakeServer(routes: Record<string, Handler>): { api: ApiClient; calls: FakeCall[] } {
  const calls: FakeCall[] = [];
  const fetch = async (input: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    const call: FakeCall = { method, path: input, body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined };
    calls.push(call);
    const key = `${method} ${input}`;
    const handler = routes[key] ?? Object.entries(routes).find(([route]) => route.endsWith('*') && key.startsWith(route.slice(0, -1)))?.[1];
    if (!handler) return json(404, { ok: false, code: 'not_found', message: 'no such API route' });
    const answer: unknown = typeof handler === 'function' ? (handler as (call: FakeCall) => unknown)(call) : handler;
    const reply = answer && typeof answer === 'object' && 'status' in answer && 'body' in answer ? (answer as { status: number; body: unknown }) : { status: 200, body: answer };
    return json(reply.status, reply.body);
  };
  return { api: new ApiClient({ fetch }), calls };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body ?? { ok: true }), { status, headers: { 'Content-Type': 'application/json' } });

export const writes = (calls: readonly FakeCall[]) => calls.filter((c) => c.method !== 'GET');

export function makeTargets(): SlaTargets {
  const priorities = Object.keys(PRIORITY_TITLES).map(Number) as Priority[];
  return { targets: ServiceCategory.options.flatMap((category) => priorities.map((priority) => ({ category, priority, ...DEFAULT_SLA_MINUTES[priority] }))) };
}

const weekdays = { open: '09:00', close: '21:00' };
export function makeStore(storeId: string, change: Partial<StoreSettings> = {}): StoreSettings {
  return {
    storeId,
    name: `Магазин ${storeId}`,
    timeZone: 'Europe/Moscow',
    hours: [weekdays, weekdays, weekdays, weekdays, weekdays, { open: '10:00', close: '18:00' }, null],
    calendar: 'chain',
    registers: 4,
    ...change,
  };
}

export function makeGroups(): GroupList {
  return {
    groups: [
      { id: 'helpdesk', title: { ru: 'Первая линия', en: 'Helpdesk' }, line: 'first', archived: false, members: ['petrova'] },
      { id: 'printers', title: { ru: 'Принтеры', en: 'Printers' }, line: 'second', archived: false, members: ['ivanov', 'petrova'] },
      { id: 'fiscal', title: { ru: 'ККТ', en: 'Fiscal' }, line: 'second', archived: false, members: [] },
      { id: 'old_team', title: { ru: 'Старая группа', en: 'Old team' }, line: 'second', archived: true, members: [] },
    ],
  };
}

export function makeRouting(custom: Partial<Record<DiagnosisCode, string>> = {}): RoutingTable {
  return {
    rules: DiagnosisCode.options.map((code) => {
      const defaultGroup = code.startsWith('fiscal.') ? 'fiscal' : 'printers';
      const group = custom[code] ?? defaultGroup;
      return { code, group, defaultGroup, custom: custom[code] !== undefined };
    }),
  };
}

export function makeNoise(holds: NoiseSettingsView['settings']['holds'] = {}): NoiseSettingsView {
  return {
    settings: { holds, reopenDays: 3, flapThreshold: 3, flapWindowSec: 1800, calmSec: 600, correlation: { windowSec: 120, share: 0.6, minRegisters: 2 } },
    defaultHolds: { 'printer.cover_open': 30, 'agent.offline': 300 },
  };
}

export function makeWindow(id: number, change: Partial<MaintenanceWindow> = {}): MaintenanceWindow {
  return {
    id,
    storeId: 'msk-001',
    registerId: null,
    startsAt: '2026-12-01T20:00:00Z',
    endsAt: '2026-12-01T23:00:00Z',
    reason: 'Замена роутера',
    createdBy: 'ivanov',
    createdAt: '2026-11-30T10:00:00Z',
    cancelledAt: null,
    cancelledBy: null,
    suppressed: 0,
    state: 'planned',
    ...change,
  };
}
