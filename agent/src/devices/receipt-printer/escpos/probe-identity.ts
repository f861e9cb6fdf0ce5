// GS I once per agent run per device, and the wear counters (GS g 2) about once an hour, while
// the printer is online (docs/devices.md §1.4; protocol-counters.ts for GS g 2's source).
import type { Exchange } from '@tillscope/shared';
import { parseHex } from '../../common/hex';
import { COUNTERS_EVERY_PROBES, IDENTITY_RETRY_PROBES, noteAnswer, shouldAsk, type EscPosMemory } from './memory';
import type { ProbeSession } from './probe-session';
import { parseStatus, queryOfRequest } from './protocol';
import { COUNTERS, counterExchange, counterRequest, counterValue, wearCounter } from './protocol-counters';
import { BLOCK_IDS, gsIRequest, identityOf, idExchange, idValue, ONE_BYTE_IDS, requestName, type IdAnswers, type IdRequest } from './protocol-identity';

/** True when this probe's DLE EOT 1 reply says online: GS I waits behind print data, so only then. */
function saysOnline(exchanges: readonly Exchange[]): boolean {
  const first = exchanges.find((e) => queryOfRequest(e.request) === 1 && e.valid && e.reply !== null);
  const byte = first?.reply ? parseHex(first.reply)[0] : undefined;
  return byte !== undefined && parseStatus(1, byte)?.offline === false;
}

/**
 * Reads GS I 1, 2, 3 (1-byte IDs) and 65..68 (blocks) when due: DLE EOT 1 said online, and GS I
 * was not read yet this run (nor tried within IDENTITY_RETRY_PROBES). GS I 1 unanswered ends it
 * (retried later); a block unanswered ends the blocks (the model has no "printer information B").
 * Every unanswered request is followed by the late-reply window. Never ESC @ or GS a 0.
 */
export async function readIdentityIfDue(session: ProbeSession, memory: EscPosMemory, run: { exchanges: readonly Exchange[] }, timeoutMs: number): Promise<{ exchanges: Exchange[] } | undefined> {
  if (memory.identityRead || memory.probes < memory.identityRetryAt || !saysOnline(run.exchanges)) return undefined;
  const exchanges: Exchange[] = [];
  const answers: IdAnswers = {};
  const ask = async (n: IdRequest): Promise<boolean> => {
    const result = await session.ask(gsIRequest(n), n < 65 ? 'byte' : 'block', timeoutMs);
    exchanges.push(idExchange(n, result.take, result.elapsedMs));
    const value = idValue(n, result.take);
    if (result.failure) return false;
    noteAnswer(memory, requestName(n), value !== undefined);
    if (value === undefined) {
      await session.settle();
      return false;
    }
    answers[n] = value;
    return true;
  };
  for (const n of ONE_BYTE_IDS) if (!(await ask(n)) && n === 1) break;
  if (answers[1] !== undefined) for (const n of BLOCK_IDS) if (!(await ask(n))) break;
  const identity = identityOf(answers);
  if (identity) {
    memory.identity = identity;
    memory.identityRead = true;
  } else memory.identityRetryAt = memory.probes + IDENTITY_RETRY_PROBES;
  return { exchanges };
}

/**
 * Reads the cumulative wear counters (GS g 2: cuts, head energized, line feeds, hours) when due:
 * DLE EOT 1 said online and COUNTERS_EVERY_PROBES have passed since the last read. The cut counter
 * goes first; a printer silent to it (the TM-T88III and TM-U220 have no GS g 2) is not asked the
 * others, and after two silences only every REASK_EVERY_PROBES probes (memory's request rule).
 */
export async function readCountersIfDue(session: ProbeSession, memory: EscPosMemory, run: { exchanges: readonly Exchange[] }, timeoutMs: number): Promise<{ exchanges: Exchange[] } | undefined> {
  if (memory.probes < memory.countersDueAt || !shouldAsk(memory, 'GS g 2') || !saysOnline(run.exchanges)) return undefined;
  memory.countersDueAt = memory.probes + COUNTERS_EVERY_PROBES;
  const exchanges: Exchange[] = [];
  const counters: NonNullable<EscPosMemory['counters']> = [];
  for (const spec of COUNTERS) {
    const result = await session.ask(counterRequest(spec.number), 'block', timeoutMs);
    exchanges.push(counterExchange(spec, result.take, result.elapsedMs));
    const value = counterValue(result.take);
    if (result.failure) break;
    if (spec === COUNTERS[0]) noteAnswer(memory, 'GS g 2', value !== undefined);
    if (value === undefined) {
      await session.settle();
      if (spec === COUNTERS[0]) break;
      continue;
    }
    counters.push(wearCounter(spec, value));
  }
  if (counters.length > 0) memory.counters = counters;
  return { exchanges };
}
