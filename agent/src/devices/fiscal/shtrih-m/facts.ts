// From the decoded replies of one probe to what the fiscal rules and the inventory need: the
// fiscal facts, the register's identity, the printer inside it, the shift as the agent has seen
// it. Pure: the host clock and the device memory are parameters.
import type { DeviceIdentity, FiscalFacts } from '@tillscope/shared';
import type { FiscalPrinterState, PrinterCheck } from '../../common/fiscal-rules';
import type { DeviceError } from './errors';
import type { ExchangeRecord } from './exchange';
import { upperHex, type AllowedCommand } from './protocol';
import type { DecodedReply, DeviceType, ReplyValues, ShortStatus } from './replies';

/** One command of a probe: what went over the wire and what it decoded to (absent: no reply frame). */
export interface CommandRun<C extends AllowedCommand = AllowedCommand> {
  command: C;
  record: ExchangeRecord;
  decoded?: DecodedReply<C>;
  /** the host clock when the exchange ended (the clock-drift reference for 0x11) */
  at: Date;
}

/** What the driver remembers about one register between probes (never persisted). */
export interface ShtrihMemory {
  /** 0xFC's answer, read once per device */
  deviceType?: DeviceType;
  /** the shift as last seen; `openedAt` only once the agent has seen it open after seeing it closed or numbered otherwise */
  shift?: { open: boolean; number?: number; openedAt?: string };
}

export function createShtrihMemory(): ShtrihMemory {
  return {};
}

/** The OK value of a command's reply in this run, if it has one. */
export function valueOf<C extends AllowedCommand>(runs: readonly CommandRun[], command: C): ReplyValues[C] | undefined {
  const run = runs.find((r) => r.command === command);
  return run?.decoded?.status === 'ok' ? (run.decoded.value as ReplyValues[C]) : undefined;
}

/** Every error the register answered with, with the command it answered. */
export function errorsOf(runs: readonly CommandRun[]): { command: AllowedCommand; error: DeviceError }[] {
  return runs.flatMap((r) => (r.decoded?.status === 'error' ? [{ command: r.command, error: r.decoded.error }] : []));
}

