// The demo's service desk, set up as an admin would in "Сервис / Service desk": stores' time zones
// and hours, the 2026 production calendar, hold times short enough to watch, and a maintenance
// window on one store. Each part is skipped (and said so) when this build has no API for it yet.
import { CATALOGUE, DiagnosisCode, ImportCalendarResult, MaintenanceWindow, NoiseSettings, NoiseSettingsView, StoreSettings } from '@tillscope/shared';
import type { ConsoleApi } from './console-api';
import { DEMO_STORES, productionCalendar2026 } from './stores';

/**
 * Holds in the demo, seconds: the catalogue's (30–300 s) would outlast most of the 3-minute cycle's
 * faults. A 4 s paper change stays under it; a 25 s paper-out does not. agent.offline keeps its own.
 */
export const DEMO_HOLD_SEC = 10;

/** The store with a planned maintenance window, starting this long after the demo starts. */
export const DEMO_MAINTENANCE = { storeId: 'spb-002', startsAfterMin: 9, minutes: 6, reason: 'Обновление кассового ПО / POS software update' };

const time = (at: Date) => at.toISOString().slice(11, 16);

async function setUpStores(api: ConsoleApi): Promise<string> {
  for (const { storeId, name, timeZone, hours, calendar } of DEMO_STORES) {
    const saved = await api.send('PUT', `/api/stores/${storeId}`, { name, timeZone, hours, calendar }, (v) => StoreSettings.parse(v));
    if (!saved) return 'stores: this build has no store settings API yet';
  }
  return `stores: ${DEMO_STORES.map((s) => `${s.storeId} ${s.city} (${s.timeZone}${s.calendar === 'none' ? ', 24/7' : ''})`).join(', ')}`;
}

async function importCalendar(api: ConsoleApi): Promise<string> {
  const text = productionCalendar2026();
  if (!text) return 'holiday calendar: this build ships no 2026 production calendar';
  const result = await api.send('POST', '/api/calendars/chain/import', { format: 'xmlcalendar', text }, (v) => ImportCalendarResult.parse(v));
  return result ? `holiday calendar: the Russian 2026 production calendar, ${result.days} days (holidays, short days, transferred working days) for the chain` : 'holiday calendar: this build has no calendar API yet';
}

async function shortenHolds(api: ConsoleApi): Promise<string | undefined> {
  const view = await api.get('/api/settings/noise', (v) => NoiseSettingsView.parse(v));
  if (!view) return undefined;
  const holds: Partial<Record<DiagnosisCode, number>> = { ...view.settings.holds };
  for (const code of DiagnosisCode.options) {
    const hold = view.settings.holds[code] ?? view.defaultHolds[code] ?? CATALOGUE[code].holdSec ?? 0;
    if (code !== 'agent.offline' && hold > DEMO_HOLD_SEC) holds[code] = DEMO_HOLD_SEC;
  }
  await api.send('PUT', '/api/settings/noise', NoiseSettings.parse({ ...view.settings, holds }), (v) => v);
  return `hold times: shortened to ${DEMO_HOLD_SEC} s for the demo (the catalogue's are 30–300 s; admin: Сервис / Service desk → noise)`;
}

async function planMaintenance(api: ConsoleApi, now: Date): Promise<string> {
  const { storeId, startsAfterMin, minutes, reason } = DEMO_MAINTENANCE;
  const startsAt = new Date(now.getTime() + startsAfterMin * 60_000);
  const endsAt = new Date(startsAt.getTime() + minutes * 60_000);
  const window = await api.send('POST', '/api/maintenance', { storeId, registerId: null, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), reason }, (v) => MaintenanceWindow.parse(v));
  return window
    ? `maintenance: ${storeId} from ${time(startsAt)} to ${time(endsAt)} UTC ("${reason}"): its faults then are kept as history and open no ticket`
    : 'maintenance windows: not in this build yet';
}

export interface ServiceDeskSetUp {
  /** one printed line per part (a part that failed says why) */
  lines: string[];
  /** findings wait out a hold before a ticket opens (this build has the noise settings) */
  holds: boolean;
}

const failed = (error: unknown) => `could not set up: ${error instanceof Error ? error.message : String(error)}`;

/** Runs every part in turn. */
export async function setUpServiceDesk(api: ConsoleApi, now: Date): Promise<ServiceDeskSetUp> {
  const lines = [await setUpStores(api).catch(failed), await importCalendar(api).catch(failed)];
  const holds = await shortenHolds(api).catch(failed);
  lines.push(holds ?? 'hold times: this build has no noise settings yet (every finding opens its ticket at once)');
  lines.push(await planMaintenance(api, now).catch(failed));
  return { lines, holds: holds !== undefined && !holds.startsWith('could not') };
}
