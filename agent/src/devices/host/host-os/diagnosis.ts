// host-os facts → findings: a nearly full volume, a reboot the OS waits for. Pure.
import type { DiagnosisCode, Finding, Volume } from '@tillscope/shared';
import type { HostOsOptions } from './options';

/** Every code host-os's reports can carry. */
export const HOST_OS_CODES: readonly DiagnosisCode[] = ['host.disk_nearly_full', 'host.reboot_pending', 'host.check_failed'];

const GiB = 1024 ** 3;
const size = (bytes: number) => (bytes >= GiB ? `${(bytes / GiB).toFixed(1)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`);

/** Whether a volume is below either threshold. */
export function nearlyFull(volume: Volume, options: Pick<HostOsOptions, 'minFreeBytes' | 'minFreePercent'>): boolean {
  const percent = volume.sizeBytes > 0 ? (volume.freeBytes / volume.sizeBytes) * 100 : 100;
  return volume.freeBytes < options.minFreeBytes || percent < options.minFreePercent;
}

export interface OsObservation {
  /** null: the volumes could not be read */
  volumes: Volume[] | null;
  /** null: could not tell */
  pendingReboot: boolean | null;
}

export function diagnoseOs(observation: OsObservation, options: Pick<HostOsOptions, 'minFreeBytes' | 'minFreePercent'>): { findings: Finding[]; checked: DiagnosisCode[] } {
  const findings: Finding[] = [];
  const checked: DiagnosisCode[] = [];
  if (observation.volumes !== null) {
    checked.push('host.disk_nearly_full');
    const full = observation.volumes.filter((v) => nearlyFull(v, options));
    if (full.length > 0) {
      const detail = full.map((v) => `${v.mount} (${v.role}): ${size(v.freeBytes)} free of ${size(v.sizeBytes)} (${((v.freeBytes / v.sizeBytes) * 100).toFixed(1)} %)`).join('; ');
      findings.push({ code: 'host.disk_nearly_full', detail: `nearly full: ${detail}` });
    }
  }
  if (observation.pendingReboot !== null) {
    checked.push('host.reboot_pending');
    if (observation.pendingReboot) findings.push({ code: 'host.reboot_pending', detail: 'the OS installed updates and waits for a reboot' });
  }
  return { findings, checked };
}
