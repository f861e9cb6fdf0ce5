import { DecodedField } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { deviceError, FN_ERRORS, FR_ERRORS } from './errors';
import { ALLOWED_COMMANDS, type AllowedCommand } from './protocol';
import { decodeReply, wallClock, type DecodedReply } from './replies';

// Reply payloads (CMD ERR DATA), written out by hand from the layouts in docs/devices.md §3.1.
const bytes = (hex: string) => Uint8Array.from(hex.trim().split(/\s+/), (h) => Number.parseInt(h, 16));
const ascii = (text: string) => Array.from(Buffer.from(text, 'latin1'), (b) => b.toString(16).padStart(2, '0')).join(' ');

const SHORT_STATUS = '10 00 1e 82 02 02 00 00 9a b4 00 00 00 00 00 00';
// firmware "A4" build 0x1234, 17.05.23; doc 0x0102; flags 0x0282; mode 2; submode 0; port 1;
// FP "A1" build 1, 01.01.20; clock 03.02.26 14:25:36; FP flags 0; serial 0x00BC614E (12345678);
// last shift 0x0007; free 0; registrations 1 done, 3 left; INN 6 bytes
const FULL_STATUS =
  '11 00 1e 41 34 34 12 11 05 17 01 02 01 82 02 02 00 01 41 31 01 00 01 01 14 03 02 1a 0e 19 24 00 4e 61 bc 00 07 00 00 00 01 03 00 00 00 00 00 00';
const DEVICE_TYPE = `fc 00 00 00 01 0d 13 00 ${ascii('SHTRIH-M-01F  ')}`;
// phase 3, no document, no data, shift open, warnings 0x06 (30 days + archive 90 %),
// last doc 26-02-03 14:25, FN serial, last FD 0x00001234
const FN_STATUS = `ff 01 00 03 00 00 01 06 1a 02 03 0e 19 ${ascii('9999078900012345')} 34 12 00 00`;
const FN_VALIDITY = 'ff 03 00 1b 03 1f 0b 01';
// connected, message pending; 3 unsent from FD 0x1230 at 26-01-20 09:05
const OFD_STATUS = 'ff 39 00 03 00 03 00 30 12 00 00 1a 01 14 09 05';
const UNCONFIRMED = 'ff 3f 00 03 00';
const SHIFT = 'ff 40 00 01 2a 00 05 00';

function ok<C extends AllowedCommand>(reply: DecodedReply<C>) {
  if (reply.status !== 'ok') throw new Error(`expected ok, got ${reply.status}: ${'reason' in reply ? reply.reason : ''}`);
  for (const field of reply.fields) DecodedField.parse(field);
  return reply;
}

