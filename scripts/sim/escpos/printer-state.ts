// The simulated printer's state and its byte-level behaviour. Pure: no sockets, no timers.
// Status bytes follow the Epson DLE EOT tables (docs/devices.md §1.1) and ASB (§1.3).
import { z } from 'zod';

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
   * The printer sends Automatic Status Back frames unasked: one when a connection opens and one
   * whenever the state changes, as an Epson UB-E02 board that enabled `GS a 255` itself does.
   */
  asb: z.boolean(),
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

/** The 4-byte ASB frame (docs/devices.md §1.3) for a state. */
export function asbFrame(f: PrinterFaults): number[] {
  const first = 0x10 | bit(f.drawerHigh, 2) | bit(isOffline(f), 3) | bit(f.coverOpen, 5);
  const second = bit(f.recoverableError, 2) | bit(f.cutterError, 3) | bit(f.unrecoverableError, 5) | bit(f.autoRecoverableError, 6);
  const third = (f.paperNearEnd ? 0x03 : 0) | (f.paperEnd ? 0x0c : 0);
  return [first, second, third, 0x00];
}

export interface ResponderStats {
  bytesReceived: number;
  /** DLE EOT requests recognised, answered or not */
  statusQueries: number;
  /** DLE EOT requests answered (with a valid or a garbage byte) */
  repliesSent: number;
}

/** One reply the simulator must send, after `delayMs`. */
export interface PlannedReply {
  bytes: number[];
  delayMs: number;
  query: 1 | 2 | 3 | 4;
}

/**
 * The printer's inbound parser for one connection. It acts on `10 04 n` wherever it appears,
 * even split across chunks or inside other data (real printers execute DLE EOT on receipt, even
 * inside raster data), and swallows every other byte as print data.
 */
export class PrinterResponder {
  private pending: number[] = [];
  readonly stats: ResponderStats = { bytesReceived: 0, statusQueries: 0, repliesSent: 0 };

  constructor(private readonly faults: () => PrinterFaults) {}

  /** Feeds received bytes; returns the replies to send, in order. */
  receive(chunk: Uint8Array): PlannedReply[] {
    this.stats.bytesReceived += chunk.length;
    const replies: PlannedReply[] = [];
    for (const byte of chunk) {
      this.pending.push(byte);
      if (this.pending.length > 3) this.pending.shift();
      const [a, b, n] = this.pending;
      if (this.pending.length === 3 && a === 0x10 && b === 0x04 && (n === 1 || n === 2 || n === 3 || n === 4)) {
        this.pending = [];
        this.stats.statusQueries += 1;
        const reply = this.answer(n);
        if (reply) replies.push(reply);
      }
    }
    return replies;
  }

  private answer(n: 1 | 2 | 3 | 4): PlannedReply | undefined {
    const f = this.faults();
    if (f.noReply) return undefined;
    this.stats.repliesSent += 1;
    return { query: n, delayMs: f.slowReplyMs, bytes: f.garbage ? [...GARBAGE_REPLY] : [statusByte(f, n)] };
  }
}

/** Applies a validated patch; "reset" is `applyFaults(HEALTHY_PRINTER, {})`. */
export function applyFaults(current: PrinterFaults, patch: PrinterFaultsPatch): PrinterFaults {
  return { ...current, ...patch };
}
