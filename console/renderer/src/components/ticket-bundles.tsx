// "Пакеты диагностики / Diagnostics bundles" on a ticket: the button asks the register for a bundle
// (POST /api/tickets/:id/bundle); the list shows what arrived, with what was removed or cut, and a
// link that downloads each as a JSON file. Every string in a bundle came from a register: the
// list shows only the console's summary of it.
import type { RegisterDetail, RegisterSummary, StoredBundle, TicketBundles, TicketDetail } from '@tillscope/shared';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { formatDateTime } from '../logic/format';
import { ErrorBanner } from './common';

/** How often the card re-reads the list while a request waits for the register. */
export const BUNDLE_POLL_MS = 2_000;

const KINDS = ['password', 'token', 'card_number', 'cashier_name'] as const;

function BundleRow({ bundle, api }: { bundle: StoredBundle; api: ApiClient }) {
  const { t, locale } = useI18n();
  const removed = KINDS.filter((kind) => (bundle.redactions[kind] ?? 0) > 0).map((kind) => `${t(`bundle.kind.${kind}`)} ${bundle.redactions[kind]}`);
  return (
    <li data-testid="bundle-row">
      <div class="register-line">
        <a href={api.bundleUrl(bundle.bundleId)} download data-testid="bundle-download">
          {t('bundle.download', { when: formatDateTime(bundle.createdAt, locale) })}
        </a>
        <span class="muted small">{t('bundle.size', { kb: Math.max(1, Math.round(bundle.sizeBytes / 1024)) })}</span>
        {bundle.requestedBy ? <span class="muted small">{t('bundle.requestedBy', { who: bundle.requestedBy })}</span> : null}
      </div>
      <p class="small" data-testid="bundle-redactions">
        {removed.length ? t('bundle.redacted', { list: removed.join(', ') }) : t('bundle.redactedNothing')}
      </p>
      {bundle.truncated.length ? (
        <p class="small muted" data-testid="bundle-truncated">
          {t('bundle.truncated', { list: bundle.truncated.join('; ') })}
        </p>
      ) : null}
    </li>
  );
}

export interface TicketBundlesProps {
  ticket: Pick<TicketDetail, 'id' | 'timeline'>;
  register: Pick<RegisterSummary | RegisterDetail, 'connected'> | undefined;
  api: ApiClient;
}

/** Read on mount and whenever the ticket's timeline grows (a request or a result was noted); polled while pending. */
export function TicketBundlesCard({ ticket, register, api }: TicketBundlesProps) {
  const { t } = useI18n();
  const [state, setState] = useState<TicketBundles | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [asking, setAsking] = useState(false);
  const live = useRef(true);
  useEffect(() => () => void (live.current = false), []);

  const load = () =>
    api.ticketBundles(ticket.id).then(
      (loaded) => live.current && setState(loaded),
      (e: unknown) => live.current && setError(e),
    );
  useEffect(() => void load(), [ticket.id, ticket.timeline.length]);
  useEffect(() => {
    if (!state?.pending) return;
    const timer = setTimeout(() => void load(), BUNDLE_POLL_MS);
    return () => clearTimeout(timer);
  }, [state]);

  const ask = async () => {
    setError(null);
    setAsking(true);
    try {
      await api.collectBundle(ticket.id);
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setAsking(false);
    }
  };

  const offline = !register || !register.connected;
  return (
    <section class="card" data-testid="bundles">
      <h2>{t('bundle.section')}</h2>
      <div class="register-line">
        <button
          type="button"
          class="btn"
          data-testid="bundle-collect"
          disabled={offline || asking || Boolean(state?.pending)}
          title={offline ? t('ticket.probeOffline') : t('bundle.collectTitle')}
          onClick={() => void ask()}
        >
          {t('bundle.collect')}
        </button>
      </div>
      <ErrorBanner error={error} onRetry={() => void load()} />
      {state?.pending ? (
        <p class="muted" role="status" data-testid="bundle-pending">
          {t('bundle.pending', { who: state.pending.requestedBy })}
        </p>
      ) : null}
      {state?.failed ? (
        <p class="text-amber" role="status" data-testid="bundle-failed">
          {t('bundle.failed', { code: state.failed.code, message: state.failed.message })}
        </p>
      ) : null}
      {state && state.bundles.length === 0 && !state.pending && !state.failed ? <p class="muted">{t('bundle.none')}</p> : null}
      {state?.bundles.length ? (
        <ul class="bundles" data-testid="bundle-list">
          {state.bundles.map((bundle) => (
            <BundleRow key={bundle.bundleId} bundle={bundle} api={api} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
