// Shtrih-M protocol, the byte layer: control bytes, frames (STX LEN CMD DATA LRC), the LRC, the
// read-only request allow-list, and a streaming reader that turns the inbound bytes into control
// bytes and checked frames. Pure: bytes in, values out, no I/O, no clock.
// Facts: docs/devices.md §3.1 (javapos PrinterProtocol_1, pyshtrih protocol.py).

export const STX = 0x02;
export const ENQ = 0x05;
export const ACK = 0x06;
export const NAK = 0x15;
/** Filler the device may send between control bytes; skipped wherever a control byte or STX is awaited. */
export const FILLER = 0xff;

/** LEN counts CMD + DATA and is one byte. */
export const MAX_PAYLOAD = 255;

/**
 * The only commands the agent may send: status and FN reads that change nothing and print
 * nothing (devices.md §3.1, issue 8 "never a fiscal operation"). The list is the type: a request
 * for any other code does not compile, and `requestFrame` refuses it at run time as well.
 */
export const ALLOWED_COMMANDS = [0x10, 0x11, 0xfc, 0xff01, 0xff03, 0xff39, 0xff3f, 0xff40] as const;
export type AllowedCommand = (typeof ALLOWED_COMMANDS)[number];

export function isAllowedCommand(code: number): code is AllowedCommand {
  return (ALLOWED_COMMANDS as readonly number[]).includes(code);
}

/** What each allowed command is, for evidence labels. */
export const COMMAND_LABELS: Readonly<Record<AllowedCommand, string>> = {
  0x10: '0x10 short status',
  0x11: '0x11 full status',
  0xfc: '0xFC device type',
  0xff01: '0xFF01 FN status',
  0xff03: '0xFF03 FN validity',
  0xff39: '0xFF39 OFD exchange status',
  0xff3f: '0xFF3F FDs without OFD receipt',
  0xff40: '0xFF40 shift parameters',
};

/**
 * The system administrator password of javapos (`sysPassword = 30`) and pyshtrih
 * (`DEFAULT_ADMIN_PASSWORD = 30`) [V]. A register configured otherwise answers FR error 0x4F.
 */
export const DEFAULT_PASSWORD = 30;

/** 0xFC takes no password (pyshtrih `command_nopass(0xFC)`, javapos ReadDeviceMetrics encodes nothing). */
function takesPassword(command: AllowedCommand): boolean {
  return command !== 0xfc;
}

/** "0x4F", "0x0010" (width 4): how Shtrih-M codes, error bytes and flags are quoted (upper case, as the vendor's tables write them). */
export function upperHex(value: number, width = 2): string {
  return `0x${value.toString(16).toUpperCase().padStart(width, '0')}`;
}

/** "0x10", "0xFF01": how a command code is written in evidence and findings. */
export function commandName(code: number): string {
  return upperHex(code);
}

/** A command code as it goes on the wire: one byte, or 0xFF then the second byte. */
export function commandBytes(code: number): number[] {
  return code > 0xff ? [(code >> 8) & 0xff, code & 0xff] : [code & 0xff];
}

/** The XOR of LEN and every CMD/DATA byte. */
export function lrc(payload: Uint8Array | readonly number[]): number {
  let sum = payload.length & 0xff;
  for (const byte of payload) sum ^= byte & 0xff;
  return sum;
}

/**
 * STX LEN payload LRC, where payload = CMD (1 or 2 bytes) + DATA. Throws RangeError for an empty
 * payload or one over 255 bytes: a programming error, never device input.
 */
export function encodeFrame(payload: Uint8Array | readonly number[]): Uint8Array {
  if (payload.length === 0 || payload.length > MAX_PAYLOAD) throw new RangeError(`a frame carries 1..${MAX_PAYLOAD} bytes, not ${payload.length}`);
  return Uint8Array.from([STX, payload.length, ...Array.from(payload, (b) => b & 0xff), lrc(payload)]);
}

/** A password as 4 bytes little-endian. RangeError outside 0..2³²−1. */
export function passwordBytes(password: number): number[] {
  if (!Number.isInteger(password) || password < 0 || password > 0xffff_ffff) throw new RangeError(`a password is a whole number 0..4294967295, not ${password}`);
  return [password & 0xff, (password >>> 8) & 0xff, (password >>> 16) & 0xff, (password >>> 24) & 0xff];
}

/** Thrown by requestFrame for a code outside the allow-list (which the type already forbids). */
export class CommandNotAllowedError extends Error {
  constructor(readonly code: number) {
    super(`command ${commandName(code)} is not on the read-only allow-list; the agent never sends it`);
    this.name = 'CommandNotAllowedError';
  }
}

