// The simulated printer's state and its byte-level behaviour. Pure: no sockets, no timers.
// Status bytes follow the Epson DLE EOT tables (docs/devices.md §1.1) and ASB (§1.3).
import { z } from 'zod';
import { answersAsb, answersDleEot, counterReply, DEFAULT_MODEL, gsIReply, type PrinterModel } from './models';

/** Faults the simulator can be put into. Each maps to the bits an Epson printer reports. */
export const PrinterFaults = z.object({
  paperNearEnd: z.boolean(),
  paperEnd: z.boolean(),
  coverOpen: z.boolean(),
  cutterError: z.boolean(),
  /** offline with no reported cause (n=1 bit 3 only) */
  offline: z.boolean(),
  recoverableError: z.boolean(),
  unrecoverableError: z.boolean(),
  autoRecoverableError: z.boolean(),
  /** the printer stays silent to DLE EOT (Star mode, wrong emulation, dead board) */
  noReply: z.boolean(),
  /** the printer answers DLE EOT with bytes that fail the 0xx1xx10 pattern */
  garbage: z.boolean(),
  /** delay before each DLE EOT reply, ms */
  slowReplyMs: z.number().int().min(0).max(60_000),
  /** drawer kick-out connector pin 3 HIGH (n=1 bit 2) */
  drawerHigh: z.boolean(),
  /**
   * ASB is on without anyone sending `GS a` (as after an Epson UB-E02 board sent `GS a 255`
   * itself, or a memory switch default): a frame when a connection opens, when this is switched
   * on, and whenever any status item changes. Off, ASB follows `GS a n` as received.
   */
  asb: z.boolean(),
  /** the printer ignores `GS a` and never sends ASB frames (a clone without Automatic Status Back) */
  noAsb: z.boolean(),
});
export type PrinterFaults = z.infer<typeof PrinterFaults>;

/** A partial update, as PUT /faults and setFaults() accept it. Unknown keys are an error. */
export const PrinterFaultsPatch = PrinterFaults.partial().strict();
export type PrinterFaultsPatch = z.infer<typeof PrinterFaultsPatch>;

export const HEALTHY_PRINTER: Readonly<PrinterFaults> = Object.freeze({
  paperNearEnd: false,
  paperEnd: false,
  coverOpen: false,
  cutterError: false,
  offline: false,
  recoverableError: false,
  unrecoverableError: false,
  autoRecoverableError: false,
  noReply: false,
  garbage: false,
  slowReplyMs: 0,
  drawerHigh: false,
  asb: false,
  noAsb: false,
});

/** What the sim sends for DLE EOT when `garbage` is on: all ones, then all zeros. */
export const GARBAGE_REPLY: readonly number[] = [0xff, 0x00];

const FIXED = 0x12; // 0xx1xx10: bits 1 and 4 set, 0 and 7 clear
const bit = (on: boolean, n: number) => (on ? 1 << n : 0);

function anyError(f: PrinterFaults): boolean {
  return f.cutterError || f.recoverableError || f.unrecoverableError || f.autoRecoverableError;
}

/** A real printer goes offline with the cover open, at paper end and on any error. */
export function isOffline(f: PrinterFaults): boolean {
  return f.offline || f.coverOpen || f.paperEnd || anyError(f);
}

/** The exact DLE EOT n reply byte for a state, n = 1..4. */
export function statusByte(f: PrinterFaults, n: 1 | 2 | 3 | 4): number {
  switch (n) {
    case 1:
      return FIXED | bit(f.drawerHigh, 2) | bit(isOffline(f), 3);
    case 2:
      return FIXED | bit(f.coverOpen, 2) | bit(f.paperEnd, 5) | bit(anyError(f), 6);
    case 3:
      return FIXED | bit(f.recoverableError, 2) | bit(f.cutterError, 3) | bit(f.unrecoverableError, 5) | bit(f.autoRecoverableError, 6);
    case 4:
      // No near-end sensor fitted means bits 2,3 stay 0; paper end alone is 0x72 as in python-escpos#143.
      return FIXED | (f.paperNearEnd ? 0x0c : 0) | (f.paperEnd ? 0x60 : 0);
  }
}

