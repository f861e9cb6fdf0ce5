import { StoreCalendarMode, type StoreSettings } from '@tillscope/shared';
import { useMemo, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import type { StringKey } from '../i18n/strings';
import { formToHours, hoursToForm, isKnownZone, timeZoneChoices, WEEKDAY_KEYS, type DayError, type DayForm } from '../logic/store-hours';
import { ErrorBanner } from './common';
import { FormErrors, SaveCancel, type ShownError } from './service-common';

const MODE_KEYS: Record<StoreCalendarMode, StringKey> = { chain: 'svc.calendarMode.chain', own: 'svc.calendarMode.own', none: 'svc.calendarMode.none' };
export const calendarModeKey = (mode: StoreCalendarMode): StringKey => MODE_KEYS[mode];

/**
 * One store's settings (admins): its name, time zone (Russia's zones first, then every zone the
 * browser knows), its weekly hours Monday first (closed days, "24:00" as a closing time) and whose
 * holidays stop its clocks. Every problem is named with its weekday before anything is sent.
 */
export function StoreEditor({ api, store, onSaved, onCancel }: { api: ApiClient; store: StoreSettings; onSaved: (store: StoreSettings) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(store.name);
  const [zone, setZone] = useState(store.timeZone);
  const [days, setDays] = useState<DayForm[]>(() => hoursToForm(store.hours));
  const [mode, setMode] = useState<StoreCalendarMode>(store.calendar);
  const [errors, setErrors] = useState<ShownError[]>([]);
  const [dayErrors, setDayErrors] = useState<DayError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const zones = useMemo(() => timeZoneChoices(store.timeZone), [store.timeZone]);

  const setDay = (index: number, change: Partial<DayForm>) => setDays(days.map((day, i) => (i === index ? { ...day, ...change } : day)));
  const save = () => {
    const hours = formToHours(days);
    const problems: ShownError[] = [];
    if (!isKnownZone(zone)) problems.push({ key: 'svc.store.error.zone', label: t('svc.store.zone') });
    if (name.trim().length > 120) problems.push({ key: 'svc.store.error.name', label: t('svc.store.name') });
    const badDays = 'errors' in hours ? hours.errors : [];
    // "Closed all week" is about the week, not one of its days.
    const weekWide = (e: DayError) => e.key === 'svc.hours.error.allClosed';
    problems.push(...badDays.map((e) => ({ key: e.key, label: weekWide(e) ? t('svc.store.hours') : t(WEEKDAY_KEYS[e.day]!) })));
    setErrors(problems);
    setDayErrors(badDays.filter((e) => !weekWide(e)));
    setFailure(null);
    if (problems.length || 'errors' in hours) return;
    setBusy(true);
    api
      .saveStore(store.storeId, { name: name.trim(), timeZone: zone.trim(), hours: hours.hours, calendar: mode })
      .then(onSaved, setFailure)
      .finally(() => setBusy(false));
  };
  const badDay = new Set(dayErrors.map((e) => e.day));

  return (
    <form
      class="card store-editor"
      data-testid="svc-store-editor"
      data-store-id={store.storeId}
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <h3>{t('svc.store.editTitle', { store: store.storeId })}</h3>
      <label class="field-wide">
        <span>{t('svc.store.name')}</span>
        <input data-testid="svc-store-name" value={name} maxLength={120} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label class="field-wide">
        <span>{t('svc.store.zone')}</span>
        <select data-testid="svc-store-zone" value={zone} onChange={(e) => setZone(e.currentTarget.value)}>
          <optgroup label={t('svc.store.zonesRussia')}>
            {zones.russian.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </optgroup>
          {zones.other.length ? (
            <optgroup label={t('svc.store.zonesOther')}>
              {zones.other.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
      </label>
      <fieldset class="week-hours" data-testid="svc-store-hours">
        <legend>{t('svc.store.hours')}</legend>
        {days.map((day, index) => (
          <div key={index} class="day-hours" data-day={index + 1} data-invalid={badDay.has(index) ? 'true' : undefined}>
            <label class="opt">
              <input type="checkbox" data-testid={`svc-day-${index + 1}-open`} checked={day.open} onChange={(e) => setDay(index, { open: e.currentTarget.checked })} />
              <span class="weekday">{t(WEEKDAY_KEYS[index]!)}</span>
            </label>
            {day.open ? (
              <>
                <input class="time-input" data-testid={`svc-day-${index + 1}-from`} aria-label={t('svc.store.opens')} value={day.from} placeholder="09:00" onInput={(e) => setDay(index, { from: e.currentTarget.value })} />
                <span aria-hidden="true">–</span>
                <input class="time-input" data-testid={`svc-day-${index + 1}-to`} aria-label={t('svc.store.closes')} value={day.to} placeholder="21:00" onInput={(e) => setDay(index, { to: e.currentTarget.value })} />
              </>
            ) : (
              <span class="muted">{t('svc.hours.closed')}</span>
            )}
          </div>
        ))}
        <p class="muted small">{t('svc.store.hoursHint')}</p>
      </fieldset>
      <fieldset class="calendar-mode">
        <legend>{t('svc.store.calendar')}</legend>
        {StoreCalendarMode.options.map((m) => (
          <label key={m} class="opt">
            <input type="radio" name={`mode-${store.storeId}`} data-testid={`svc-store-mode-${m}`} checked={mode === m} onChange={() => setMode(m)} />
            <span>{t(MODE_KEYS[m])}</span>
          </label>
        ))}
      </fieldset>
      <FormErrors errors={errors} testid="svc-store-errors" />
      <ErrorBanner error={failure} testid="svc-store-save-error" />
      <SaveCancel busy={busy} testid="svc-store-save" onCancel={onCancel} />
    </form>
  );
}
