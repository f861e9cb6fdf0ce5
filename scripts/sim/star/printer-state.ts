// The simulated Star printer (line mode, TSP100/TSP650-like): its faults, the automatic status
// frame they give, and its inbound parser. Pure: no sockets, no timers. Byte layout: Star Line
// Mode Command Specifications as summarised in docs/devices.md §1.7.
import { z } from 'zod';

/** Faults the simulator can be put into; each maps to the frame bits a Star printer reports. */
export const StarFaults = z.object({
  paperEnd: z.boolean(),
  /** inner near-end sensor (byte 6 bit 2) */
  paperNearEnd: z.boolean(),
  coverOpen: z.boolean(),
  cutterError: z.boolean(),
  /** byte 4 bit 2 */
  mechanicalError: z.boolean(),
  unrecoverableError: z.boolean(),
  /** stopped by head high temperature (byte 4 bit 6) */
  headOverheat: z.boolean(),
  /** offline with no cause reported (byte 3 bit 3 only) */
  offline: z.boolean(),
  /** silent to every request (wrong emulation, dead board) */
  noReply: z.boolean(),
  /** answers ESC ACK SOH with bytes that fail every frame pattern */
  garbage: z.boolean(),
  /** delay before each answer, ms */
  slowReplyMs: z.number().int().min(0).max(60_000),
  /**
   * Automatic status on (as with `ESC RS a n` or the memory switch): a frame when a connection
   * opens, when this is switched on, and whenever the status changes. Requests received while it is
   * on are counted (`requestsWhileAutomatic`): Star forbids them.
   */
  automaticStatus: z.boolean(),
});
export type StarFaults = z.infer<typeof StarFaults>;

/** A partial update, as PUT /faults and setFaults() accept it. Unknown keys are an error. */
export const StarFaultsPatch = StarFaults.partial().strict();
export type StarFaultsPatch = z.infer<typeof StarFaultsPatch>;

export const HEALTHY_STAR: Readonly<StarFaults> = Object.freeze({
  paperEnd: false,
  paperNearEnd: false,
  coverOpen: false,
  cutterError: false,
  mechanicalError: false,
  unrecoverableError: false,
  headOverheat: false,
  offline: false,
  noReply: false,
  garbage: false,
  slowReplyMs: 0,
  automaticStatus: false,
});

export function applyStarFaults(current: StarFaults, patch: StarFaultsPatch): StarFaults {
  return { ...current, ...patch };
}

/** What the sim sends for ESC ACK SOH when `garbage` is on: no byte has a frame pattern in place. */
export const STAR_GARBAGE: readonly number[] = [0xff, 0x80, 0x13, 0xfe];

/**
 * Frame layouts by status version: header 1 carries the length in bits 1-3 and 5, header 2 the
 * version the same way (§1.7: ver.1 = 0x02, ver.2 = 0x04). Version 1 here is 7 bytes, version 2
 * 9 bytes: the lengths are the simulator's choice, built with the driver's [I] length rule.
 */
export const STAR_FRAME_LAYOUTS = {
  1: { header1: 0x0f, header2: 0x02, length: 7 },
  2: { header1: 0x23, header2: 0x04, length: 9 },
} as const;
export type StarStatusVersion = keyof typeof STAR_FRAME_LAYOUTS;

const bit = (on: boolean, n: number) => (on ? 1 << n : 0);

/** A real printer stops printing with the cover open, at paper end and on any error. */
export function isOffline(f: StarFaults): boolean {
  return f.offline || f.coverOpen || f.paperEnd || f.cutterError || f.mechanicalError || f.unrecoverableError || f.headOverheat;
}

/** The automatic status frame for a state, byte for byte (§1.7); bytes 5, 7 and up stay 0. */
export function statusFrame(f: StarFaults, version: StarStatusVersion = 2): number[] {
  const layout = STAR_FRAME_LAYOUTS[version];
  const frame = new Array<number>(layout.length).fill(0);
  frame[0] = layout.header1;
  frame[1] = layout.header2;
  frame[2] = bit(isOffline(f), 3) | bit(f.coverOpen, 5);
  frame[3] = bit(f.mechanicalError, 2) | bit(f.cutterError, 3) | bit(f.unrecoverableError, 5) | bit(f.headOverheat, 6);
  frame[5] = bit(f.paperNearEnd, 2) | bit(f.paperEnd, 3);
  return frame;
}

export interface StarResponderStats {
  bytesReceived: number;
  /** ESC ACK SOH requests recognised */
  statusRequests: number;
  /** ESC ACK SOH received while automatic status was on (Star forbids it) */
  requestsWhileAutomatic: number;
  /** DLE EOT n received: never answered (Star mode, python-escpos#434) */
  dleEotIgnored: number;
}

export interface PlannedAnswer {
  bytes: number[];
  delayMs: number;
}

/**
 * The printer's inbound parser for one stream: acts on `1B 06 01` wherever it appears (split
 * across chunks too), counts `10 04 n` and never answers it; every other byte is print data.
 */
export class StarResponder {
  private recent: number[] = [];
  readonly stats: StarResponderStats = { bytesReceived: 0, statusRequests: 0, requestsWhileAutomatic: 0, dleEotIgnored: 0 };

  constructor(
    private readonly faults: () => StarFaults,
    private readonly version: StarStatusVersion = 2,
  ) {}

  receive(chunk: Uint8Array): PlannedAnswer[] {
    this.stats.bytesReceived += chunk.length;
    const answers: PlannedAnswer[] = [];
    for (const byte of chunk) {
      this.recent.push(byte);
      if (this.recent.length > 3) this.recent.shift();
      const [a, b, c] = this.recent;
      if (a === 0x1b && b === 0x06 && c === 0x01) {
        this.recent = [];
        const answer = this.answer();
        if (answer) answers.push(answer);
      } else if (a === 0x10 && b === 0x04 && c !== undefined) {
        this.recent = [];
        this.stats.dleEotIgnored += 1;
      }
    }
    return answers;
  }

  private answer(): PlannedAnswer | undefined {
    const f = this.faults();
    this.stats.statusRequests += 1;
    if (f.automaticStatus) this.stats.requestsWhileAutomatic += 1;
    if (f.noReply) return undefined;
    return { delayMs: f.slowReplyMs, bytes: f.garbage ? [...STAR_GARBAGE] : statusFrame(f, this.version) };
  }
}
