// Fuzz targets for the stream state machine (protocol-stream.ts) and for the whole way from line
// bytes to a diagnosis. The generators here are shared with protocol.fuzz.ts.
import { DeviceReport, Exchange } from '@tillscope/shared';
import fc from 'fast-check';
import { toHex } from '../../common/hex';
import { diagnoseEscPos } from './diagnosis';
import { STATUS_QUERIES, statusExchange } from './protocol';
import { BLOCK_IDS, gsIRequest, idExchange, ONE_BYTE_IDS } from './protocol-identity';
import { EscPosStream, MAX_BLOCK_DATA, StreamReader, type StreamItem } from './protocol-stream';

// The identification patterns, written out again from the manuals as an independent oracle.
export const isStatusPattern = (b: number) => (b & 0b1001_0011) === 0b0001_0010; // 0xx1xx10
export const isAsbFirstPattern = (b: number) => (b & 0b1001_0011) === 0b0001_0000; // 0xx1xx00
export const isAsbNextPattern = (b: number) => (b & 0b1001_0000) === 0; // 0xx0xxxx
export const isAsbFramePattern = (f: readonly number[]) => f.length === 4 && isAsbFirstPattern(f[0]!) && f.slice(1).every(isAsbNextPattern);

export const anyByte = fc.integer({ min: 0, max: 255 });
export const statusByte = anyByte.map((b) => (b & ~0b1001_0011) | 0b0001_0010);
export const asbFirstByte = anyByte.map((b) => (b & ~0b1001_0011) | 0b0001_0000);
export const asbNextByte = anyByte.map((b) => b & ~0b1001_0000);
export const lineByte = fc.oneof(anyByte, fc.constantFrom(0x11, 0x13, 0x10, 0x04, 0x1d, 0x5f, 0x3d, 0x00), statusByte, asbFirstByte, asbNextByte, fc.integer({ min: 0x20, max: 0x7e }));

/** What a printer line delivers in one read: a few bytes, or now and then a flood of one byte. */
export const chunk = fc.oneof(
  { arbitrary: fc.array(lineByte, { maxLength: 16 }).map((bytes) => Uint8Array.from(bytes)), weight: 20 },
  { arbitrary: fc.tuple(lineByte, fc.integer({ min: 1, max: 4096 })).map(([b, n]) => new Uint8Array(n).fill(b)), weight: 1 },
);
/** Adversarial: a line with no 0xx1xx10 byte at all (garbage, frames, blocks, GS I bytes). */
const noStatusChunk = chunk.map((bytes) => bytes.map((b) => (isStatusPattern(b) ? b | 0x80 : b)));

/** The item's bytes carry the pattern its kind claims. */
function itemFits(item: StreamItem): boolean {
  switch (item.kind) {
    case 'status':
      return isStatusPattern(item.byte) && item.at.length === 1;
    case 'asb':
      return isAsbFramePattern(item.frame) && item.at.length === 4;
    case 'flow':
      return item.byte === 0x11 || item.byte === 0x13;
    case 'byte':
      return isAsbNextPattern(item.byte);
    case 'block':
      return (item.header === 0x5f || item.header === 0x3d) && item.text.length <= MAX_BLOCK_DATA && /^[\x20-\x7e]*$/.test(item.text) && item.at.length === item.text.length + 2;
    case 'garbage':
      return item.bytes.length === item.at.length && item.bytes.length > 0;
  }
}

function itemBytes(item: StreamItem): number[] {
  if (item.kind === 'asb') return [...item.frame];
  if (item.kind === 'garbage') return item.bytes;
  if (item.kind === 'block') return [item.header, ...Array.from(item.text, (c) => c.charCodeAt(0)), 0];
  return [item.byte];
}

/**
 * Any chunks, blocks on or off: never throws, every item carries its kind's pattern, and every
 * byte that came in is in exactly one item (after a flush), at its position, with its value.
 */
function streamProperty() {
  return fc.property(fc.boolean(), fc.array(chunk, { maxLength: 12 }), (blocks, chunks) => {
    const stream = new EscPosStream({ blocks });
    const input = chunks.flatMap((c) => Array.from(c));
    const items = [...chunks.flatMap((c) => stream.push(c)), ...stream.flush()];
    const seen = new Array<number>(input.length).fill(0);
    for (const item of items) {
      if (!itemFits(item)) throw new Error(`a ${item.kind} item without its pattern: ${JSON.stringify(item)}`);
      if (item.kind === 'block' && !blocks) throw new Error('a block with blocks off');
      const bytes = itemBytes(item);
      item.at.forEach((at, i) => {
        if (input[at] !== bytes[i]) throw new Error(`item byte ${i} is not the input byte at ${at}`);
        seen[at]! += 1;
      });
    }
    const wrong = seen.findIndex((count) => count !== 1);
    if (wrong >= 0) throw new Error(`input byte ${wrong} is in ${seen[wrong]} items`);
  });
}