/** A local wall-clock time of the register ("2026-03-01T10:30:00") as an instant, in the host's time zone. */
function wallToIso(wall: string | undefined): string | undefined {
  if (wall === undefined) return undefined;
  const ms = new Date(wall).getTime();
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/**
 * The shift as this probe saw it, and the memory to keep. Shtrih-M has no read-only command that
 * says when a shift opened: `openedAt` is the probe that first saw it open after seeing it closed
 * (or under another number), so the true time is at or before it. A shift already open when the
 * agent started has no `openedAt` (mode 3 still says "expired" for sure).
 */
export function observeShift(previous: ShtrihMemory['shift'], seen: { open: boolean; number?: number }, now: Date): NonNullable<ShtrihMemory['shift']> {
  if (!seen.open) return { open: false, ...(seen.number !== undefined ? { number: seen.number } : {}) };
  const number = seen.number ?? previous?.number;
  const sameShift = previous?.open === true && (seen.number === undefined || previous.number === undefined || previous.number === seen.number);
  const openedAt = sameShift ? previous.openedAt : previous !== undefined ? now.toISOString() : undefined;
  return { open: true, ...(number !== undefined ? { number } : {}), ...(openedAt !== undefined ? { openedAt } : {}) };
}

export interface Readings {
  facts: FiscalFacts;
  identity?: DeviceIdentity;
  printer: FiscalPrinterState;
  shiftMemory?: ShtrihMemory['shift'];
}

/** Facts, identity and printer state from the replies of a full probe (not the mode-8 stop). */
export function readFacts(runs: readonly CommandRun[], memory: ShtrihMemory, now: Date, flags: { paper: boolean; cover: boolean }): Readings {
  const short = valueOf(runs, 0x10);
  const full = valueOf(runs, 0x11);
  const fnStatus = valueOf(runs, 0xff01);
  const validity = valueOf(runs, 0xff03);
  const ofd = valueOf(runs, 0xff39);
  const unconfirmed = valueOf(runs, 0xff3f);
  const shift = valueOf(runs, 0xff40);
  const errors = errorsOf(runs);
  const facts: FiscalFacts = { documentOpen: false };

  const fullAt = runs.find((r) => r.command === 0x11)?.at;
  const clock = wallToIso(full?.clock);
  if (full?.clock && clock && fullAt) {
    facts.registerClock = full.clock;
    facts.clockDriftSeconds = Math.round((Date.parse(clock) - fullAt.getTime()) / 1000);
  }

  // Mode 3 (or an "over 24 h" error) is expired for sure; otherwise the FN's shift byte, then the mode.
  const expired = short?.mode === 3 || errors.some((e) => e.error.kind === 'shift_expired');
  const open = shift?.shiftOpen ?? fnStatus?.shiftOpen ?? (short?.mode === 2 ? true : short?.mode === 4 ? false : undefined);
  let shiftMemory: ShtrihMemory['shift'];
  if (expired || open !== undefined) {
    shiftMemory = observeShift(memory.shift, { open: expired || open === true, ...(shift ? { number: shift.shiftNumber } : {}) }, now);
    facts.shift = {
      state: expired ? 'expired' : open ? 'open' : 'closed',
      ...(shift ? { number: shift.shiftNumber } : {}),
      ...(shiftMemory.open && shiftMemory.openedAt ? { openedAt: shiftMemory.openedAt, openedAtSource: 'observed' as const } : {}),
    };
  }

  if (fnStatus || validity) {
    facts.fn = {
      ...(fnStatus ? { serial: fnStatus.fnSerial, phase: fnStatus.phaseName.en, lastDocumentNumber: fnStatus.lastDocumentNumber, warnings: fnStatus.warningFlags } : {}),
      ...(validity?.validUntil ? { validUntil: wallToIso(`${validity.validUntil}T00:00:00`) } : {}),
      ...(validity ? { registrationsLeft: validity.registrationsLeft } : {}),
    };
  }

  const unsentCount = ofd?.unsentCount ?? unconfirmed?.count;
  if (unsentCount !== undefined) {
    const firstUnsentAt = ofd && unsentCount > 0 ? wallToIso(ofd.firstUnsentAt) : undefined;
    facts.ofd = {
      unsentCount,
      ...(ofd && unsentCount > 0 ? { firstUnsentNumber: ofd.firstUnsentNumber } : {}),
      ...(firstUnsentAt ? { firstUnsentAt } : {}),
      ...(ofd ? { connected: ofd.connected } : {}),
    };
  }

  const deviceType = valueOf(runs, 0xfc) ?? memory.deviceType;
  const identity: DeviceIdentity = {
    ...(deviceType?.name ? { model: deviceType.name } : {}),
    ...(full ? { serial: full.serial, firmware: full.firmware } : {}),
    ...(fnStatus?.fnSerial ? { fnSerial: fnStatus.fnSerial } : {}),
  };
  return {
    facts,
    ...(Object.keys(identity).length > 0 ? { identity } : {}),
    printer: printerState(short, errors.map((e) => e.error), flags),
    ...(shiftMemory ? { shiftMemory } : {}),
  };
}

/** Paper (flags bits 1 and 7, submodes 1 and 2, FR 0x6B/0x6C/0x58), cover (bit 10), cutter (0x71), mechanism (printer errors). */
export function printerState(short: ShortStatus | undefined, errors: readonly DeviceError[], flags: { paper: boolean; cover: boolean }): FiscalPrinterState {
  const errorCheck = (kind: DeviceError['kind']): PrinterCheck | undefined => {
    const found = errors.filter((e) => e.kind === kind);
    return found.length ? { ok: false, observed: found.map((e) => `error ${upperHex(e.code)}: ${e.text.en}`).join('; ') } : undefined;
  };
  const state: FiscalPrinterState = {};
  const paperError = errorCheck('paper');
  if (paperError) state.paper = paperError;
  else if (short) state.paper = paperCheck(short, flags.paper);
  if (short && flags.cover) {
    state.cover = short.flagBits.coverOpen ? { ok: false, observed: '0x10 flags bit 10 = 1: case cover up' } : { ok: true, observed: 'cover closed (0x10 flags bit 10 = 0)' };
  }
  const cutter = errorCheck('cutter');
  if (cutter) state.cutter = cutter;
  const mechanism = errorCheck('printer');
  if (mechanism) state.mechanism = mechanism;
  return state;
}

function paperCheck(short: ShortStatus, fromFlags: boolean): PrinterCheck {
  if (short.submode === 1) return { ok: false, observed: '0x10 submode 1: no paper' };
  if (short.submode === 2) return { ok: false, observed: '0x10 submode 2: no paper, waiting for paper to continue printing' };
  if (fromFlags && (!short.flagBits.receiptRoll || !short.flagBits.receiptOptical)) {
    const bits = [!short.flagBits.receiptRoll ? 'bit 1 = 0 (receipt roll low or absent)' : '', !short.flagBits.receiptOptical ? 'bit 7 = 0 (no paper at the optical sensor)' : ''].filter(Boolean);
    return { ok: false, observed: `0x10 flags ${bits.join(', ')}` };
  }
  return { ok: true, observed: `paper present (0x10 submode ${short.submode}${fromFlags ? ', flags bits 1 and 7 set' : ''})` };
}
