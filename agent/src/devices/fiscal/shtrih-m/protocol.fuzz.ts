// Fuzz targets for the Shtrih-M inbound side: the frame reader over noisy, split, flooded input;
// the reply decoders over any payload; and the host handshake against a device that answers
// anything at all. They never throw, and garbage never comes out as a reply or as healthy.
// Run by `npm run fuzz` and, at a CI size, by `npm test`.
import { DecodedField, Exchange } from '@tillscope/shared';
import fc from 'fast-check';
import { exchangeEvidence, runExchange, type ByteLink } from './exchange';
import { ACK, ALLOWED_COMMANDS, ENQ, encodeFrame, FILLER, FrameReader, NAK, STX, type ReaderEvent } from './protocol';
import { toHex } from '../../common/hex';
import { decodeReply } from './replies';

// The LRC written out again as an independent oracle.
const xorLrc = (payload: Uint8Array) => payload.reduce((sum, b) => sum ^ b, payload.length & 0xff);

const anyByte = fc.integer({ min: 0, max: 255 });
const lineByte = fc.oneof({ arbitrary: anyByte, weight: 4 }, fc.constantFrom(STX, ENQ, ACK, NAK, FILLER, 0x00, 0x01, 0x10));
const command = fc.constantFrom(...ALLOWED_COMMANDS);
const commandPrefix = (code: number) => (code > 0xff ? [0xff, code & 0xff] : [code]);

/** A reply payload: the right command and error 0 most of the time, any length around the layouts. */
const replyPayload = fc.tuple(command, fc.oneof(fc.constant(0), anyByte), fc.array(anyByte, { maxLength: 60 }), fc.boolean()).map(([code, error, rest, right]) => ({
  code,
  payload: Uint8Array.from([...commandPrefix(right ? code : (code ^ 0x01) & 0xffff), error, ...rest].slice(0, 255)),
}));

const validFrame = replyPayload.map(({ payload }) => encodeFrame(payload));
const corruptFrame = fc.tuple(validFrame, fc.nat(), anyByte.filter((b) => b !== 0)).map(([frame, at, flip]) => {
  const copy = Uint8Array.from(frame);
  copy[2 + (at % (copy.length - 2))]! ^= flip;
  return copy;
});

/** One read's worth of bytes from the line: noise, a frame (valid or corrupt), a flood. */
const chunk = fc.oneof(
  { arbitrary: fc.array(lineByte, { maxLength: 12 }).map((b) => Uint8Array.from(b)), weight: 6 },
  { arbitrary: validFrame, weight: 3 },
  { arbitrary: corruptFrame, weight: 2 },
  { arbitrary: fc.tuple(lineByte, fc.integer({ min: 1, max: 2048 })).map(([b, n]) => new Uint8Array(n).fill(b)), weight: 1 },
);

type Step = { op: 'push'; bytes: Uint8Array; cuts: number[] } | { op: 'gap' } | { op: 'frameAfterGap'; frame: Uint8Array };
const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('push' as const), bytes: chunk, cuts: fc.array(fc.nat(), { maxLength: 3 }) }), weight: 8 },
  { arbitrary: fc.constant({ op: 'gap' as const }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('frameAfterGap' as const), frame: validFrame }), weight: 2 },
);

function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const to of [...points, bytes.length]) {
    pieces.push(bytes.slice(from, to));
    from = to;
  }
  return pieces;
}

function checkEvent(event: ReaderEvent): number {
  if (event.type === 'control') {
    if (event.byte !== ACK && event.byte !== NAK) throw new Error(`control byte ${event.byte}`);
    return 1;
  }
  if (event.type === 'garbage') {
    if (event.bytes.length === 0) throw new Error('empty garbage event');
    return event.bytes.length;
  }
  const { raw, payload, lrcOk } = event;
  if (raw[0] !== STX || raw[1] !== payload.length || payload.length === 0 || raw.length !== payload.length + 3) throw new Error(`not a frame: ${toHex(raw)}`);
  if (lrcOk !== (xorLrc(payload) === raw[raw.length - 1])) throw new Error(`lrcOk ${lrcOk} for ${toHex(raw)}`);
  return raw.length;
}

/**
 * Any bytes, split anywhere, with byte-timeout gaps: events are well formed, `lrcOk` is true
 * exactly when the LRC matches, every byte is accounted for (events + fillers + the frame under
 * way), and a valid frame sent after a gap comes out whole and intact.
 */
