import { describe, expect, it } from 'vitest';
import { EscPosStream, MAX_BLOCK_DATA, StreamReader, type StreamItem } from './protocol-stream';

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));
/** Items without positions, for reading. */
const kinds = (items: StreamItem[]) =>
  items.map((item) => {
    if (item.kind === 'block') return `block ${item.text}`;
    if (item.kind === 'asb') return `asb ${item.frame.join(',')}`;
    if (item.kind === 'garbage') return `garbage ${item.bytes.join(',')}`;
    return `${item.kind} ${item.byte}`;
  });
const run = (bytes: number[], blocks = true) => {
  const stream = new EscPosStream({ blocks });
  return kinds([...stream.push(bytes), ...stream.flush()]);
};

describe('EscPosStream: every kind the printer sends, told apart', () => {
  it('status, flow, 1-byte reply, ASB frame (XOFF and a status byte inside), block', () => {
    expect(run([0x12, 0x11, 0x20, 0x18, 0x00, 0x13, 0x16, 0x0c, 0x00, 0x5f, ...ascii('TM-T88V'), 0x00])).toEqual([
      'status 18',
      'flow 17',
      'byte 32',
      'flow 19',
      'status 22',
      'asb 24,0,12,0',
      'block TM-T88V',
    ]);
  });
  it('a block split across reads, with XOFF inside', () => {
    const stream = new EscPosStream({ blocks: true });
    const items = [...stream.push([0x5f, 0x31, 0x2e]), ...stream.push([0x13, 0x32, 0x38]), ...stream.push([0x00])];
    expect(kinds(items)).toEqual(['flow 19', 'block 1.28']);
  });
  it(`an over-long block (more than ${MAX_BLOCK_DATA} data bytes) is garbage, and what follows is read afresh`, () => {
    const long = new Array<number>(MAX_BLOCK_DATA + 1).fill(0x41);
    const out = run([0x5f, ...long, 0x12]);
    expect(out[0]).toBe(`garbage ${[0x5f, ...long.slice(0, MAX_BLOCK_DATA)].join(',')}`);
    expect(out.slice(1)).toEqual(['byte 65', 'status 18']); // 'A' = 0x41 fits 0xx0xxxx
  });
  it('a block broken by a non-printable byte is garbage; the byte starts the next item', () => {
    expect(run([0x5f, 0x41, 0x12])).toEqual(['garbage 95,65', 'status 18']);
  });
  it('with blocks off (the ASB watch) 5F is garbage and cannot swallow a frame', () => {
    expect(run([0x5f, 0x38, 0x00, 0x0c, 0x00], false)).toEqual(['garbage 95', 'asb 56,0,12,0']);
    expect(run([0x5f, 0x38, 0x00, 0x0c, 0x00], true)).toEqual(['block 8', 'byte 12', 'byte 0']);
  });
  it('an unfinished frame or block is garbage at flush', () => {
    expect(run([0x18, 0x00])).toEqual(['garbage 24,0']);
    expect(run([0x3d, 0x41])).toEqual(['garbage 61,65']);
  });
});

describe('StreamReader: the reply of the expected kind only', () => {
  it('a GS I block reply, with a stale status byte before it kept as discarded', () => {
    const reader = new StreamReader({ blocks: true });
    reader.expect('block');
    reader.push([0x12, 0x5f, ...ascii('EPSON'), 0x00]);
    const take = reader.take();
    expect(take.reply).toMatchObject({ kind: 'block', text: 'EPSON' });
    expect(Array.from(take.discarded)).toEqual([0x12]);
  });
  it('a status byte is not a 1-byte GS I reply, nor the other way round', () => {
    const reader = new StreamReader({ blocks: true });
    reader.expect('byte');
    reader.push([0x12]);
    expect(reader.hasReply).toBe(false);
    reader.push([0x20]);
    expect(reader.take().reply).toMatchObject({ kind: 'byte', byte: 0x20 });
  });
});
