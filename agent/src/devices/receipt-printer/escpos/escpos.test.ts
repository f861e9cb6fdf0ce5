import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Exchange } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { MAX_DISCARDED_BYTES, parseHex, toHex } from '../../common/hex';
import { decodeStatus, dleEotRequest, isRealTimeStatusByte, queryOfRequest, statusExchange, type StatusQuery } from './protocol';
import { ASB_ENABLE_MASK, asbEnableRequest, decodeAsbFrame, isAsbFrame, parseAsbFrame, type AsbFrame } from './protocol-asb';
import { EscPosStream, StreamReader } from './protocol-stream';

/** The status view of the stream reader: the reply byte, the rest. */
class RealTimeStatusReader {
  private readonly reader = new StreamReader({ blocks: false });
  get hasReply() {
    return this.reader.hasReply;
  }
  expectReply() {
    this.reader.expect('status');
  }
  push(chunk: Uint8Array) {
    this.reader.push(chunk);
  }
  take() {
    const { reply, discarded } = this.reader.take();
    return { reply: reply?.kind === 'status' ? reply.byte : null, discarded };
  }
}

/** The ASB view of the stream: frames out, bytes in garbage counted. */
class AsbFrameReader {
  private stream = new EscPosStream({ blocks: false });
  skippedBytes = 0;
  push(chunk: Uint8Array | readonly number[]): AsbFrame[] {
    const items = this.stream.push(chunk);
    for (const item of items) if (item.kind === 'garbage') this.skippedBytes += item.bytes.length;
    return items.flatMap((item) => (item.kind === 'asb' ? [item.frame] : []));
  }
  reset() {
    this.stream.flush();
  }
}

const setFields = (n: StatusQuery, byte: number) => decodeStatus(n, byte).filter((f) => f.set).map((f) => f.field);
const alarmFields = (n: StatusQuery, byte: number) => decodeStatus(n, byte).filter((f) => f.alarm).map((f) => f.field);

describe('DLE EOT request', () => {
  it('is 10 04 n', () => {
    expect(Array.from(dleEotRequest(1))).toEqual([0x10, 0x04, 0x01]);
    expect(Array.from(dleEotRequest(4))).toEqual([0x10, 0x04, 0x04]);
  });
  it('maps request bytes and evidence hex back to the query', () => {
    expect(queryOfRequest('10 04 03')).toBe(3);
    expect(queryOfRequest(dleEotRequest(2))).toBe(2);
    expect(queryOfRequest('10 04 05')).toBeUndefined();
    expect(queryOfRequest('1d 72 01')).toBeUndefined();
  });
});

describe('real-time status pattern 0xx1xx10', () => {
  it.each([0x12, 0x16, 0x1a, 0x1e, 0x32, 0x52, 0x72, 0x7e])('accepts byte %i', (byte) => {
    expect(isRealTimeStatusByte(byte)).toBe(true);
  });
  it.each([
    [0x00, 'all clear'],
    [0xff, 'all set'],
    [0x80, 'bit 7 set'],
    [0x10, 'bit 1 clear (ASB first byte)'],
    [0x13, 'XOFF, bit 0 set'],
    [0x11, 'XON'],
    [0x02, 'bit 4 clear'],
    [0x92, 'bit 7 set on an otherwise valid byte'],
    [0x13 | 0x02, 'bit 0 set'],
  ])('rejects byte %i (%s)', (byte) => {
    expect(isRealTimeStatusByte(byte)).toBe(false);
  });
  it('decodes nothing from an invalid byte, for every query: invalid is unknown, never OK', () => {
    for (const n of [1, 2, 3, 4] as const) {
      for (const byte of [0x00, 0xff, 0x80, 0x10, 0x72 | 0x80, 0x72 & ~0x02]) expect(decodeStatus(n, byte)).toEqual([]);
    }
  });
});

describe('DLE EOT 1: printer status, bit by bit', () => {
  it('0x12 is online with nothing set', () => {
    expect(setFields(1, 0x12)).toEqual([]);
    expect(decodeStatus(1, 0x12).find((f) => f.field === 'bit 3')?.meaning).toEqual({ ru: 'Принтер в работе (онлайн)', en: 'online' });
  });
  it.each([
    [2, 'bit 2', 'drawer kick-out connector pin 3: HIGH', false],
    [3, 'bit 3', 'offline', true],
    [5, 'bit 5', 'waiting for online recovery', true],
    [6, 'bit 6', 'FEED button pressed', false],
  ])('bit %i alone → %s', (bitNo, field, en, alarm) => {
    const byte = 0x12 | (1 << bitNo);
    expect(setFields(1, byte)).toEqual([field]);
    const decoded = decodeStatus(1, byte).find((f) => f.field === field);
    expect(decoded?.meaning.en).toBe(en);
    expect(decoded?.meaning.ru.length).toBeGreaterThan(0);
    expect(decoded?.alarm).toBe(alarm);
  });
});

