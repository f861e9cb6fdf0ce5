// Fuzz targets for the ESC/POS inbound stream (protocol-stream.ts): the state machine itself,
// the reader that picks replies out (DLE EOT replies among XON/XOFF, ASB frames, GS I bytes and
// blocks, stale replies and garbage), ASB frames, and the whole way from bytes to a diagnosis
// (garbage is never OK). The byte generator leans on the bytes that matter (XON, XOFF, DLE, the
// identification patterns, block headers and NUL) and sometimes floods the line. Run by
// `npm run fuzz` and, at a CI size, by `npm test`.
import { Exchange } from '@tillscope/shared';
import fc from 'fast-check';
import { toHex } from '../../common/hex';
import { decodeStatus, parseStatus, STATUS_QUERIES, statusExchange, XOFF, XON } from './protocol';
import { decodeAsbFrame, parseAsbFrame, type AsbFrame } from './protocol-asb';
import { EscPosStream, StreamReader } from './protocol-stream';
import { streamFuzzTargets } from './protocol-stream.fuzz';

import { anyByte, asbFirstByte, asbNextByte, chunk, isAsbFramePattern, isStatusPattern, lineByte, statusByte } from './protocol-stream.fuzz';

type ReaderOp = { op: 'expect' } | { op: 'push'; chunk: Uint8Array } | { op: 'take'; n: (typeof STATUS_QUERIES)[number] };
const readerOp: fc.Arbitrary<ReaderOp> = fc.oneof(
  fc.constant({ op: 'expect' as const }),
  fc.record({ op: fc.constant('push' as const), chunk }),
  fc.record({ op: fc.constant('take' as const), n: fc.constantFrom(...STATUS_QUERIES) }),
);

/**
 * Any sequence of expectReply / push / take: the reply is exactly the first 0xx1xx10 byte pushed
 * while a reply was expected (never an ASB byte, XON/XOFF or garbage); every other byte is kept,
 * in order, as discarded; and the exchange built from each take is valid evidence by shared's
 * schema, however much the line sent (a report that fails the schema is refused by the console).
 */
function statusReaderProperty() {
  return fc.property(fc.array(readerOp, { maxLength: 24 }), (ops) => {
    // Blocks off: every 0xx1xx10 byte is then a status item, which the oracle below relies on.
    const reader = new StreamReader({ blocks: false });
    let awaiting = false;
    let reply: number | null = null;
    let others: number[] = [];
    for (const step of ops) {
      if (step.op === 'expect') {
        reader.expect('status');
        awaiting = reply === null;
      } else if (step.op === 'push') {
        reader.push(step.chunk);
        for (const b of step.chunk) {
          if (awaiting && isStatusPattern(b)) {
            reply = b;
            awaiting = false;
          } else others.push(b);
        }
        if (reader.hasReply !== (reply !== null)) throw new Error('hasReply disagrees with the bytes pushed');
      } else {
        const take = reader.take();
        const got = take.reply?.kind === 'status' ? take.reply.byte : take.reply === null ? null : -1;
        if (got !== reply) throw new Error(`reply ${take.reply} where the first status byte expected was ${reply}`);
        const kept = Array.from(take.discarded);
        if (kept.length > others.length || kept.some((b, i) => b !== others[i])) throw new Error('discarded bytes are not the other bytes, in order');
        if (kept.length < Math.min(others.length, 1024)) throw new Error(`only ${kept.length} of ${others.length} discarded bytes kept`);
        const exchange = statusExchange(step.n, take, 0);
        const checked = Exchange.safeParse(exchange);
        if (!checked.success) throw new Error(`the exchange is not valid evidence: ${checked.error.issues[0]?.message} (${others.length} discarded bytes)`);
        if (exchange.valid !== (reply !== null) || (reply !== null && exchange.decoded.length === 0)) throw new Error('a reply without its decoding');
        awaiting = false;
        reply = null;
        others = [];
      }
    }
  });
}

/** Any byte, any query: decoded (and parsed) only with the fixed bits 0xx1xx10, and both views agree. */
function statusByteProperty() {
  return fc.property(anyByte, fc.constantFrom(...STATUS_QUERIES), (byte, n) => {
    const decoded = decodeStatus(n, byte);
    const flags = parseStatus(n, byte);
    if (!isStatusPattern(byte)) {
      if (decoded.length !== 0 || flags !== undefined) throw new Error(`garbage 0x${byte.toString(16)} decoded as a status`);
      return;
    }
    if (!flags || decoded.length !== Object.keys(flags).length) throw new Error('a valid status byte not fully decoded');
    const setFlags = Object.values(flags).filter(Boolean).length;
    if (decoded.filter((f) => f.set).length !== setFlags) throw new Error('decodeStatus and parseStatus disagree');
    if (decoded.some((f) => f.alarm && !f.set)) throw new Error('an alarm on a clear bit');
  });
}

