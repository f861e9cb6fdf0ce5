import type { FiscalDeviceState, FiscalForecast, PrinterFactsView, RegisterDetail, RegisterDevice, RegisterForecast, RegisterSummary } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { formatDate } from '../logic/format';
import { blockingWhen, forecastTone, partText } from '../logic/forecast';
import { ErrorBanner, HealthDot } from './common';
import { PaperSupplyHint, PrinterFacts } from './printer-facts';

// A register's devices, and for a fiscal register its fiscal facts and the date its sales will be
// blocked, with the parts that date is made of. Every device string is shown as text.

/** The register's blocking date in one line: "Блокировка продаж: 12.12.2026 — через 12 дн. (истекает срок ФН)". */
export function ForecastLine({ forecast, now, bare = false }: { forecast: RegisterForecast | null; now: number; bare?: boolean }) {
  const { t, locale } = useI18n();
  if (!forecast) return null;
  const when = blockingWhen(forecast.blockingAt, now);
  return (
    <div class={`forecast-line tone-${forecastTone(forecast.blockingAt, now)}`} data-testid="forecast-line" data-reason={forecast.reason} data-days-left={forecast.daysLeft}>
      {bare ? null : <span class="muted">{t('forecast.title')}: </span>}
      <strong>{formatDate(forecast.blockingAt, locale)}</strong>
      {' — '}
      {t(when.key, when.vars)} <span class="muted">({t(`forecast.reason.${forecast.reason}`)})</span>
    </div>
  );
}

/**
 * A register's devices. With a RegisterDetail (GET /api/registers/:agentId), each fiscal device also
 * shows its facts and forecast; `openFacts` unfolds them.
 */
export function DeviceList({ register, now, openFacts = false }: { register: RegisterSummary | RegisterDetail; now: number; openFacts?: boolean }) {
  const { t } = useI18n();
  if (!register.devices.length) return <p class="muted">{t('fleet.noDevices')}</p>;
  return (
    <>
    <PaperSupplyHint supply={'paperSupply' in register ? register.paperSupply : null} />
    <ul class="devices">
      {register.devices.map((d: RegisterDevice & { fiscal?: FiscalDeviceState | null; printer?: PrinterFactsView | null }) => (
        <li key={d.deviceId} class={`device-item device-${d.health}`} data-health={d.health} data-device-id={d.deviceId}>
          <div class="device">
            <HealthDot health={d.health} />
            <span>{t(`device.${d.kind}`)}</span>
            <span class="mono muted ellipsis" title={`${d.transport} ${d.target}`}>
              {d.deviceId} · {d.identity?.model ?? d.target}
            </span>
            <span class={`health-text health-text-${d.health}`}>{t(`health.${d.health}`)}</span>
          </div>
          {d.fiscal ? <FiscalDevice device={d} fiscal={d.fiscal} now={now} open={openFacts} /> : null}
          {d.printer ? <PrinterFacts view={d.printer} open={openFacts} /> : null}
        </li>
      ))}
    </ul>
    </>
  );
}

function FiscalDevice({ device, fiscal, now, open }: { device: RegisterDevice; fiscal: FiscalDeviceState; now: number; open: boolean }) {
  return (
    <details class="fiscal" open={open} data-testid="fiscal-facts" data-device-id={device.deviceId}>
      <summary>
        <DeviceForecastSummary forecast={fiscal.forecast} now={now} />
      </summary>
      <FiscalFacts device={device} fiscal={fiscal} />
      <ForecastParts forecast={fiscal.forecast} />
    </details>
  );
}

/**
 * On a fleet tile: "Фискальные данные" (or "Данные принтера" for a register with printers only),
 * fetched (GET /api/registers/:agentId) when first unfolded, so a page of 200 registers does not
 * carry every register's fiscal state and printer facts. Nothing for a register without either.
 */