/**
 * The one function that builds a request frame. `password` (default 30) is sent with every
 * command but 0xFC. The run-time guard is for callers that got past the type (casts, JSON).
 */
export function requestFrame(command: AllowedCommand, password: number = DEFAULT_PASSWORD): Uint8Array {
  if (!isAllowedCommand(command)) throw new CommandNotAllowedError(command);
  return encodeFrame([...commandBytes(command), ...(takesPassword(command) ? passwordBytes(password) : [])]);
}

/** A frame's command code: the first payload byte, or 0xFF and the second. Undefined if too short. */
export function frameCommand(payload: Uint8Array): { code: number; size: 1 | 2 } | undefined {
  const first = payload[0];
  if (first === undefined) return undefined;
  if (first !== 0xff) return { code: first, size: 1 };
  const second = payload[1];
  return second === undefined ? undefined : { code: 0xff00 | second, size: 2 };
}

// ---------------------------------------------------------------------------------------------
// The inbound stream.

/**
 * What the reader makes of the inbound bytes:
 * - `control`: an ACK or NAK outside a frame;
 * - `frame`: STX LEN payload LRC, complete; `lrcOk` false when the LRC does not match (the host
 *   answers NAK and asks again, it never reads such a payload);
 * - `garbage`: bytes that are neither, in the order they came (an empty LEN, a frame cut short by
 *   `abandonFrame`, stray bytes). Fillers (0xFF) outside a frame are counted, not reported.
 */
export type ReaderEvent =
  | { type: 'control'; byte: typeof ACK | typeof NAK }
  | { type: 'frame'; payload: Uint8Array; lrcOk: boolean; raw: Uint8Array }
  | { type: 'garbage'; bytes: Uint8Array };

/**
 * Incremental reader over the inbound bytes of one connection. Frames may arrive split across
 * reads in any way; 0xFF fillers may precede control bytes and frames. Inside a frame every byte
 * counts (0xFF is a valid data byte). A frame that stops arriving is ended by the caller with
 * `abandonFrame()` when its byte timeout passes (the reader has no clock): its bytes become
 * garbage and the next STX starts afresh. Never throws, whatever it is fed.
 */
export class FrameReader {
  private frame: number[] = [];
  /** LEN of the frame in progress, once read */
  private length = -1;
  /** fillers skipped so far */
  fillers = 0;

  /** True while a frame has started and not ended: the caller times the gap between its bytes. */
  get inFrame(): boolean {
    return this.frame.length > 0;
  }

  push(chunk: Uint8Array | readonly number[]): ReaderEvent[] {
    const events: ReaderEvent[] = [];
    let garbage: number[] = [];
    const flushGarbage = () => {
      if (garbage.length === 0) return;
      events.push({ type: 'garbage', bytes: Uint8Array.from(garbage) });
      garbage = [];
    };
    for (const raw of chunk) {
      const byte = raw & 0xff;
      if (this.frame.length > 0) {
        const done = this.pushFrameByte(byte);
        if (done) {
          flushGarbage();
          events.push(done);
        }
        continue;
      }
      if (byte === STX) {
        this.frame = [STX];
        this.length = -1;
      } else if (byte === ACK || byte === NAK) {
        flushGarbage();
        events.push({ type: 'control', byte });
      } else if (byte === FILLER) this.fillers += 1;
      else garbage.push(byte);
    }
    flushGarbage();
    return events;
  }

  /** Ends a frame in progress as garbage (its byte timeout passed). Undefined when none is. */
  abandonFrame(): ReaderEvent | undefined {
    if (this.frame.length === 0) return undefined;
    const bytes = Uint8Array.from(this.frame);
    this.frame = [];
    this.length = -1;
    return { type: 'garbage', bytes };
  }

  private pushFrameByte(byte: number): ReaderEvent | undefined {
    this.frame.push(byte);
    if (this.length < 0) {
      if (byte === 0) return this.abandonFrame(); // LEN 0: no command byte, not a frame
      this.length = byte;
      return undefined;
    }
    // STX LEN payload LRC
    if (this.frame.length < this.length + 3) return undefined;
    const raw = Uint8Array.from(this.frame);
    const payload = raw.slice(2, 2 + this.length);
    this.frame = [];
    this.length = -1;
    return { type: 'frame', payload, lrcOk: lrc(payload) === raw[raw.length - 1], raw };
  }
}
