import type { ReplacementBucket, ReplacementList } from '@tillscope/shared';
import { useEffect, useState } from 'preact/hooks';
import { replacementsCsvHref, type ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { formatDate } from '../logic/format';
import { blockingWhen, forecastTone } from '../logic/forecast';
import { storeFleetHash } from '../logic/route';
import { useNow } from '../state/store';
import { ErrorBanner, StoreFilterField } from './common';

const BUCKETS: readonly ReplacementBucket[] = ['d30', 'd60', 'd90'];

/**
 * "ФН к замене / Fiscal drives to replace": per store, the drives whose validity ends or whose
 * archive fills within 30, 60 and 90 days, so that visits can be batched; CSV for planning.
 */
export function ReplacementsScreen({ api, storeId, onStore }: { api: ApiClient; storeId: string | null; onStore: (storeId: string | null) => void }) {
  const { t } = useI18n();
  const now = useNow(60_000);
  const [list, setList] = useState<ReplacementList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    let live = true;
    setList(null);
    setError(null);
    api.replacements(storeId).then(
      (answer) => live && setList(answer),
      (failure: unknown) => live && setError(failure),
    );
    return () => {
      live = false;
    };
  }, [api, storeId, attempt]);

  /** The next page of stores, appended; the first page's total stays. */
  const more = () => {
    if (!list?.nextCursor || loadingMore) return;
    setLoadingMore(true);
    api.replacements(storeId, list.nextCursor).then(
      (page) => setList((current) => current && { ...current, stores: [...current.stores, ...page.stores], nextCursor: page.nextCursor }),
      setError,
    ).finally(() => setLoadingMore(false));
  };

  return (
    <main class="replacements-screen" data-testid="replacements">
      <div class="filters">
        <h1 class="screen-title">{t('fiscal.title')}</h1>
        <StoreFilterField storeId={storeId} testid="replacements-store" onCommit={onStore} />
        <div class="topbar-spacer" />
        {list?.total !== null && list?.total !== undefined ? <span class="count" data-testid="replacements-total">{t('fiscal.total', { n: list.total })}</span> : null}
        <a class="btn btn-small" data-testid="replacements-csv" href={replacementsCsvHref(storeId, 'comma')} download>
          {t('fiscal.csv')}
        </a>
        <a class="btn btn-small btn-ghost" data-testid="replacements-csv-excel" href={replacementsCsvHref(storeId, 'semicolon')} download>
          {t('fiscal.csvExcel')}
        </a>
      </div>
      <ErrorBanner error={error} onRetry={() => setAttempt((n) => n + 1)} />
      {!list && !error ? <p class="muted pad">{t('fiscal.loading')}</p> : null}
      {list && list.stores.length === 0 ? <p class="muted pad">{t('fiscal.empty')}</p> : null}
      <div class="stores">
        {list?.stores.map((store) => <StoreDrives key={store.storeId} store={store} now={now} />)}
        {list?.nextCursor ? (
          <button type="button" class="btn" data-testid="replacements-more" disabled={loadingMore} onClick={more}>
            {loadingMore ? t('fiscal.loading') : t('fleet.more')}
          </button>
        ) : null}
      </div>
    </main>
  );
}

function StoreDrives({ store, now }: { store: ReplacementList['stores'][number]; now: number }) {
  const { t, locale } = useI18n();
  return (
    <section class="card store" data-testid="replacement-store" data-store-id={store.storeId}>
      <header class="store-head">
        <h2>{t('fleet.store', { id: store.storeId })}</h2>
        {BUCKETS.map((bucket) => (
          <span key={bucket} class={`chip ${store.counts[bucket] ? (bucket === 'd30' ? 'chip-red' : 'chip-amber') : ''}`} data-bucket={bucket} data-count={store.counts[bucket]}>
            {t(`fiscal.bucket.${bucket}`)}: {store.counts[bucket]}
          </span>
        ))}
      </header>
      <table class="drives">
        <thead>
          <tr>
            <th>{t('fiscal.col.register')}</th>
            <th>{t('fiscal.col.model')}</th>
            <th>{t('fiscal.col.fn')}</th>
            <th>{t('fiscal.col.replaceBy')}</th>
            <th>{t('fiscal.col.reason')}</th>
            <th>{t('fiscal.col.blocking')}</th>
          </tr>
        </thead>
        <tbody>
          {store.drives.map((drive) => {
            const when = blockingWhen(drive.replaceBy, now);
            return (
              <tr key={`${drive.agentId}/${drive.deviceId}`} data-testid="replacement-drive" data-bucket={drive.bucket}>
                <td class="mono">
                  <a href={storeFleetHash(drive.storeId)}>
                    {drive.registerId}
                  </a>{' '}
                  <span class="muted">{drive.deviceId}</span>
                </td>
                <td>
                  {drive.model ?? '—'}
                  {drive.registerSerial ? <span class="muted mono"> · {drive.registerSerial}</span> : null}
                </td>
                <td class="mono">{drive.fnSerial ?? '—'}</td>
                <td class={`tone-${forecastTone(drive.replaceBy, now)}`}>
                  {formatDate(drive.replaceBy, locale)} <span class="small">({t(when.key, when.vars)})</span>
                </td>
                <td>{t(`fiscal.replace.${drive.replaceReason}`)}</td>
                <td>
                  {drive.blockingAt && drive.blockingReason ? (
                    <>
                      {formatDate(drive.blockingAt, locale)} <span class="muted small">({t(`forecast.reason.${drive.blockingReason}`)})</span>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
