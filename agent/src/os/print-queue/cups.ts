// Linux CUPS through `lpstat` (cups-client), run with LC_ALL=C so the output is not localized.
// Formats as recorded from CUPS 2.4.2 (fixtures/cups/*.json): lpstat.c prints them with fixed
// English words in the C locale. Parsers are pure; readCupsQueue runs the four commands at once.
import { commandExchange, runFailure, runTool, type QueueJob, type QueueReading, type ReadContext, type ToolRun } from './observation';

export const CUPS_ENV = { LC_ALL: 'C' } as const;

/**
 * The four commands. `-l` must come before `-p`: lpstat applies options in order, so
 * `lpstat -p Q -l` prints the short form.
 */
export function cupsCommands(queue: string): Record<'scheduler' | 'printer' | 'accepting' | 'jobs', string[]> {
  return { scheduler: ['-r'], printer: ['-l', '-p', queue], accepting: ['-a', queue], jobs: ['-o', queue] };
}

/** `lpstat -r`: true "scheduler is running", false "scheduler is not running", else undefined. */
export function parseScheduler(stdout: string): boolean | undefined {
  const line = stdout.trim();
  if (line === 'scheduler is running') return true;
  if (line === 'scheduler is not running') return false;
  return undefined;
}

export interface CupsPrinterState {
  state: 'idle' | 'printing' | 'disabled';
  /** the job named in "now printing <job>" */
  job?: string;
  since: string;
  /** printer-state-message lines (cupsdisable -r, backend messages) */
  messages: string[];
  /** the long form's "Alerts:" (printer-state-reasons), "none" left out */
  alerts: string[];
}

/** "printer Q is idle.  enabled since …", "printer Q now printing Q-3.  enabled since …", "printer Q disabled since … -" */
const PRINTER_LINE = /^printer (\S+) (?:(?:is idle\.|now printing (\S+)\.) +enabled|disabled) since (.+?)(?: -)?$/;

/** `lpstat -l -p <queue>`; undefined when the first line is not a printer line for `queue`. */
export function parsePrinterState(stdout: string, queue: string): CupsPrinterState | undefined {
  const [first = '', ...rest] = stdout.split('\n');
  const match = PRINTER_LINE.exec(first);
  if (!match || match[1] !== queue) return undefined;
  const state = first.includes(' is idle.') ? 'idle' : match[2] !== undefined ? 'printing' : 'disabled';
  const longStart = rest.findIndex((line) => line.startsWith('\tForm mounted:'));
  const messages = (longStart < 0 ? rest : rest.slice(0, longStart)).filter((l) => l.startsWith('\t')).map((l) => l.trim()).filter(Boolean);
  const alertLine = rest.find((line) => line.startsWith('\tAlerts:'));
  const alerts = (alertLine?.slice('\tAlerts:'.length).trim().split(/\s+/) ?? []).filter((a) => a && a !== 'none');
  return { state, ...(match[2] !== undefined ? { job: match[2] } : {}), since: match[3] ?? '', messages, alerts };
}

