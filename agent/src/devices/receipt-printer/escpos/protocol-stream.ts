// The one state machine over everything an ESC/POS printer sends back (docs/devices.md §1.5,
// Epson Appendix G / Citizen "Identification of Send Status"). Pure: bytes in, items out, no clock.
import { MAX_DISCARDED_BYTES } from '../../common/hex';

export const XON = 0x11;
export const XOFF = 0x13;
/** Block data headers: `5F` "printer information B" (GS I 65..69), `3D` "printer information A". */
export const BLOCK_HEADERS = [0x5f, 0x3d] as const;
/**
 * Longest block data (between header and NUL) taken as a block. Epson's examples are a few
 * characters ("_1.28", "_EPSON"); 80 leaves room for long model names and serials [I]. A longer
 * run is garbage, so a stray header cannot swallow the line.
 */
export const MAX_BLOCK_DATA = 80;

// Identification patterns: bits 0, 1, 4 and 7 are fixed (bits 4 and 7 for the 0xx0xxxx group).
const FIXED_BITS_MASK = 0b1001_0011;
const REAL_TIME_STATUS_PATTERN = 0b0001_0010; // 0xx1xx10
const ASB_FIRST_BYTE_PATTERN = 0b0001_0000; // 0xx1xx00
const NEXT_BYTE_MASK = 0b1001_0000;

/** True for a byte with the real-time status pattern 0xx1xx10 (a DLE EOT reply). */
export function isRealTimeStatusByte(byte: number): boolean {
  return (byte & FIXED_BITS_MASK) === REAL_TIME_STATUS_PATTERN;
}

/** True for the first byte of an ASB frame, 0xx1xx00. */
export function isAsbFirstByte(byte: number): boolean {
  return (byte & FIXED_BITS_MASK) === ASB_FIRST_BYTE_PATTERN;
}

/** True for 0xx0xxxx: ASB bytes 2..4, and the 1-byte GS I / GS r replies. */
export function isAsbNextByte(byte: number): boolean {
  return (byte & NEXT_BYTE_MASK) === 0;
}

const isPrintable = (byte: number) => byte >= 0x20 && byte <= 0x7e;
const isBlockHeader = (byte: number) => byte === BLOCK_HEADERS[0] || byte === BLOCK_HEADERS[1];

/**
 * What the stream made of the bytes; `at` are the stream positions (0-based, counted since the
 * stream was made) of the item's own bytes, for evidence.
 * - `status`: a DLE EOT reply (0xx1xx10), also when it arrives inside an ASB frame;
 * - `asb`: an Automatic Status Back frame (0xx1xx00 then three 0xx0xxxx, XON/XOFF skipped inside);
 * - `flow`: XON or XOFF;
 * - `byte`: a 0xx0xxxx byte outside a frame: a 1-byte GS I or GS r reply (or a stray byte);
 * - `block`: header, printable ASCII, NUL (GS I 65..69 replies), only when blocks are on;
 * - `garbage`: bytes that fit no pattern, a broken frame, an over-long or broken block.
 */
export type StreamItem =
  | { kind: 'status'; byte: number; at: number[] }
  | { kind: 'asb'; frame: readonly [number, number, number, number]; at: number[] }
  | { kind: 'flow'; byte: number; at: number[] }
  | { kind: 'byte'; byte: number; at: number[] }
  | { kind: 'block'; header: number; text: string; at: number[] }
  | { kind: 'garbage'; bytes: number[]; at: number[] };

type State = { in: 'idle' } | { in: 'frame'; bytes: number[]; at: number[] } | { in: 'block'; bytes: number[]; at: number[] };

export interface EscPosStreamOptions {
  /**
   * Recognise block data (`5F`/`3D` … `00`). On for a probe that asks GS I; off for the ASB watch,
   * where a stray `5F` in noise must not swallow the next frame's first bytes.
   */
  blocks: boolean;
}

/**
 * Splits the inbound byte stream into items, whatever the chunking. Never throws; every byte ends
 * up in exactly one item (or in `pending()` until its frame or block is complete or broken).
 * A byte that breaks a frame or block is looked at afresh: it may start the next item.
 * Garbage can still form a well-patterned frame or status byte by chance: callers take a status
 * only while a reply is expected and treat anything unparsed as unknown, never as OK.
 */
export class EscPosStream {
  private state: State = { in: 'idle' };
  private position = 0;

  constructor(private readonly options: EscPosStreamOptions = { blocks: false }) {}

  push(chunk: Uint8Array | readonly number[]): StreamItem[] {
    const items: StreamItem[] = [];
    for (const byte of chunk) this.pushByte(byte & 0xff, this.position++, items);
    return items;
  }

  /** The bytes of an unfinished frame or block, as garbage (a new connection starts clean). */
  flush(): StreamItem[] {
    const state = this.state;
    this.state = { in: 'idle' };
    return state.in === 'idle' ? [] : [{ kind: 'garbage', bytes: state.bytes, at: state.at }];
  }

