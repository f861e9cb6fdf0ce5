// The register's OS and machine, its clock, and its print service with drivers and queues
// (RegisterHost sections os, clock, print). Register strings are shown as text.
import type { ClockSection, OsSection, PrintSection, Volume } from '@tillscope/shared';
import { useI18n } from '../i18n/locale';
import { formatDateTime, formatDuration } from '../logic/format';
import { diskTone, formatBytes, formatOffset, freePercent } from '../logic/host-format';
import { HostTable, KeyValues, YesNo } from './host-common';

export function OsFacts({ os }: { os: OsSection }) {
  const { t, locale } = useI18n();
  const system = [os.name, os.version, os.build ? `(${os.build})` : '', os.arch].filter(Boolean).join(' ');
  return (
    <>
      <KeyValues
        testid="host-os-facts"
        rows={[
          [t('host.os.system'), <span class="mono">{system}</span>],
          [t('host.os.machine'), os.machine ? <span class="mono">{`${os.machine.manufacturer} ${os.machine.model}`.trim()}</span> : null],
          [t('host.os.hostname'), <span class="mono">{os.hostname}</span>],
          [t('host.os.uptime'), formatDuration(os.uptimeSec * 1000, locale)],
          [t('host.os.lastBoot'), os.lastBootAt ? formatDateTime(os.lastBootAt, locale) : null],
          [t('host.os.pendingReboot'), <YesNo value={os.pendingReboot} bad />],
          [t('host.os.memory'), t('host.os.memoryValue', { free: formatBytes(os.memory.availableBytes, locale), total: formatBytes(os.memory.totalBytes, locale) })],
          [t('host.os.runtime'), <span class="mono">{t('host.os.runtimeValue', { agent: os.runtime.agent, node: os.runtime.node })}</span>],
        ]}
      />
      <h4>{t('host.os.disks')}</h4>
      <ul class="disks" data-testid="host-disks">
        {os.volumes.map((v) => (
          <DiskBar key={v.mount} volume={v} />
        ))}
      </ul>
    </>
  );
}

/** One volume: mount, role, and a bar of the space used, with the free space in words. */
function DiskBar({ volume }: { volume: Volume }) {
  const { t, locale } = useI18n();
  const free = freePercent(volume);
  const tone = diskTone(volume);
  return (
    <li class={`disk disk-${tone}`} data-mount={volume.mount} data-free-percent={free} data-tone={tone}>
      <div class="disk-line">
        <strong class="mono">{volume.mount}</strong>
        <span class="muted small">
          {t(`host.volume.${volume.role}`)}
          {volume.fsType ? `, ${volume.fsType}` : ''}
        </span>
        <span class="disk-free">
          {t('host.os.diskFree', { free: formatBytes(volume.freeBytes, locale), total: formatBytes(volume.sizeBytes, locale), percent: free })}
        </span>
      </div>
      <div class="disk-bar" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={100 - free} aria-label={volume.mount}>
        <div class="disk-used" style={{ width: `${100 - free}%` }} />
      </div>
    </li>
  );
}

export function ClockFacts({ clock }: { clock: ClockSection }) {
  const { t, locale } = useI18n();
  return (
    <KeyValues
      testid="host-clock-facts"
      rows={[
        [t('host.clock.synced'), <YesNo value={clock.synced} yes={t('host.clock.syncedYes')} no={t('host.clock.syncedNo')} bad={false} />],
        [t('host.clock.offset'), clock.offsetMs === null ? null : <span class="mono">{formatOffset(clock.offsetMs, locale)}</span>],
        [t('host.clock.source'), clock.source === null ? null : <span class="mono">{clock.source}</span>],
        [t('host.clock.lastSync'), clock.lastSyncAt ? formatDateTime(clock.lastSyncAt, locale) : null],
        [t('host.clock.timezone'), clock.timezone ? <span class="mono">{clock.timezone}</span> : null],
        [t('host.clock.tool'), <span class="mono">{clock.tool}</span>],
      ]}
    />
  );
}

export function PrintFacts({ print }: { print: PrintSection }) {
  const { t, locale } = useI18n();
  return (
    <>
      <p class="small">{t(`host.print.system.${print.system}`)}</p>
      <h4>{t('host.print.services')}</h4>
      <HostTable testid="host-services" head={['host.col.name', 'host.col.state', 'host.col.startMode']}>
        {print.services.map((s) => (
          <tr key={s.name} data-service={s.name} data-state={s.state} data-start-mode={s.startMode}>
            <td>
              <span class="mono">{s.name}</span>
              {s.displayName ? <span class="muted"> · {s.displayName}</span> : null}
            </td>
            <td class={s.state === 'running' ? 'text-green' : s.state === 'unknown' ? 'text-muted' : 'text-red'}>
              {t(`host.service.${s.state}`)}
              {s.restarts ? <span class="muted"> ({t('host.print.restarts', { n: s.restarts })})</span> : null}
            </td>
            <td class={s.startMode === 'disabled' ? 'text-red' : ''}>{t(`host.startMode.${s.startMode}`)}</td>
          </tr>
        ))}
      </HostTable>
      <h4>{t('host.print.drivers')}</h4>
      {print.drivers.length === 0 ? (
        <p class="muted small">{t('host.print.noDrivers')}</p>
      ) : (
        <HostTable testid="host-drivers" head={['host.col.name', 'host.col.version', 'host.col.manufacturer', 'host.col.queues']}>
          {print.drivers.map((d) => (
            <tr key={d.name} data-driver={d.name}>
              <td class="mono">{d.name}</td>
              <td class="mono">{d.version ?? '—'}</td>
              <td>{d.manufacturer ?? '—'}</td>
              <td class="mono">{d.queues.join(', ') || '—'}</td>
            </tr>
          ))}
        </HostTable>
      )}
      {print.queues.length ? (
        <>
          <h4>{t('host.print.queues')}</h4>
          <ul class="host-list" data-testid="host-queues">
            {print.queues.map((q) => (
              <li key={q.name} data-queue={q.name} data-jobs={q.jobCount}>
                <span class="mono">{q.name}</span>
                {q.port ? <span class="muted mono"> · {q.port}</span> : null}
                {' · '}
                {[
                  q.paused ? t('printer.queue.paused') : null,
                  q.offline ? t('printer.queue.offline') : null,
                  q.jobCount ? t('printer.queue.jobs', { n: q.jobCount }) : t('printer.queue.idle'),
                  q.oldestJobAt ? t('host.print.oldestJob', { when: formatDateTime(q.oldestJobAt, locale) }) : null,
                ]
                  .filter(Boolean)
                  .join(', ')}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
