// The register's peripherals with their recent attach/detach events, its POS application and fiscal
// driver stack with versions and running state, and recent OS log errors (RegisterHost sections
// peripherals, pos, events). Register strings are shown as text.
import type { EventsSection, FiscalStackFacts, PeripheralsSection, PosAppFacts, PosSection } from '@tillscope/shared';
import { useI18n } from '../i18n/locale';
import { formatDateTime } from '../logic/format';
import { formatBytes, shortHash } from '../logic/host-format';
import { HostTable, YesNo } from './host-common';

export function PeripheralFacts({ peripherals }: { peripherals: PeripheralsSection }) {
  const { t, locale } = useI18n();
  // Newest first for reading; the agent sends them oldest first.
  const events = [...peripherals.events].reverse();
  return (
    <>
      <h4>{t('host.peripherals.usb')}</h4>
      {peripherals.usb.length === 0 ? (
        <p class="muted small">{t('host.peripherals.noUsb')}</p>
      ) : (
        <HostTable testid="host-usb" head={['host.col.name', 'host.col.id', 'host.col.kind', 'host.col.serial', 'host.col.path']}>
          {peripherals.usb.map((d) => (
            <tr key={d.key} data-key={d.key} data-kind={d.kind}>
              <td>{d.knownAs ?? ([d.manufacturer, d.product].filter(Boolean).join(' ') || '—')}</td>
              <td class="mono">
                {d.vendorId}:{d.productId}
              </td>
              <td>{t(`host.kind.${d.kind}`)}</td>
              <td class="mono">{d.serial ?? '—'}</td>
              <td class="mono">{d.devicePath ?? '—'}</td>
            </tr>
          ))}
        </HostTable>
      )}
      {peripherals.serial.length ? (
        <>
          <h4>{t('host.peripherals.serial')}</h4>
          <ul class="host-list" data-testid="host-serial">
            {peripherals.serial.map((p) => (
              <li key={p.path} data-path={p.path}>
                <span class="mono">{p.path}</span> · {p.knownAs ?? t(`host.kind.${p.kind}`)}
                {p.vendorId && p.productId ? <span class="mono muted"> ({p.vendorId}:{p.productId})</span> : null}
                {p.byId ? <span class="mono muted small"> · {p.byId}</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h4>{t('host.peripherals.events')}</h4>
      {events.length === 0 ? (
        <p class="muted small">{t('host.peripherals.noEvents')}</p>
      ) : (
        <ol class="host-list" data-testid="host-peripheral-events">
          {events.map((e, i) => (
            <li key={i} data-action={e.action} data-key={e.key}>
              <time dateTime={e.at}>{formatDateTime(e.at, locale)}</time>{' '}
              <strong class={e.action === 'detached' ? 'text-red' : 'text-green'}>{t(`host.peripherals.${e.action}`)}</strong> {e.name}{' '}
              <span class="muted small">
                ({t(`host.kind.${e.kind}`)}, {t(`host.peripherals.via.${e.via}`)})
              </span>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

type Software = PosAppFacts | FiscalStackFacts;

function SoftwareTable({ rows, testid, expected }: { rows: Software[]; testid: string; expected?: string }) {
  const { t } = useI18n();
  return (
    <HostTable testid={testid} head={['host.col.name', 'host.col.version', 'host.col.state', 'host.col.source']}>
      {rows.map((s) => (
        <tr key={s.id} data-id={s.id} data-running={String(s.running)} class={s.id === expected ? 'host-expected' : ''}>
          <td>
            {s.name} <span class="mono muted small">{s.id}</span>
          </td>
          <td class="mono">{s.version ?? '—'}</td>
          <td>{s.installed ? <YesNo value={s.running} yes={t('host.running')} no={t('host.notRunning')} bad={false} /> : <span class="text-muted">{t('host.notInstalled')}</span>}</td>
          <td class="mono small">{s.source}</td>
        </tr>
      ))}
    </HostTable>
  );
}

export function PosFacts({ pos }: { pos: PosSection }) {
  const { t, locale } = useI18n();
  const expected = pos.expectedApp ? pos.apps.find((a) => a.id === pos.expectedApp) : undefined;
  return (
    <>
      {pos.expectedApp ? (
        <p class={`small ${expected?.installed ? '' : 'text-red'}`} data-testid="host-expected-app">
          {expected?.installed ? t('host.pos.expected', { app: expected.name }) : t('host.pos.expectedMissing', { app: pos.expectedApp })}
        </p>
      ) : null}
      <h4>{t('host.pos.apps')}</h4>
      {pos.apps.length ? <SoftwareTable rows={pos.apps} testid="host-pos-apps" expected={pos.expectedApp} /> : <p class="muted small">{t('host.pos.noApps')}</p>}
      <h4>{t('host.pos.fiscalStack')}</h4>
      {pos.fiscalStack.length ? <SoftwareTable rows={pos.fiscalStack} testid="host-fiscal-stack" /> : <p class="muted small">{t('host.pos.noFiscalStack')}</p>}
      {pos.configFiles.length ? (
        <>
          <h4>{t('host.pos.configFiles')}</h4>
          <ul class="host-list" data-testid="host-config-files">
            {pos.configFiles.map((f) => (
              <li key={f.name} data-name={f.name}>
                <strong class="mono">{f.name}</strong> <span class="mono muted small">{f.path}</span>{' '}
                {f.sha256 ? (
                  <span class="mono small" title={f.sha256}>
                    {t('host.pos.hash')} {shortHash(f.sha256)}
                  </span>
                ) : null}
                {f.sizeBytes !== undefined ? <span class="muted small"> · {formatBytes(f.sizeBytes, locale)}</span> : null}
                {f.modifiedAt ? (
                  <span class="muted small">
                    {' '}
                    · {t('host.pos.modified')} {formatDateTime(f.modifiedAt, locale)}
                  </span>
                ) : null}
                {f.error ? (
                  <span class="text-red small" lang="en">
                    {' '}
                    · {f.error}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

export function EventFacts({ events }: { events: EventsSection }) {
  const { t, locale } = useI18n();
  if (!events.entries.length) return <p class="muted small">{t('host.events.none')}</p>;
  return (
    <>
      <ol class="host-events" data-testid="host-events-list">
        {events.entries.map((e, i) => (
          <li key={i} class={`host-event level-${e.level}`} data-level={e.level}>
            <div class="host-event-head small">
              {e.at ? <time dateTime={e.at}>{formatDateTime(e.at, locale)}</time> : <span class="muted">{t('host.events.unknownTime')}</span>}{' '}
              <strong class={e.level === 'critical' || e.level === 'error' ? 'text-red' : e.level === 'warning' ? 'text-amber' : ''}>{t(`host.level.${e.level}`)}</strong>{' '}
              <span class="mono muted">
                {e.log}
                {e.source ? ` · ${e.source}` : ''}
                {e.eventId !== undefined ? ` · ${e.eventId}` : ''}
              </span>
            </div>
            <div class="host-event-message mono">{e.message}</div>
          </li>
        ))}
      </ol>
      <p class="muted small">{t('host.events.redacted')}</p>
    </>
  );
}