  private pushByte(byte: number, at: number, items: StreamItem[]): void {
    if (this.state.in === 'frame' && this.continueFrame(this.state, byte, at, items)) return;
    if (this.state.in === 'block' && this.continueBlock(this.state, byte, at, items)) return;
    this.startItem(byte, at, items);
  }

  /** Inside an ASB frame; false when the byte broke it (it then starts afresh). */
  private continueFrame(frame: { bytes: number[]; at: number[] }, byte: number, at: number, items: StreamItem[]): boolean {
    if (byte === XON || byte === XOFF) items.push({ kind: 'flow', byte, at: [at] });
    else if (isRealTimeStatusByte(byte)) items.push({ kind: 'status', byte, at: [at] });
    else if (isAsbNextByte(byte)) {
      frame.bytes.push(byte);
      frame.at.push(at);
      if (frame.bytes.length === 4) {
        const [a, b, c, d] = frame.bytes as [number, number, number, number];
        items.push({ kind: 'asb', frame: [a, b, c, d], at: frame.at });
        this.state = { in: 'idle' };
      }
    } else {
      items.push(...this.flush());
      return false;
    }
    return true;
  }

  /** Inside block data; false when the byte broke it (it then starts afresh). */
  private continueBlock(block: { bytes: number[]; at: number[] }, byte: number, at: number, items: StreamItem[]): boolean {
    if (byte === XON || byte === XOFF) {
      items.push({ kind: 'flow', byte, at: [at] });
      return true;
    }
    if (byte === 0x00) {
      const [header, ...data] = block.bytes as [number, ...number[]];
      items.push({ kind: 'block', header, text: String.fromCharCode(...data), at: [...block.at, at] });
      this.state = { in: 'idle' };
      return true;
    }
    if (isPrintable(byte) && block.bytes.length <= MAX_BLOCK_DATA) {
      block.bytes.push(byte);
      block.at.push(at);
      return true;
    }
    items.push(...this.flush());
    return false;
  }

  private startItem(byte: number, at: number, items: StreamItem[]): void {
    if (byte === XON || byte === XOFF) items.push({ kind: 'flow', byte, at: [at] });
    else if (isRealTimeStatusByte(byte)) items.push({ kind: 'status', byte, at: [at] });
    else if (isAsbFirstByte(byte)) this.state = { in: 'frame', bytes: [byte], at: [at] };
    else if (isAsbNextByte(byte)) items.push({ kind: 'byte', byte, at: [at] });
    else if (this.options.blocks && isBlockHeader(byte)) this.state = { in: 'block', bytes: [byte], at: [at] };
    else items.push({ kind: 'garbage', bytes: [byte], at: [at] });
  }
}

/** What a reader waits for: a DLE EOT reply, a 1-byte GS I reply, or a GS I block. */
export type Expected = 'status' | 'byte' | 'block';
export type Reply = Extract<StreamItem, { kind: Expected }>;

/** One exchange's take: the reply (if any) and every other byte in arrival order, bounded. */
export interface ReaderTake {
  reply: Reply | null;
  discarded: Uint8Array;
}

/**
 * One request at a time over the stream: `expect(kind)`, write the request, `push()` each chunk
 * until `hasReply` (or a timeout), then `take()`. Only the first item of the expected kind that
 * completes while expected is the reply; everything else (ASB frames, XON/XOFF, stale or late
 * replies, garbage) is set aside, in arrival order, as discarded evidence (the first
 * MAX_DISCARDED_BYTES). `onItem` sees every item (the ASB watch takes its frames from here).
 */
export class StreamReader {
  private readonly stream: EscPosStream;
  private expected: Expected | undefined;
  private reply: Reply | null = null;
  /** bytes of this take in arrival order, with their positions; bounded */
  private raw: { at: number; byte: number }[] = [];
  private position = 0;

  constructor(options: EscPosStreamOptions = { blocks: false }, private readonly onItem?: (item: StreamItem) => void) {
    this.stream = new EscPosStream(options);
  }

  get hasReply(): boolean {
    return this.reply !== null;
  }

  expect(kind: Expected): void {
    this.expected = this.reply === null ? kind : undefined;
  }

  push(chunk: Uint8Array | readonly number[]): void {
    const first = this.position;
    for (let i = 0; i < chunk.length && this.raw.length < MAX_DISCARDED_BYTES + MAX_BLOCK_DATA + 2; i += 1) {
      this.raw.push({ at: first + i, byte: chunk[i]! & 0xff });
    }
    this.position += chunk.length;
    for (const item of this.stream.push(chunk)) {
      this.onItem?.(item);
      if (this.reply === null && item.kind === this.expected) {
        this.reply = item as Reply;
        this.expected = undefined;
      }
    }
  }

  take(): ReaderTake {
    const mine = new Set(this.reply?.at ?? []);
    const discarded = this.raw.filter((entry) => !mine.has(entry.at)).slice(0, MAX_DISCARDED_BYTES);
    const result = { reply: this.reply, discarded: Uint8Array.from(discarded, (entry) => entry.byte) };
    this.reply = null;
    this.raw = [];
    this.expected = undefined;
    return result;
  }
}
