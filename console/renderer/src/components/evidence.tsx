import { isStructuredExchange, type DecodedField, type Evidence as EvidenceData, type EvidenceExchange, type Exchange, type StructuredExchange } from '@tillscope/shared';
import type { ComponentChildren } from 'preact';
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

function ExchangeView({ exchange }: { exchange: EvidenceExchange }) {
  return isStructuredExchange(exchange) ? <StructuredExchangeView exchange={exchange} /> : <ByteExchangeView exchange={exchange} />;
}

/** What every exchange shows first: its label, time, one-line reading; red when anything is wrong. */
function ExchangeFrame({ exchange, children }: { exchange: EvidenceExchange; children: ComponentChildren }) {
  const { t, locale } = useI18n();
  const alarm = exchange.decoded.some((f) => f.alarm) || !exchange.valid || exchange.reply === null;
  return (
    <section class={`exchange ${alarm ? 'exchange-alarm' : ''}`} data-testid="evidence-exchange" data-exchange-type={isStructuredExchange(exchange) ? 'structured' : 'bytes'}>
      <header class="exchange-head">
        <span class="exchange-label">{exchange.label}</span>
        <span class="muted num">{t('evidence.elapsed', { ms: Math.round(exchange.elapsedMs) })}</span>
      </header>
      <p class="exchange-summary mono" data-testid="evidence-summary">
        {exchangeSummary(exchange, locale)}
      </p>
      {children}
    </section>
  );
}

/** A JSON task and its answer (ATOL web requests): status, decoded fields, the JSON itself as text. */
function StructuredExchangeView({ exchange }: { exchange: StructuredExchange }) {
  const { t } = useI18n();
  return (
    <ExchangeFrame exchange={exchange}>
      <DecodedTable decoded={exchange.decoded} />
      <details class="raw" data-testid="evidence-raw">
        <summary>{t('evidence.showRaw')}</summary>
        <RawJson title={t('evidence.request')} value={exchange.request} />
        <RawJson title={t('evidence.reply')} value={exchange.reply} />
      </details>
    </ExchangeFrame>
  );
}

function RawJson({ title, value }: { title: string; value: unknown }) {
  return (
    <div class="rawbytes">
      <div class="rawbytes-title">{title}</div>
      <pre class="hexdump">{value === null ? '—' : JSON.stringify(value, null, 2)}</pre>
    </div>
  );
}

function DecodedTable({ decoded }: { decoded: DecodedField[] }) {
  const { t, locale } = useI18n();
  if (!decoded.length) return null;
  return (
    <table class="decoded">
      <thead>
        <tr>
          <th>{t('evidence.field')}</th>
          <th>{t('evidence.value')}</th>
          <th>{t('evidence.meaning')}</th>
        </tr>
      </thead>
      <tbody>
        {decoded.map((f, i) => (
          <tr key={i} class={f.alarm ? 'alarm' : ''} data-alarm={f.alarm ? 'true' : 'false'}>
            <td class="mono">{f.field}</td>
            <td class="mono">{f.value ?? (f.set ? '1' : '0')}</td>
            <td>
              {f.meaning[locale]}
              {f.alarm ? <span class="chip chip-red">{t('evidence.alarm')}</span> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ByteExchangeView({ exchange }: { exchange: Exchange }) {
  const { t } = useI18n();
  return (
    <ExchangeFrame exchange={exchange}>
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
      <DecodedTable decoded={exchange.decoded} />
      <details class="raw" data-testid="evidence-raw">
        <summary>{t('evidence.showRaw')}</summary>
        <RawBytes title={t('evidence.request')} hex={exchange.request} />
        <RawBytes title={t('evidence.reply')} hex={exchange.reply} />
        {exchange.discarded ? <RawBytes title={t('evidence.discarded')} hex={exchange.discarded} /> : <p class="muted">{t('evidence.noDiscarded')}</p>}
      </details>
    </ExchangeFrame>
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