/**
 * The 4-byte ASB frame (docs/devices.md §1.3) for a state: byte 1 `0xx1xx00` (bit 2 drawer pin 3
 * HIGH, 3 offline, 5 cover open), byte 2 `0xx0xxxx` (bit 2 recoverable, 3 auto-cutter, 5
 * unrecoverable, 6 auto-recoverable error), byte 3 `0xx0xxxx` (bits 0,1 near end, bits 2,3 paper
 * end), byte 4 reserved (0). FEED button bits are not simulated.
 */
export function asbFrame(f: PrinterFaults): number[] {
  const first = 0x10 | bit(f.drawerHigh, 2) | bit(isOffline(f), 3) | bit(f.coverOpen, 5);
  const second = bit(f.recoverableError, 2) | bit(f.cutterError, 3) | bit(f.unrecoverableError, 5) | bit(f.autoRecoverableError, 6);
  const third = (f.paperNearEnd ? 0x03 : 0) | (f.paperEnd ? 0x0c : 0);
  return [first, second, third, 0x00];
}

/** The `GS a n` enable-mask items (docs/devices.md §1.3). */
export const ASB_ITEMS = { drawer: 1 << 0, onlineOffline: 1 << 1, error: 1 << 2, rollPaper: 1 << 3, panelSwitch: 1 << 6 } as const;

/**
 * Which `GS a` items changed between two states, as a mask. The cover counts under online/offline:
 * its bit sits in byte 1 with the offline bit, and opening it takes the printer offline [I].
 */
export function asbItemsChanged(before: PrinterFaults, after: PrinterFaults): number {
  const differs = (pick: (f: PrinterFaults) => unknown) => pick(before) !== pick(after);
  return (
    (differs((f) => f.drawerHigh) ? ASB_ITEMS.drawer : 0) |
    (differs((f) => isOffline(f)) || differs((f) => f.coverOpen) ? ASB_ITEMS.onlineOffline : 0) |
    (differs((f) => asbFrame(f)[1]) ? ASB_ITEMS.error : 0) |
    (differs((f) => asbFrame(f)[2]) ? ASB_ITEMS.rollPaper : 0)
  );
}

/**
 * The printer's ASB setting: one per printer, whichever connection sent `GS a` (a real printer
 * has one mask, not one per host connection).
 */
export interface AsbSetting {
  /** the last `GS a n` received, 0 = off (the power-on default of most models) */
  mask: number;
}

/** The items that send a frame on change in this state; 0 when the printer sends no ASB at all. */
export function effectiveAsbMask(f: PrinterFaults, setting: AsbSetting, model: PrinterModel = DEFAULT_MODEL): number {
  if (f.noAsb || f.noReply || !answersAsb(model)) return 0;
  return f.asb ? 0xff : setting.mask;
}

export interface ResponderStats {
  bytesReceived: number;
  /** DLE EOT requests recognised, answered or not */
  statusQueries: number;
  /** DLE EOT requests answered (with a valid or a garbage byte) */
  repliesSent: number;
  /** `GS a n` commands recognised, obeyed or not */
  asbCommands: number;
  /** `GS I n` and `GS g 2` requests recognised, answered or not */
  idRequests: number;
}

/** One reply the simulator must send, after `delayMs`: a DLE EOT reply, or the ASB frame `GS a` sends. */
export interface PlannedReply {
  bytes: number[];
  delayMs: number;
  query: 1 | 2 | 3 | 4 | 'asb' | 'gsI' | 'counter';
}

