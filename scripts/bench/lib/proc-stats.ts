// Linux /proc readers for footprint benchmarks: one process's memory (smaps_rollup, status),
// threads and CPU time (stat). The parsers are pure (tested on recorded samples); the readers
// throw a clear error where there is no /proc (Windows, macOS) instead of returning zeros.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Fields of /proc/<pid>/smaps_rollup, in kB. */
export interface SmapsRollup {
  rssKb: number;
  pssKb: number;
  /** Anonymous (heap, stacks) share of PSS; does not depend on who else maps the node binary. */
  pssAnonKb: number;
  pssFileKb: number;
  privateDirtyKb: number;
  swapKb: number;
}

/** Fields of /proc/<pid>/status. */
export interface ProcStatus {
  vmRssKb: number;
  rssAnonKb: number;
  rssFileKb: number;
  threads: number;
}

/** CPU time of a process from /proc/<pid>/stat, in clock ticks. */
export interface ProcCpuTicks {
  utime: number;
  stime: number;
}

export class ProcUnavailableError extends Error {
  constructor(detail: string) {
    super(`needs Linux /proc (${detail}); this benchmark reads smaps_rollup, status and stat of its child processes`);
    this.name = 'ProcUnavailableError';
  }
}

/** Throws ProcUnavailableError unless this machine has the /proc files the readers use. */
export function assertProcAvailable(platform: NodeJS.Platform = process.platform, exists: (path: string) => boolean = existsSync): void {
  if (platform !== 'linux') throw new ProcUnavailableError(`platform is ${platform}`);
  for (const file of ['/proc/self/smaps_rollup', '/proc/self/status', '/proc/self/stat']) {
    if (!exists(file)) throw new ProcUnavailableError(`${file} is missing`);
  }
}

/** `Key:   123 kB` lines into a map (values in the unit printed, kB for sizes). */
function keyValues(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z_()]+):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (match) values.set(match[1]!, Number(match[2]));
  }
  return values;
}

function required(values: Map<string, number>, key: string, file: string): number {
  const value = values.get(key);
  if (value === undefined) throw new Error(`${file}: no "${key}" line`);
  return value;
}

export function parseSmapsRollup(text: string): SmapsRollup {
  const values = keyValues(text);
  const file = 'smaps_rollup';
  return {
    rssKb: required(values, 'Rss', file),
    pssKb: required(values, 'Pss', file),
    // Pss_Anon and Pss_File arrived in Linux 5.9; older kernels give only the total.
    pssAnonKb: values.get('Pss_Anon') ?? Number.NaN,
    pssFileKb: values.get('Pss_File') ?? Number.NaN,
    privateDirtyKb: required(values, 'Private_Dirty', file),
    swapKb: values.get('Swap') ?? 0,
  };
}

export function parseStatus(text: string): ProcStatus {
  const values = keyValues(text);
  const file = 'status';
  return {
    vmRssKb: required(values, 'VmRSS', file),
    rssAnonKb: values.get('RssAnon') ?? Number.NaN,
    rssFileKb: values.get('RssFile') ?? Number.NaN,
    threads: required(values, 'Threads', file),
  };
}

/**
 * utime and stime (fields 14 and 15) of /proc/<pid>/stat. The command name (field 2) is in
 * parentheses and may itself contain spaces and parentheses, so fields are counted after the last ')'.
 */
export function parseStat(text: string): ProcCpuTicks {
  return ticksAt(text, 14, 15);
}

/**
 * cutime and cstime (fields 16 and 17) of /proc/<pid>/stat: the CPU of the process's children that
 * it waited for (the OS tools a host probe ran), as ProcCpuTicks.
 */
export function parseChildStat(text: string): ProcCpuTicks {
  return ticksAt(text, 16, 17);
}

function ticksAt(text: string, userField: number, systemField: number): ProcCpuTicks {
  const end = text.lastIndexOf(')');
  if (end < 0) throw new Error('stat: no command name');
  // After ')': field 3 (state) is index 0, so field n is index n - 3.
  const fields = text.slice(end + 1).trim().split(/\s+/);
  const utime = Number(fields[userField - 3]);
  const stime = Number(fields[systemField - 3]);
  if (!Number.isInteger(utime) || !Number.isInteger(stime)) throw new Error('stat: utime/stime are not integers');
  return { utime, stime };
}

/** CPU use as a percentage of one core between two stat samples taken `wallMs` apart. */
export function cpuPercentOfOneCore(before: ProcCpuTicks, after: ProcCpuTicks, wallMs: number, ticksPerSecond: number): number {
  if (wallMs <= 0) throw new Error('cpu window must be positive');
  const ticks = after.utime + after.stime - (before.utime + before.stime);
  return ((ticks / ticksPerSecond) * 1000 * 100) / wallMs;
}

/** Thread names ("node", "libuv-worker", ...) counted, most frequent first: "libuv-worker ×4, node ×7". */
export function summarizeThreadNames(names: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, count]) => (count > 1 ? `${name} ×${count}` : name))
    .join(', ');
}

/** `getconf CLK_TCK`: the unit of utime/stime (100 on every mainstream Linux). */
export function clockTicksPerSecond(): number {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    if (Number.isInteger(value) && value > 0) return value;
  } catch {
    // getconf missing: fall through to the Linux default
  }
  return 100;
}

export interface ProcSample {
  smaps: SmapsRollup;
  status: ProcStatus;
  cpu: ProcCpuTicks;
  /** performance.now() when the sample was taken */
  atMs: number;
}

/** One sample of a live process; throws if it is gone. */
export function sampleProcess(pid: number): ProcSample {
  const read = (file: string) => readFileSync(`/proc/${pid}/${file}`, 'utf8');
  return {
    smaps: parseSmapsRollup(read('smaps_rollup')),
    status: parseStatus(read('status')),
    cpu: parseStat(read('stat')),
    atMs: performance.now(),
  };
}

/** Names of a process's threads (/proc/<pid>/task/<tid>/comm). */
export function threadNames(pid: number): string[] {
  const names: string[] = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      names.push(readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim());
    } catch {
      // the thread ended between readdir and read
    }
  }
  return names;
}
