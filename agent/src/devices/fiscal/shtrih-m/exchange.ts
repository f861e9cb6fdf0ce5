// One Shtrih-M command exchange over a byte link: the host side of the ENQ/ACK/NAK handshake of
// docs/devices.md §3.1 (javapos PrinterProtocol_1.send, pyshtrih Protocol.command):
//
//   host ENQ → device NAK (idle)   → host sends the frame → device ACK (NAK: resend) → reply frame
//                                    → host checks the LRC → ACK (bad: NAK, ENQ, device ACK + resend)
//            → device ACK          → it still holds an unread answer: read it, ACK it, discard it,
//                                    start over with ENQ
//            → nothing             → ENQ again, up to a bound, then "no connection"
//
// Every byte sent and received is kept, in order, for evidence. No timers of its own: the link's
// read-with-timeout does the waiting, so tests drive it with a scripted fake.
import type { Exchange } from '@tillscope/shared';
import { ACK, COMMAND_LABELS, ENQ, FrameReader, frameCommand, NAK, requestFrame, type AllowedCommand, type ReaderEvent } from './protocol';
import { MAX_DISCARDED_BYTES, toHex } from '../../common/hex';
import type { DecodedReply } from './replies';

/**
 * The minimal byte channel the exchange needs (see link.ts for the one over a TransportPort).
 * - `read` resolves with the next bytes received (a chunk of any size), or null when nothing
 *   arrives within `timeoutMs`; it rejects when the channel closes or `signal` aborts.
 * - `drain` drops whatever was received and not read yet (stale input).
 */
export interface ByteLink {
  write(bytes: Uint8Array): Promise<void>;
  read(timeoutMs: number, signal?: AbortSignal): Promise<Uint8Array | null>;
  drain(): Promise<void>;
}

export interface HandshakeLimits {
  /** gap allowed between two bytes of a frame, and the wait for ACK/NAK (javapos: 100 ms) */
  byteTimeoutMs: number;
  /** wait for the reply frame after the command was acknowledged */
  replyTimeoutMs: number;
  /** ENQs sent without an ACK or NAK back before giving up */
  maxEnq: number;
  /** times a command frame is resent after a NAK */
  maxCommandResends: number;
  /** times a reply with a bad LRC is asked for again (NAK, ENQ) */
  maxReplyRetries: number;
  /** unread previous answers read and discarded before giving up */
  maxUnreadAnswers: number;
}

/** Defaults. javapos uses 100 ms between bytes [V]; the counts and the reply timeout are ours [I]. */
export const DEFAULT_LIMITS: Readonly<HandshakeLimits> = {
  byteTimeoutMs: 100,
  replyTimeoutMs: 1_000,
  maxEnq: 3,
  maxCommandResends: 2,
  maxReplyRetries: 2,
  maxUnreadAnswers: 3,
};

export type ExchangeOutcome =
  | { kind: 'reply'; payload: Uint8Array; frame: Uint8Array }
  /** ENQ never got a byte back */
  | { kind: 'no_connection' }
  /** ENQ got bytes back, never ACK or NAK */
  | { kind: 'garbage' }
  /** the device NAKed the command frame every time */
  | { kind: 'refused' }
  /** the command went out, no reply frame came in time */
  | { kind: 'no_reply' }
  /** reply frames kept failing the LRC, or the device lost the reply when asked again */
  | { kind: 'bad_reply' }
  /** the device kept answering ENQ with ACK (held answers), more than the bound */
  | { kind: 'unread_answers' }
  /** the channel closed or failed */
  | { kind: 'transport'; message: string }
  | { kind: 'canceled' };

export interface ExchangeRecord {
  command: AllowedCommand;
  /** the command frame */
  request: Uint8Array;
  outcome: ExchangeOutcome;
  /** every byte written, in order (ENQ, frames, ACK/NAK) */
  sent: Uint8Array;
  /** every byte received except the accepted reply frame, in order, up to MAX_DISCARDED_BYTES */
  other: Uint8Array;
  /** bytes received in all, the reply frame included */
  receivedBytes: number;
  counts: { enq: number; commandSends: number; replyRetries: number; unreadAnswers: number };
  elapsedMs: number;
}


class Aborted extends Error {}

/** The state of one exchange: bytes not consumed yet, the frame reader, and what was kept. */
class Session {
  readonly reader = new FrameReader();
  private chunk: Uint8Array = new Uint8Array(0);
  private at = 0;
  readonly sent: number[] = [];
  readonly other: number[] = [];
  receivedBytes = 0;

