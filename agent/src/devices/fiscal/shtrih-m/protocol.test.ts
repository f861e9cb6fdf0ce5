import { describe, expect, it } from 'vitest';
import {
  ACK,
  ALLOWED_COMMANDS,
  CommandNotAllowedError,
  encodeFrame,
  FrameReader,
  frameCommand,
  lrc,
  NAK,
  passwordBytes,
  requestFrame,
  type AllowedCommand,
  type ReaderEvent,
} from './protocol';
import { toHex } from '../../common/hex';

const bytes = (hex: string) => Uint8Array.from(hex.trim().split(/\s+/), (h) => Number.parseInt(h, 16));

describe('request frames', () => {
  // The ready-made frames of docs/devices.md §3.1 (password 30), byte for byte.
  it.each([
    ['0x10', 0x10, '02 05 10 1E 00 00 00 0B'],
    ['0x11', 0x11, '02 05 11 1E 00 00 00 0A'],
    ['0xFF01', 0xff01, '02 06 FF 01 1E 00 00 00 E6'],
    ['0xFF03', 0xff03, '02 06 FF 03 1E 00 00 00 E4'],
    ['0xFF39', 0xff39, '02 06 FF 39 1E 00 00 00 DE'],
    ['0xFF3F', 0xff3f, '02 06 FF 3F 1E 00 00 00 D8'],
    ['0xFF40', 0xff40, '02 06 FF 40 1E 00 00 00 A7'],
  ] as const)('%s with the default password is devices.md\'s frame', (_name, command, frame) => {
    expect(toHex(requestFrame(command))).toBe(frame.toLowerCase());
  });

  it('0xFC goes without a password', () => {
    expect(toHex(requestFrame(0xfc, 12345))).toBe('02 01 fc fd');
  });

  it('the password is 4 bytes little-endian and changes the LRC', () => {
    expect(passwordBytes(30)).toEqual([0x1e, 0, 0, 0]);
    expect(passwordBytes(0x12345678)).toEqual([0x78, 0x56, 0x34, 0x12]);
    expect(toHex(requestFrame(0x10, 0x12345678))).toBe('02 05 10 78 56 34 12 ' + lrc([0x10, 0x78, 0x56, 0x34, 0x12]).toString(16).padStart(2, '0'));
    expect(() => passwordBytes(-1)).toThrow(RangeError);
    expect(() => passwordBytes(2 ** 32)).toThrow(RangeError);
  });

  it('LRC is LEN xor every CMD/DATA byte', () => {
    expect(lrc([0x10, 0x1e, 0, 0, 0])).toBe(0x0b);
    expect(lrc([0xff, 0x01, 0x1e, 0, 0, 0])).toBe(0xe6);
    expect(lrc([])).toBe(0);
  });

  it('refuses every command outside the allow-list, at compile time and at run time', () => {
    // @ts-expect-error 0x80 (sale) is not an AllowedCommand: this line must not compile
    expect(() => requestFrame(0x80)).toThrow(CommandNotAllowedError);
    const built: number[] = [];
    for (let code = 0; code <= 0xffff; code += 1) {
      try {
        requestFrame(code as AllowedCommand);
        built.push(code);
      } catch (error) {
        if (!(error instanceof CommandNotAllowedError)) throw error;
      }
    }
    expect(built).toEqual([...ALLOWED_COMMANDS]);
    expect([...ALLOWED_COMMANDS]).toEqual([0x10, 0x11, 0xfc, 0xff01, 0xff03, 0xff39, 0xff3f, 0xff40]);
  });

  it('encodeFrame refuses an empty or oversized payload', () => {
    expect(() => encodeFrame([])).toThrow(RangeError);
    expect(() => encodeFrame(new Uint8Array(256))).toThrow(RangeError);
    expect(encodeFrame(new Uint8Array(255)).length).toBe(258);
  });

  it('reads one- and two-byte command codes', () => {
    expect(frameCommand(bytes('10 00'))).toEqual({ code: 0x10, size: 1 });
    expect(frameCommand(bytes('ff 39 00'))).toEqual({ code: 0xff39, size: 2 });
    expect(frameCommand(bytes('ff'))).toBeUndefined();
    expect(frameCommand(new Uint8Array(0))).toBeUndefined();
  });
});

const frameOf = (events: ReaderEvent[]) => events.filter((e) => e.type === 'frame');

describe('FrameReader', () => {
  const reply = encodeFrame(bytes('10 00 01 82 02 04 00 00'));

  it('yields ACK and NAK and skips fillers', () => {
    const reader = new FrameReader();
    expect(reader.push([0xff, 0xff, ACK, 0xff, NAK])).toEqual([
      { type: 'control', byte: ACK },
      { type: 'control', byte: NAK },
    ]);
    expect(reader.fillers).toBe(3);
  });

  it('assembles a frame split anywhere, 0xFF inside it being data', () => {
    const withFf = encodeFrame(bytes('ff 01 00 ff ff'));
    for (let cut = 0; cut <= withFf.length; cut += 1) {
      const reader = new FrameReader();
      const events = [...reader.push(withFf.slice(0, cut)), ...reader.push(withFf.slice(cut))];
      expect(events).toEqual([{ type: 'frame', payload: withFf.slice(2, -1), lrcOk: true, raw: withFf }]);
    }
  });

  it('flags a bad LRC instead of dropping or accepting the frame', () => {
    const broken = Uint8Array.from(reply);
    broken[broken.length - 1]! ^= 0x01;
    const [event] = new FrameReader().push(broken);
    expect(event).toMatchObject({ type: 'frame', lrcOk: false });
  });

  it('reports stray bytes as garbage and still finds the frame after them', () => {
    const reader = new FrameReader();
    const events = reader.push([0x00, 0x41, ...reply, 0x13]);
    expect(events[0]).toEqual({ type: 'garbage', bytes: bytes('00 41') });
    expect(frameOf(events)).toHaveLength(1);
    expect(events.at(-1)).toEqual({ type: 'garbage', bytes: bytes('13') });
  });

  it('LEN 0 is not a frame', () => {
    const reader = new FrameReader();
    expect(reader.push([0x02, 0x00])).toEqual([{ type: 'garbage', bytes: bytes('02 00') }]);
    expect(reader.inFrame).toBe(false);
    expect(frameOf(reader.push(reply))).toHaveLength(1);
  });

  it('abandonFrame ends a frame cut short, and the next STX starts clean', () => {
    const reader = new FrameReader();
    reader.push(reply.slice(0, 5));
    expect(reader.inFrame).toBe(true);
    expect(reader.abandonFrame()).toEqual({ type: 'garbage', bytes: reply.slice(0, 5) });
    expect(reader.abandonFrame()).toBeUndefined();
    expect(frameOf(reader.push(reply))).toEqual([{ type: 'frame', payload: reply.slice(2, -1), lrcOk: true, raw: reply }]);
  });
});