describe('DLE EOT 2: offline cause, bit by bit', () => {
  it.each([
    [2, 'bit 2', 'cover open', true],
    [3, 'bit 3', 'paper being fed by the FEED button', false],
    [5, 'bit 5', 'printing stopped by paper end', true],
    [6, 'bit 6', 'error occurred', true],
  ])('bit %i alone → %s', (bitNo, field, en, alarm) => {
    const byte = 0x12 | (1 << bitNo);
    expect(setFields(2, byte)).toEqual([field]);
    const decoded = decodeStatus(2, byte).find((f) => f.field === field);
    expect(decoded?.meaning.en).toBe(en);
    expect(decoded?.alarm).toBe(alarm);
  });
});

describe('DLE EOT 3: error cause, bit by bit', () => {
  it.each([
    [2, 'bit 2', 'recoverable (mechanical) error'],
    [3, 'bit 3', 'auto-cutter error'],
    [5, 'bit 5', 'unrecoverable error'],
    [6, 'bit 6', 'auto-recoverable error (head overheated or cover opened while printing)'],
  ])('bit %i alone → %s', (bitNo, field, en) => {
    const byte = 0x12 | (1 << bitNo);
    expect(setFields(3, byte)).toEqual([field]);
    expect(alarmFields(3, byte)).toEqual([field]);
    expect(decodeStatus(3, byte).find((f) => f.field === field)?.meaning.en).toBe(en);
  });
  it('reports several errors at once', () => {
    expect(setFields(3, 0x12 | 0x08 | 0x20)).toEqual(['bit 3', 'bit 5']);
  });
});

describe('DLE EOT 4: roll paper sensor bit pairs', () => {
  it('0x12: paper adequate and present', () => {
    expect(setFields(4, 0x12)).toEqual([]);
    expect(decodeStatus(4, 0x12).map((f) => f.meaning.en)).toEqual(['paper near-end sensor: paper adequate', 'paper end sensor: paper present']);
  });
  it('0x1e: near end (bits 2,3)', () => {
    expect(setFields(4, 0x1e)).toEqual(['bits 2,3']);
  });
  it('0x72: paper end (bits 5,6)', () => {
    expect(setFields(4, 0x72)).toEqual(['bits 5,6']);
    expect(decodeStatus(4, 0x72).find((f) => f.field === 'bits 5,6')?.meaning).toEqual({
      ru: 'Датчик конца бумаги: нет бумаги',
      en: 'paper end sensor: no paper',
    });
  });
  it('0x7e: near end and paper end together', () => {
    expect(setFields(4, 0x7e)).toEqual(['bits 2,3', 'bits 5,6']);
  });
  it.each([
    [0x12 | 0x04, 'bit 2 only'],
    [0x12 | 0x08, 'bit 3 only'],
    [0x12 | 0x20, 'bit 5 only'],
    [0x12 | 0x40, 'bit 6 only'],
  ])('a half pair (byte %i, %s) is not the condition', (byte) => {
    expect(setFields(4, byte)).toEqual([]);
  });
  it('precedence: a byte without bit 5 is not paper end even with bit 6 set (b & M === M trap)', () => {
    // With `byte & 0x60 === 0x60` JS would compute byte & true → 0/1 and report nonsense.
    expect(setFields(4, 0x52)).toEqual([]);
  });
});

