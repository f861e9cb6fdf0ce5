import type { StoreList, StoreSettings } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { hoursSummary } from '../logic/store-hours';
import { PartFrame, SavedNote } from './service-common';
import { calendarModeKey, StoreEditor } from './store-editor';
import { useLoad } from './use-load';

/** How many store rows are drawn at once; the filter narrows a large chain down. */
const SHOWN = 200;

/**
 * The stores: each with its time zone, weekly hours (Monday first) and whose holiday calendar
 * stops its SLA clocks. Admins edit one store at a time; engineers read.
 */
export function StoresPanel({ api, admin }: { api: ApiClient; admin: boolean }) {
  const state = useLoad(() => api.stores(), api);
  return (
    <PartFrame testid="svc-stores" title="svc.stores.title" hint="svc.stores.hint" readOnly={!admin} state={state}>
      {(list) => <StoreTable list={list} admin={admin} api={api} onSaved={(store) => state.set({ stores: list.stores.map((s) => (s.storeId === store.storeId ? store : s)) })} />}
    </PartFrame>
  );
}

function StoreTable({ list, admin, api, onSaved }: { list: StoreList; admin: boolean; api: ApiClient; onSaved: (store: StoreSettings) => void }) {
  const { t } = useI18n();
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  if (!list.stores.length) return <p class="muted" data-testid="svc-stores-empty">{t('svc.stores.empty')}</p>;
  const needle = filter.trim().toLowerCase();
  const matching = needle ? list.stores.filter((s) => `${s.storeId} ${s.name} ${s.timeZone}`.toLowerCase().includes(needle)) : list.stores;
  const shown = matching.slice(0, SHOWN);
  const current = editing === null ? null : list.stores.find((s) => s.storeId === editing) ?? null;
  return (
    <>
      <div class="filters">
        <label class="field">
          <span>{t('svc.stores.filter')}</span>
          <input data-testid="svc-stores-filter" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        </label>
        <span class="muted small">{t('svc.shownOf', { n: shown.length, total: matching.length })}</span>
        <SavedNote shown={saved !== null} testid="svc-store-saved" />
      </div>
      {current ? (
        <StoreEditor
          key={current.storeId}
          api={api}
          store={current}
          onCancel={() => setEditing(null)}
          onSaved={(store) => {
            onSaved(store);
            setEditing(null);
            setSaved(store.storeId);
          }}
        />
      ) : null}
      <div class="table-scroll">
        <table class="host-table" data-testid="svc-stores-table">
          <thead>
            <tr>
              <th>{t('svc.store.id')}</th>
              <th>{t('svc.store.name')}</th>
              <th>{t('svc.store.zone')}</th>
              <th>{t('svc.store.hours')}</th>
              <th>{t('svc.store.calendar')}</th>
              <th class="num">{t('svc.store.registers')}</th>
              {admin ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {shown.map((store) => (
              <tr key={store.storeId} data-store-id={store.storeId}>
                <td class="mono">{store.storeId}</td>
                <td>{store.name}</td>
                <td class="mono" data-col="zone">{store.timeZone}</td>
                <td data-col="hours">{hoursSummary(store.hours, t)}</td>
                <td data-col="calendar">{t(calendarModeKey(store.calendar))}</td>
                <td class="num">{store.registers}</td>
                {admin ? (
                  <td>
                    <button type="button" class="btn btn-small" data-testid="svc-store-edit" onClick={() => setEditing(store.storeId)}>
                      {t('svc.edit')}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
