import type { DiscoveredPort, RegisterDiscovery, RegisterSummary } from '@tillscope/shared';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { formatDateTime } from '../logic/format';
import { ErrorBanner } from './common';

// A register's device discovery (agent/src/discovery/): what its agent found on each port, how it
// told (the exchange steps), busy ports, and config entries to copy. Every device string is shown
// as text (Preact escapes it); the proposed JSON is text in a <pre>, never markup.

/** How often an open panel re-reads the discovery while a request waits for the register. */
export const DISCOVERY_POLL_MS = 1_000;

/** The proposed entry as the config file takes it, indented. */
export function proposedJson(port: DiscoveredPort): string {
  return JSON.stringify(port.proposedConfig, null, 2);
}

function CopyButton({ text }: { text: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      class="btn btn-small"
      data-testid="discovery-copy"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setCopied(true), () => undefined);
      }}
    >
      {copied ? t('discovery.copied') : t('discovery.copy')}
    </button>
  );
}

function PortRow({ port }: { port: DiscoveredPort }) {
  const { t } = useI18n();
  return (
    <li class={`discovery-port discovery-${port.classification}`} data-testid="discovery-port" data-classification={port.classification}>
      <div class="register-line">
        <strong class="mono">{port.target}</strong>
        <span class="muted">[{port.transport}]</span>
        <span data-testid="discovery-class">{t(`discovery.class.${port.classification}`)}</span>
      </div>
      <dl class="kv kv-inline">
        {port.model ? (
          <>
            <dt>{t('discovery.model')}</dt>
            <dd class="mono">{port.model}</dd>
          </>
        ) : null}
        {port.osDescription ? (
          <>
            <dt>{t('discovery.os')}</dt>
            <dd class="mono">{port.osDescription}</dd>
          </>
        ) : null}
        {port.probeHealth ? (
          <>
            <dt>{t('discovery.probe')}</dt>
            <dd>{t(`health.${port.probeHealth}`)}</dd>
          </>
        ) : null}
      </dl>
      {port.configuredAs ? <p class="muted small">{t('discovery.configuredAs', { id: port.configuredAs })}</p> : null}
      <details>
        <summary class="small">{t('discovery.steps')}</summary>
        <ol class="mono small" data-testid="discovery-steps">
          {port.steps.map((step, i) => (
            <li key={i}>{step}</li>
          ))}
        </ol>
      </details>
      {port.proposedConfig !== undefined ? (
        <div class="discovery-proposed">
          <div class="register-line small">
            <span>{t('discovery.proposed')}</span>
            <CopyButton text={proposedJson(port)} />
          </div>
          <pre class="mono small" data-testid="discovery-proposed">
            {proposedJson(port)}
          </pre>
        </div>
      ) : null}
    </li>
  );
}

function DiscoveryBody({ discovery }: { discovery: RegisterDiscovery }) {
  const { t, locale } = useI18n();
  const { latest, pending, failed } = discovery;
  return (
    <>
      {failed && !pending ? (
        <p class="text-amber" role="status" data-testid="discovery-failed">
          {failed.code === 'unsupported' ? t('discovery.unsupported') : t('discovery.failed', { code: failed.code })}
        </p>
      ) : null}
      {pending ? (
        <p class="muted" role="status" data-testid="discovery-pending">
          {t('discovery.pending', { who: pending.requestedBy })}
        </p>
      ) : null}
      {!latest ? (
        pending || failed ? null : <p class="muted">{t('discovery.never')}</p>
      ) : (
        <div data-testid="discovery-result">
          <p class="muted small">{t('discovery.found', { when: formatDateTime(latest.receivedAt, locale), who: latest.requestedBy ?? '—' })}</p>
          {latest.result.ports.length === 0 ? <p class="muted">{t('discovery.noPorts')}</p> : null}
          <ul class="discovery-ports">
            {latest.result.ports.map((port, i) => (
              <PortRow key={`${port.transport}:${port.target}:${i}`} port={port} />
            ))}
          </ul>
          {latest.result.problems.length > 0 ? (
            <div class="small">
              <span class="muted">{t('discovery.problems')}:</span>
              <ul class="mono" data-testid="discovery-problems">
                {latest.result.problems.map((p, i) => (
                  <li key={i}>{p}</li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      )}
    </>
  );
}

/**
 * "Поиск устройств" on a register: read when first unfolded; the button asks the agent, and the
 * panel re-reads every DISCOVERY_POLL_MS while the request waits for the register's answer.
 */
export function DiscoveryPanel({ api, register }: { api: ApiClient; register: Pick<RegisterSummary, 'agentId' | 'connected'> }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [discovery, setDiscovery] = useState<RegisterDiscovery | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [asking, setAsking] = useState(false);
  const live = useRef(true);
  useEffect(() => () => void (live.current = false), []);

  const load = () =>
    api.discovery(register.agentId).then(
      (d) => live.current && setDiscovery(d),
      (e: unknown) => live.current && setError(e),
    );
  useEffect(() => {
    if (!open || !discovery?.pending) return;
    const timer = setTimeout(() => void load(), DISCOVERY_POLL_MS);
    return () => clearTimeout(timer);
  }, [open, discovery]);

  const ask = async () => {
    setError(null);
    setAsking(true);
    try {
      await api.discover(register.agentId);
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setAsking(false);
    }
  };

  return (
    <details
      class="discovery"
      data-testid="discovery"
      onToggle={(e) => {
        const nowOpen = e.currentTarget.open;
        setOpen(nowOpen);
        if (nowOpen && !discovery) void load();
      }}
    >
      <summary>{t('discovery.title')}</summary>
      <div class="register-line">
        <button
          type="button"
          class="btn btn-small"
          data-testid="discovery-run"
          disabled={!register.connected || asking || Boolean(discovery?.pending)}
          title={register.connected ? t('discovery.runTitle') : t('discovery.offline')}
          onClick={() => void ask()}
        >
          {t('discovery.run')}
        </button>
      </div>
      <ErrorBanner error={error} onRetry={() => void load()} />
      {discovery ? <DiscoveryBody discovery={discovery} /> : null}
    </details>
  );
}
