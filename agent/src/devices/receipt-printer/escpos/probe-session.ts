// One request at a time over an open port, with the stream state machine picking the replies out.
import type { TransportErrorCode, TransportPort } from '../../../transports/transport';
import { TransportError } from '../../../transports/transport';
import { CANCELED_TEXT, closedText, transportErrorText } from '../../common/report';
import { abortableSleep, waitUntil } from '../../common/wait';
import { StreamReader, type Expected, type ReaderTake } from './protocol-stream';

/** Why a session cannot go on: the port closed under it, a write failed, or the probe was canceled. */
export interface SessionFailure {
  text: string;
  /** 'closed' for a port that closed mid-read (the printer went away), 'canceled' for the agent's own abort */
  code: TransportErrorCode;
}

export interface AskResult {
  take: ReaderTake;
  elapsedMs: number;
  /** set when the request could not be completed; the take holds what came before */
  failure?: SessionFailure;
}

export interface SessionOptions {
  signal: AbortSignal;
  now: () => Date;
  /**
   * After a request that went unanswered: how long to keep listening, discarding what arrives,
   * before the next request, so a late reply is never taken for the next request's answer.
   */
  lateReplyWindowMs: number;
  /** recognise GS I block data (off on the ASB watch's held connection) */
  blocks: boolean;
}

export interface ProbeSession {
  /** Writes `request` and waits up to `timeoutMs` for a reply of kind `expected` (or, with 'raw', for any byte). */
  ask(request: Uint8Array, expected: Expected | 'raw', timeoutMs: number): Promise<AskResult>;
  /** After an unanswered request: waits the late-reply window and returns what arrived (discarded). */
  settle(): Promise<Uint8Array>;
  stop(): void;
}

/**
 * Subscribes to `port` (after discardInput, or stale bytes come first) for one probe. Only one
 * request is outstanding at a time; every byte that is not the reply is kept as evidence.
 */
export function openSession(port: TransportPort, options: SessionOptions): ProbeSession {
  const reader = new StreamReader({ blocks: options.blocks });
  let rawSeen = 0;
  let wake: (() => void) | undefined;
  let closed: { error?: Error } | undefined;
  const stopData = port.onData((chunk) => {
    reader.push(chunk);
    rawSeen += chunk.length;
    wake?.();
  });
  const stopClose = port.onClose((error) => {
    closed = error ? { error } : {};
    wake?.();
  });
  const onAbort = () => wake?.();
  options.signal.addEventListener('abort', onAbort);

  const failureNow = (): SessionFailure | undefined => {
    if (options.signal.aborted) return { code: 'canceled', text: CANCELED_TEXT };
    if (closed) return { code: 'closed', text: closedText(port, closed.error) };
    return undefined;
  };

  async function ask(request: Uint8Array, expected: Expected | 'raw', timeoutMs: number): Promise<AskResult> {
    const sentAt = options.now().getTime();
    const elapsed = () => Math.max(0, options.now().getTime() - sentAt);
    const before = failureNow();
    if (before) return { take: reader.take(), elapsedMs: 0, failure: before };
    if (expected !== 'raw') reader.expect(expected);
    const rawAt = rawSeen;
    try {
      await port.write(request);
    } catch (error) {
      const code = error instanceof TransportError ? error.code : 'io';
      return { take: reader.take(), elapsedMs: elapsed(), failure: { code, text: `not sent: ${transportErrorText(error)}` } };
    }
    const done = () => (expected === 'raw' ? rawSeen > rawAt : reader.hasReply) || closed !== undefined || options.signal.aborted;
    await waitUntil(timeoutMs, { done, setWake: (fn) => (wake = fn) });
    wake = undefined;
    const take = reader.take();
    const failure = take.reply === null ? failureNow() : undefined;
    return { take, elapsedMs: elapsed(), ...(failure ? { failure } : {}) };
  }

  async function settle(): Promise<Uint8Array> {
    await abortableSleep(options.lateReplyWindowMs, options.signal);
    return reader.take().discarded;
  }

  return {
    ask,
    settle,
    stop() {
      stopData();
      stopClose();
      options.signal.removeEventListener('abort', onAbort);
    },
  };
}
