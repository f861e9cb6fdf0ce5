// What a queue reading means for the printer: findings, the `printer.queue` checklist step, the
// codes the read could rule in or out, and the PrintQueueView facts. Pure.
//
// The spooler's view is never used for paper, cover or other device faults: for a raw ESC/POS
// printer those bits stay 0 even with no paper (devices.md §2, node-thermal-printer#211).
import type { ChecklistAnswer, DiagnosisCode, Finding, PrintQueueView, StructuredExchange } from '@tillscope/shared';
import type { QueueJob, QueueObservation, QueueReading } from './observation';

/** Every code the queue view can emit. */
export const QUEUE_CODES = ['printer.spooler_stopped', 'printer.queue_paused', 'printer.spooler_offline', 'printer.queue_stuck'] as const satisfies readonly DiagnosisCode[];

/** What the reader remembers of a queue between reads, to tell a stuck job from a moving queue. */
export interface QueueMemory {
  oldestJobId: string;
}

export interface QueueVerdict {
  findings: Finding[];
  step: ChecklistAnswer;
  /** the queue codes this read rules in or out (see DeviceReport.checked) */
  checked: DiagnosisCode[];
  view: PrintQueueView | undefined;
  exchanges: StructuredExchange[];
  /** what to remember for the next read of this queue */
  memory: QueueMemory | undefined;
}

export interface JudgeInput {
  reading: QueueReading;
  previous: QueueMemory | undefined;
  now: Date;
  /** a job older than this that has not moved since the previous read is stuck */
  stuckAfterMs: number;
}

const systemName = (system: PrintQueueView['system']) => (system === 'cups' ? 'CUPS' : 'Windows spooler');

export function judgeQueue(input: JudgeInput): QueueVerdict {
  const { reading } = input;
  const step = (result: ChecklistAnswer['result'], observed: string): ChecklistAnswer => ({ step: 'printer.queue', result, observed: observed.slice(0, 500) });
  switch (reading.kind) {
    case 'unreadable':
      return { findings: [], step: step('unknown', `could not check the ${systemName(reading.system)} queue "${reading.queue}": ${reading.reason}`), checked: [], view: undefined, exchanges: reading.exchanges, memory: undefined };
    case 'stopped': {
      const detail = `${systemName(reading.system)} is not running (${reading.detail}): no receipt printed through queue "${reading.queue}" can reach the printer`;
      const view: PrintQueueView = { system: reading.system, queue: reading.queue, serviceRunning: false };
      return { findings: [{ code: 'printer.spooler_stopped', detail }], step: step('failed', detail), checked: ['printer.spooler_stopped'], view, exchanges: reading.exchanges, memory: undefined };
    }
    case 'no_queue': {
      const observed = `could not check: ${reading.detail}; check printQueue.name in the agent config`;
      const view: PrintQueueView = { system: reading.system, queue: reading.queue, serviceRunning: true };
      return { findings: [], step: step('unknown', observed), checked: ['printer.spooler_stopped'], view, exchanges: reading.exchanges, memory: undefined };
    }
    case 'read':
      return judgeObservation(reading.observation, input, reading.exchanges);
  }
}

function judgeObservation(observation: QueueObservation, input: JudgeInput, exchanges: StructuredExchange[]): QueueVerdict {
  const name = `${systemName(observation.system)} queue "${observation.queue}"`;
  const reasons = observation.reasons.length > 0 ? ` (${observation.reasons.join('; ')})` : '';
  const findings: Finding[] = [];
  if (observation.paused || !observation.accepting) {
    const what = [observation.paused ? (observation.system === 'cups' ? 'disabled (paused)' : 'paused') : '', observation.accepting ? '' : 'not accepting jobs'].filter(Boolean).join(' and ');
    findings.push({ code: 'printer.queue_paused', detail: `${name} is ${what}${reasons}` });
  }
  if (observation.offline) findings.push({ code: 'printer.spooler_offline', detail: `${name}: the OS holds the printer offline${reasons}` });
  const stuck = stuckJob(observation.jobs, input);
  if (stuck.job && stuck.verdict === 'stuck') {
    findings.push({ code: 'printer.queue_stuck', detail: `${name}: job ${stuck.job.id} waiting since ${stuck.job.submittedAt?.toISOString() ?? '?'} has not moved since the previous check (${observation.jobs.length} job(s) queued)` });
  }
  const checked: DiagnosisCode[] = ['printer.spooler_stopped', 'printer.queue_paused', 'printer.spooler_offline', ...(stuck.verdict === 'undetermined' ? [] : ['printer.queue_stuck' as const])];
  const summary = describeState(observation, stuck.verdict === 'undetermined');
  const result = findings.length > 0 ? 'failed' : stuck.verdict === 'undetermined' ? 'unknown' : 'passed';
  const observed = findings.length > 0 ? findings.map((f) => f.detail).join('; ') : `${name}: ${summary}`;
  return {
    findings,
    step: { step: 'printer.queue', result, observed: observed.slice(0, 500) },
    checked,
    view: viewOf(observation),
    exchanges,
    memory: oldestId(observation.jobs),
  };
}

/**
 * stuck: the oldest job is older than the threshold and was already the oldest at the previous read;
 * moving: no old job, or the previous oldest has left the queue; undetermined: an old job seen for
 * the first time (or with a date the OS did not give), to be decided at the next read.
 */
function stuckJob(jobs: readonly QueueJob[], input: JudgeInput): { verdict: 'stuck' | 'moving' | 'undetermined'; job?: QueueJob } {
  const job = oldest(jobs);
  if (!job) return { verdict: 'moving' };
  if (!job.submittedAt) return { verdict: 'undetermined', job };
  if (input.now.getTime() - job.submittedAt.getTime() <= input.stuckAfterMs) return { verdict: 'moving', job };
  if (!input.previous) return { verdict: 'undetermined', job };
  return { verdict: input.previous.oldestJobId === job.id ? 'stuck' : 'moving', job };
}

function oldest(jobs: readonly QueueJob[]): QueueJob | undefined {
  const dated = jobs.filter((j) => j.submittedAt);
  if (dated.length < jobs.length) return jobs[0];
  return [...dated].sort((a, b) => (a.submittedAt?.getTime() ?? 0) - (b.submittedAt?.getTime() ?? 0))[0];
}

function describeState(observation: QueueObservation, undetermined: boolean): string {
  const state = observation.printing ? 'printing' : 'idle';
  const jobs = `${observation.jobs.length} job(s) queued`;
  const old = undetermined ? '; an old job is waiting: whether it moves is checked at the next probe' : '';
  return `${state}, accepting jobs, not paused, ${jobs}${old}`;
}

function viewOf(observation: QueueObservation): PrintQueueView {
  const first = oldest(observation.jobs);
  return {
    system: observation.system,
    queue: observation.queue.slice(0, 200),
    serviceRunning: true,
    paused: observation.paused || !observation.accepting,
    offline: observation.offline,
    jobCount: observation.jobs.length,
    ...(first?.submittedAt ? { oldestJobAt: first.submittedAt.toISOString() } : {}),
    ...(observation.driver ? { driver: observation.driver.slice(0, 200) } : {}),
    printing: observation.printing || observation.jobs.some((j) => j.printing),
  };
}

function oldestId(jobs: readonly QueueJob[]): QueueMemory | undefined {
  const job = oldest(jobs);
  return job ? { oldestJobId: job.id } : undefined;
}