describe('decodeReply: OK replies', () => {
  it('0x10 short status: flags, mode and submode', () => {
    const reply = ok(decodeReply(0x10, bytes(SHORT_STATUS)));
    expect(reply.value).toMatchObject({ operator: 30, flags: 0x0282, mode: 2, modeStatus: 0, submode: 0, batteryVoltage: 0x9a, supplyVoltage: 0xb4 });
    expect(reply.value.flagBits).toMatchObject({ receiptRoll: true, receiptOptical: true, receiptLeverDown: true, coverOpen: false, journalRoll: false });
    expect(reply.fields.find((f) => f.field === 'byte 4 (mode)')).toMatchObject({ value: '2.0', alarm: false, meaning: { en: 'shift open, under 24 hours' } });
    expect(reply.fields.filter((f) => f.alarm)).toEqual([]);
    expect(reply.fields.length).toBeLessThanOrEqual(48);
  });

  it('0x10: no paper and cover open are alarms; mode 3 and submode 2 too', () => {
    // flags 0x0400 (cover up, no roll, no paper at the optical sensor); mode 3; submode 2
    const reply = ok(decodeReply(0x10, bytes('10 00 1e 00 04 03 02 00 9a b4 00 00 00 00 00 00')));
    expect(reply.value.flagBits).toMatchObject({ receiptRoll: false, receiptOptical: false, coverOpen: true });
    expect(reply.fields.filter((f) => f.alarm).map((f) => f.field)).toEqual(['flags bit 1', 'flags bit 7', 'flags bit 10', 'byte 4 (mode)', 'byte 5 (submode)']);
  });

  it('0x10 mode 8 carries the kind of open document in the high nibble', () => {
    const reply = ok(decodeReply(0x10, bytes('10 00 1e 82 02 28 00 00 9a b4 00 00 00 00 00 00')));
    expect(reply.value).toMatchObject({ mode: 8, modeStatus: 2 });
    expect(reply.fields.find((f) => f.field === 'byte 4 (mode)')?.meaning.en).toBe('document open: sale return');
  });

  it('0x11 full status: firmware, serial and the register clock', () => {
    const reply = ok(decodeReply(0x11, bytes(FULL_STATUS)));
    expect(reply.value).toMatchObject({
      firmware: 'A.4 build 4660 (2023-05-17)',
      documentNumber: 0x0102,
      mode: 2,
      clock: '2026-02-03T14:25:36',
      serial: '12345678',
      lastClosedShift: 7,
      registrationsDone: 1,
      registrationsLeft: 3,
    });
  });

  it('0x11: a zeroed clock is not a date and is flagged', () => {
    const zeroed = bytes(FULL_STATUS);
    zeroed.fill(0, 25, 31); // cmd at 0: body offsets 24-29 are payload 25-30
    const reply = ok(decodeReply(0x11, zeroed));
    expect(reply.value.clock).toBeUndefined();
    expect(reply.fields.find((f) => f.field === 'bytes 24-29 (clock)')).toMatchObject({ alarm: true, value: '0x00 0x00 0x00 0x00 0x00 0x00' });
  });

  it('0xFC device type: model and CP1251 name', () => {
    const reply = ok(decodeReply(0xfc, bytes(DEVICE_TYPE)));
    expect(reply.value).toEqual({ type: 0, subtype: 0, protocolVersion: 1, protocolSubversion: 13, model: 19, language: 0, name: 'SHTRIH-M-01F' });
    const cyrillic = ok(decodeReply(0xfc, bytes('fc 00 00 00 01 0d 13 00 d8 d2 d0 c8 d5')));
    expect(cyrillic.value.name).toBe('ШТРИХ');
  });

  it('0xFF01 FN status: phase, shift, warnings, serial, last FD', () => {
    const reply = ok(decodeReply(0xff01, bytes(FN_STATUS)));
    expect(reply.value).toMatchObject({
      phase: 3,
      phaseName: { en: 'fiscal mode' },
      currentDocument: 0,
      shiftOpen: true,
      warnings: 0x06,
      warningFlags: { replaceUrgently: false, resourceExhausted: true, archiveNearlyFull: true, ofdTimeout: false, criticalError: false },
      lastDocumentAt: '2026-02-03T14:25:00',
      fnSerial: '9999078900012345',
      lastDocumentNumber: 0x1234,
    });
    expect(reply.fields.filter((f) => f.alarm).map((f) => f.field)).toEqual(['FN warnings bit 1', 'FN warnings bit 2']);
  });

  it('0xFF01: the critical-error bit is 7 by default and 6 when configured', () => {
    const payload = bytes(FN_STATUS);
    payload[7] = 0x80;
    expect(ok(decodeReply(0xff01, payload)).value.warningFlags.criticalError).toBe(true);
    expect(ok(decodeReply(0xff01, payload, { criticalErrorBit: 6 })).value.warningFlags.criticalError).toBe(false);
    payload[7] = 0x40;
    const bit6 = ok(decodeReply(0xff01, payload, { criticalErrorBit: 6 }));
    expect(bit6.value.warningFlags.criticalError).toBe(true);
    expect(bit6.fields.filter((f) => f.alarm).map((f) => f.field)).toEqual(['FN warnings bit 6']);
  });

  it('0xFF01: a shift byte other than 0/1 is unknown, never "closed"', () => {
    const payload = bytes(FN_STATUS);
    payload[6] = 0x07;
    const reply = ok(decodeReply(0xff01, payload));
    expect(reply.value.shiftOpen).toBeUndefined();
    expect(reply.fields.find((f) => f.field === 'byte 4 (shift)')?.alarm).toBe(true);
  });

  it('0xFF03 FN validity (binary Y M D + 2000)', () => {
    expect(ok(decodeReply(0xff03, bytes(FN_VALIDITY))).value).toEqual({ validUntil: '2027-03-31', registrationsLeft: 11, registrationsDone: 1 });
    expect(ok(decodeReply(0xff03, bytes('ff 03 00 1b 02 1e 0b 01'))).value.validUntil).toBeUndefined(); // 30 February
  });

  it('0xFF39 OFD exchange: count, first unsent number and time', () => {
    expect(ok(decodeReply(0xff39, bytes(OFD_STATUS))).value).toEqual({
      status: 3,
      connected: true,
      readState: 0,
      unsentCount: 3,
      firstUnsentNumber: 0x1230,
      firstUnsentAt: '2026-01-20T09:05:00',
    });
    const none = ok(decodeReply(0xff39, bytes('ff 39 00 01 00 00 00 00 00 00 00 00 00 00 00 00')));
    expect(none.value).toMatchObject({ unsentCount: 0, firstUnsentAt: undefined });
  });

  it('0xFF3F and 0xFF40', () => {
    expect(ok(decodeReply(0xff3f, bytes(UNCONFIRMED))).value).toEqual({ count: 3 });
    expect(ok(decodeReply(0xff40, bytes(SHIFT))).value).toEqual({ shiftOpen: true, shiftNumber: 42, receiptNumber: 5 });
  });
});

