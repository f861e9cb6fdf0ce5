import { CreateMaintenanceRequest, RegisterId, StoreId } from '@tillscope/shared';
import { DateTime } from 'luxon';
import type { StringKey } from '../i18n/strings';

/** The "plan a window" form as typed: times are `datetime-local` values, read in the store's zone. */
export interface MaintenanceForm {
  storeId: string;
  /** empty: the whole store */
  registerId: string;
  startsAt: string;
  endsAt: string;
  reason: string;
}

export interface MaintenanceFormError {
  field: keyof MaintenanceForm;
  key: StringKey;
}

const LOCAL_FORMAT = "yyyy-MM-dd'T'HH:mm";
const MAX_MS = 7 * 86_400_000;

/** A fresh form: from the next full hour, for two hours, in the given zone. */
export function emptyMaintenanceForm(nowMs: number, zone: string): MaintenanceForm {
  const start = DateTime.fromMillis(nowMs, { zone }).startOf('hour').plus({ hours: 1 });
  return { storeId: '', registerId: '', startsAt: start.toFormat(LOCAL_FORMAT), endsAt: start.plus({ hours: 2 }).toFormat(LOCAL_FORMAT), reason: '' };
}

/** A local date-time read in the zone as a UTC instant, or null when it is not one. */
export function localToInstant(local: string, zone: string): string | null {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(local.trim())) return null;
  const time = DateTime.fromISO(local.trim(), { zone });
  return time.isValid ? time.toUTC().toISO({ suppressMilliseconds: true }) : null;
}

/**
 * The request the form makes, or each problem with its field, checked before anything is sent
 * (the same rules as the shared CreateMaintenanceRequest, which also guards the result).
 */
export function maintenanceRequest(form: MaintenanceForm, zone: string, nowMs: number): { request: CreateMaintenanceRequest } | { errors: MaintenanceFormError[] } {
  const errors: MaintenanceFormError[] = [];
  const storeId = form.storeId.trim();
  const registerId = form.registerId.trim();
  if (!StoreId.safeParse(storeId).success) errors.push({ field: 'storeId', key: 'svc.mw.error.store' });
  if (registerId && !RegisterId.safeParse(registerId).success) errors.push({ field: 'registerId', key: 'svc.mw.error.register' });
  const startsAt = localToInstant(form.startsAt, zone);
  const endsAt = localToInstant(form.endsAt, zone);
  if (!startsAt) errors.push({ field: 'startsAt', key: 'svc.mw.error.time' });
  if (!endsAt) errors.push({ field: 'endsAt', key: 'svc.mw.error.time' });
  if (startsAt && endsAt) {
    const span = Date.parse(endsAt) - Date.parse(startsAt);
    if (span <= 0) errors.push({ field: 'endsAt', key: 'svc.mw.error.order' });
    else if (span > MAX_MS) errors.push({ field: 'endsAt', key: 'svc.mw.error.tooLong' });
    else if (Date.parse(endsAt) <= nowMs) errors.push({ field: 'endsAt', key: 'svc.mw.error.past' });
  }
  const reason = form.reason.trim();
  if (reason.length < 3 || reason.length > 500) errors.push({ field: 'reason', key: 'svc.mw.error.reason' });
  if (errors.length || !startsAt || !endsAt) return { errors };
  const request = { storeId, registerId: registerId || null, startsAt, endsAt, reason };
  return CreateMaintenanceRequest.safeParse(request).success ? { request } : { errors: [{ field: 'endsAt', key: 'svc.mw.error.order' }] };
}
