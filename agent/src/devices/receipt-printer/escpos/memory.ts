// What the escpos driver remembers about one device for the agent's run (not persisted): which
// requests it answers, whether its port turned out to be a fiscal register's, its identity.
import type { DeviceIdentity, StatusSupport, WearCounter } from '@tillscope/shared';

/** A request that has gone unanswered this many times in a row is skipped… */
export const SILENT_TIMES_BEFORE_SKIP = 2;
/** …and asked again only every this many probes (a firmware update or a different printer). */
export const REASK_EVERY_PROBES = 30;
/** GS I unanswered: asked again after this many probes. */
export const IDENTITY_RETRY_PROBES = 30;
/** Wear counters (GS g 2) are read this rarely: about once an hour at the default 10 s interval. */
export const COUNTERS_EVERY_PROBES = 360;

interface RequestRecord {
  answeredEver: boolean;
  silentStreak: number;
  /** the probe number it was last asked in */
  lastAsked: number;
}

export interface EscPosMemory {
  /** probes started so far, this one included */
  probes: number;
  /** by request name ("DLE EOT 2", "GS I 1"), in the order first asked */
  requests: Map<string, RequestRecord>;
  /** a serial port's harmless identification (ENQ) ran */
  enqChecked: boolean;
  /** the ENQ evidence, when the port turned out to be a fiscal register's: no printer byte goes there again */
  fiscalPort?: { evidence: string; at: Date };
  identity?: DeviceIdentity;
  /** GS I was answered (identity read); undefined: never tried or unanswered */
  identityRead: boolean;
  /** probe number before which GS I is not tried again */
  identityRetryAt: number;
  /** the last wear counters read (GS g 2), and the probe number before which they are not read again */
  counters?: WearCounter[];
  countersDueAt: number;
}

export function createEscPosMemory(): EscPosMemory {
  return { probes: 0, requests: new Map(), enqChecked: false, identityRead: false, identityRetryAt: 0, countersDueAt: 0 };
}

/**
 * False for a request the printer has been silent to SILENT_TIMES_BEFORE_SKIP times in a row,
 * except every REASK_EVERY_PROBES probes. A request never asked is asked.
 */
export function shouldAsk(memory: EscPosMemory, request: string): boolean {
  const record = memory.requests.get(request);
  if (!record || record.silentStreak < SILENT_TIMES_BEFORE_SKIP) return true;
  return memory.probes - record.lastAsked >= REASK_EVERY_PROBES;
}

/** Records one ask and whether it was answered. */
export function noteAnswer(memory: EscPosMemory, request: string, answered: boolean): void {
  const record = memory.requests.get(request) ?? { answeredEver: false, silentStreak: 0, lastAsked: 0 };
  record.lastAsked = memory.probes;
  record.answeredEver ||= answered;
  record.silentStreak = answered ? 0 : record.silentStreak + 1;
  memory.requests.set(request, record);
}

/** True when the printer is known not to answer `request` (silent repeatedly). */
export function knownSilent(memory: EscPosMemory, request: string): boolean {
  return (memory.requests.get(request)?.silentStreak ?? 0) >= SILENT_TIMES_BEFORE_SKIP;
}

/**
 * What the report says about the requests: answers true once answered (and not silent twice
 * since), false after repeated silence; a request asked only once without an answer is left out.
 */
export function statusSupportOf(memory: EscPosMemory): StatusSupport[] {
  const support: StatusSupport[] = [];
  for (const [request, record] of memory.requests) {
    if (record.silentStreak >= SILENT_TIMES_BEFORE_SKIP) support.push({ request, answers: false });
    else if (record.answeredEver) support.push({ request, answers: true });
  }
  return support.slice(0, 16);
}
