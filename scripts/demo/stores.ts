// The demo chain's stores as an admin sets them up (Сервис / Service desk → stores): each its own
// time zone and hours, so the same fault's SLA clock runs differently per store, and one 24/7
// hypermarket whose clocks never stop. The chain's holiday calendar is the Russian 2026 production
// calendar (shared/calendars), when this build ships it.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { UpdateStoreRequest, WeeklyHours } from '@tillscope/shared';

const daily = (open: string, close: string): WeeklyHours => Array.from({ length: 7 }, () => ({ open, close }));

export interface DemoStore extends UpdateStoreRequest {
  storeId: string;
  /** how the demo's printed lines name it */
  city: string;
}

export const DEMO_STORES: readonly DemoStore[] = [
  { storeId: 'msk-001', city: 'Moscow', name: 'Магазин у дома, Москва, Профсоюзная 12', timeZone: 'Europe/Moscow', hours: daily('08:00', '22:00'), calendar: 'chain' },
  {
    storeId: 'spb-002', city: 'St Petersburg', name: 'Магазин у дома, Санкт-Петербург, Лиговский 30', timeZone: 'Europe/Moscow',
    hours: [...Array.from({ length: 5 }, () => ({ open: '09:00', close: '21:00' })), { open: '10:00', close: '20:00' }, { open: '10:00', close: '20:00' }], calendar: 'chain',
  },
  { storeId: 'ekb-003', city: 'Yekaterinburg', name: 'Супермаркет, Екатеринбург, Малышева 5', timeZone: 'Asia/Yekaterinburg', hours: daily('08:00', '23:00'), calendar: 'chain' },
  // Open round the clock, holidays included: its clocks never pause.
  { storeId: 'nsk-004', city: 'Novosibirsk', name: 'Гипермаркет 24/7, Новосибирск, Красный проспект 200', timeZone: 'Asia/Novosibirsk', hours: daily('00:00', '24:00'), calendar: 'none' },
];

const CALENDAR_FILE = resolve(import.meta.dirname, '../../shared/calendars/ru-2026.xml');

/** The Russian 2026 production calendar (xmlcalendar.ru format), or undefined when this build has none. */
export function productionCalendar2026(): string | undefined {
  return existsSync(CALENDAR_FILE) ? readFileSync(CALENDAR_FILE, 'utf8') : undefined;
}
