import type { BlockingReason, FiscalForecast, ForecastNote, ForecastPart, ReplaceReason } from '@tillscope/shared';
import { DAY_MS, HOUR_MS, type FiscalSettings } from './fiscal-settings';
import type { FiscalFactsState } from './fiscal-state';

// The date a fiscal register's sales will be blocked (devices.md §4), from the facts it reported:
// the earliest of
//   (a) the FN's validity end (validUntil, the start of that day as the agent converted it);
//   (b) the first document the OFD has not confirmed + `ofdLockDays` (the OFD lock, [S] 30 days);
//   (c) the archive full: (capacity − last document number) ÷ documents per day, the rate measured
//       from the first reading of this FN (needs readings `minRateSpanHours` apart; capacity [S]);
//   (d) now, when the shift is already past 24 h (blocked until it is closed).
// Pure: the time is a parameter; instants in UTC (no business calendars yet).

const PART_ORDER: Record<BlockingReason, number> = { shift_expired: 0, fn_validity: 1, ofd_lock: 2, archive_full: 3 };
const SHIFT_HOURS = 24;

export function forecastDevice(state: FiscalFactsState, settings: FiscalSettings, computedAt: Date): FiscalForecast {
  const parts: ForecastPart[] = [];
  const notes: ForecastNote[] = [];
  const { fn, ofd, shift } = state;

  if (!fn) notes.push({ code: 'no_fn' });
  else if (fn.validUntil) parts.push({ reason: 'fn_validity', at: fn.validUntil, readAt: fn.readAt, validUntil: fn.validUntil, fnSerial: fn.serial });
  else notes.push({ code: 'no_validity' });

  if (ofd && ofd.unsentCount > 0 && ofd.firstUnsentAt) {
    parts.push({
      reason: 'ofd_lock',
      at: isoPlus(Date.parse(ofd.firstUnsentAt), settings.ofdLockDays * DAY_MS),
      readAt: ofd.readAt,
      firstUnsentAt: ofd.firstUnsentAt,
      firstUnsentNumber: ofd.firstUnsentNumber,
      unsentCount: ofd.unsentCount,
      lockDays: settings.ofdLockDays,
    });
  }

  const archive = archivePart(state, settings);
  if ('part' in archive) parts.push(archive.part);
  else if (archive.note) notes.push(archive.note);
  if (fn?.warnings?.archiveNearlyFull) notes.push({ code: 'archive_nearly_full' });

  if (shift?.state === 'expired') {
    const expiredAt = shift.openedAt ? Date.parse(shift.openedAt) + SHIFT_HOURS * HOUR_MS : Number.POSITIVE_INFINITY;
    // Blocked since 24 h after the opening when the register said when; otherwise since it was seen expired.
    const at = Math.min(expiredAt, Date.parse(shift.readAt));
    parts.push({ reason: 'shift_expired', at: new Date(at).toISOString(), readAt: shift.readAt, shiftNumber: shift.number, openedAt: shift.openedAt });
  }

  parts.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || PART_ORDER[a.reason] - PART_ORDER[b.reason]);
  const first = parts[0];
  return { blockingAt: first?.at ?? null, reason: first?.reason ?? null, parts, notes, computedAt: computedAt.toISOString() };
}

type ArchiveOutcome = { part: Extract<ForecastPart, { reason: 'archive_full' }> } | { note: ForecastNote | null };

function archivePart({ fn, rateReference: reference }: FiscalFactsState, settings: FiscalSettings): ArchiveOutcome {
  if (!fn || fn.lastDocumentNumber === null) return { note: fn ? { code: 'no_rate' } : null };
  const last = fn.lastDocumentNumber;
  const readMs = Date.parse(fn.readAt);
  const base = { reason: 'archive_full' as const, readAt: fn.readAt, lastDocumentNumber: last, capacity: settings.archiveCapacity };
  const ref = reference ?? { number: last, at: fn.readAt };
  const spanMs = readMs - Date.parse(ref.at);
  const documentsPerDay = spanMs > 0 ? ((last - ref.number) * DAY_MS) / spanMs : 0;
  const evidence = { ...base, referenceNumber: ref.number, referenceAt: ref.at };
  // A full archive blocks now, whatever the rate.
  if (last >= settings.archiveCapacity) return { part: { ...evidence, at: fn.readAt, documentsPerDay: round(documentsPerDay) } };
  if (!reference || spanMs < settings.minRateSpanHours * HOUR_MS) return { note: { code: 'no_rate', since: ref.at } };
  if (documentsPerDay <= 0) return { note: { code: 'no_documents', since: ref.at } };
  const days = (settings.archiveCapacity - last) / documentsPerDay;
  if (days > settings.archiveHorizonDays) return { note: { code: 'archive_far' } };
  return { part: { ...evidence, at: isoPlus(readMs, days * DAY_MS), documentsPerDay: round(documentsPerDay) } };
}

function isoPlus(ms: number, plusMs: number): string {
  return new Date(Math.round(ms + plusMs)).toISOString();
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** A device's forecast as the register summary needs it. */
export interface DeviceBlocking {
  deviceId: string;
  blockingAt: string | null;
  reason: BlockingReason | null;
}

/** The register's forecast: the earliest blocking date over its fiscal devices (ties: the lower device id). */
export function earliestBlocking(devices: readonly DeviceBlocking[]): { deviceId: string; blockingAt: string; reason: BlockingReason } | null {
  let best: { deviceId: string; blockingAt: string; reason: BlockingReason } | null = null;
  for (const device of devices) {
    if (device.blockingAt === null || device.reason === null) continue;
    const earlier = !best || Date.parse(device.blockingAt) < Date.parse(best.blockingAt)
      || (device.blockingAt === best.blockingAt && device.deviceId < best.deviceId);
    if (earlier) best = { deviceId: device.deviceId, blockingAt: device.blockingAt, reason: device.reason };
  }
  return best;
}

/** The drive's own end, what a visit replaces it for: its validity or a full archive (not an OFD lock or a shift). */
export function replacementOf(forecast: FiscalForecast): { replaceBy: string; reason: ReplaceReason } | null {
  for (const part of forecast.parts) {
    if (part.reason === 'fn_validity' || part.reason === 'archive_full') return { replaceBy: part.at, reason: part.reason };
  }
  return null;
}

/** Whole days from `nowMs` to `atIso`, rounded down (negative once past). */
export function daysLeft(atIso: string, nowMs: number): number {
  return Math.floor((Date.parse(atIso) - nowMs) / DAY_MS);
}