describe('fixtures (recorded reply bytes)', () => {
  const dir = join(import.meta.dirname, 'fixtures');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  it('has the worked examples from devices.md §1.1', () => {
    expect(files).toEqual(expect.arrayContaining(['baseline-n1-0x12.json', 'online-drawer-high-n1-0x16.json', 'paper-end-n4-0x72.json', 'near-end-n4-0x1e.json']));
  });
  for (const file of files) {
    const fixture = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      name: string;
      kind: 'status-byte' | 'stream';
      query: StatusQuery;
      bytes?: string;
      chunks?: string[];
      expected: { valid?: boolean; set?: string[]; alarms?: string[]; reply?: string | null; discarded?: string };
    };
    it(`${fixture.name} decodes as recorded`, () => {
      expect(`${fixture.name}.json`).toBe(file);
      if (fixture.kind === 'status-byte') {
        const byte = parseHex(fixture.bytes ?? '')[0] ?? -1;
        expect(isRealTimeStatusByte(byte)).toBe(fixture.expected.valid);
        expect(setFields(fixture.query, byte)).toEqual(fixture.expected.set);
        expect(alarmFields(fixture.query, byte)).toEqual(fixture.expected.alarms);
      } else {
        const reader = new RealTimeStatusReader();
        reader.expectReply();
        for (const chunk of fixture.chunks ?? []) reader.push(parseHex(chunk));
        const { reply, discarded } = reader.take();
        expect(reply === null ? null : toHex([reply])).toBe(fixture.expected.reply);
        expect(toHex(discarded)).toBe(fixture.expected.discarded);
      }
    });
  }
});

describe('RealTimeStatusReader over an inbound stream', () => {
  const read = (chunks: number[][], { expect: expecting = true } = {}) => {
    const reader = new RealTimeStatusReader();
    if (expecting) reader.expectReply();
    for (const chunk of chunks) reader.push(Uint8Array.from(chunk));
    const { reply, discarded } = reader.take();
    return { reply, discarded: toHex(discarded) };
  };

  it('takes a lone reply byte', () => {
    expect(read([[0x12]])).toEqual({ reply: 0x12, discarded: '' });
  });
  it('skips XON/XOFF before and after the reply', () => {
    expect(read([[0x11, 0x13, 0x1a, 0x11]])).toEqual({ reply: 0x1a, discarded: '11 13 11' });
  });
  it('sets aside a whole ASB frame received before the reply, even split across chunks', () => {
    // ASB: offline + cover open (0x10|0x08|0x20 = 0x38), no error, paper end (0x0c), reserved.
    expect(read([[0x38], [0x00, 0x0c], [0x00, 0x16]])).toEqual({ reply: 0x16, discarded: '38 00 0c 00' });
  });
  it('skips an XOFF inside an ASB frame', () => {
    expect(read([[0x18, 0x00, 0x13, 0x03, 0x00, 0x12]])).toEqual({ reply: 0x12, discarded: '18 00 13 03 00' });
  });
  it('a reply interrupting an ASB frame still counts', () => {
    expect(read([[0x18, 0x00, 0x1e]])).toEqual({ reply: 0x1e, discarded: '18 00' });
  });
  it('ignores an echo of the request', () => {
    expect(read([[0x10, 0x04, 0x01], [0x12]])).toEqual({ reply: 0x12, discarded: '10 04 01' });
  });
  it('garbage only: no reply, every byte kept as evidence', () => {
    expect(read([[0xff, 0x00], [0x80]])).toEqual({ reply: null, discarded: 'ff 00 80' });
  });
  it('a flooded line (a chatty device on port 9100) still yields evidence the console accepts', () => {
    // 5,000 garbage bytes then the reply: the evidence keeps the first MAX_DISCARDED_BYTES of them,
    // so the report is not refused as a whole (and with it the other devices' reports).
    const reader = new StreamReader();
    reader.expect('status');
    reader.push(new Uint8Array(5_000).fill(0xff));
    reader.push(Uint8Array.of(0x12));
    const exchange = statusExchange(1, reader.take(), 800);
    expect(Exchange.safeParse(exchange).success).toBe(true);
    expect(exchange).toMatchObject({ valid: true, reply: '12' });
    expect(parseHex(exchange.discarded)).toEqual(new Uint8Array(MAX_DISCARDED_BYTES).fill(0xff));
  });
  it('takes only the first valid byte; a second one is discarded', () => {
    expect(read([[0x12, 0x1a]])).toEqual({ reply: 0x12, discarded: '1a' });
  });
  it('bytes arriving while no reply is expected are stale, even when they look valid', () => {
    expect(read([[0x16, 0x72]], { expect: false })).toEqual({ reply: null, discarded: '16 72' });
  });
  it('stale bytes before a query go to that query’s discarded bytes, the answer after them is the reply', () => {
    const reader = new RealTimeStatusReader();
    reader.push(Uint8Array.of(0x1a)); // late reply to an earlier query
    reader.expectReply();
    reader.push(Uint8Array.of(0x12));
    const { reply, discarded } = reader.take();
    expect(reply).toBe(0x12);
    expect(toHex(discarded)).toBe('1a');
  });
  it('take() resets for the next query', () => {
    const reader = new RealTimeStatusReader();
    reader.expectReply();
    reader.push(Uint8Array.of(0x12));
    reader.take();
    expect(reader.hasReply).toBe(false);
    reader.push(Uint8Array.of(0x72));
    expect(reader.take()).toEqual({ reply: null, discarded: Uint8Array.of(0x72) });
  });
});

