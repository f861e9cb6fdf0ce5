import type { ImportCalendarRequest, ImportCalendarResult } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { detectCalendarFormat } from '../logic/holiday-calendar';
import { ErrorBanner } from './common';

/** The largest file the server takes (ImportCalendarRequest.text). */
const MAX_CHARS = 1_000_000;

interface Picked {
  name: string;
  text: string;
  format: ImportCalendarRequest['format'];
}

/**
 * Import a production calendar file into the calendar shown (admins): the xmlcalendar.ru XML, or a
 * CSV of `date,kind,note`. The format is guessed from the file and can be changed; the server reads
 * the file, replaces the years it covers and says how many days it loaded.
 */
export function CalendarImport({ api, calendarId, onImported }: { api: ApiClient; calendarId: string; onImported: () => void }) {
  const { t } = useI18n();
  const [picked, setPicked] = useState<Picked | null>(null);
  const [problem, setProblem] = useState<'empty' | 'tooLarge' | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [result, setResult] = useState<ImportCalendarResult | null>(null);
  const [busy, setBusy] = useState(false);

  const pick = async (file: File | undefined) => {
    setResult(null);
    setFailure(null);
    setPicked(null);
    if (!file) return;
    const text = await file.text();
    if (!text.trim()) return setProblem('empty');
    if (text.length > MAX_CHARS) return setProblem('tooLarge');
    setProblem(null);
    setPicked({ name: file.name, text, format: detectCalendarFormat(file.name, text) });
  };
  const upload = () => {
    if (!picked) return setProblem('empty');
    setBusy(true);
    setFailure(null);
    api
      .importCalendar(calendarId, { format: picked.format, text: picked.text })
      .then((answer) => {
        setResult(answer);
        setPicked(null);
        onImported();
      }, setFailure)
      .finally(() => setBusy(false));
  };

  return (
    <div class="calendar-import" data-testid="svc-cal-import">
      <label class="field">
        <span>{t('svc.cal.import.file')}</span>
        <input type="file" accept=".xml,.csv,text/xml,text/csv" data-testid="svc-cal-file" onChange={(e) => void pick(e.currentTarget.files?.[0])} />
      </label>
      {picked ? (
        <label class="field">
          <span>{t('svc.cal.import.format')}</span>
          <select data-testid="svc-cal-format" value={picked.format} onChange={(e) => setPicked({ ...picked, format: e.currentTarget.value === 'csv' ? 'csv' : 'xmlcalendar' })}>
            <option value="xmlcalendar">{t('svc.cal.import.xml')}</option>
            <option value="csv">{t('svc.cal.import.csv')}</option>
          </select>
        </label>
      ) : null}
      <button type="button" class="btn btn-small btn-primary" data-testid="svc-cal-upload" disabled={busy || !picked} onClick={upload}>
        {t('svc.cal.import.go')}
      </button>
      <p class="muted small">{t('svc.cal.import.hint')}</p>
      {problem ? (
        <p class="text-red small" role="alert" data-testid="svc-cal-import-problem">
          {t(problem === 'empty' ? 'svc.cal.import.empty' : 'svc.cal.import.tooLarge')}
        </p>
      ) : null}
      <ErrorBanner error={failure} testid="svc-cal-import-error" />
      {result ? (
        <p class="text-green" role="status" data-testid="svc-cal-import-result">
          {t('svc.cal.import.done', { days: result.days, years: result.years.join(', ') || '—' })}
        </p>
      ) : null}
    </div>
  );
}