/** A valid ASB frame, with XON/XOFF and DLE EOT reply bytes that may sit inside it on the wire. */
const framedSegment = fc
  .tuple(asbFirstByte, asbNextByte, asbNextByte, asbNextByte, fc.array(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.oneof(fc.constantFrom(XON, XOFF), statusByte)), { maxLength: 3 }))
  .map(([a, b, c, d, inserts]) => {
    const frame: AsbFrame = [a, b, c, d];
    const wire: number[] = [...frame];
    for (const [at, byte] of inserts.sort((x, y) => y[0] - x[0])) wire.splice(at, 0, byte);
    return { frame, wire };
  });

const asbSegment = fc.record({ noise: fc.array(chunk, { maxLength: 3 }), framed: fc.option(framedSegment, { nil: undefined }), cuts: fc.array(fc.nat(), { maxLength: 3 }) });

function splitAt(bytes: readonly number[], cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const to of [...points, bytes.length]) {
    pieces.push(Uint8Array.from(bytes.slice(from, to)));
    from = to;
  }
  return pieces;
}

/**
 * Noise and valid frames, split across reads anywhere: every frame out carries the ASB pattern, is
 * made of bytes that came in, in order, decodes fully and is valid evidence; every valid frame sent
 * after any noise comes out whole, whatever XON/XOFF or reply bytes sit inside it.
 */
function asbProperty() {
  return fc.property(fc.array(asbSegment, { maxLength: 8 }), (segments) => {
    const stream = new EscPosStream({ blocks: false });
    const frames = (piece: Uint8Array) => stream.push(piece).flatMap((item) => (item.kind === 'asb' ? [item.frame] : []));
    const seen: number[] = [];
    let searchFrom = 0;
    const check = (frames: AsbFrame[]) => {
      for (const frame of frames) {
        if (!isAsbFramePattern(frame)) throw new Error(`a frame without the ASB pattern: ${toHex(frame)}`);
        for (const byte of frame) {
          const at = seen.indexOf(byte, searchFrom);
          if (at < 0) throw new Error(`frame ${toHex(frame)} holds bytes that never came in that order`);
          searchFrom = at + 1;
        }
        const decoded = decodeAsbFrame(frame);
        const evidence = Exchange.safeParse({ label: 'ASB frame', request: '', reply: toHex(frame), discarded: '', valid: true, decoded, elapsedMs: 0 });
        if (decoded.length === 0 || !parseAsbFrame(frame) || !evidence.success) throw new Error(`frame ${toHex(frame)} does not decode to valid evidence`);
      }
    };
    for (const { noise, framed, cuts } of segments) {
      for (const piece of noise) {
        seen.push(...piece);
        check(frames(piece));
      }
      if (!framed) continue;
      const out: AsbFrame[] = [];
      for (const piece of splitAt(framed.wire, cuts)) {
        seen.push(...piece);
        const got = frames(piece);
        check(got);
        out.push(...got);
      }
      if (out.length !== 1 || toHex(out[0]!) !== toHex(framed.frame)) throw new Error(`sent ${toHex(framed.wire)}, got [${out.map((f) => toHex(f)).join(' | ')}]`);
    }
  });
}

/** Any four bytes: a frame, decoded and parsed, only with the ASB identification pattern. */
function asbFrameDecodeProperty() {
  return fc.property(fc.array(lineByte, { minLength: 0, maxLength: 6 }), (bytes) => {
    const valid = isAsbFramePattern(bytes);
    if ((decodeAsbFrame(bytes).length > 0) !== valid || (parseAsbFrame(bytes) !== undefined) !== valid) {
      throw new Error(`${toHex(bytes)}: decoded ${valid ? 'as garbage' : 'as a frame'}`);
    }
  });
}

export const escposFuzzTargets = [
  ...streamFuzzTargets,
  { name: 'escpos-status-reader', about: 'StreamReader (status): random expect/push/take over noisy, flooded lines; the reply, the discarded bytes, valid evidence', property: statusReaderProperty },
  { name: 'escpos-status-byte', about: 'decodeStatus/parseStatus: any byte, any DLE EOT n; decoded only with the fixed bits', property: statusByteProperty, ciRuns: 1_000 },
  { name: 'escpos-asb-framer', about: 'EscPosStream (ASB frames): noise and valid frames split anywhere; frames out are real, valid frames come out whole', property: asbProperty },
  { name: 'escpos-asb-frame', about: 'decodeAsbFrame/parseAsbFrame: any 0..6 bytes; decoded only with the ASB pattern', property: asbFrameDecodeProperty, ciRuns: 1_000 },
];
