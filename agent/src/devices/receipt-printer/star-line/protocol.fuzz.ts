// Fuzz targets for the Star line mode inbound stream: the frame reader (frames among XON/XOFF,
// stale frames, broken frames and garbage) and the frame decoder, through to the diagnosis. The
// byte generator leans on the bytes that matter (header 1 patterns, frame data bytes, XON, XOFF,
// the request bytes) and sometimes floods the line. Run by `npm run fuzz` and, at a CI size, by
// `npm test`.
import { Exchange } from '@tillscope/shared';
import fc from 'fast-check';
import { diagnoseStarLine } from './diagnosis';
import { ACK, decodeStarFrame, ESC, parseStarFrame, SOH, XOFF, XON } from './protocol';
import { StarStatusReader, statusExchange } from './protocol-reader';

// The identification patterns and the [I] length rule, written out again as an independent oracle.
const isHeader1Pattern = (b: number) => (b & 0xd1) === 0x01; // 0**0***1
const isDataPattern = (b: number) => (b & 0x91) === 0x00; // 0**0***0
const lengthOf = (h: number) => ((h & 0x0e) >> 1) + ((h & 0x20) >> 2);
function oracleValid(frame: readonly number[]): boolean {
  const [h1, h2] = frame;
  if (h1 === undefined || h2 === undefined || !isHeader1Pattern(h1)) return false;
  const length = lengthOf(h1);
  return length >= 6 && frame.length === length && frame.slice(1).every(isDataPattern) && lengthOf(h2) > 0;
}

const anyByte = fc.integer({ min: 0, max: 255 });
const header1 = fc.oneof(fc.constantFrom(0x23, 0x0f, 0x21, 0x2f), anyByte.map((b) => (b & ~0xd1) | 0x01));
const dataByte = anyByte.map((b) => b & ~0x91);
const lineByte = fc.oneof(anyByte, fc.constantFrom(XON, XOFF, ESC, ACK, SOH), header1, dataByte, dataByte, dataByte);
/** A well-formed frame now and then, so the reader's frame paths are exercised, not only its garbage paths. */
const goodFrame = fc.tuple(fc.constantFrom(0x23, 0x0f), fc.constantFrom(0x02, 0x04), fc.array(dataByte, { minLength: 7, maxLength: 7 })).map(([h1, h2, rest]) => [h1, h2, ...rest].slice(0, lengthOf(h1)));

/** Any first byte followed by as many data bytes as that byte would announce: near-frames the patterns must refuse. */
const frameLike = fc.tuple(anyByte, fc.array(dataByte, { minLength: 15, maxLength: 15 })).map(([h1, rest]) => [h1, ...rest.slice(0, Math.max(lengthOf(h1), 6) - 1)]);

const chunk = fc.oneof(
  { arbitrary: fc.array(lineByte, { maxLength: 20 }).map((bytes) => Uint8Array.from(bytes)), weight: 20 },
  { arbitrary: goodFrame.map((bytes) => Uint8Array.from(bytes)), weight: 6 },
  { arbitrary: frameLike.map((bytes) => Uint8Array.from(bytes)), weight: 4 },
  { arbitrary: fc.tuple(lineByte, fc.integer({ min: 1, max: 4096 })).map(([b, n]) => new Uint8Array(n).fill(b)), weight: 1 },
);

type ReaderOp = { op: 'expect' } | { op: 'push'; chunk: Uint8Array } | { op: 'take' };
const readerOp: fc.Arbitrary<ReaderOp> = fc.oneof(fc.constant({ op: 'expect' as const }), fc.record({ op: fc.constant('push' as const), chunk }), fc.constant({ op: 'take' as const }));

/**
 * Any sequence of expectReply / push / take: a taken reply is a complete frame by the oracle's
 * patterns and length; its exchange is valid evidence by shared's schema; the diagnosis is ok only
 * for an exchange the oracle calls a valid frame (garbage is never OK); nothing throws.
 */
function readerProperty() {
  return fc.property(fc.array(readerOp, { maxLength: 24 }), (ops) => {
    const reader = new StarStatusReader();
    for (const step of ops) {
      if (step.op === 'expect') reader.expectReply();
      else if (step.op === 'push') reader.push(step.chunk);
      else {
        const take = reader.take();
        const bytes = take.reply?.bytes;
        if (bytes && !(isHeader1Pattern(bytes[0]!) && bytes.length === lengthOf(bytes[0]!) && bytes.slice(1).every(isDataPattern))) {
          throw new Error(`reply ${bytes.join(',')} is not a complete frame`);
        }
        const exchange = statusExchange(take.reply, take.discarded, 0);
        const checked = Exchange.safeParse(exchange);
        if (!checked.success) throw new Error(`not valid evidence: ${checked.error.issues[0]?.message}`);
        const diagnosis = diagnoseStarLine({ link: { state: 'opened' }, where: 'fuzz', exchanges: [exchange], automatic: false });
        const frameOk = bytes !== undefined && take.reply?.overrun === 0 && oracleValid(bytes);
        if (diagnosis.health === 'ok' && !frameOk) throw new Error('health ok without a valid frame');
        if (exchange.valid !== frameOk) throw new Error(`valid ${exchange.valid} where the oracle says ${frameOk}`);
      }
    }
  });
}

/** Any byte array: parsed and decoded exactly when the oracle calls it a frame, and the flags match the bits. */
function frameProperty() {
  return fc.property(fc.oneof(fc.array(lineByte, { maxLength: 16 }), goodFrame, frameLike), (frame) => {
    const status = parseStarFrame(frame);
    const valid = oracleValid(frame);
    if ((status !== undefined) !== valid) throw new Error(`parsed ${status !== undefined} where the oracle says ${valid}`);
    if ((decodeStarFrame(frame).length > 0) !== valid) throw new Error('decoded without parsing, or the reverse');
    if (status && status.flags.paperEnd !== ((frame[5]! & 0x08) !== 0)) throw new Error('paper end is not byte 6 bit 3');
    if (status && status.flags.coverOpen !== ((frame[2]! & 0x20) !== 0)) throw new Error('cover open is not byte 3 bit 5');
  });
}

export const starLineFuzzTargets = [
  { name: 'star-line-reader', about: 'Star frame reader over frames, XON/XOFF, broken frames, floods; diagnosis never OK without a frame', property: readerProperty },
  { name: 'star-line-frame', about: 'Star frame parser and decoder vs an independent pattern oracle', property: frameProperty },
];