  constructor(
    private readonly link: ByteLink,
    private readonly limits: HandshakeLimits,
    private readonly signal: AbortSignal | undefined,
    readonly now: () => number,
  ) {}

  async write(bytes: Uint8Array | number[]): Promise<void> {
    if (this.signal?.aborted) throw new Aborted();
    for (const b of bytes) if (this.sent.length < MAX_DISCARDED_BYTES) this.sent.push(b);
    await this.link.write(Uint8Array.from(bytes));
  }

  private keep(bytes: Iterable<number>): void {
    for (const b of bytes) if (this.other.length < MAX_DISCARDED_BYTES) this.other.push(b);
  }

  /** A frame the caller did not accept as the reply goes with the other received bytes. */
  setAside(event: Extract<ReaderEvent, { type: 'frame' }>): void {
    this.keep(event.raw);
  }

  private async nextByte(timeoutMs: number): Promise<number | null> {
    if (this.at >= this.chunk.length) {
      if (this.signal?.aborted) throw new Aborted();
      const chunk = await this.link.read(Math.max(0, timeoutMs), this.signal);
      if (chunk === null) return null;
      this.chunk = chunk;
      this.at = 0;
      this.receivedBytes += chunk.length;
      if (chunk.length === 0) return null;
    }
    return this.chunk[this.at++]!;
  }

  /**
   * The next control byte or frame within `waitMs` (a frame under way may finish past it, byte by
   * byte within the byte timeout). Garbage and fillers are kept as other bytes; `garbage` tells
   * whether any came. Undefined on timeout.
   */
  async nextEvent(waitMs: number): Promise<{ event?: Exclude<ReaderEvent, { type: 'garbage' }>; garbage: boolean }> {
    const deadline = this.now() + waitMs;
    let garbage = false;
    for (;;) {
      const inFrame = this.reader.inFrame;
      const remaining = inFrame ? this.limits.byteTimeoutMs : deadline - this.now();
      const byte = remaining > 0 ? await this.nextByte(remaining) : null;
      if (byte === null) {
        const cut = this.reader.abandonFrame();
        if (!cut) return { garbage };
        this.keep(cut.type === 'garbage' ? cut.bytes : []);
        garbage = true;
        continue;
      }
      const fillersBefore = this.reader.fillers;
      const [event] = this.reader.push([byte]);
      if (this.reader.fillers !== fillersBefore) this.keep([byte]);
      if (!event) continue;
      if (event.type === 'garbage') {
        this.keep(event.bytes);
        garbage = true;
        continue;
      }
      if (event.type === 'control') this.keep([event.byte]);
      return { event, garbage };
    }
  }
}

/**
 * Sends one allowed command and returns its reply, or why there is none. Never throws: transport
 * failures, aborts and protocol trouble are outcomes. The caller drains stale input once per
 * connection before the first exchange (`link.drain()`); this does not.
 */
export async function runExchange(
  link: ByteLink,
  command: AllowedCommand,
  options: { password?: number; limits?: Partial<HandshakeLimits>; signal?: AbortSignal; now?: () => number } = {},
): Promise<ExchangeRecord> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const now = options.now ?? (() => performance.now());
  const request = requestFrame(command, options.password);
  const session = new Session(link, limits, options.signal, now);
  const started = now();
  const counts = { enq: 0, commandSends: 0, replyRetries: 0, unreadAnswers: 0 };
  let outcome: ExchangeOutcome;
  try {
    outcome = await handshake(session, command, request, limits, counts);
  } catch (error) {
    outcome = error instanceof Aborted || options.signal?.aborted ? { kind: 'canceled' } : { kind: 'transport', message: error instanceof Error ? error.message : String(error) };
  }
  return {
    command,
    request,
    outcome,
    sent: Uint8Array.from(session.sent),
    other: Uint8Array.from(session.other),
    receivedBytes: session.receivedBytes,
    counts,
    elapsedMs: Math.max(0, now() - started),
  };
}

type Counts = ExchangeRecord['counts'];

async function handshake(s: Session, command: AllowedCommand, request: Uint8Array, limits: HandshakeLimits, counts: Counts): Promise<ExchangeOutcome> {
  let sawGarbage = false;
  while (counts.enq < limits.maxEnq) {
    await s.write([ENQ]);
    counts.enq += 1;
    const { event, garbage } = await s.nextEvent(limits.byteTimeoutMs);
    sawGarbage ||= garbage;
    if (!event) continue;
    if (event.type === 'control' && event.byte === NAK) return sendCommand(s, command, request, limits, counts);
    // ACK: the device holds an unread answer; it sends it now. A frame without the ACK is the same.
    const held = event.type === 'frame' ? event : (await s.nextEvent(limits.replyTimeoutMs)).event;
    if (held?.type === 'frame') {
      s.setAside(held);
      await s.write([ACK]);
    }
    counts.unreadAnswers += 1;
    if (counts.unreadAnswers > limits.maxUnreadAnswers) return { kind: 'unread_answers' };
    counts.enq -= 1; // an answered ENQ does not count against the silence bound
  }
  return sawGarbage ? { kind: 'garbage' } : { kind: 'no_connection' };
}

