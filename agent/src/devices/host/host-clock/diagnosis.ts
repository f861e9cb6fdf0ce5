// host-clock facts → findings: not synchronised (major when a fiscal register is attached: its
// documents carry the time), drifting beyond the threshold. Pure.
import type { DiagnosisCode, Finding } from '@tillscope/shared';
import type { HostClockOptions } from './options';

/** Every code host-clock's reports can carry. */
export const HOST_CLOCK_CODES: readonly DiagnosisCode[] = ['host.clock_not_synced', 'host.clock_drift', 'host.check_failed'];

export interface ClockObservation {
  /** null: could not tell */
  synced: boolean | null;
  /** why it is not synced, in plain English */
  notSyncedBecause: string[];
  offsetMs: number | null;
  source: string | null;
}

export function diagnoseClock(
  observation: ClockObservation,
  options: Pick<HostClockOptions, 'maxOffsetMs'>,
  fiscalAttached: boolean,
): { findings: Finding[]; checked: DiagnosisCode[] } {
  const findings: Finding[] = [];
  const checked: DiagnosisCode[] = [];
  if (observation.synced !== null) {
    checked.push('host.clock_not_synced');
    if (!observation.synced) {
      const why = observation.notSyncedBecause.join('; ') || 'the OS says the clock is not synchronised';
      findings.push({
        code: 'host.clock_not_synced',
        detail: fiscalAttached ? `${why}; a fiscal register is attached: its documents carry this clock's time` : why,
        ...(fiscalAttached ? { severity: 'major' as const } : {}),
      });
    }
  }
  if (observation.offsetMs !== null) {
    checked.push('host.clock_drift');
    if (Math.abs(observation.offsetMs) > options.maxOffsetMs) {
      findings.push({ code: 'host.clock_drift', detail: `the clock is ${Math.abs(observation.offsetMs)} ms off ${observation.source ?? 'its time source'} (more than ${options.maxOffsetMs} ms)` });
    }
  }
  return { findings, checked };
}