/**
 * The printer's inbound parser for one connection. It acts on `10 04 n` wherever it appears,
 * even split across chunks or inside other data (real printers execute DLE EOT on receipt, even
 * inside raster data), on `1D 61 n` (GS a n: sets the printer's ASB mask and, for n ≠ 0, answers
 * with one frame, as "once on enabling" in docs/devices.md §1.3), on `1D 49 n` (GS I) and
 * `1D 67 32 m nL nH` (GS g 2), as its model answers them; every other byte (ENQ included) is
 * swallowed as print data. A real printer runs `GS a`, `GS I` and `GS g 2` in receive-buffer
 * order, after queued print data, and not while offline; the simulator has no print queue, so it
 * runs them at once, and answers GS I / GS g 2 only while online [I].
 */
export class PrinterResponder {
  private pending: number[] = [];
  /** bytes still to come of a GS g 2 m nL nH */
  private counterArgs: number[] | undefined;
  readonly stats: ResponderStats = { bytesReceived: 0, statusQueries: 0, repliesSent: 0, asbCommands: 0, idRequests: 0 };

  constructor(
    private readonly faults: () => PrinterFaults,
    private readonly asb: AsbSetting = { mask: 0 },
    private readonly model: () => PrinterModel = () => DEFAULT_MODEL,
  ) {}

  /** Feeds received bytes; returns the replies to send, in order. */
  receive(chunk: Uint8Array): PlannedReply[] {
    this.stats.bytesReceived += chunk.length;
    const replies: PlannedReply[] = [];
    for (const byte of chunk) {
      const reply = this.receiveByte(byte);
      if (reply) replies.push(reply);
    }
    return replies;
  }

  private receiveByte(byte: number): PlannedReply | undefined {
    if (this.counterArgs) {
      this.counterArgs.push(byte);
      if (this.counterArgs.length < 3) return undefined;
      const [, nL, nH] = this.counterArgs as [number, number, number];
      this.counterArgs = undefined;
      return this.online(counterReply(this.model(), nL + nH * 256), 'counter');
    }
    this.pending.push(byte);
    if (this.pending.length > 3) this.pending.shift();
    const [a, b, n] = this.pending;
    if (this.pending.length < 3 || a === undefined || b === undefined || n === undefined) return undefined;
    if (a === 0x10 && b === 0x04 && (n === 1 || n === 2 || n === 3 || n === 4)) {
      this.pending = [];
      this.stats.statusQueries += 1;
      return this.answer(n);
    }
    if (a !== 0x1d || (b !== 0x61 && b !== 0x49 && !(b === 0x67 && n === 0x32))) return undefined;
    this.pending = [];
    if (b === 0x61) {
      this.stats.asbCommands += 1;
      return this.setAsb(n);
    }
    this.stats.idRequests += 1;
    if (b === 0x67) this.counterArgs = [];
    return b === 0x49 ? this.online(gsIReply(this.model(), n), 'gsI') : undefined;
  }

  /** A buffered request's reply: only while online and answering at all. */
  private online(bytes: number[] | undefined, query: 'gsI' | 'counter'): PlannedReply | undefined {
    const f = this.faults();
    if (!bytes || f.noReply || isOffline(f)) return undefined;
    this.stats.repliesSent += 1;
    return { query, delayMs: f.slowReplyMs, bytes };
  }

  private setAsb(mask: number): PlannedReply | undefined {
    const f = this.faults();
    if (f.noAsb || f.noReply || !answersAsb(this.model())) return undefined;
    this.asb.mask = mask;
    return mask === 0 ? undefined : { query: 'asb', delayMs: 0, bytes: asbFrame(f) };
  }

  private answer(n: 1 | 2 | 3 | 4): PlannedReply | undefined {
    const f = this.faults();
    if (f.noReply || !answersDleEot(this.model(), n)) return undefined;
    this.stats.repliesSent += 1;
    return { query: n, delayMs: f.slowReplyMs, bytes: f.garbage ? [...GARBAGE_REPLY] : [statusByte(f, n)] };
  }
}

/** Applies a validated patch; "reset" is `applyFaults(HEALTHY_PRINTER, {})`. */
export function applyFaults(current: PrinterFaults, patch: PrinterFaultsPatch): PrinterFaults {
  return { ...current, ...patch };
}
