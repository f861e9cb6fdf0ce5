// Linux: the parsers of CUPS's and systemd's answers (lpstat in the C locale, systemctl show, the
// queues' PPD files). Pure: text in, typed values out; undefined when the text is not in the form
// this agent knows (a tool that changed its output between versions), never a guess.
// Formats as recorded from CUPS 2.4.2 on Debian 12 (fixtures/linux-*.json); `systemctl show` as
// documented (systemctl(1): "Key=Value" lines, one property a line).
import type { ServiceFacts, ServiceStartMode, ServiceState } from '@tillscope/shared';
import { parseCupsDate, parsePrinterState } from '../../../os/print-queue/cups';

export { parseScheduler } from '../../../os/print-queue/cups';

/** `systemctl show -p A,B`: "A=value" lines (order not guaranteed), or undefined when a line is not one. */
export function parseSystemctlShow(stdout: string): Record<string, string> | undefined {
  const properties: Record<string, string> = {};
  for (const line of stdout.split('\n').map((l) => l.trimEnd()).filter(Boolean)) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!match) return undefined;
    properties[match[1] ?? ''] = match[2] ?? '';
  }
  return Object.keys(properties).length > 0 ? properties : undefined;
}

/** The unit as systemd describes it; `installed` false when systemd does not know the unit (LoadState not-found). */
export interface UnitFacts {
  installed: boolean;
  /** ActiveState: the unit is up (a socket-activated cupsd may be down while idle: lpstat -r decides) */
  activeState: string;
  subState: string;
  startMode: ServiceStartMode;
  restarts: number | undefined;
  /** why it last stopped ("success", "exit-code", "signal", "core-dump", "start-limit-hit") */
  result: string | undefined;
}

/**
 * UnitFileState → start mode. `indirect` (started through cups.socket or cups.path, Debian's
 * default) and `static` start on demand: manual. `masked` can never start: disabled.
 */
const START_MODES: Record<string, ServiceStartMode> = {
  enabled: 'auto',
  'enabled-runtime': 'auto',
  alias: 'auto',
  generated: 'auto',
  linked: 'manual',
  'linked-runtime': 'manual',
  static: 'manual',
  indirect: 'manual',
  transient: 'manual',
  disabled: 'manual',
  masked: 'disabled',
  'masked-runtime': 'disabled',
};

export function unitFacts(properties: Record<string, string>): UnitFacts | undefined {
  const { LoadState: load, ActiveState: active, SubState: sub } = properties;
  if (load === undefined || active === undefined || sub === undefined) return undefined;
  const restarts = properties.NRestarts !== undefined && /^\d+$/.test(properties.NRestarts) ? Number(properties.NRestarts) : undefined;
  return {
    installed: load !== 'not-found',
    activeState: active,
    subState: sub,
    startMode: START_MODES[properties.UnitFileState ?? ''] ?? 'unknown',
    restarts,
    result: properties.Result,
  };
}

/** A unit restarting by itself (Restart=on-failure) or given up after too many (start-limit-hit). */
export function unitIsCrashLooping(unit: UnitFacts): boolean {
  return unit.subState === 'auto-restart' || unit.result === 'start-limit-hit';
}

/** The state systemd alone tells, for when lpstat cannot answer. */
export function unitState(unit: UnitFacts): ServiceState {
  if (unitIsCrashLooping(unit)) return 'crashing';
  if (unit.activeState === 'active') return 'running';
  if (unit.activeState === 'activating') return 'starting';
  if (unit.activeState === 'deactivating') return 'stopping';
  if (unit.activeState === 'failed') return 'stopped';
  // inactive: with socket activation cupsd starts on the first client; only lpstat can tell
  return 'unknown';
}

/** The service facts of the CUPS unit. */
export function cupsService(name: string, state: ServiceState, unit: UnitFacts | undefined): ServiceFacts {
  return {
    name,
    displayName: 'CUPS Scheduler',
    state,
    startMode: unit?.startMode ?? 'unknown',
    ...(unit?.restarts !== undefined ? { restarts: unit.restarts } : {}),
  };
}

