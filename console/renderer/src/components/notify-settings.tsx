import type { ChannelList, DeliveryList, GroupList, NotifyChannel, RuleList } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { formatDateTime } from '../logic/format';
import { routeToHash } from '../logic/route';
import { ErrorBanner } from './common';
import { ChannelTable } from './notify-channels';
import { RuleTable } from './notify-rules';
import { PartFrame } from './service-common';
import { useLoad } from './use-load';

interface NotifySetup {
  channels: ChannelList;
  rules: RuleList;
  groups: GroupList;
}

/**
 * "Уведомления / Notifications": channels (Telegram, e-mail, webhook), per-group rules with quiet
 * hours, and what was delivered, is waiting or failed. Admins only: channels hold secrets, and the
 * server refuses engineers (403), so an engineer sees a note instead.
 */
export function NotifyPanel({ api, admin }: { api: ApiClient; admin: boolean }) {
  const { t } = useI18n();
  if (!admin) {
    return (
      <section class="card service-part" data-testid="svc-notify">
        <h2>{t('ntf.title')}</h2>
        <p class="muted" data-testid="ntf-admins-only">{t('ntf.adminsOnly')}</p>
      </section>
    );
  }
  return <NotifyAdmin api={api} />;
}

function NotifyAdmin({ api }: { api: ApiClient }) {
  const setup = useLoad<NotifySetup>(async () => {
    const [channels, rules, groups] = await Promise.all([api.notifyChannels(), api.notifyRules(), api.groups()]);
    return { channels, rules, groups };
  }, api);
  return (
    <PartFrame testid="svc-notify" title="ntf.title" hint="ntf.hint" readOnly={false} state={setup}>
      {({ channels, rules, groups }) => (
        <>
          <ChannelTable api={api} channels={channels.channels} onChanged={setup.reload} />
          <RuleTable api={api} rules={rules.rules} channels={channels.channels} groups={groups.groups} onChanged={setup.reload} />
          <Deliveries api={api} channels={channels.channels} />
        </>
      )}
    </PartFrame>
  );
}

/** The newest deliveries and each channel's counts; a failed or skipped one can be sent again. */
function Deliveries({ api, channels }: { api: ApiClient; channels: readonly NotifyChannel[] }) {
  const { t } = useI18n();
  const state = useLoad(() => api.notifyDeliveries({ limit: 50 }), api);
  const [failure, setFailure] = useState<unknown>(null);
  const retry = (id: number) => {
    setFailure(null);
    api.retryNotifyDelivery(id).then(state.reload, setFailure);
  };
  return (
    <section data-testid="ntf-deliveries">
      <h3>{t('ntf.deliveries')}</h3>
      <div class="actions">
        <button type="button" class="btn btn-ghost btn-small" data-testid="ntf-deliveries-reload" onClick={state.reload}>
          {t('ntf.del.reload')}
        </button>
      </div>
      <ErrorBanner error={state.error ?? failure} onRetry={state.reload} testid="ntf-deliveries-error" />
      {state.value ? <DeliveryTable list={state.value} channels={channels} onRetry={retry} /> : null}
    </section>
  );
}

function DeliveryTable({ list, channels, onRetry }: { list: DeliveryList; channels: readonly NotifyChannel[]; onRetry: (id: number) => void }) {
  const { t, locale } = useI18n();
  const count = (channelId: number, status: string) => list.counts.find((c) => c.channelId === channelId && c.status === status)?.count ?? 0;
  return (
    <>
      <ul class="plain" data-testid="ntf-counts">
        {channels.map((c) => (
          <li key={c.id} data-channel-id={c.id}>
            {t('ntf.del.counts', { name: c.name, sent: count(c.id, 'sent'), pending: count(c.id, 'pending'), failed: count(c.id, 'failed'), skipped: count(c.id, 'skipped') })}
          </li>
        ))}
      </ul>
      {list.deliveries.length === 0 ? <p class="muted">{t('ntf.del.none')}</p> : (
        <div class="table-scroll">
          <table class="host-table">
            <thead>
              <tr>
                <th>{t('ntf.del.when')}</th>
                <th>{t('ntf.rule.channel')}</th>
                <th>{t('ntf.del.ticket')}</th>
                <th>{t('ntf.rule.triggers')}</th>
                <th>{t('ntf.del.status')}</th>
                <th>{t('ntf.del.attempts')}</th>
                <th>{t('ntf.del.next')}</th>
                <th>{t('ntf.del.error')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.deliveries.map((d) => (
                <tr key={d.id} data-delivery-id={d.id} data-status={d.status}>
                  <td>{formatDateTime(d.createdAt, locale)}</td>
                  <td>{d.channelName}</td>
                  <td><a href={routeToHash({ name: 'ticket', id: d.ticketId })}>#{d.ticketId}</a></td>
                  <td>{t(`ntf.trigger.${d.trigger}`)}</td>
                  <td data-col="status">{t(`ntf.status.${d.status}`)}{d.status === 'pending' && d.quiet ? ` (${t('ntf.status.quiet')})` : ''}</td>
                  <td>{d.attempts}</td>
                  <td>{d.status === 'pending' ? formatDateTime(d.nextAt, locale) : ''}</td>
                  <td class="mono small" data-col="error">{d.lastError ?? ''}</td>
                  <td>
                    {d.status === 'failed' || d.status === 'skipped' ? (
                      <button type="button" class="btn btn-ghost btn-small" data-testid="ntf-delivery-retry" onClick={() => onRetry(d.id)}>
                        {t('ntf.del.retry')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