export function LazyFiscalFacts({ api, register, now }: { api: ApiClient; register: RegisterSummary; now: number }) {
  const { t } = useI18n();
  const [detail, setDetail] = useState<RegisterDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const fiscal = register.devices.some((d) => d.kind === 'fiscal');
  if (!fiscal && !register.devices.some((d) => d.kind === 'receipt-printer')) return null;
  const load = () => {
    setError(null);
    api.register(register.agentId).then(setDetail, setError);
  };
  return (
    <details
      class="fiscal fiscal-lazy"
      data-testid={fiscal ? "fiscal-lazy" : "printer-lazy"}
      onToggle={(e) => {
        if (e.currentTarget.open && !detail) load();
      }}
    >
      <summary>{t(fiscal ? 'fiscal.facts' : 'printer.facts')}</summary>
      <ErrorBanner error={error} onRetry={load} />
      {detail ? (
        <>
          <PaperSupplyHint supply={detail.paperSupply} />
          {detail.devices.map((d) =>
            d.fiscal ? <FiscalDevice key={d.deviceId} device={d} fiscal={d.fiscal} now={now} open /> : d.printer ? <PrinterFacts key={d.deviceId} view={d.printer} open /> : null,
          )}
        </>
      ) : error ? null : (
        <p class="muted">{t('fiscal.loading')}</p>
      )}
    </details>
  );
}

function DeviceForecastSummary({ forecast, now }: { forecast: FiscalForecast; now: number }) {
  const { t, locale } = useI18n();
  if (!forecast.blockingAt || !forecast.reason) return <span class="muted">{t('fiscal.facts')}: {t('forecast.none')}</span>;
  const when = blockingWhen(forecast.blockingAt, now);
  return (
    <span class={`tone-${forecastTone(forecast.blockingAt, now)}`}>
      {t('forecast.title')}: {formatDate(forecast.blockingAt, locale)} — {t(when.key, when.vars)} ({t(`forecast.reason.${forecast.reason}`)})
    </span>
  );
}

function FiscalFacts({ device, fiscal }: { device: RegisterDevice; fiscal: FiscalDeviceState }) {
  const { t, locale } = useI18n();
  const { fn, ofd, shift } = fiscal;
  const identity = device.identity;
  const rows: [string, string | null | undefined][] = [
    [t('fiscal.fnSerial'), fn?.serial ?? identity?.fnSerial],
    [t('fiscal.validUntil'), fn?.validUntil ? formatDate(fn.validUntil, locale) : null],
    [t('fiscal.unsent'), ofd ? (ofd.unsentCount > 0 ? t('fiscal.unsentValue', { count: ofd.unsentCount, date: ofd.firstUnsentAt ? formatDate(ofd.firstUnsentAt, locale) : '—' }) : t('fiscal.unsentNone')) : null],
    [t('fiscal.shift'), shift ? `${shift.number ?? ''} ${t(`fiscal.shift.${shift.state}`)}`.trim() : null],
    [t('fiscal.lastFd'), fn?.lastDocumentNumber === null || fn?.lastDocumentNumber === undefined ? null : String(fn.lastDocumentNumber)],
    [t('fiscal.model'), identity?.model],
    [t('fiscal.serial'), identity?.serial],
    [t('fiscal.firmware'), identity?.firmware],
    [t('fiscal.ffd'), fn?.ffdVersion ?? identity?.ffdVersion],
  ];
  return (
    <dl class="kv kv-inline fiscal-kv">
      {rows
        .filter(([, value]) => value)
        .map(([label, value]) => (
          <div key={label} class="kv-pair">
            <dt>{label}</dt>
            <dd class="mono">{value}</dd>
          </div>
        ))}
    </dl>
  );
}

function ForecastParts({ forecast }: { forecast: FiscalForecast }) {
  const { t, locale } = useI18n();
  const date = (iso: string) => formatDate(iso, locale);
  return (
    <div class="forecast-parts">
      <h4>{t('fiscal.parts')}</h4>
      <ul data-testid="forecast-parts">
        {forecast.parts.map((part) => {
          const text = partText(part, date);
          return (
            <li key={part.reason} data-reason={part.reason}>
              <strong>{date(part.at)}</strong> {t(`forecast.reason.${part.reason}`)}: {t(text.key, text.vars)}{' '}
              <span class="muted small">({t('forecast.readAt', { date: date(part.readAt) })})</span>
            </li>
          );
        })}
        {forecast.notes.map((note) => (
          <li key={note.code} class="muted" data-note={note.code}>
            {t(`forecast.note.${note.code}`, { since: note.since ? date(note.since) : '—' })}
          </li>
        ))}
      </ul>
    </div>
  );
}
