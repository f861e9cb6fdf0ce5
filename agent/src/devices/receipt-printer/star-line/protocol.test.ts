import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Exchange } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { parseHex } from '../../common/hex';
import { diagnoseStarLine } from './diagnosis';
import { decodeStarFrame, etbCountOf, frameLengthOf, frameProblem, isHeader1, parseStarFrame, versionOf } from './protocol';
import { StarStatusReader, statusExchange } from './protocol-reader';

const HEALTHY = [0x23, 0x04, 0, 0, 0, 0, 0, 0, 0];

describe('Star frame codec', () => {
  it('header 1 length and header 2 version use bits 1-3 and bit 5 [I]', () => {
    expect(frameLengthOf(0x0f)).toBe(7);
    expect(frameLengthOf(0x23)).toBe(9);
    expect(frameLengthOf(0x21)).toBe(8);
    expect(versionOf(0x02)).toBe(1);
    expect(versionOf(0x04)).toBe(2);
    expect(isHeader1(0x23)).toBe(true);
    // bit 4 (XON, XOFF), bit 6 and bit 7 are fixed 0; bit 0 fixed 1
    for (const b of [0x11, 0x13, 0x43, 0x83, 0x22]) expect(isHeader1(b), `0x${b.toString(16)}`).toBe(false);
  });

  it('decodes every documented bit of bytes 3..6 and the ETB counter', () => {
    const status = parseStarFrame([0x23, 0x04, 0x68, 0x6c, 0x48, 0x0e, 0, 0x6e, 0]);
    expect(status?.version).toBe(2);
    expect(status?.flags).toEqual({
      etbExecuted: false,
      drawerSwitchClosed: false,
      offline: true,
      coverOpen: true,
      offlineBySwitch: true,
      mechanicalError: true,
      autoCutterError: true,
      unrecoverableError: true,
      headHighTemperature: true,
      blackMarkError: true,
      receiveBufferOverflow: true,
      nearEndOuter: true,
      nearEndInner: true,
      paperEnd: true,
    });
    expect(status?.etbCounter).toBe(31);
    expect(etbCountOf(0x02)).toBe(1);
    expect(etbCountOf(0x20)).toBe(8);
  });

  it('refuses frames that fail a pattern, a length, or version 0: unknown, never OK', () => {
    expect(frameProblem(HEALTHY)).toBeUndefined();
    expect(frameProblem([0x23, 0x04, 0, 0, 0, 0, 0, 0])).toMatch(/9 bytes but 8 arrived/);
    expect(frameProblem([0x23, 0x04, 0, 0x80, 0, 0, 0, 0, 0])).toMatch(/0\*\*0\*\*\*0/);
    expect(frameProblem([0x23, 0x00, 0, 0, 0, 0, 0, 0, 0])).toMatch(/version 0/);
    expect(frameProblem([0x09, 0x02, 0, 0])).toMatch(/fewer than the 6/);
    expect(decodeStarFrame([0xff, 0, 0, 0, 0, 0, 0])).toEqual([]);
  });

  it('decoded fields are bilingual, Russian first, with alarms only on faults', () => {
    const fields = decodeStarFrame([0x23, 0x04, 0x28, 0, 0, 0, 0, 0, 0]);
    const cover = fields.find((f) => f.field === 'byte 3 bit 5');
    expect(cover).toEqual({ field: 'byte 3 bit 5', set: true, meaning: { ru: 'Крышка открыта', en: 'cover open' }, alarm: true });
    expect(fields.find((f) => f.field === 'header 2 (version)')?.value).toBe('2');
    expect(fields.filter((f) => f.alarm).map((f) => f.field)).toEqual(['byte 3 bit 3', 'byte 3 bit 5']);
  });
});

describe('StarStatusReader', () => {
  it('picks the frame out of XON/XOFF, noise and split chunks', () => {
    const reader = new StarStatusReader();
    reader.expectReply();
    reader.push(Uint8Array.of(0xff, 0x13, 0x23, 0x04));
    reader.push(Uint8Array.of(0x00, 0x11, 0x00, 0x00));
    expect(reader.hasReply).toBe(false);
    reader.push(Uint8Array.of(0x08, 0x00, 0x00, 0x00, 0x13));
    expect(reader.hasReply).toBe(true);
    const take = reader.take();
    expect(take.reply?.bytes).toEqual([0x23, 0x04, 0, 0, 0, 0x08, 0, 0, 0]);
    expect(Array.from(take.discarded)).toEqual([0xff, 0x13, 0x11, 0x13]);
  });

  it('a broken frame is discarded and the breaking byte read anew', () => {
    const reader = new StarStatusReader();
    reader.expectReply();
    reader.push(Uint8Array.of(0x23, 0x04, 0x00, 0x23, ...HEALTHY.slice(1)));
    const take = reader.take();
    expect(take.reply?.bytes).toEqual(HEALTHY);
    expect(Array.from(take.discarded)).toEqual([0x23, 0x04, 0x00]);
  });

  it('frames that come while nothing is asked are unsolicited, never the reply', () => {
    const reader = new StarStatusReader();
    reader.push(Uint8Array.from(HEALTHY));
    expect(reader.unsolicitedFrames).toHaveLength(1);
    reader.expectReply();
    expect(reader.hasReply).toBe(false);
  });

  it('status-pattern bytes straight after a frame count as overrun: the exchange is not valid', () => {
    const reader = new StarStatusReader();
    reader.expectReply();
    reader.push(Uint8Array.of(...HEALTHY, 0x13, 0x00, 0x00));
    const take = reader.take();
    expect(take.reply?.overrun).toBe(2);
    const exchange = statusExchange(take.reply, take.discarded, 3);
    expect(exchange).toMatchObject({ request: '1b 06 01', valid: false, decoded: [] });
    expect(Exchange.safeParse(exchange).success).toBe(true);
  });
});

describe('fixtures (built from the §1.7 tables)', () => {
  const dir = join(import.meta.dirname, 'fixtures');
  for (const name of readdirSync(dir)) {
    const fixture = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { frame: string; codes: string[] | null };
    it(`${name}: ${fixture.codes === null ? 'not a status' : fixture.codes.join(', ') || 'no finding'}`, () => {
      const reader = new StarStatusReader();
      reader.expectReply();
      reader.push(parseHex(fixture.frame));
      const take = reader.take();
      const exchange = statusExchange(take.reply, take.discarded, 5);
      const diagnosis = diagnoseStarLine({ link: { state: 'opened' }, where: 'TCP x:9100', exchanges: [exchange], automatic: false });
      if (fixture.codes === null) {
        expect(exchange.valid).toBe(false);
        expect(diagnosis.findings.map((f) => f.code)).toEqual(['printer.no_reply']);
      } else {
        expect(exchange.valid).toBe(true);
        expect(diagnosis.findings.map((f) => f.code)).toEqual(fixture.codes);
      }
    });
  }
});
