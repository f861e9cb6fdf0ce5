import { useMemo } from 'preact/hooks';
import { useI18n } from '../i18n/locale';
import { formatAgo } from '../logic/format';
import { groupByStore, registerHealth } from '../logic/fleet';
import { BLOCKING_FILTERS, DEFAULT_FLEET_FILTER, HEALTH_FILTERS, HealthFilter, sameFleetFilter, type ConnectionFilter, type FleetFilter, type FleetSort } from '../logic/fleet-filter';
import { blockingWithin } from '../logic/forecast';
import { registerHash, storeQueueHash, storeReplacementsHash } from '../logic/route';
import type { ConsoleState } from '../state/console-state';
import { useNow, useStore } from '../state/store';
import { ConnectionText, ErrorBanner, HealthDot, StoreFilterField } from './common';
import type { ApiClient } from '../api/client';
import { DeviceList, ForecastLine, LazyFiscalFacts } from './devices';
import { DiscoveryPanel } from './discovery';

const CONNECTIONS: readonly ConnectionFilter[] = ['any', 'connected', 'silent'];
const SORTS: readonly FleetSort[] = ['store', 'blocking'];

/**
 * Registers by store: who is silent, which devices are faulty, how many tickets are open. The
 * server pages the fleet (200 registers at a time, by store) and filters it; the filters live in
 * the URL like the queue's.
 */
export function FleetScreen({ state, api, onFilter }: { state: ConsoleState; api: ApiClient; onFilter: (filter: FleetFilter) => void }) {
  const { t, locale } = useI18n();
  const fleet = useStore(state.fleet);
  const now = useNow(5_000);
  const stores = useMemo(() => groupByStore(fleet.registers), [fleet.registers]);
  const { filter } = fleet;
  return (
    <main class="fleet-screen" data-testid="fleet">
      <FleetFilterBar filter={filter} onFilter={onFilter} shown={fleet.registers.length} total={fleet.total} />
      <ErrorBanner error={fleet.error} onRetry={() => void state.reloadFleet()} />
      {stores.length === 0 ? (
        <p class="muted pad">{fleet.loading ? t('fleet.loading') : sameFleetFilter(filter, DEFAULT_FLEET_FILTER) ? t('fleet.empty') : t('fleet.noMatch')}</p>
      ) : null}
      <div class="stores">
        {stores.map((store) => (
          <section class={`card store store-${store.worst}`} key={store.storeId} data-testid="fleet-store" data-store-id={store.storeId}>
            <header class="store-head">
              <HealthDot health={store.worst} />
              <h2>{t('fleet.store', { id: store.storeId })}</h2>
              <span class="muted">{t('fleet.summary', { registers: store.registers.length, connected: store.connected })}</span>
              <div class="topbar-spacer" />
              <BlockingChip storeId={store.storeId} count={blockingWithin(store.registers, 30, now)} />
              <a class={`chip ${store.openTickets ? 'chip-amber' : ''}`} href={storeQueueHash(store.storeId)} title={t('fleet.showTickets')}>
                {t('fleet.openTickets', { n: store.openTickets })}
              </a>
            </header>
            <div class="registers">
              {store.registers.map((r) => (
                <article
                  class={`register ${r.connected ? 'connected' : 'silent'}`}
                  key={r.agentId}
                  data-testid="fleet-register"
                  data-agent-id={r.agentId}
                  data-connected={r.connected ? 'true' : 'false'}
                >
                  <div class="register-line">
                    <HealthDot health={registerHealth(r)} />
                    <a class="mono register-link" href={registerHash(r.agentId)} data-testid="register-link" title={t('registerPage.open')}>
                      <strong>{r.registerId}</strong>
                    </a>
                    <span class="mono muted ellipsis">{r.hostname}</span>
                    <div class="topbar-spacer" />
                    <ConnectionText connected={r.connected} />
                  </div>
                  <div class="register-line muted small">
                    <span>
                      {t('fleet.lastSeen')}: {formatAgo(r.lastSeenAt, now, locale)}
                    </span>
                    <div class="topbar-spacer" />
                    <span class={r.openTickets ? 'text-amber' : ''}>{t('fleet.openTickets', { n: r.openTickets })}</span>
                  </div>
                  <ForecastLine forecast={r.forecast} now={now} />
                  <DeviceList register={r} now={now} />
                  <LazyFiscalFacts api={api} register={r} now={now} />
                  <DiscoveryPanel api={api} register={r} />
                </article>
              ))}
            </div>
          </section>
        ))}
        {fleet.nextCursor ? (
          <button type="button" class="btn" data-testid="fleet-more" disabled={fleet.loadingMore} onClick={() => void state.loadMoreFleet()}>
            {fleet.loadingMore ? t('fleet.loading') : t('fleet.more')}
          </button>
        ) : null}
      </div>
    </main>
  );
}