describe('decodeReply: errors and garbage', () => {
  it('an FN command reads the FN table first, then the FR table', () => {
    const expired = decodeReply(0xff01, bytes('ff 01 05'));
    expect(expired).toMatchObject({ status: 'error', error: { table: 'fn', code: 5, kind: 'fn_expired', known: true } });
    expect(expired.fields).toEqual([{ field: 'byte 0 (error)', set: true, value: '0x05', meaning: FN_ERRORS.get(5)!.text, alarm: true }]);
    expect(decodeReply(0xff39, bytes('ff 39 15'))).toMatchObject({ status: 'error', error: { table: 'fn', kind: 'ofd_blocked' } });
    expect(decodeReply(0xff01, bytes('ff 01 4f'))).toMatchObject({ status: 'error', error: { table: 'fr', code: 0x4f, kind: 'password' } });
  });

  it('a one-byte command reads the FR table only', () => {
    expect(decodeReply(0x10, bytes('10 6b'))).toMatchObject({ status: 'error', error: { table: 'fr', kind: 'paper', text: { ru: 'Нет чековой ленты' } } });
    expect(decodeReply(0x10, bytes('10 71'))).toMatchObject({ status: 'error', error: { kind: 'cutter' } });
    expect(decodeReply(0x11, bytes('11 05'))).toMatchObject({ status: 'error', error: { table: 'fr', known: false } });
  });

  it('every code of both tables, and every unknown one, decodes to an error with ru and en text', () => {
    for (const command of ALLOWED_COMMANDS) {
      for (let code = 1; code <= 0xff; code += 1) {
        const reply = decodeReply(command, Uint8Array.of(...(command > 0xff ? [0xff, command & 0xff] : [command]), code));
        if (reply.status !== 'error') throw new Error(`${command}/${code}: ${reply.status}`);
        expect(reply.error.text.ru.length * reply.error.text.en.length).toBeGreaterThan(0);
        const listed = command > 0xff ? FN_ERRORS.has(code) || FR_ERRORS.has(code) : FR_ERRORS.has(code);
        expect(reply.error.known).toBe(listed);
      }
    }
    expect(deviceError(0xff01, 0xee).text.en).toBe('Error 0xEE in the reply to 0xFF01 (not in the table)');
  });

  it.each([
    ['empty', 0x10, ''],
    ['no error byte', 0x10, '10'],
    ['a reply to another command', 0x10, SHORT_STATUS.replace(/^10/, '11')],
    ['an FN reply to a one-byte command', 0x10, 'ff 01 00'],
    ['short 0x10', 0x10, SHORT_STATUS.split(' ').slice(0, 12).join(' ')],
    ['short 0x11', 0x11, FULL_STATUS.split(' ').slice(0, 35).join(' ')],
    ['short 0xFC', 0xfc, 'fc 00 00 00 01 0d 13'],
    ['short 0xFF01', 0xff01, FN_STATUS.split(' ').slice(0, 32).join(' ')],
    ['short 0xFF03', 0xff03, 'ff 03 00 1b 03 1f 0b'],
    ['short 0xFF39', 0xff39, OFD_STATUS.split(' ').slice(0, 15).join(' ')],
    ['short 0xFF3F', 0xff3f, 'ff 3f 00 03'],
    ['short 0xFF40', 0xff40, 'ff 40 00 01 2a 00 05'],
  ] as const)('%s is invalid with no fields, never OK', (_name, command, hex) => {
    const reply = decodeReply(command, hex === '' ? new Uint8Array(0) : bytes(hex));
    expect(reply.status).toBe('invalid');
    expect(reply.fields).toEqual([]);
  });
});

describe('wallClock', () => {
  it('accepts real dates only', () => {
    expect(wallClock(2024, 2, 29, 23, 59, 59)).toBe('2024-02-29T23:59:59');
    expect(wallClock(2025, 2, 29)).toBeUndefined();
    expect(wallClock(2025, 0, 1)).toBeUndefined();
    expect(wallClock(2025, 1, 1, 24)).toBeUndefined();
  });
});