function readerProperty() {
  return fc.property(fc.array(step, { maxLength: 16 }), (steps) => {
    const reader = new FrameReader();
    let pushed = 0;
    let accounted = 0;
    const take = (events: ReaderEvent[]) => {
      for (const event of events) accounted += checkEvent(event);
      return events;
    };
    for (const s of steps) {
      if (s.op === 'gap') {
        const cut = reader.abandonFrame();
        if (cut) take([cut]);
        continue;
      }
      if (s.op === 'push') {
        for (const piece of splitAt(s.bytes, s.cuts)) {
          pushed += piece.length;
          take(reader.push(piece));
        }
        continue;
      }
      const cut = reader.abandonFrame();
      if (cut) take([cut]);
      pushed += s.frame.length;
      const frames = take(reader.push(s.frame)).filter((e) => e.type === 'frame');
      if (frames.length !== 1 || !frames[0]!.lrcOk || toHex(frames[0]!.raw) !== toHex(s.frame)) throw new Error(`the frame ${toHex(s.frame)} did not come out whole`);
    }
    const inProgress = reader.abandonFrame();
    if (inProgress) accounted += checkEvent(inProgress);
    if (accounted + reader.fillers !== pushed) throw new Error(`${pushed} bytes in, ${accounted} in events and ${reader.fillers} fillers`);
  });
}

/** Minimum body lengths per command, written out again from devices.md §3.1 as an oracle. */
const MIN_BODY: Record<number, number> = { 0x10: 12, 0x11: 35, 0xfc: 7, 0xff01: 31, 0xff03: 6, 0xff39: 14, 0xff3f: 3, 0xff40: 6 };

/** Any payload to any command: OK only for the right command, error 0 and the full layout; fields always valid evidence. */
function decoderProperty() {
  return fc.property(replyPayload, fc.constantFrom(6 as const, 7 as const), ({ code, payload }, criticalErrorBit) => {
    const reply = decodeReply(code, payload, { criticalErrorBit });
    const prefix = commandPrefix(code);
    const rightCommand = prefix.every((b, i) => payload[i] === b);
    const body = payload.length - prefix.length;
    const error = payload[prefix.length];
    if (reply.status === 'ok' && !(rightCommand && error === 0 && body >= MIN_BODY[code]!)) throw new Error(`garbage decoded as OK: ${toHex(payload)}`);
    if (reply.status === 'error' && !(rightCommand && error !== undefined && error !== 0)) throw new Error(`not an error reply, decoded as one: ${toHex(payload)}`);
    if (reply.status === 'invalid' && reply.fields.length > 0) throw new Error('an invalid reply with fields');
    if (reply.fields.length > 48) throw new Error(`${reply.fields.length} fields`);
    for (const field of reply.fields) {
      const checked = DecodedField.safeParse(field);
      if (!checked.success) throw new Error(`field ${field.field}: ${checked.error.issues[0]?.message}`);
    }
  });
}

/**
 * A link whose device answers every write with the next scripted chunks (anything at all) and
 * times out when they run out, on a fake clock.
 */
function chaoticLink(answers: Uint8Array[][]): ByteLink & { writes: number } {
  const queue: Uint8Array[] = [];
  let next = 0;
  const link = {
    writes: 0,
    async write() {
      link.writes += 1;
      for (const c of answers[next++ % Math.max(1, answers.length)] ?? []) queue.push(c);
    },
    async read() {
      return queue.shift() ?? null;
    },
    async drain() {
      queue.length = 0;
    },
  };
  return link;
}

/**
 * The host handshake against any device behaviour: it ends (a bounded number of writes), never
 * throws, claims a reply only when a frame with a good LRC for the command came in, and its
 * evidence is valid by shared's schema.
 */
function exchangeProperty() {
  const answer = fc.array(fc.oneof(chunk, fc.constant(Uint8Array.of(NAK)), fc.constant(Uint8Array.of(ACK))), { maxLength: 3 });
  return fc.asyncProperty(command, fc.array(answer, { maxLength: 6 }), async (code, answers) => {
    const link = chaoticLink(answers);
    let clock = 0;
    const record = await runExchange(link, code, { now: () => (clock += 7) });
    if (link.writes > 40) throw new Error(`${link.writes} writes for one command`);
    if (record.outcome.kind === 'reply') {
      const { frame, payload } = record.outcome;
      if (xorLrc(payload) !== frame[frame.length - 1]) throw new Error('a reply with a bad LRC');
      if (!commandPrefix(code).every((b, i) => payload[i] === b)) throw new Error('a reply to another command');
    }
    const decoded = record.outcome.kind === 'reply' ? decodeReply(code, record.outcome.payload) : undefined;
    const evidence = exchangeEvidence(record, decoded);
    const checked = Exchange.safeParse(evidence);
    if (!checked.success) throw new Error(`evidence not valid: ${checked.error.issues[0]?.message}`);
    if (evidence.valid && decoded?.status !== 'ok' && decoded?.status !== 'error') throw new Error('valid evidence without a decoded reply');
  });
}

export const shtrihFuzzTargets = [
  { name: 'shtrih-frame-reader', about: 'FrameReader: noise, valid and corrupt frames, floods, split anywhere, byte-timeout gaps; events well formed, every byte accounted for', property: readerProperty },
  { name: 'shtrih-reply-decoder', about: 'decodeReply: any payload to any allowed command; OK only for the right command, error 0 and the full layout; fields valid', property: decoderProperty },
  { name: 'shtrih-handshake', about: 'runExchange against a device answering anything; ends, never throws, a reply only with a good LRC for the command, evidence valid', property: exchangeProperty, ciRuns: 1_000 },
];
