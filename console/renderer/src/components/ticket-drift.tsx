import type { RegisterSummary } from '@tillscope/shared';
import type { ApiClient } from '../api/client';
import type { FeedClient } from '../api/feed';
import { useI18n } from '../i18n/locale';
import { registerHash } from '../logic/route';
import { ErrorBanner } from './common';
import { DriftView } from './drift';
import { useRegisterHost } from './host-panel';

/**
 * On a "drift from reference" ticket: the register's differences, expected against actual, live
 * (GET /api/registers/:agentId/host), with a link to the register page for the rest of its host facts.
 */
export function TicketDrift({ api, feed, register }: { api: ApiClient; feed: FeedClient; register: Pick<RegisterSummary, 'agentId'> | undefined }) {
  const { t } = useI18n();
  const { host, error, reload } = useRegisterHost(api, feed, register?.agentId);
  return (
    <section class="card" data-testid="ticket-drift">
      <h2>{t('drift.title')}</h2>
      {!register ? <p class="muted">{t('drift.unknownRegister')}</p> : null}
      <ErrorBanner error={error} onRetry={reload} />
      {host ? <DriftView drift={host.drift} /> : register && !error ? <p class="muted">{t('drift.loading')}</p> : null}
      {register ? (
        <p class="small">
          <a href={registerHash(register.agentId)} data-testid="ticket-register-page">
            {t('registerPage.open')}
          </a>
        </p>
      ) : null}
    </section>
  );
}
