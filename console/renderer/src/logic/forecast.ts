import type { ForecastPart, RegisterSummary } from '@tillscope/shared';
import type { StringKey, Vars } from '../i18n/strings';

const DAY_MS = 86_400_000;

/** red: blocked, or within 3 days; amber: within 30 days; ok: later. The thresholds of the fiscal ticket priorities (P1, P3). */
export type ForecastTone = 'red' | 'amber' | 'ok';

export function forecastTone(blockingAt: string, nowMs: number): ForecastTone {
  const days = (Date.parse(blockingAt) - nowMs) / DAY_MS;
  return days <= 3 ? 'red' : days <= 30 ? 'amber' : 'ok';
}

/** "Sales blocked" in words: already, within a day, or in N days (whole days, rounded down). */
export function blockingWhen(blockingAt: string, nowMs: number): { key: StringKey; vars?: Vars } {
  const ms = Date.parse(blockingAt) - nowMs;
  if (ms <= 0) return { key: 'forecast.blocked' };
  if (ms < DAY_MS) return { key: 'forecast.withinDay' };
  return { key: 'forecast.inDays', vars: { days: Math.floor(ms / DAY_MS) } };
}

/** Registers of a page whose sales will be blocked within `days` (or already): the store tile's count. */
export function blockingWithin(registers: readonly RegisterSummary[], days: number, nowMs: number): number {
  return registers.filter((r) => r.forecast && Date.parse(r.forecast.blockingAt) <= nowMs + days * DAY_MS).length;
}

/** Whether a queue row shows the compact blocking marker: the register is blocked within 30 days, or already. */
export function showsBlockingMarker(blockingAt: string | null, nowMs: number): boolean {
  return blockingAt !== null && Date.parse(blockingAt) <= nowMs + 30 * DAY_MS;
}

/** The evidence of one forecast part as a string key and its values (dates formatted by the caller's `date`). */
export function partText(part: ForecastPart, date: (iso: string) => string): { key: StringKey; vars: Vars } {
  switch (part.reason) {
    case 'fn_validity':
      return { key: 'forecast.part.fn_validity', vars: { serial: part.fnSerial ?? '—', date: date(part.validUntil) } };
    case 'ofd_lock':
      return {
        key: 'forecast.part.ofd_lock',
        vars: { number: part.firstUnsentNumber ?? '—', date: date(part.firstUnsentAt), count: part.unsentCount, days: part.lockDays },
      };
    case 'archive_full':
      return {
        key: 'forecast.part.archive_full',
        vars: { last: part.lastDocumentNumber, capacity: part.capacity, rate: part.documentsPerDay, reference: part.referenceNumber, since: date(part.referenceAt) },
      };
    case 'shift_expired':
      return { key: 'forecast.part.shift_expired', vars: { number: part.shiftNumber ?? '—', date: part.openedAt ? date(part.openedAt) : '—' } };
  }
}
