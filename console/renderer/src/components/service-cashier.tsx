// "Сервис → Касса": when a resolved ticket that a cashier reported closes by itself because nobody
// answered "Работает?" (CashierSettings.autoCloseHours). Admins change; engineers read.
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { ErrorBanner } from './common';
import { useLoad } from './use-load';

const MAX_HOURS = 720;

export function CashierSettingsPanel({ api, admin }: { api: ApiClient; admin: boolean }) {
  const { t } = useI18n();
  const view = useLoad(() => api.cashierSettings(), api);
  const [draft, setDraft] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const value = draft ?? (view.value ? String(view.value.settings.autoCloseHours) : '');
  const hours = Number(value);
  const valid = Number.isInteger(hours) && hours >= 1 && hours <= MAX_HOURS;
  const save = async () => {
    setFailure(null);
    try {
      view.set(await api.saveCashierSettings({ autoCloseHours: hours }));
      setDraft(null);
      setSaved(true);
    } catch (e) {
      setFailure(e);
    }
  };
  return (
    <section class="card" data-testid="svc-cashier">
      <h2>{t('svc.tab.cashier')}</h2>
      <p class="muted small">{t('svcCashier.hint')}</p>
      {admin ? null : <p class="muted small">{t('svcCashier.adminsOnly')}</p>}
      <form class="action-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <ErrorBanner error={view.error ?? failure} />
        <label>
          {t('svcCashier.autoClose')}{' '}
          <input type="number" min={1} max={MAX_HOURS} data-testid="svc-cashier-hours" value={value} disabled={!admin}
            onInput={(e) => { setDraft(e.currentTarget.value); setSaved(false); }} />
        </label>
        {admin ? <button type="submit" class="btn btn-primary btn-small" data-testid="svc-cashier-save" disabled={!valid || draft === null}>{t('svcCashier.save')}</button> : null}
        {saved ? <span class="muted small" role="status"> {t('svcCashier.saved')}</span> : null}
      </form>
    </section>
  );
}
