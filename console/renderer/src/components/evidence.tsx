import type { Evidence as EvidenceData, Exchange } from '@tillscope/shared';
import { useI18n } from '../i18n/locale';
import { exchangeSummary, hexDump } from '../logic/format';

/** What the agent sent and got back, decoded; every device string is rendered as text. */
export function EvidenceView({ evidence }: { evidence: EvidenceData | null }) {
  const { t } = useI18n();
  if (!evidence) {
    return (
      <div data-testid="evidence" class="evidence">
        <p class="muted">{t('evidence.none')}</p>
      </div>
    );
  }
  return (
    <div data-testid="evidence" class="evidence">
      <dl class="kv kv-inline">
        <dt>{t('evidence.transport')}</dt>
        <dd>
          <span class="mono">{evidence.transport}</span> · <span class="mono">{evidence.target}</span>
        </dd>
        {evidence.transportError ? (
          <>
            <dt>{t('evidence.transportError')}</dt>
            <dd class="text-red">{evidence.transportError}</dd>
          </>
        ) : null}
      </dl>
      {evidence.exchanges.map((ex, i) => (
        <ExchangeView key={i} exchange={ex} />
      ))}
    </div>
  );
}

function ExchangeView({ exchange }: { exchange: Exchange }) {
  const { t, locale } = useI18n();
  const alarm = exchange.decoded.some((f) => f.alarm) || !exchange.valid || exchange.reply === null;
  return (
    <section class={`exchange ${alarm ? 'exchange-alarm' : ''}`} data-testid="evidence-exchange">
      <header class="exchange-head">
        <span class="exchange-label">{exchange.label}</span>
        <span class="muted num">{t('evidence.elapsed', { ms: Math.round(exchange.elapsedMs) })}</span>
      </header>
      <p class="exchange-summary mono" data-testid="evidence-summary">
        {exchangeSummary(exchange, locale)}
      </p>
      <dl class="kv kv-inline">
        <dt>{t('evidence.request')}</dt>
        <dd>
          <code class="hex">{exchange.request || '—'}</code>
        </dd>
        <dt>{t('evidence.reply')}</dt>
        <dd>
          {exchange.reply === null ? <span class="text-red">{t('evidence.noReply')}</span> : <code class="hex">{exchange.reply || '—'}</code>}
          {exchange.reply !== null && !exchange.valid ? <span class="chip chip-red">{t('evidence.invalid')}</span> : null}
        </dd>
      </dl>
      {exchange.decoded.length ? (
        <table class="decoded">
          <thead>
            <tr>
              <th>{t('evidence.field')}</th>
              <th>{t('evidence.value')}</th>
              <th>{t('evidence.meaning')}</th>
            </tr>
          </thead>
          <tbody>
            {exchange.decoded.map((f, i) => (
              <tr key={i} class={f.alarm ? 'alarm' : ''} data-alarm={f.alarm ? 'true' : 'false'}>
                <td class="mono">{f.field}</td>
                <td class="mono">{f.set ? '1' : '0'}</td>
                <td>
                  {f.meaning[locale]}
                  {f.alarm ? <span class="chip chip-red">{t('evidence.alarm')}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <details class="raw" data-testid="evidence-raw">
        <summary>{t('evidence.showRaw')}</summary>
        <RawBytes title={t('evidence.request')} hex={exchange.request} />
        <RawBytes title={t('evidence.reply')} hex={exchange.reply} />
        {exchange.discarded ? <RawBytes title={t('evidence.discarded')} hex={exchange.discarded} /> : <p class="muted">{t('evidence.noDiscarded')}</p>}
      </details>
    </section>
  );
}

function RawBytes({ title, hex }: { title: string; hex: string | null }) {
  const lines = hexDump(hex);
  return (
    <div class="rawbytes">
      <div class="rawbytes-title">{title}</div>
      <pre class="hexdump">{lines.length ? lines.map((line) => `${line.offset}  ${line.hex.padEnd(47)}  ${line.ascii}`).join('\n') : '—'}</pre>
    </div>
  );
}
