// The OS print queue of a receipt printer, read on demand: the config entry, the reader that picks
// CUPS or the Windows spooler, runs the tools through the command seam and judges what they said.
import { z } from 'zod';
import { createRunCommand, type RunCommand } from '../run-command';
import { readCupsQueue } from './cups';
import { judgeQueue, type QueueMemory, type QueueVerdict } from './diagnosis';
import type { QueueReading, ReadContext } from './observation';
import { readWindowsQueue } from './windows';

/** `printQueue` of a receipt-printer device in the agent config. */
export const PrintQueueConfig = z.strictObject({
  /** the queue / printer name in the OS (CUPS queue name, Windows printer name) */
  name: z.string().min(1).max(200),
  /** `auto`: Windows spooler on Windows, CUPS elsewhere */
  system: z.enum(['auto', 'cups', 'windows']).default('auto'),
  /** a job older than this that has not moved since the previous probe is stuck (default 3 minutes) */
  stuckAfterSec: z.number().int().min(10).max(86_400).default(180),
  /** the lpstat or powershell.exe to run, when it is not the one on PATH (the demo's CUPS simulator) */
  tool: z.string().min(1).max(500).optional(),
});
export type PrintQueueConfig = z.output<typeof PrintQueueConfig>;

export interface PrintQueueReaderOptions {
  run?: RunCommand;
  now?: () => Date;
  /** default process.platform, for `system: "auto"` */
  platform?: NodeJS.Platform;
  /** per tool run (default 4 s: a cold powershell.exe start takes 1–2 s) */
  timeoutMs?: number;
  /** per tool run, stdout and stderr each (default 256 KiB) */
  maxOutputBytes?: number;
  /** paths of the tools (default: found on PATH) */
  tools?: { lpstat?: string; powershell?: string };
}

/**
 * Reads and judges OS print queues. Contract: `read` never rejects; a missing, hanging or failing
 * tool is a verdict whose `printer.queue` step is "unknown" with the reason, never a pass. It
 * remembers, per queue, the oldest job it saw, so a job that has not moved between two reads past the
 * threshold is stuck. Reads of one queue must not overlap (the probe loop never overlaps probes).
 */
export interface PrintQueueReader {
  read(config: PrintQueueConfig, signal?: AbortSignal): Promise<QueueVerdict>;
}

export function createPrintQueueReader(options: PrintQueueReaderOptions = {}): PrintQueueReader {
  const run = options.run ?? createRunCommand();
  const now = options.now ?? (() => new Date());
  const platform = options.platform ?? process.platform;
  const memory = new Map<string, QueueMemory>();
  return {
    async read(config, signal) {
      const ctx: ReadContext = { run, now, timeoutMs: options.timeoutMs ?? 4_000, maxOutputBytes: options.maxOutputBytes ?? 256 * 1024, signal };
      const system = config.system === 'auto' ? (platform === 'win32' ? 'windows' : 'cups') : config.system;
      const reading = await readSafely(() => (system === 'windows' ? readWindowsQueue(ctx, config.name, config.tool ?? options.tools?.powershell) : readCupsQueue(ctx, config.name, config.tool ?? options.tools?.lpstat)), system, config.name);
      const key = `${system}\u0000${config.name}`;
      const verdict = judgeQueue({ reading, previous: memory.get(key), now: now(), stuckAfterMs: config.stuckAfterSec * 1000 });
      if (verdict.memory) memory.set(key, verdict.memory);
      else memory.delete(key);
      return verdict;
    },
  };
}

/** A reader bug (a parser that throws) is "could not check", never a crash of the probe. */
async function readSafely(read: () => Promise<QueueReading>, system: 'cups' | 'windows', queue: string): Promise<QueueReading> {
  try {
    return await read();
  } catch (error) {
    const reason = `the queue reader failed: ${error instanceof Error ? error.message : String(error)}`;
    return { kind: 'unreadable', system: system === 'cups' ? 'cups' : 'windows-spooler', queue, reason, exchanges: [] };
  }
}

/**
 * Reads one queue now, once (no memory of earlier reads: a stuck job cannot be told, but `printing`
 * and `jobCount` can): for a test print that must wait while a receipt prints.
 */
export function readPrintQueueNow(config: z.input<typeof PrintQueueConfig>, options: PrintQueueReaderOptions & { signal?: AbortSignal } = {}): Promise<QueueVerdict> {
  return createPrintQueueReader(options).read(PrintQueueConfig.parse(config), options.signal);
}