describe('ASB: GS a n and the frame pattern', () => {
  it('GS a 0x0f: drawer, online/offline, error and roll paper items', () => {
    expect(Array.from(asbEnableRequest())).toEqual([0x1d, 0x61, 0x0f]);
    expect(ASB_ENABLE_MASK).toBe(0b0000_1111);
  });
  it.each<[string, number[], boolean]>([
    ['healthy', [0x10, 0x00, 0x00, 0x00], true],
    ['cover open, paper end and near end', [0x38, 0x00, 0x0f, 0x00], true],
    ['every data bit set', [0x7c, 0x6f, 0x6f, 0x6f], true],
    ['a DLE EOT reply as first byte (bit 1 set)', [0x12, 0x00, 0x00, 0x00], false],
    ['bit 7 set in byte 1', [0x90, 0x00, 0x00, 0x00], false],
    ['bit 4 set in byte 2', [0x10, 0x10, 0x00, 0x00], false],
    ['bit 7 set in byte 4', [0x10, 0x00, 0x00, 0x80], false],
    ['three bytes', [0x10, 0x00, 0x00], false],
    ['five bytes', [0x10, 0x00, 0x00, 0x00, 0x00], false],
  ])('%s → valid %s', (_name, bytes, valid) => {
    expect(isAsbFrame(bytes)).toBe(valid);
    expect(parseAsbFrame(bytes) !== undefined).toBe(valid);
    expect(decodeAsbFrame(bytes).length > 0).toBe(valid);
  });
});

describe('ASB frame decoding, bit by bit (docs/devices.md §1.3)', () => {
  const setAsb = (frame: number[]) => decodeAsbFrame(frame).filter((f) => f.set).map((f) => f.field);
  it('healthy: nothing set, twelve fields decoded, byte 4 left alone', () => {
    expect(setAsb([0x10, 0x00, 0x00, 0x00])).toEqual([]);
    expect(decodeAsbFrame([0x10, 0x00, 0x00, 0x4f])).toHaveLength(12);
    expect(setAsb([0x10, 0x00, 0x00, 0x4f])).toEqual([]);
  });
  it.each<[string, number[], string, string, boolean]>([
    ['drawer', [0x14, 0, 0, 0], 'byte 1 bit 2', 'drawer kick-out connector pin 3: HIGH', false],
    ['offline', [0x18, 0, 0, 0], 'byte 1 bit 3', 'offline', true],
    ['cover', [0x30, 0, 0, 0], 'byte 1 bit 5', 'cover open', true],
    ['feeding', [0x50, 0, 0, 0], 'byte 1 bit 6', 'paper being fed by the FEED button', false],
    ['waiting for recovery', [0x10, 0x01, 0, 0], 'byte 2 bit 0', 'waiting for online recovery', true],
    ['FEED pushed', [0x10, 0x02, 0, 0], 'byte 2 bit 1', 'FEED button pressed', false],
    ['recoverable', [0x10, 0x04, 0, 0], 'byte 2 bit 2', 'recoverable (mechanical) error', true],
    ['cutter', [0x10, 0x08, 0, 0], 'byte 2 bit 3', 'auto-cutter error', true],
    ['unrecoverable', [0x10, 0x20, 0, 0], 'byte 2 bit 5', 'unrecoverable error', true],
    ['auto-recoverable', [0x10, 0x40, 0, 0], 'byte 2 bit 6', 'auto-recoverable error (head overheated or cover opened while printing)', true],
    ['near end', [0x10, 0, 0x03, 0], 'byte 3 bits 0,1', 'paper near-end sensor: paper near end', true],
    ['paper end', [0x10, 0, 0x0c, 0], 'byte 3 bits 2,3', 'paper end sensor: no paper', true],
  ])('%s', (_name, frame, field, en, alarm) => {
    expect(setAsb(frame)).toEqual([field]);
    const decoded = decodeAsbFrame(frame).find((f) => f.field === field);
    expect(decoded?.meaning.en).toBe(en);
    expect(decoded?.meaning.ru.length).toBeGreaterThan(0);
    expect(decoded?.alarm).toBe(alarm);
  });
  it('a half paper pair is not the condition, as with DLE EOT 4', () => {
    for (const third of [0x01, 0x02, 0x04, 0x08]) expect(setAsb([0x10, 0x00, third, 0x00])).toEqual([]);
  });
  it('parseAsbFrame maps the frame onto the DLE EOT flags for the same conditions', () => {
    const status = parseAsbFrame([0x38, 0x08, 0x0c, 0x00]);
    expect(status?.flags[1]).toMatchObject({ offline: true, drawerPin3High: false });
    expect(status?.flags[2]).toEqual({ coverOpen: true, feedingByButton: false, stoppedByPaperEnd: false, errorOccurred: false });
    expect(status?.flags[3]).toMatchObject({ autoCutterError: true, unrecoverableError: false });
    expect(status?.flags[4]).toEqual({ nearEnd: false, paperEnd: true });
  });
});

