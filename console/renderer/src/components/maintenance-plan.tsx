import type { StoreSettings } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import type { StringKey } from '../i18n/strings';
import { DEFAULT_FLEET_FILTER } from '../logic/fleet-filter';
import { emptyMaintenanceForm, maintenanceRequest, type MaintenanceForm, type MaintenanceFormError } from '../logic/maintenance-form';
import { ErrorBanner } from './common';
import { FormErrors } from './service-common';
import { useLoad } from './use-load';

const FIELD_LABELS: Record<keyof MaintenanceForm, StringKey> = {
  storeId: 'svc.mw.store',
  registerId: 'svc.mw.register',
  startsAt: 'svc.mw.starts',
  endsAt: 'svc.mw.ends',
  reason: 'svc.mw.reason',
};

/** The browser's own zone: the times of a store the console does not know are read in it. */
function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * Plan a window for a store or one of its registers. Times are typed in the store's own time zone
 * when the console knows the store (a Vladivostok store's night is not Moscow's). At most 7 days,
 * not ending in the past, a reason of at least 3 characters: checked before sending.
 */
export function MaintenancePlanForm({ api, stores, onPlanned, now = Date.now }: { api: ApiClient; stores: readonly StoreSettings[]; onPlanned: () => void; now?: () => number }) {
  const { t } = useI18n();
  const [form, setForm] = useState<MaintenanceForm>(() => emptyMaintenanceForm(now(), browserZone()));
  const [errors, setErrors] = useState<MaintenanceFormError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [planned, setPlanned] = useState(false);
  const store = stores.find((s) => s.storeId === form.storeId.trim());
  const zone = store?.timeZone ?? browserZone();
  // The registers of a known store, offered in the register field (a register of another store is refused).
  const registers = useLoad(
    () => (store ? api.registers({ ...DEFAULT_FLEET_FILTER, storeId: store.storeId }, { limit: 1000 }).catch(() => null) : Promise.resolve(null)),
    store?.storeId ?? null,
  );

  const field = (name: keyof MaintenanceForm) => ({
    value: form[name],
    'aria-invalid': errors.some((e) => e.field === name) ? ('true' as const) : undefined,
    onInput: (e: { currentTarget: HTMLInputElement }) => {
      setForm({ ...form, [name]: e.currentTarget.value });
      setPlanned(false);
    },
  });
  const submit = () => {
    const result = maintenanceRequest(form, zone, now());
    setFailure(null);
    if ('errors' in result) return setErrors(result.errors);
    setErrors([]);
    setBusy(true);
    api
      .planMaintenance(result.request)
      .then(() => {
        setForm({ ...emptyMaintenanceForm(now(), zone), storeId: form.storeId });
        setPlanned(true);
        onPlanned();
      }, setFailure)
      .finally(() => setBusy(false));
  };

  return (
    <form
      class="mw-plan"
      data-testid="svc-mw-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3>{t('svc.mw.plan')}</h3>
      <div class="filters">
        <label class="field">
          <span>{t('svc.mw.store')}</span>
          <input data-testid="svc-mw-store" list="svc-mw-stores" maxLength={64} {...field('storeId')} />
          <datalist id="svc-mw-stores">
            {stores.map((s) => (
              <option key={s.storeId} value={s.storeId}>
                {s.name}
              </option>
            ))}
          </datalist>
        </label>
        <label class="field">
          <span>{t('svc.mw.register')}</span>
          <input data-testid="svc-mw-register" list="svc-mw-registers" maxLength={64} placeholder={t('svc.mw.wholeStore')} {...field('registerId')} />
          <datalist id="svc-mw-registers" data-testid="svc-mw-register-list">
            {(registers.value?.registers ?? []).map((r) => (
              <option key={r.agentId} value={r.registerId} />
            ))}
          </datalist>
        </label>
        <label class="field">
          <span>{t('svc.mw.starts')}</span>
          <input type="datetime-local" data-testid="svc-mw-starts" {...field('startsAt')} />
        </label>
        <label class="field">
          <span>{t('svc.mw.ends')}</span>
          <input type="datetime-local" data-testid="svc-mw-ends" {...field('endsAt')} />
        </label>
      </div>
      <p class="muted small" data-testid="svc-mw-zone">
        {store ? t('svc.mw.storeTime', { zone }) : t('svc.mw.browserTime', { zone })}
      </p>
      <label class="field-wide">
        <span>{t('svc.mw.reason')}</span>
        <input data-testid="svc-mw-reason" maxLength={500} placeholder={t('svc.mw.reasonPlaceholder')} {...field('reason')} />
      </label>
      <FormErrors errors={errors.map((e) => ({ key: e.key, label: t(FIELD_LABELS[e.field]) }))} testid="svc-mw-errors" />
      <ErrorBanner error={failure} testid="svc-mw-save-error" />
      <div class="actions">
        <button type="submit" class="btn btn-primary" data-testid="svc-mw-submit" disabled={busy}>
          {t('svc.mw.submit')}
        </button>
        {planned ? (
          <span class="text-green small" role="status" data-testid="svc-mw-planned">
            {t('svc.mw.planned')}
          </span>
        ) : null}
      </div>
    </form>
  );
}