/** "Блокировка ≤ 30 дн.: N" on a store tile, linking to its drives to replace; nothing when none. */
function BlockingChip({ storeId, count }: { storeId: string; count: number }) {
  const { t } = useI18n();
  if (count === 0) return null;
  return (
    <a class="chip chip-red" data-testid="store-blocking" href={storeReplacementsHash(storeId)} title={t('nav.fiscal')}>
      {t('fleet.blockingSoon', { n: count })}
    </a>
  );
}

function FleetFilterBar({ filter, onFilter, shown, total }: { filter: FleetFilter; onFilter: (f: FleetFilter) => void; shown: number; total: number | null }) {
  const { t } = useI18n();
  const set = (patch: Partial<FleetFilter>) => onFilter({ ...filter, ...patch });
  return (
    <div class="filters" data-testid="fleet-filters">
      <h1 class="screen-title">{t('fleet.title')}</h1>
      <div class="seg" role="group" aria-label={t('fleet.filter.connection')}>
        {CONNECTIONS.map((c) => (
          <button type="button" key={c} class={filter.connected === c ? 'on' : ''} aria-pressed={filter.connected === c} data-testid={`fleet-connected-${c}`} onClick={() => set({ connected: c })}>
            {t(`fleet.filter.connection.${c}`)}
          </button>
        ))}
      </div>
      <label class="field">
        <span>{t('fleet.filter.health')}</span>
        <select data-testid="fleet-health" value={filter.health ?? ''} onChange={(e) => set({ health: HealthFilter.safeParse(e.currentTarget.value).data ?? null })}>
          <option value="">{t('fleet.filter.health.any')}</option>
          {HEALTH_FILTERS.map((h) => (
            <option key={h} value={h}>
              {t(`health.${h}`)}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>{t('fleet.filter.blocking')}</span>
        <select
          data-testid="fleet-blocking"
          value={filter.blockingWithinDays ?? ''}
          onChange={(e) => set({ blockingWithinDays: BLOCKING_FILTERS.find((days) => String(days) === e.currentTarget.value) ?? null })}
        >
          <option value="">{t('fleet.filter.blocking.any')}</option>
          {BLOCKING_FILTERS.map((days) => (
            <option key={days} value={days}>
              {t('fleet.filter.blocking.days', { n: days })}
            </option>
          ))}
        </select>
      </label>
      <div class="seg" role="group" aria-label={t('fleet.sort')}>
        {SORTS.map((sort) => (
          <button type="button" key={sort} class={filter.sort === sort ? 'on' : ''} aria-pressed={filter.sort === sort} data-testid={`fleet-sort-${sort}`} onClick={() => set({ sort })}>
            {t(`fleet.sort.${sort}`)}
          </button>
        ))}
      </div>
      <StoreFilterField storeId={filter.storeId} testid="fleet-store-input" onCommit={(storeId) => set({ storeId })} />
      <label class={`toggle ${filter.openTickets ? 'on' : ''}`}>
        <input type="checkbox" data-testid="fleet-open" checked={filter.openTickets} onChange={(e) => set({ openTickets: e.currentTarget.checked })} />
        {t('fleet.filter.open')}
      </label>
      <button type="button" class="btn btn-ghost btn-small" onClick={() => onFilter({ ...DEFAULT_FLEET_FILTER })}>
        {t('filter.reset')}
      </button>
      <div class="topbar-spacer" />
      <span class="count" data-testid="fleet-count">
        {total === null || total === shown ? t('fleet.count', { n: shown }) : t('fleet.countOf', { n: shown, total })}
      </span>
    </div>
  );
}