describe('AsbFrameReader over an inbound stream', () => {
  const frames = (chunks: number[][]) => {
    const reader = new AsbFrameReader();
    return chunks.flatMap((chunk) => reader.push(Uint8Array.from(chunk)).map((frame) => toHex(frame)));
  };

  it('one frame in one read', () => {
    expect(frames([[0x38, 0x00, 0x0c, 0x00]])).toEqual(['38 00 0c 00']);
  });
  it('a frame split across reads in every possible way', () => {
    const frame = [0x18, 0x08, 0x03, 0x00];
    for (const cuts of [[1], [2], [3], [1, 2], [1, 3], [2, 3], [1, 2, 3]]) {
      const chunks: number[][] = [];
      let from = 0;
      for (const cut of [...cuts, 4]) {
        chunks.push(frame.slice(from, cut));
        from = cut;
      }
      expect(frames(chunks), `cuts at ${cuts.join(',')}`).toEqual(['18 08 03 00']);
    }
  });
  it('one byte per read (TM-m30III sent status bytes as separate events)', () => {
    expect(frames([[0x10], [0x00], [0x00], [0x00], [0x38], [0x00], [0x00], [0x00]])).toEqual(['10 00 00 00', '38 00 00 00']);
  });
  it('XON/XOFF inside and around a frame are skipped', () => {
    expect(frames([[0x11, 0x38, 0x13], [0x00, 0x11, 0x0c], [0x13, 0x00, 0x11]])).toEqual(['38 00 0c 00']);
  });
  it('a DLE EOT reply interleaved in a frame is skipped (it is the poll’s), the frame survives', () => {
    expect(frames([[0x38, 0x00, 0x12, 0x0c, 0x00]])).toEqual(['38 00 0c 00']);
  });
  it('DLE EOT replies and GS I / GS r bytes outside a frame are not frames', () => {
    expect(frames([[0x12, 0x16, 0x72, 0x00, 0x03, 0x0c]])).toEqual([]);
  });
  it('garbage between frames, and a frame broken by garbage, are dropped; the next frame is read', () => {
    expect(frames([[0xff, 0x10, 0x00, 0x80, 0x00, 0x00, 0x38, 0x00, 0x00, 0x00, 0xfe]])).toEqual(['38 00 00 00']);
  });
  it('a new first byte restarts a broken frame', () => {
    expect(frames([[0x18, 0x00], [0x38, 0x00, 0x00, 0x00]])).toEqual(['38 00 00 00']);
  });
  it('random garbage never throws and every frame it yields carries the pattern', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const reader = new AsbFrameReader();
    for (let i = 0; i < 200; i += 1) {
      const chunk = Array.from({ length: 1 + Math.floor(random() * 16) }, () => Math.floor(random() * 256));
      for (const frame of reader.push(chunk)) expect(isAsbFrame(frame)).toBe(true);
    }
    expect(reader.skippedBytes).toBeGreaterThan(0);
  });
  it('reset() forgets a partial frame', () => {
    const reader = new AsbFrameReader();
    reader.push([0x38, 0x00]);
    reader.reset();
    expect(reader.push([0x00, 0x00])).toEqual([]);
  });
});