/** `lpstat -a <queue>`: accepting or not, with the reason lines of a rejecting queue. */
export function parseAccepting(stdout: string, queue: string): { accepting: boolean; reasons: string[] } | undefined {
  const [first = '', ...rest] = stdout.split('\n');
  const match = /^(\S+) (not )?accepting requests since /.exec(first);
  if (!match || match[1] !== queue) return undefined;
  return { accepting: match[2] === undefined, reasons: rest.filter((l) => l.startsWith('\t')).map((l) => l.trim()).filter(Boolean) };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Mon Nov 30 14:44:01 2026" (strftime %c in the C locale), in the host's local time zone. */
export function parseCupsDate(text: string): Date | undefined {
  const match = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/.exec(text.trim());
  const month = match ? MONTHS.indexOf(match[1] ?? '') : -1;
  if (!match || month < 0) return undefined;
  const [day, hour, minute, second, year] = match.slice(2).map(Number) as [number, number, number, number, number];
  return new Date(year, month, day, hour, minute, second);
}

const JOB_LINE = /^(\S+)\s+(\S+)\s+(\d+)\s+(\S.*)$/;

/** `lpstat -o <queue>`: one line per job ("Q-12  user  1024   Mon Nov 30 14:44:01 2026"); undefined on a line that is not one. */
export function parseJobs(stdout: string, queue: string, printingJob: string | undefined): QueueJob[] | undefined {
  const jobs: QueueJob[] = [];
  for (const line of stdout.split('\n').filter((l) => l.trim() !== '')) {
    const match = JOB_LINE.exec(line);
    if (!match?.[1]?.startsWith(`${queue}-`)) return undefined;
    jobs.push({ id: match[1], submittedAt: parseCupsDate(match[4] ?? ''), printing: match[1] === printingJob });
  }
  return jobs;
}

const INVALID_DESTINATION = /Invalid destination name|[Uu]nknown destination/;

/** Reads one CUPS queue: scheduler, state, accepting, jobs (run concurrently). */
export async function readCupsQueue(ctx: ReadContext, queue: string, lpstat = 'lpstat'): Promise<QueueReading> {
  const commands = cupsCommands(queue);
  const [scheduler, printer, accepting, jobs] = await Promise.all(
    [commands.scheduler, commands.printer, commands.accepting, commands.jobs].map((args) => runTool(ctx, lpstat, args, CUPS_ENV)),
  ) as [ToolRun, ToolRun, ToolRun, ToolRun];
  const base = { system: 'cups' as const, queue };
  const running = scheduler.result.kind === 'ok' ? parseScheduler(scheduler.result.stdout) : undefined;
  const state = printer.result.kind === 'ok' ? parsePrinterState(printer.result.stdout, queue) : undefined;
  const accept = accepting.result.kind === 'ok' ? parseAccepting(accepting.result.stdout, queue) : undefined;
  const jobList = jobs.result.kind === 'ok' ? parseJobs(jobs.result.stdout, queue, state?.job) : undefined;
  const exchanges = [
    commandExchange(`lpstat -r: CUPS scheduler`, scheduler.command, scheduler.result, running === undefined ? undefined : { schedulerRunning: running }, scheduler.elapsedMs),
    commandExchange(`lpstat -l -p ${queue}: queue state`, printer.command, printer.result, state, printer.elapsedMs),
    commandExchange(`lpstat -a ${queue}: accepting jobs`, accepting.command, accepting.result, accept, accepting.elapsedMs),
    commandExchange(`lpstat -o ${queue}: jobs`, jobs.command, jobs.result, jobList && jobList.map((j) => ({ id: j.id, submittedAt: j.submittedAt?.toISOString() ?? null, printing: j.printing })), jobs.elapsedMs),
  ];
  if (running === undefined) return { ...base, kind: 'unreadable', reason: runFailure(scheduler) ?? `lpstat -r answered "${firstLine(scheduler)}"`, exchanges };
  if (!running) return { ...base, kind: 'stopped', detail: 'lpstat -r: scheduler is not running', exchanges };
  if (printer.result.kind === 'exit' && INVALID_DESTINATION.test(printer.result.stderr)) {
    return { ...base, kind: 'no_queue', detail: `CUPS has no queue "${queue}" (${printer.result.stderr.trim().slice(0, 120)})`, exchanges };
  }
  if (!state || !accept || !jobList) {
    const failed = [printer, accepting, jobs].find((run) => run.result.kind !== 'ok');
    return { ...base, kind: 'unreadable', reason: (failed && runFailure(failed)) ?? `lpstat answered something this agent cannot read: "${firstLine(state ? (accept ? jobs : accepting) : printer)}"`, exchanges };
  }
  const reasons = [...state.messages, ...accept.reasons.filter((r) => !state.messages.includes(r)), ...state.alerts.map((a) => `alert: ${a}`)];
  const observation = { ...base, paused: state.state === 'disabled', accepting: accept.accepting, offline: false, printing: state.state === 'printing', reasons, jobs: jobList };
  return { kind: 'read', observation, exchanges };
}

function firstLine(run: ToolRun): string {
  const out = run.result.kind === 'ok' || run.result.kind === 'exit' ? run.result.stdout : '';
  return (out.split('\n')[0] ?? '').slice(0, 120);
}