async function sendCommand(s: Session, command: AllowedCommand, request: Uint8Array, limits: HandshakeLimits, counts: Counts): Promise<ExchangeOutcome> {
  for (;;) {
    await s.write(Array.from(request));
    counts.commandSends += 1;
    const { event } = await s.nextEvent(limits.byteTimeoutMs);
    if (event?.type === 'control' && event.byte === NAK) {
      if (counts.commandSends > limits.maxCommandResends) return { kind: 'refused' };
      continue;
    }
    // ACK, or no answer (a lost ACK: the reply may still come), or the reply itself without ACK.
    return awaitReply(s, command, event?.type === 'frame' ? event : undefined, limits, counts);
  }
}

async function awaitReply(
  s: Session,
  command: AllowedCommand,
  first: Extract<ReaderEvent, { type: 'frame' }> | undefined,
  limits: HandshakeLimits,
  counts: Counts,
): Promise<ExchangeOutcome> {
  let pending = first;
  let deadline = s.now() + limits.replyTimeoutMs + limits.byteTimeoutMs;
  for (;;) {
    const frame = pending ?? (await s.nextEvent(deadline - s.now())).event;
    pending = undefined;
    if (!frame) return { kind: 'no_reply' };
    if (frame.type === 'control') continue; // a stray ACK/NAK: kept as other bytes
    if (frame.lrcOk) {
      await s.write([ACK]);
      if (frameCommand(frame.payload)?.code === command) return { kind: 'reply', payload: frame.payload, frame: frame.raw };
      // An answer to something else: acknowledged, discarded, and counted like a held answer.
      s.setAside(frame);
      counts.unreadAnswers += 1;
      if (counts.unreadAnswers > limits.maxUnreadAnswers) return { kind: 'unread_answers' };
      continue;
    }
    s.setAside(frame);
    if (counts.replyRetries >= limits.maxReplyRetries) return { kind: 'bad_reply' };
    counts.replyRetries += 1;
    await s.write([NAK, ENQ]);
    const { event } = await s.nextEvent(limits.byteTimeoutMs);
    if (event?.type === 'frame') pending = event; // resent without the ACK first
    else if (event?.type !== 'control' || event.byte !== ACK) return { kind: 'bad_reply' };
    deadline = s.now() + limits.replyTimeoutMs + limits.byteTimeoutMs;
  }
}

/** Plain words for an outcome without a reply, for evidence and findings. */
export function outcomeText(outcome: ExchangeOutcome): string {
  switch (outcome.kind) {
    case 'reply':
      return 'reply received';
    case 'no_connection':
      return 'no answer to ENQ';
    case 'garbage':
      return 'ENQ answered with bytes that are neither ACK nor NAK';
    case 'refused':
      return 'the command frame was refused (NAK) every time';
    case 'no_reply':
      return 'the command was sent, no reply frame came in time';
    case 'bad_reply':
      return 'reply frames failed the LRC check';
    case 'unread_answers':
      return 'the register kept answering ENQ with held answers';
    case 'transport':
      return outcome.message;
    case 'canceled':
      return 'probe canceled (agent stopping or probe deadline passed)';
  }
}

/**
 * The evidence of one exchange: everything sent as the request, the accepted reply frame, every
 * other byte received as discarded, and the decoded fields when the reply decoded.
 */
export function exchangeEvidence(record: ExchangeRecord, decoded?: DecodedReply): Exchange {
  const reply = record.outcome.kind === 'reply' ? record.outcome.frame : null;
  const valid = reply !== null && decoded !== undefined && decoded.status !== 'invalid';
  const why = record.outcome.kind === 'reply' ? (decoded?.status === 'invalid' ? `: ${decoded.reason}` : '') : `: ${outcomeText(record.outcome)}`;
  return {
    label: `${COMMAND_LABELS[record.command]}${why}`.slice(0, 200),
    request: toHex(record.sent),
    reply: reply === null ? null : toHex(reply),
    discarded: toHex(record.other),
    valid,
    decoded: valid ? (decoded?.fields ?? []).slice(0, 48) : [],
    elapsedMs: Math.round(record.elapsedMs),
  };
}
