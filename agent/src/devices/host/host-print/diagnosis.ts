// What host-print's observation means: the findings and the codes it could rule in or out. Pure.
import type { ChecklistAnswer, DiagnosisCode, Finding, PrintSection, ServiceFacts, UncheckedFact } from '@tillscope/shared';
import type { DriverChange } from './drivers-state';

/** Every code host-print can emit (host.check_failed comes from the common host report). */
export const HOST_PRINT_CODES = ['host.print_service_stopped', 'host.print_service_crashing', 'host.print_queue_stuck', 'host.driver_changed', 'host.check_failed'] as const satisfies readonly DiagnosisCode[];

export interface QueueWait {
  queue: string;
  jobCount: number;
  /** the oldest job's submit time, or when the agent first saw it when that is earlier known */
  waitingSince: Date;
}

export interface PrintObservation {
  system: PrintSection['system'];
  /** undefined: the service's state could not be read */
  service: ServiceFacts | undefined;
  /** unexpected restarts within the crash window; undefined: could not tell */
  restarts: number | undefined;
  /** the service is in a restart loop by the OS's own word (systemd auto-restart, start-limit-hit) */
  restartLoop: boolean;
  /** every queue's oldest waiting job; undefined: the queues could not be read */
  waits: QueueWait[] | undefined;
  /** whether the drivers were read (a change can be ruled out) */
  driversRead: boolean;
  /** driver changes seen within the hold time, oldest first */
  driverChanges: readonly DriverChange[];
}

export interface Limits {
  now: Date;
  stuckAfterSec: number;
  crashRestarts: number;
  crashWindowHours: number;
}

export interface PrintVerdict {
  findings: Finding[];
  checked: DiagnosisCode[];
}

const serviceName = (system: PrintSection['system']) => (system === 'cups' ? 'the CUPS scheduler' : 'the Windows print spooler');

export function judgePrint(observation: PrintObservation, limits: Limits): PrintVerdict {
  const findings: Finding[] = [];
  const checked: DiagnosisCode[] = [];
  const { service } = observation;
  const name = serviceName(observation.system);
  if (service && service.state !== 'unknown') {
    checked.push('host.print_service_stopped');
    if (service.state === 'stopped') {
      const mode = service.startMode === 'disabled' ? ' and is disabled (a policy or an update may have turned it off)' : service.startMode === 'unknown' ? '' : ` (start mode ${service.startMode})`;
      findings.push({ code: 'host.print_service_stopped', detail: `${name} (${service.name}) is not running${mode}` });
    }
  }
  if (observation.restartLoop || observation.restarts !== undefined) {
    checked.push('host.print_service_crashing');
    const restarts = observation.restarts ?? 0;
    if (observation.restartLoop || restarts >= limits.crashRestarts) {
      const why = observation.restartLoop ? 'the OS is restarting it again and again' : `it terminated unexpectedly ${restarts} time(s) in the last ${limits.crashWindowHours} h`;
      findings.push({ code: 'host.print_service_crashing', detail: `${name} (${service?.name ?? '?'}) keeps crashing: ${why}` });
    }
  }
  if (observation.waits) {
    checked.push('host.print_queue_stuck');
    const stuck = observation.waits.filter((w) => limits.now.getTime() - w.waitingSince.getTime() >= limits.stuckAfterSec * 1000);
    if (stuck.length > 0) {
      const list = stuck.map((w) => `"${w.queue}": ${w.jobCount} job(s), the oldest waiting since ${w.waitingSince.toISOString()} (${minutes(limits.now, w.waitingSince)} min)`);
      findings.push({ code: 'host.print_queue_stuck', detail: `jobs stuck in ${stuck.length} OS print queue(s): ${list.join('; ')}` });
    }
  }
  if (observation.driversRead) {
    checked.push('host.driver_changed');
    if (observation.driverChanges.length > 0) {
      const list = observation.driverChanges.map((c) => `${c.name}: ${c.from} → ${c.to} (seen ${c.at})`);
      findings.push({ code: 'host.driver_changed', detail: `printer driver version changed: ${list.join('; ')}` });
    }
  }
  return { findings, checked };
}

const minutes = (now: Date, since: Date) => Math.floor((now.getTime() - since.getTime()) / 60_000);

/**
 * The answer to the ticket's "OS print service runs, queues move, drivers unchanged" step: failed
 * with the findings, passed only when all four were vouched for and nothing was left unread,
 * otherwise unknown with what could not be read.
 */
export function printStep(verdict: PrintVerdict, unchecked: readonly UncheckedFact[], section: Pick<PrintSection, 'services' | 'queues' | 'drivers'>): ChecklistAnswer {
  const step = 'host.print_service' as const;
  if (verdict.findings.length > 0) return { step, result: 'failed', observed: verdict.findings.map((f) => f.detail).join('; ') };
  if (unchecked.length > 0 || verdict.checked.length < 4) {
    const why = unchecked.map((u) => `${u.fact} (${u.reason})`).join('; ');
    return { step, result: 'unknown', observed: `could not check: ${why || 'the print service state'}` };
  }
  const services = section.services.map((s) => `${s.name} ${s.state}`).join(', ');
  return { step, result: 'passed', observed: `${services}; ${section.queues.length} queue(s), none stuck; ${section.drivers.length} driver(s), none changed` };
}
