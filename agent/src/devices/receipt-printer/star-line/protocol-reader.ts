// The inbound stream of a Star printer in line mode, split into automatic status frames and
// everything else (XON/XOFF, stale or broken frames, line noise). Pure: bytes in, frames out.
import type { Exchange } from '@tillscope/shared';
import { MAX_DISCARDED_BYTES, toHex } from '../../common/hex';
import { decodeStarFrame, frameLengthOf, isFrameDataByte, isHeader1, MIN_FRAME_LENGTH, STATUS_REQUEST, STATUS_REQUEST_LABEL, XOFF, XON } from './protocol';

/** A complete frame as it arrived, and whether it came while a request was outstanding. */
export interface ReadFrame {
  bytes: number[];
  solicited: boolean;
  /**
   * Bytes with the frame-data pattern 0**0***0 that came straight after the frame, before any
   * other byte: header 1's length [I] did not fit what the printer sent.
   */
  overrun: number;
}

/**
 * Incremental reader over one probe's inbound stream (docs/devices.md §1.7 "Status
 * identification"):
 * - header 1 (`0**0***1`) starts a frame whose length it gives; the next length-1 bytes must each
 *   match `0**0***0`; XON (0x11) and XOFF (0x13) may sit anywhere and never belong to a frame
 *   (bit 4 is set in both);
 * - a byte that breaks a frame ends it: the partial frame is discarded and the byte is read anew;
 * - a frame completed while no request is outstanding is unsolicited (automatic status is on,
 *   or a stale answer to an earlier request): it is kept apart, never taken as the answer;
 * - every byte that is not part of a complete frame is discarded (the first MAX_DISCARDED_BYTES
 *   are kept as evidence). Garbage never becomes a frame.
 *
 * Usage: `expectReply()` right before writing the request, `push()` every chunk until
 * `hasReply`, then `take()`.
 */
export class StarStatusReader {
  private awaiting = false;
  private partial: number[] = [];
  private partialLength = 0;
  private reply: ReadFrame | undefined;
  private lastFrame: ReadFrame | undefined;
  private readonly unsolicited: ReadFrame[] = [];
  private discarded: number[] = [];

  get hasReply(): boolean {
    return this.reply !== undefined;
  }

  /** Frames that arrived while nothing was asked, oldest first. */
  get unsolicitedFrames(): readonly ReadFrame[] {
    return this.unsolicited;
  }

  expectReply(): void {
    this.awaiting = this.reply === undefined;
  }

  push(chunk: Uint8Array): void {
    for (const byte of chunk) this.pushByte(byte);
  }

  /** The reply (if any) and the discarded bytes so far; resets for the next request. */
  take(): { reply: ReadFrame | undefined; discarded: Uint8Array } {
    const result = { reply: this.reply, discarded: Uint8Array.from(this.discarded) };
    this.reply = undefined;
    this.discarded = [];
    this.awaiting = false;
    return result;
  }

  private pushByte(byte: number): void {
    if (byte === XON || byte === XOFF) return this.discard([byte]);
    if (this.partialLength > 0) {
      if (isFrameDataByte(byte)) return this.extend(byte);
      this.discard(this.partial);
      this.partial = [];
      this.partialLength = 0;
    }
    if (isHeader1(byte) && frameLengthOf(byte) >= MIN_FRAME_LENGTH) {
      this.lastFrame = undefined;
      this.partial = [byte];
      this.partialLength = frameLengthOf(byte);
      return;
    }
    if (this.lastFrame && isFrameDataByte(byte)) this.lastFrame.overrun += 1;
    else this.lastFrame = undefined;
    this.discard([byte]);
  }

  private extend(byte: number): void {
    this.partial.push(byte);
    if (this.partial.length < this.partialLength) return;
    const frame: ReadFrame = { bytes: this.partial, solicited: this.awaiting, overrun: 0 };
    this.partial = [];
    this.partialLength = 0;
    this.lastFrame = frame;
    if (this.awaiting) {
      this.reply = frame;
      this.awaiting = false;
    } else {
      this.unsolicited.push(frame);
      if (this.unsolicited.length > 8) this.unsolicited.shift();
    }
  }

  private discard(bytes: readonly number[]): void {
    for (const byte of bytes) if (this.discarded.length < MAX_DISCARDED_BYTES) this.discarded.push(byte);
  }
}

/**
 * The evidence of one status exchange. `request` is false for a frame the printer sent by itself
 * (automatic status): the exchange's request is then empty. A frame with an overrun is shown but
 * not valid: its length did not fit.
 */
export function statusExchange(frame: ReadFrame | undefined, discarded: Uint8Array, elapsedMs: number, request = true): Exchange {
  const valid = frame !== undefined && frame.overrun === 0 && decodeStarFrame(frame.bytes).length > 0;
  return {
    label: request ? STATUS_REQUEST_LABEL : 'automatic status frame (sent by the printer unasked)',
    request: request ? toHex(STATUS_REQUEST) : '',
    reply: frame === undefined ? null : toHex(frame.bytes),
    discarded: toHex(discarded),
    valid,
    decoded: valid ? decodeStarFrame(frame.bytes) : [],
    elapsedMs,
  };
}
