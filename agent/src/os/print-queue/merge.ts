// The queue view merged into a printer driver's report, and the decorator that does it for every
// probe (and every report a watch pushes) of a device with `printQueue` in its config.
import { CATALOGUE, ChecklistStep, type DeviceReport, type DiagnosisCode } from '@tillscope/shared';
import type { BoundDevice, BoundWatch, ProbeBase, WatchBase } from '../../devices/bind-device';
import { healthOf } from '../../devices/common/report';
import { QUEUE_CODES, type QueueVerdict } from './diagnosis';
import type { PrintQueueConfig, PrintQueueReader } from './reader';

const MAX_EXCHANGES = 32;

/**
 * `report` with the queue's verdict merged in: its findings added, its `printer.queue` step in place
 * of the driver's (inserted in checklist order when the driver had none), its checked codes added,
 * its exchanges appended (within the wire's 32), `printer.queue` facts set. Health gets worse by the
 * queue's findings, never better: a queue that reads fine does not make an unanswered printer 'ok'.
 *
 * `checked`: a driver report without it falls under the old rule (every code vouched for unless
 * health is unknown or a finding blinds the device); merged, that rule is written out with the
 * driver's `codes` so the queue codes this read could not check are not taken as cleared.
 */
export function mergeQueueIntoReport(report: DeviceReport, verdict: QueueVerdict, driverCodes: readonly DiagnosisCode[]): DeviceReport {
  const findings = [...report.findings.filter((f) => !isQueueCode(f.code)), ...verdict.findings].slice(0, 32);
  const checklist = withQueueStep(report.checklist, verdict.step);
  const exchanges = [...report.evidence.exchanges.slice(0, MAX_EXCHANGES - verdict.exchanges.length), ...verdict.exchanges].slice(0, MAX_EXCHANGES);
  const checked = [...new Set([...driverChecked(report, driverCodes).filter((c) => !isQueueCode(c)), ...verdict.checked])];
  const printer = { ...report.printer, ...(verdict.view ? { queue: verdict.view } : {}) };
  if (!verdict.view) delete printer.queue;
  return {
    ...report,
    health: healthOf(findings, report.health !== 'unknown'),
    findings,
    checked,
    checklist,
    evidence: { ...report.evidence, exchanges },
    ...(Object.keys(printer).length > 0 ? { printer } : {}),
  };
}

const isQueueCode = (code: DiagnosisCode) => (QUEUE_CODES as readonly DiagnosisCode[]).includes(code);

function driverChecked(report: DeviceReport, driverCodes: readonly DiagnosisCode[]): readonly DiagnosisCode[] {
  if (report.checked) return report.checked;
  const blinded = report.findings.some((f) => CATALOGUE[f.code].blindsDevice);
  return report.health === 'unknown' || blinded ? [] : driverCodes;
}

function withQueueStep(checklist: DeviceReport['checklist'], step: QueueVerdict['step']): DeviceReport['checklist'] {
  const others = checklist.filter((answer) => answer.step !== 'printer.queue');
  // ChecklistStep lists the printer steps in the helpdesk's order (connection … queue, test_print).
  const order = (s: ChecklistStep) => ChecklistStep.options.indexOf(s);
  const at = others.findIndex((answer) => order(answer.step) > order('printer.queue'));
  const merged = at < 0 ? [...others, step] : [...others.slice(0, at), step, ...others.slice(at)];
  return merged.slice(0, 32);
}

/**
 * `bound` with its queue read beside every probe (concurrently: a port the POS holds does not stop
 * the queue view) and merged into the report. Reports a watch pushes get the latest verdict merged
 * (no new read: pushes come from the device). A rejected driver probe still rejects (the probe loop
 * turns it into an 'unknown' report), after the queue read settles.
 */
export function withPrintQueue(bound: BoundDevice, config: PrintQueueConfig, reader: PrintQueueReader): BoundDevice {
  let latest: QueueVerdict | undefined;
  const merge = (report: DeviceReport) => (latest ? mergeQueueIntoReport(report, latest, bound.driver.codes) : report);
  const probeWithQueue = async (probe: Promise<DeviceReport>, base: ProbeBase) => {
    const [report, verdict] = await Promise.allSettled([probe, reader.read(config, base.signal)]);
    if (verdict.status === 'fulfilled') latest = verdict.value;
    if (report.status === 'rejected') throw report.reason;
    return merge(report.value);
  };
  return {
    ...bound,
    probe: (base) => probeWithQueue(bound.probe(base), base),
    watch(base: WatchBase): BoundWatch | undefined {
      const watch = bound.watch({ ...base, onReport: (report) => base.onReport(merge(report)) });
      if (!watch) return undefined;
      return { probe: (probeBase) => probeWithQueue(watch.probe(probeBase), probeBase), stop: () => watch.stop() };
    },
  };
}
