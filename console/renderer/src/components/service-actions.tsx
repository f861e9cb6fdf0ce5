// "Сервис → Действия": how long a queued remote action waits for an offline register, and which
// actions are on in each store (a ticked box = allowed; an unticked one answers 409 `disabled`).
// Admins change; engineers read.
import type { CommandVerb, StoreActionBlocks } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { ErrorBanner } from './common';
import { ACTION_VERBS } from './ticket-actions';
import { useLoad } from './use-load';

export function ActionsAdminPanel({ api, admin }: { api: ApiClient; admin: boolean }) {
  const { t } = useI18n();
  return (
    <section class="card" data-testid="svc-actions">
      <h2>{t('svc.tab.actions')}</h2>
      {admin ? null : <p class="muted small">{t('svcActions.adminsOnly')}</p>}
      <ExpiryEditor api={api} admin={admin} />
      <StoreSwitches api={api} admin={admin} />
    </section>
  );
}

function ExpiryEditor({ api, admin }: { api: ApiClient; admin: boolean }) {
  const { t } = useI18n();
  const settings = useLoad(() => api.actionSettings(), api);
  const [draft, setDraft] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const value = draft ?? (settings.value ? String(settings.value.expiryMinutes) : '');
  const minutes = Number(value);
  const valid = Number.isInteger(minutes) && minutes >= 1 && minutes <= 7 * 24 * 60;
  const save = async () => {
    setFailure(null);
    try {
      settings.set(await api.saveActionSettings({ expiryMinutes: minutes }));
      setDraft(null);
      setSaved(true);
    } catch (e) {
      setFailure(e);
    }
  };
  return (
    <form class="action-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <ErrorBanner error={settings.error ?? failure} />
      <label>
        {t('svcActions.expiry')}{' '}
        <input type="number" min={1} max={7 * 24 * 60} data-testid="svc-actions-expiry" value={value} disabled={!admin}
          onInput={(e) => { setDraft(e.currentTarget.value); setSaved(false); }} />
      </label>
      {admin ? <button type="submit" class="btn btn-primary btn-small" data-testid="svc-actions-save" disabled={!valid || draft === null}>{t('svcActions.save')}</button> : null}
      {saved ? <span class="muted small" role="status"> {t('svcActions.saved')}</span> : null}
    </form>
  );
}

function StoreSwitches({ api, admin }: { api: ApiClient; admin: boolean }) {
  const { t } = useI18n();
  const list = useLoad(() => api.actionStores(), api);
  const [failure, setFailure] = useState<unknown>(null);
  const toggle = async (store: StoreActionBlocks, verb: CommandVerb, allowed: boolean) => {
    setFailure(null);
    const disabled = allowed ? store.disabled.filter((v) => v !== verb) : [...store.disabled, verb];
    try {
      const answer = await api.saveStoreActions(store.storeId, disabled);
      if (list.value) list.set({ stores: list.value.stores.map((s) => (s.storeId === answer.storeId ? answer : s)) });
    } catch (e) {
      setFailure(e);
    }
  };
  const stores = list.value?.stores ?? [];
  return (
    <>
      <h3>{t('svcActions.stores')}</h3>
      <ErrorBanner error={list.error ?? failure} onRetry={list.reload} />
      {list.value && stores.length === 0 ? <p class="muted small">{t('svcActions.noStores')}</p> : null}
      {stores.length > 0 ? (
        <table class="table" data-testid="svc-actions-stores">
          <thead>
            <tr>
              <th scope="col">{t('svcActions.store')}</th>
              {ACTION_VERBS.map((verb) => <th scope="col" key={verb}>{t(`actions.verb.${verb}`)}</th>)}
            </tr>
          </thead>
          <tbody>
            {stores.map((store) => (
              <tr key={store.storeId} data-store-id={store.storeId}>
                <th scope="row">{store.storeId}</th>
                {ACTION_VERBS.map((verb) => (
                  <td key={verb}>
                    <input type="checkbox" data-testid={`svc-actions-${store.storeId}-${verb}`} checked={!store.disabled.includes(verb)} disabled={!admin}
                      aria-label={`${store.storeId}: ${t(`actions.verb.${verb}`)}`}
                      onChange={(e) => void toggle(store, verb, e.currentTarget.checked)} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
