import type { MaintenanceList, MaintenanceWindow, StoreSettings } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { formatDate } from '../logic/format';
import { errorText } from './common';
import { LoadedPart, PartFrame } from './service-common';
import { MaintenancePlanForm } from './maintenance-plan';
import { useLoad } from './use-load';

/**
 * Maintenance windows: while one runs, a store's (or one register's) findings are kept as history
 * and open no ticket. Engineers and admins plan and cancel them. Current and past windows show how
 * many findings each held back.
 */
export function MaintenancePanel({ api }: { api: ApiClient }) {
  const { t } = useI18n();
  const current = useLoad(() => api.maintenance({ state: 'current' }), api);
  const past = useLoad(() => api.maintenance({ state: 'past' }), api);
  // The stores give the form its store list and time zones; without them the browser's zone is used.
  const stores = useLoad(() => api.stores().catch((): { stores: StoreSettings[] } => ({ stores: [] })), api);
  const reload = () => {
    current.reload();
    past.reload();
  };
  return (
    <PartFrame testid="svc-mw" title="svc.mw.title" hint="svc.mw.hint" readOnly={false} state={current}>
        {(list) => (
          <>
            <MaintenancePlanForm api={api} stores={stores.value?.stores ?? []} onPlanned={reload} />
            <h3>{t('svc.mw.current')}</h3>
            <WindowTable list={list} api={api} onChanged={reload} testid="svc-mw-current" />
            <h3>{t('svc.mw.past')}</h3>
            <LoadedPart state={past} testid="svc-mw-past">
              {(history) => <WindowTable list={history} api={api} onChanged={reload} testid="svc-mw-past" />}
            </LoadedPart>
          </>
        )}
    </PartFrame>
  );
}

function WindowTable({ list, api, onChanged, testid }: { list: MaintenanceList; api: ApiClient; onChanged: () => void; testid: string }) {
  const { t } = useI18n();
  if (!list.windows.length) return <p class="muted" data-testid={`${testid}-empty`}>{t('svc.mw.none')}</p>;
  return (
    <div class="table-scroll">
      <table class="host-table" data-testid={testid}>
        <thead>
          <tr>
            <th>{t('svc.mw.where')}</th>
            <th>{t('svc.mw.when')}</th>
            <th>{t('svc.mw.reason')}</th>
            <th>{t('svc.mw.by')}</th>
            <th>{t('svc.mw.state')}</th>
            <th class="num">{t('svc.mw.suppressed')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.windows.map((w) => (
            <WindowRow key={w.id} window={w} api={api} onChanged={onChanged} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function WindowRow({ window: w, api, onChanged }: { window: MaintenanceWindow; api: ApiClient; onChanged: () => void }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  // Engineers and admins alike may cancel a window that has not ended (the server allows both).
  const cancellable = w.state === 'planned' || w.state === 'active';
  const cancel = () => {
    setFailure(null);
    api.cancelMaintenance(w.id).then(onChanged, setFailure);
  };
  return (
    <tr data-window-id={w.id} data-state={w.state}>
      <td>
        <span class="mono">{w.storeId}</span> / {w.registerId === null ? <span class="muted">{t('svc.mw.wholeStore')}</span> : <span class="mono">{w.registerId}</span>}
      </td>
      <td class="small">
        {formatDate(w.startsAt, locale)} — {formatDate(w.endsAt, locale)}
      </td>
      <td>{w.reason}</td>
      <td class="small">{w.cancelledBy ? t('svc.mw.cancelledBy', { who: w.cancelledBy }) : w.createdBy}</td>
      <td>
        <span class={`mw-state mw-${w.state}`}>{t(`svc.mw.state.${w.state}`)}</span>
      </td>
      <td class="num" data-col="suppressed">{w.suppressed}</td>
      <td>
        {cancellable && !confirming ? (
          <button type="button" class="btn btn-small" data-testid="svc-mw-cancel" onClick={() => setConfirming(true)}>
            {t('svc.mw.cancel')}
          </button>
        ) : null}
        {confirming ? (
          <span role="alertdialog" class="inline-confirm">
            {t('svc.mw.cancelConfirm')}{' '}
            <button type="button" class="btn btn-small btn-primary" data-testid="svc-mw-cancel-yes" onClick={cancel}>
              {t('svc.yes')}
            </button>
            <button type="button" class="btn btn-small btn-ghost" onClick={() => setConfirming(false)}>
              {t('svc.no')}
            </button>
          </span>
        ) : null}
        {failure ? (
          <span class="text-red small" role="alert" data-testid="svc-mw-cancel-error">
            {errorText(i18n, failure)}
          </span>
        ) : null}
      </td>
    </tr>
  );
}
