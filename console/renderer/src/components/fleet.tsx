import { useMemo } from 'preact/hooks';
import { useI18n } from '../i18n/locale';
import { formatAgo } from '../logic/format';
import { groupByStore, registerHealth } from '../logic/fleet';
import { storeQueueHash } from '../logic/route';
import type { ConsoleState } from '../state/console-state';
import { useNow, useStore } from '../state/store';
import { ConnectionText, ErrorBanner, HealthDot } from './common';
import { DeviceList } from './ticket-detail';

/** Registers by store: who is silent, which devices are faulty, how many tickets are open. */
export function FleetScreen({ state }: { state: ConsoleState }) {
  const { t, locale } = useI18n();
  const fleet = useStore(state.fleet);
  const now = useNow(5_000);
  const stores = useMemo(() => groupByStore(fleet.registers), [fleet.registers]);
  return (
    <main class="fleet-screen" data-testid="fleet">
      <div class="filters">
        <h1 class="screen-title">{t('fleet.title')}</h1>
      </div>
      <ErrorBanner error={fleet.error} onRetry={() => void state.reloadFleet()} />
      {stores.length === 0 ? <p class="muted pad">{fleet.loading ? t('fleet.loading') : t('fleet.empty')}</p> : null}
      <div class="stores">
        {stores.map((store) => (
          <section class={`card store store-${store.worst}`} key={store.storeId} data-testid="fleet-store" data-store-id={store.storeId}>
            <header class="store-head">
              <HealthDot health={store.worst} />
              <h2>{t('fleet.store', { id: store.storeId })}</h2>
              <span class="muted">{t('fleet.summary', { registers: store.registers.length, connected: store.connected })}</span>
              <div class="topbar-spacer" />
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
                    <strong class="mono">{r.registerId}</strong>
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
                  <DeviceList register={r} />
                </article>
              ))}
            </div>
          </section>
        ))}
      </div>
    </main>
  );
}
