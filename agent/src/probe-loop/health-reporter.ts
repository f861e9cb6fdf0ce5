// When the probe loop's latest reports go out as a `health` message: on a change of any device's
// health or finding codes, and at least every report interval; one write at a time, never waited
// for past a deadline (a stalled disk must not stop probing), and a change that came while a write
// was in flight is reported when it returns.
import type { DeviceReport } from '@tillscope/shared';
import { errorText, type ModuleLogger } from '../logger';

export interface HealthReporterOptions {
  /** the reports to send, in order; empty: nothing to report yet */
  latest: () => DeviceReport[];
  /** queues a snapshot (see ProbeLoopOptions.onHealth); a rejection makes the same state go again next time */
  onHealth: (reports: DeviceReport[]) => Promise<void> | void;
  reportIntervalMs: number;
  /** how long `maybeReport` waits for a write before it returns anyway */
  writeDeadlineMs: number;
  /** false once the loop stops: a report pending behind a write is then dropped */
  running: () => boolean;
  log: ModuleLogger;
}

export interface HealthReporter {
  /** Sends the latest reports when they changed or the interval passed; resolves when the write did or its deadline passed. Never rejects. */
  maybeReport(): Promise<void>;
}

function signature(report: DeviceReport): string {
  return `${report.health}|${report.findings.map((f) => f.code).sort().join(',')}`;
}

export function createHealthReporter(options: HealthReporterOptions): HealthReporter {
  const { log, writeDeadlineMs } = options;
  let lastSent = new Map<string, string>();
  let lastSentAt = -Infinity;
  /** The outbox write of the latest report while it has not returned. */
  let inFlight: Promise<void> | undefined;
  let inFlightSince = 0;
  /** a change came while the previous write was in flight: report again once it returns */
  let pending = false;
  let stallLogged = false;

  async function maybeReport(): Promise<void> {
    const reports = options.latest();
    if (reports.length === 0) return;
    const current = new Map(reports.map((r) => [r.deviceId, signature(r)]));
    const changed = current.size !== lastSent.size || [...current].some(([id, sig]) => lastSent.get(id) !== sig);
    if (!changed && Date.now() - lastSentAt < options.reportIntervalMs) return;
    if (inFlight) {
      // The outbox has not taken the previous report (a stalled disk). Probing goes on; this state
      // is reported once the write returns, because lastSent still holds the previous one.
      pending = true;
      if (!stallLogged && Date.now() - inFlightSince >= writeDeadlineMs) {
        log.warn(`the outbox has not taken a health report for ${Math.round(writeDeadlineMs / 1000)} s or more; probing continues`);
        stallLogged = true;
      }
      return;
    }
    lastSent = current;
    lastSentAt = Date.now();
    const write = Promise.resolve()
      .then(() => options.onHealth(reports))
      .catch((error: unknown) => {
        lastSent = new Map(); // not queued: report this state again next round
        log.error(`could not queue a health report: ${errorText(error)}`);
      })
      .finally(() => {
        inFlight = undefined;
        stallLogged = false;
        // A host report or a watch's push that came meanwhile is not left for the next round.
        const again = pending && options.running();
        pending = false;
        if (again) void maybeReport();
      });
    inFlight = write;
    inFlightSince = Date.now();
    // Waited for, so rounds and reports keep their order; but never longer than the deadline, so
    // a write stuck in the disk or the thread pool cannot stop probing.
    let deadline: NodeJS.Timeout | undefined;
    await Promise.race([write, new Promise<void>((resolve) => (deadline = setTimeout(resolve, writeDeadlineMs)))]);
    clearTimeout(deadline);
  }

  return { maybeReport };
}