/** "device for Q: uri" → Q and its device URI, credentials cut out (smb://user:pass@host/q). */
export function parseDevices(stdout: string): Map<string, string> | undefined {
  const devices = new Map<string, string>();
  for (const line of stdout.split('\n').filter((l) => l.trim() !== '')) {
    const match = /^device for (\S+?): (.*)$/.exec(line.trimEnd());
    if (!match) return undefined;
    devices.set(match[1] ?? '', withoutCredentials(match[2] ?? ''));
  }
  return devices;
}

/** A URI without the user-info part: a queue to smb://user:password@server/printer keeps its password out of reports. */
export function withoutCredentials(uri: string): string {
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

/** "lpstat: No destinations added." (exit 1): the scheduler runs and has no queue at all. */
export const NO_DESTINATIONS = /No destinations added/;

export interface CupsQueueState {
  name: string;
  paused: boolean;
  printing: boolean;
  /** "Interface: /etc/cups/ppd/Q.ppd" in the long form: the queue has a PPD (a raw queue has none) */
  ppd: string | undefined;
}

/** `lpstat -l -p` (every queue, long form): one block a queue; undefined when a block is not one. */
export function parseQueues(stdout: string): CupsQueueState[] | undefined {
  const blocks: string[][] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('printer ')) blocks.push([line]);
    else if (line.trim() !== '') {
      const block = blocks.at(-1);
      if (!block) return undefined;
      block.push(line);
    }
  }
  const queues: CupsQueueState[] = [];
  for (const block of blocks) {
    const name = /^printer (\S+) /.exec(block[0] ?? '')?.[1] ?? '';
    const state = parsePrinterState(block.join('\n'), name);
    if (!state) return undefined;
    const ppd = block.find((l) => l.startsWith('\tInterface: '))?.slice('\tInterface: '.length).trim();
    queues.push({ name, paused: state.state === 'disabled', printing: state.state === 'printing', ppd: ppd || undefined });
  }
  return queues;
}

export interface CupsJob {
  id: string;
  queue: string;
  submittedAt: Date | undefined;
}

/**
 * `lpstat -o` (every queue's jobs): "Q-12  user  1024   Mon Nov 30 14:44:01 2026". A job id is the
 * queue name, "-" and a number; queue names may hold "-" too, so the longest known name wins.
 */
export function parseAllJobs(stdout: string, queues: readonly string[]): CupsJob[] | undefined {
  const byLength = [...queues].sort((a, b) => b.length - a.length);
  const jobs: CupsJob[] = [];
  for (const line of stdout.split('\n').filter((l) => l.trim() !== '')) {
    const match = /^(\S+)\s+\S+\s+\d+\s+(\S.*)$/.exec(line);
    const id = match?.[1] ?? '';
    const queue = byLength.find((q) => id.startsWith(`${q}-`) && /^\d+$/.test(id.slice(q.length + 1)));
    if (!match || queue === undefined) return undefined;
    jobs.push({ id, queue, submittedAt: parseCupsDate(match[2] ?? '') });
  }
  return jobs;
}

export interface PpdFacts {
  /** *NickName: what CUPS and the console call the driver */
  nickName: string;
  /** *FileVersion: the PPD's own version */
  fileVersion: string | undefined;
  manufacturer: string | undefined;
}

/** `*Key: "value"` from a PPD's header (PPD spec 4.3: main keywords are quoted strings). */
function ppdValue(text: string, key: string): string | undefined {
  const match = new RegExp(`^\\*${key}:\\s*"([^"\\n]*)"`, 'm').exec(text);
  const value = match?.[1]?.trim();
  return value ? value : undefined;
}

/** The driver a PPD names; undefined when the text is not a PPD (no *PPD-Adobe header or no *NickName). */
export function parsePpd(text: string): PpdFacts | undefined {
  if (!text.startsWith('*PPD-Adobe:')) return undefined;
  const nickName = ppdValue(text, 'NickName') ?? ppdValue(text, 'ModelName');
  if (!nickName) return undefined;
  return { nickName, fileVersion: ppdValue(text, 'FileVersion'), manufacturer: ppdValue(text, 'Manufacturer') };
}
