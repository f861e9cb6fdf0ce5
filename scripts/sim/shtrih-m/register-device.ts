// The register's side of the Shtrih-M handshake (docs/devices.md §3.1) over one byte stream:
//   ENQ            → NAK when idle; ACK + the held answer when one waits unread
//   STX LEN … LRC  → NAK on a bad LRC; else ACK, then the reply frame (held until the host ACKs it)
//   ACK            → the held answer was read: forget it
// Pure: the time comes with each chunk, outputs carry their delay; the simulator does the I/O.
import { answerCommand, commandKey, type Register } from './register-state';

const STX = 0x02;
const ENQ = 0x05;
const ACK = 0x06;
const NAK = 0x15;
const FILLER = 0xff;
/** What a garbage-answering line sends to ENQ: neither ACK, NAK, STX nor a filler. */
export const GARBAGE_BYTES: readonly number[] = [0x3f, 0x00, 0x7e];
/** A frame from the host whose bytes stop for this long is dropped (the register's own byte timeout). */
export const DEVICE_BYTE_TIMEOUT_MS = 500;

export function lrc(payload: readonly number[]): number {
  return payload.reduce((sum, b) => sum ^ b, payload.length & 0xff);
}

export function frame(payload: readonly number[]): number[] {
  return [STX, payload.length, ...payload, lrc(payload)];
}

/** One command frame as it arrived, for the never-fiscal check. */
export interface CommandLogEntry {
  at: string;
  /** the command code, or null when the frame carried none */
  code: number | null;
  /** "0x10", "0xFF01" */
  command: string;
  /** the whole frame as received, hex */
  frame: string;
  /** what the register did: answered (error 0 or the error code), or NAKed it */
  answer: { error: number } | 'nak';
}

/** Bytes to write after `delayMs`. */
export interface Output {
  bytes: number[];
  delayMs: number;
}

/** What all connections of one register share: its state and the answer it holds. */
export interface RegisterCore {
  register: Register;
  /** the last reply frame not yet acknowledged by the host (device-wide, as on a real register) */
  held: number[] | null;
  /**
   * Until when the register is busy with a slow reply (ms since the epoch): it ignores whatever
   * arrives meanwhile, on every connection, as a register still executing a command does.
   */
  busyUntil: number;
  log: (entry: CommandLogEntry) => void;
  stats: { bytesReceived: number; framesReceived: number; repliesSent: number; enqReceived: number; ignoredWhileBusy: number };
}

const toHex = (bytes: readonly number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');

/** The register end of one connection. */
export class RegisterLine {
  private partial: number[] = [];
  private lastByteAt = 0;

  constructor(private readonly core: RegisterCore) {}

  /** Feeds bytes that arrived at `now`; returns what to send back, in order. */
  receive(chunk: Uint8Array | readonly number[], now: Date): Output[] {
    const state = this.core.register.state;
    this.core.stats.bytesReceived += chunk.length;
    const outputs: Output[] = [];
    const nowMs = now.getTime();
    if (nowMs < this.core.busyUntil) {
      this.core.stats.ignoredWhileBusy += chunk.length;
      return [];
    }
    if (this.partial.length > 0 && nowMs - this.lastByteAt > DEVICE_BYTE_TIMEOUT_MS) this.partial = [];
    this.lastByteAt = nowMs;
    const bytes = Array.from(chunk);
    for (const [index, byte] of bytes.entries()) {
      if (this.partial.length > 0) {
        this.partial.push(byte);
        const length = this.partial[1]!;
        if (length === 0) this.partial = [];
        else if (this.partial.length === length + 3) outputs.push(...this.onFrame(this.partial.splice(0), now));
        if (nowMs < this.core.busyUntil) {
          // a slow reply is on its way: the rest of the chunk is not heard
          this.core.stats.ignoredWhileBusy += bytes.length - index - 1;
          break;
        }
        continue;
      }
      if (state.silent) continue;
      if (byte === STX) this.partial = [STX];
      else if (byte === ENQ) outputs.push(this.onEnq());
      else if (byte === ACK) this.core.held = null;
      // NAK: the host wants the reply again and follows with ENQ; fillers and noise: ignored
    }
    return outputs;
  }

  private out(bytes: number[], delayMs = 0): Output {
    return { bytes: this.core.register.state.fillers ? [FILLER, FILLER, ...bytes] : bytes, delayMs };
  }

  private onEnq(): Output {
    const state = this.core.register.state;
    this.core.stats.enqReceived += 1;
    if (state.garbage) return { bytes: [...GARBAGE_BYTES], delayMs: 0 };
    if (state.pendingAnswer && this.core.held === null) {
      // a stale short-status reply left over from an earlier session
      this.core.held = frame([0x10, 0x00, 30, 0x92, 0x02, 0x04, 0, 0, 0x9a, 0xb4, 0, 0, 0, 0, 0, 0]);
      this.core.register.state = { ...state, pendingAnswer: false };
    }
    if (this.core.held) return this.out([ACK, ...this.core.held]);
    return this.out([NAK]);
  }

  private onFrame(received: number[], now: Date): Output[] {
    const core = this.core;
    const state = core.register.state;
    core.stats.framesReceived += 1;
    const payload = received.slice(2, -1);
    if (lrc(payload) !== received[received.length - 1]) return [this.out([NAK])];
    const code = payload[0] === 0xff ? (payload.length > 1 ? 0xff00 | payload[1]! : null) : (payload[0] ?? null);
    const entry = { at: now.toISOString(), code, command: code === null ? '(none)' : commandKey(code), frame: toHex(received) };
    if (state.nakCommands > 0) {
      core.register.state = { ...state, nakCommands: state.nakCommands - 1 };
      core.log({ ...entry, answer: 'nak' });
      return [this.out([NAK])];
    }
    const { payload: reply, error } = code === null ? { payload: [0xff, 0x01], error: 0x01 } : answerCommand(core.register, code, now);
    core.log({ ...entry, answer: { error } });
    const replyFrame = frame(reply);
    core.held = replyFrame;
    core.stats.repliesSent += 1;
    let sent = replyFrame;
    if (state.badLrcReplies > 0) {
      core.register.state = { ...state, badLrcReplies: state.badLrcReplies - 1 };
      sent = [...replyFrame.slice(0, -1), replyFrame[replyFrame.length - 1]! ^ 0x55];
    }
    core.busyUntil = now.getTime() + state.slowReplyMs;
    return [this.out([ACK]), this.out(sent, state.slowReplyMs)];
  }
}
