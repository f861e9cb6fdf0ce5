import { CalendarDayKind, type CalendarDay, type CalendarDays, type StoreSettings } from '@tillscope/shared';
import { useMemo, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import type { StringKey } from '../i18n/strings';
import { countKinds, dayKind, withDay, yearGrid } from '../logic/holiday-calendar';
import { WEEKDAY_KEYS } from '../logic/store-hours';
import { CalendarImport } from './calendar-import';
import { ErrorBanner } from './common';
import { PartFrame } from './service-common';
import { useLoad } from './use-load';

const MONTH_KEYS = ['month.1', 'month.2', 'month.3', 'month.4', 'month.5', 'month.6', 'month.7', 'month.8', 'month.9', 'month.10', 'month.11', 'month.12'] as const satisfies readonly StringKey[];
const KIND_KEYS: Record<CalendarDayKind | 'weekend' | 'ordinary', StringKey> = {
  holiday: 'svc.cal.kind.holiday',
  short: 'svc.cal.kind.short',
  working: 'svc.cal.kind.working',
  weekend: 'svc.cal.kind.weekend',
  ordinary: 'svc.cal.kind.ordinary',
};

/**
 * The holiday calendar: a year of the chain's days (or a store's own, laid over the chain's):
 * holidays, shortened pre-holiday days and weekend days made working days. Admins import a
 * production calendar file and edit single days; engineers read.
 */
export function HolidayCalendarPanel({ api, admin, initialYear = new Date().getFullYear() }: { api: ApiClient; admin: boolean; initialYear?: number }) {
  const { t } = useI18n();
  const [calendarId, setCalendarId] = useState('chain');
  const [year, setYear] = useState(initialYear);
  const stores = useLoad(() => api.stores().catch((): { stores: StoreSettings[] } => ({ stores: [] })), api);
  const days = useLoad(() => api.calendarDays(calendarId, year), `${calendarId}/${year}`);
  const own = (stores.value?.stores ?? []).filter((s) => s.calendar === 'own');
  const controls = (
    <>
      <div class="filters">
        <label class="field">
          <span>{t('svc.cal.calendar')}</span>
          <select data-testid="svc-cal-id" value={calendarId} onChange={(e) => setCalendarId(e.currentTarget.value)}>
            <option value="chain">{t('svc.cal.chain')}</option>
            {own.map((s) => (
              <option key={s.storeId} value={`store:${s.storeId}`}>
                {t('svc.cal.store', { store: s.storeId, name: s.name })}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="btn btn-small" data-testid="svc-cal-prev" aria-label={t('svc.cal.prevYear')} onClick={() => setYear(year - 1)}>
          ←
        </button>
        <strong data-testid="svc-cal-year">{year}</strong>
        <button type="button" class="btn btn-small" data-testid="svc-cal-next" aria-label={t('svc.cal.nextYear')} onClick={() => setYear(year + 1)}>
          →
        </button>
      </div>
      {calendarId !== 'chain' ? <p class="muted small">{t('svc.cal.ownHint')}</p> : null}
      {admin ? <CalendarImport api={api} calendarId={calendarId} onImported={days.reload} /> : null}
    </>
  );
  return (
    <PartFrame testid="svc-cal" title="svc.cal.title" hint="svc.cal.hint" readOnly={!admin} state={days} controls={controls}>
      {(value) => <YearView value={value} admin={admin} api={api} onSaved={days.set} />}
    </PartFrame>
  );
}

function YearView({ value, admin, api, onSaved }: { value: CalendarDays; admin: boolean; api: ApiClient; onSaved: (days: CalendarDays) => void }) {
  const { t } = useI18n();
  const [selected, setSelected] = useState<string | null>(null);
  const byDate = useMemo(() => new Map(value.days.map((d) => [d.date, d])), [value]);
  const grid = useMemo(() => yearGrid(value.year), [value.year]);
  const counts = countKinds(value.days);
  return (
    <>
      <p data-testid="svc-cal-summary">
        {t('svc.cal.summary', { holiday: counts.holiday, short: counts.short, working: counts.working })}
        {value.days.length === 0 ? <span class="muted"> {t('svc.cal.emptyYear')}</span> : null}
      </p>
      {selected ? <DayEditor key={selected} date={selected} day={byDate.get(selected) ?? null} value={value} api={api} onSaved={(v) => {
            onSaved(v);
            setSelected(null);
          }} onClose={() => setSelected(null)} /> : null}
      <div class="year-grid" data-testid="svc-cal-grid">
        {grid.map((month) => (
          <table key={month.month} class="month">
            <caption>{t(MONTH_KEYS[month.month - 1]!)}</caption>
            <thead>
              <tr>
                {WEEKDAY_KEYS.map((k) => (
                  <th key={k}>{t(k)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {month.weeks.map((week, w) => (
                <tr key={w}>
                  {week.map((date, d) => (date ? <DayCell key={d} date={date} day={byDate.get(date)} admin={admin} onPick={setSelected} /> : <td key={d} />))}
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
      <p class="legend small">
        {(['holiday', 'short', 'working', 'weekend'] as const).map((kind) => (
          <span key={kind} class={`day day-${kind}`}>
            {t(KIND_KEYS[kind])}
          </span>
        ))}
      </p>
    </>
  );
}

function DayCell({ date, day, admin, onPick }: { date: string; day: CalendarDay | undefined; admin: boolean; onPick: (date: string) => void }) {
  const { t } = useI18n();
  const kind = dayKind(date, day);
  const title = [date, t(KIND_KEYS[kind]), day?.note].filter(Boolean).join(' · ');
  const number = Number(date.slice(8));
  return (
    <td class={`day day-${kind}`} data-date={date} data-kind={kind} title={title}>
      {admin ? (
        <button type="button" class="day-button" aria-label={title} onClick={() => onPick(date)}>
          {number}
        </button>
      ) : (
        number
      )}
    </td>
  );
}

/** One day of the year (admins): ordinary, holiday, shortened, or a transferred working day, with a note. */
function DayEditor({ date, day, value, api, onSaved, onClose }: { date: string; day: CalendarDay | null; value: CalendarDays; api: ApiClient; onSaved: (days: CalendarDays) => void; onClose: () => void }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<CalendarDayKind | 'ordinary'>(day?.kind ?? 'ordinary');
  const [note, setNote] = useState(day?.note ?? '');
  const [failure, setFailure] = useState<unknown>(null);
  const [tooLong, setTooLong] = useState(false);
  const save = () => {
    setFailure(null);
    setTooLong(note.trim().length > 200);
    if (note.trim().length > 200) return;
    const days = withDay(value.days, date, kind === 'ordinary' ? null : kind, note);
    api.saveCalendarDays({ calendarId: value.calendarId, year: value.year, days }).then(onSaved, setFailure);
  };
  return (
    <div class="banner day-editor" role="dialog" aria-label={date} data-testid="svc-cal-day-editor" data-date={date}>
      <strong>{date}</strong>
      <select data-testid="svc-cal-day-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as CalendarDayKind | 'ordinary')}>
        {(['ordinary', ...CalendarDayKind.options] as const).map((k) => (
          <option key={k} value={k}>
            {t(KIND_KEYS[k])}
          </option>
        ))}
      </select>
      <input data-testid="svc-cal-day-note" value={note} maxLength={200} placeholder={t('svc.cal.note')} onInput={(e) => setNote(e.currentTarget.value)} />
      <button type="button" class="btn btn-small btn-primary" data-testid="svc-cal-day-save" onClick={save}>
        {t('svc.save')}
      </button>
      <button type="button" class="btn btn-small btn-ghost" onClick={onClose}>
        {t('svc.cancel')}
      </button>
      {tooLong ? <span class="text-red small">{t('svc.cal.error.note')}</span> : null}
      <ErrorBanner error={failure} testid="svc-cal-day-error" />
    </div>
  );
}
