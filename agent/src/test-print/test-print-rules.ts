// When a test print may run and what its result was: pure rules over reports and the OS queue.
import type { DeviceReport, DiagnosisCode, PrintQueueView, TestPrintOutcome } from '@tillscope/shared';

/**
 * Findings that mean the printer cannot print now (or cannot be reached): a test print is refused
 * before, and failed after, when one of them is present. Paper near end is not among them: it
 * still prints.
 */
export const NOT_READY: ReadonlySet<DiagnosisCode> = new Set<DiagnosisCode>([
  'printer.offline', 'printer.paper_end', 'printer.cover_open', 'printer.cutter_error', 'printer.recoverable_error',
  'printer.unrecoverable_error', 'printer.auto_recoverable_error', 'printer.no_reply', 'printer.disconnected',
  'printer.port_busy', 'printer.wrong_device',
]);

/** Codes a status reading must vouch for before "printed" can be said of it. */
const MUST_VOUCH: readonly DiagnosisCode[] = ['printer.offline', 'printer.paper_end'];

/** The reason a print must wait for the OS queue (a receipt printing or jobs waiting), or undefined. */
export function queueRefusal(queue: PrintQueueView | undefined): string | undefined {
  if (!queue) return undefined;
  if (queue.printing) return `a receipt is printing now (${queue.system} queue "${queue.queue}")`;
  if ((queue.jobCount ?? 0) > 0) return `${queue.jobCount} job(s) wait in the ${queue.system} queue "${queue.queue}"`;
  return undefined;
}

/** The first finding that keeps the printer from printing, in words, or undefined. */
export function notReady(report: DeviceReport): string | undefined {
  const finding = report.findings.find((f) => NOT_READY.has(f.code));
  return finding ? `${finding.code}: ${finding.detail}` : undefined;
}

/** The reason the status read before printing forbids it, or undefined. */
export function refusalBeforePrint(report: DeviceReport): string | undefined {
  const blocking = notReady(report);
  return blocking ? `the printer is not ready: ${blocking}` : undefined;
}

/**
 * Printed or failed, from the status re-read after the job was sent. "Printed" needs a reading
 * that vouches for online and paper: a full answer (health other than unknown) or, from a printer
 * that answers only some requests, `checked` listing both.
 */
export function decideOutcome(after: DeviceReport): { outcome: Extract<TestPrintOutcome, 'printed' | 'failed'>; reason: string } {
  const blocking = notReady(after);
  if (blocking) return { outcome: 'failed', reason: `status after printing: ${blocking}` };
  const vouched = after.health !== 'unknown' || MUST_VOUCH.every((code) => after.checked?.includes(code));
  if (!vouched) {
    const why = after.evidence.transportError ?? 'the printer did not answer every status request';
    return { outcome: 'failed', reason: `status after printing could not be read: ${why}` };
  }
  const nearEnd = after.findings.some((f) => f.code === 'printer.paper_near_end') ? '; paper near end' : '';
  return { outcome: 'printed', reason: `status after printing: online, paper present, no error${nearEnd}` };
}