/**
 * From line bytes to a diagnosis, as the probe does it (blocks on): whatever the printer sends
 * for each DLE EOT query, the report is valid evidence, and health is ok only when each of the
 * four replies is a 0xx1xx10 byte that was on the line while that query waited and decodes as
 * all clear. A line without any 0xx1xx10 byte is never ok and never without a finding.
 */
function garbageNeverOkProperty() {
  const query = fc.record({ before: fc.array(chunk, { maxLength: 2 }), after: fc.array(chunk, { maxLength: 3 }) });
  const line = fc.oneof(fc.array(query, { minLength: 4, maxLength: 4 }), fc.array(fc.record({ before: fc.array(noStatusChunk, { maxLength: 2 }), after: fc.array(noStatusChunk, { maxLength: 3 }) }), { minLength: 4, maxLength: 4 }));
  return fc.property(line, fc.subarray([2, 3, 4] as const), (queries, knownSilent) => {
    const reader = new StreamReader({ blocks: true });
    const exchanges: Exchange[] = [];
    const heard: number[][] = [];
    queries.forEach((q, i) => {
      for (const c of q.before) reader.push(c);
      reader.take();
      reader.expect('status');
      for (const c of q.after) reader.push(c);
      heard.push(q.after.flatMap((c) => Array.from(c)));
      exchanges.push(statusExchange(STATUS_QUERIES[i]!, reader.take(), 1));
    });
    const diagnosis = diagnoseEscPos({ exchanges, knownSilent, connection: { opened: true, text: 'mock' } });
    const report = { deviceId: 'p', kind: 'receipt-printer', driver: 'escpos', health: diagnosis.health, findings: diagnosis.findings, checked: diagnosis.checked, checklist: diagnosis.checklist, evidence: { transport: 'tcp', target: 'x', exchanges }, probedAt: new Date(0).toISOString(), durationMs: 0 };
    const parsed = DeviceReport.safeParse(report);
    if (!parsed.success) throw new Error(`not a valid report: ${parsed.error.issues[0]?.message}`);
    const anyStatus = heard.some((bytes) => bytes.some(isStatusPattern));
    if (!anyStatus && (diagnosis.health === 'ok' || diagnosis.findings.length === 0)) throw new Error('a line without a status byte gave no finding');
    if (diagnosis.health !== 'ok') return;
    exchanges.forEach((e, i) => {
      const byte = e.reply === null ? -1 : Number.parseInt(e.reply, 16);
      if (!isStatusPattern(byte) || !heard[i]!.includes(byte)) throw new Error(`ok from ${e.reply}, not a status byte heard for DLE EOT ${i + 1}`);
      // n=1 bit 5 (waiting for online recovery) is undefined on the TM-T88III: not a finding.
      if (e.decoded.some((f) => f.alarm && !(i === 0 && f.field === 'bit 5'))) throw new Error(`ok with an alarm bit set in DLE EOT ${i + 1} = ${e.reply}`);
    });
  });
}

/** GS I over any line: the exchange is valid evidence and valid only with the expected kind. */
function identityProperty() {
  return fc.property(fc.constantFrom(...ONE_BYTE_IDS, ...BLOCK_IDS), fc.array(chunk, { maxLength: 4 }), (n, chunks) => {
    const reader = new StreamReader({ blocks: true });
    reader.expect(n < 65 ? 'byte' : 'block');
    for (const c of chunks) reader.push(c);
    const take = reader.take();
    const exchange = idExchange(n, take, 1);
    const parsed = Exchange.safeParse(exchange);
    if (!parsed.success) throw new Error(`GS I ${n}: not valid evidence: ${parsed.error.issues[0]?.message}`);
    if (exchange.request !== toHex(gsIRequest(n))) throw new Error('wrong request bytes');
    const kindOk = take.reply !== null && (n < 65 ? take.reply.kind === 'byte' : take.reply.kind === 'block' && take.reply.header === 0x5f);
    if (exchange.valid !== kindOk) throw new Error(`GS I ${n}: valid=${exchange.valid} for a ${take.reply?.kind ?? 'missing'} reply`);
  });
}

export const streamFuzzTargets = [
  { name: 'escpos-stream', about: 'EscPosStream: any chunks, blocks on/off; items carry their pattern, every byte in exactly one item', property: streamProperty },
  { name: 'escpos-garbage-never-ok', about: 'line bytes → StreamReader → diagnosis: valid report; ok only from real all-clear status bytes; no status byte → a finding', property: garbageNeverOkProperty },
  { name: 'escpos-gs-i', about: 'GS I replies over any line: valid evidence, valid only with a reply of the expected kind', property: identityProperty, ciRuns: 1_000 },
];
