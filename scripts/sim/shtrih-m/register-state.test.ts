import { describe, expect, it } from 'vitest';
import { answerCommand, cp1251, createRegister, currentMode, lastFdNumber, patchRegister, RegisterStatePatch, type RegisterStatePatch as Patch } from './register-state';

const NOW = new Date(2026, 2, 10, 12, 0, 0); // local 2026-03-10 12:00:00
const hex = (bytes: readonly number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
const answer = (command: number, patch: Patch = {}, now = NOW) => hex(answerCommand(createRegister(NOW, patch), command, now).payload);

describe('simulated register replies, byte for byte', () => {
  it('0x10: healthy, shift closed (mode 4), flags 0x0292', () => {
    expect(answer(0x10)).toBe('10 00 1e 92 02 04 00 00 9a b4 00 00 00 00 00 00');
  });

  it('0x10: paper out clears bits 1 and 7 and sets submode 1; cover sets bit 10', () => {
    expect(answer(0x10, { paperOut: true, coverOpen: true })).toBe('10 00 1e 10 06 04 01 00 9a b4 00 00 00 00 00 00');
  });

  it('0x10: a mode override with its status nibble (document open: sale return)', () => {
    expect(answer(0x10, { mode: 8, modeStatus: 2 }).split(' ')[5]).toBe('28');
  });

  it('0x11: the register clock is real time plus the offset, DD MM YY HH MM SS at bytes 24-29', () => {
    const bytes = answer(0x11, { clockOffsetSeconds: 90 }).split(' ');
    expect(bytes).toHaveLength(48);
    expect(bytes.slice(25, 31).join(' ')).toBe('0a 03 1a 0c 01 1e'); // 10.03.26 12:01:30
    expect(bytes.slice(32, 36).join(' ')).toBe('4e 61 bc 00'); // serial 12345678
  });

  it('0xFC: model byte and CP1251 name', () => {
    expect(answer(0xfc, { modelByte: 7, deviceName: 'ШТРИХ' })).toBe('fc 00 00 00 01 0d 07 00 d8 d2 d0 c8 d5');
    expect(cp1251('Ёё z€')).toEqual([0xa8, 0xb8, 0x20, 0x7a, 0x3f]);
  });

  it('0xFF01: phase, shift, warning byte, clock, FN serial, last FD', () => {
    const bytes = answer(0xff01, { shiftOpenedAt: '2026-03-10T08:00:00', fnArchiveNearlyFull: true, fnCriticalError: true, lastFdNumber: 0x1234 }).split(' ');
    expect(bytes).toHaveLength(33);
    expect(bytes.slice(0, 8).join(' ')).toBe('ff 01 00 03 00 00 01 84');
    expect(bytes.slice(8, 13).join(' ')).toBe('1a 03 0a 0c 00');
    expect(Buffer.from(bytes.slice(13, 29).map((b) => Number.parseInt(b, 16))).toString('latin1')).toBe('9999078900012345');
    expect(bytes.slice(29).join(' ')).toBe('34 12 00 00');
  });

  it('0xFF03, 0xFF39, 0xFF3F, 0xFF40', () => {
    expect(answer(0xff03, { fnValidUntil: '2027-03-31' })).toBe('ff 03 00 1b 03 1f 0b 01');
    const unsent = { ofdUnsentCount: 3, ofdFirstUnsentNumber: 0x1230, ofdFirstUnsentAt: '2026-01-20T09:05:00' };
    expect(answer(0xff39, unsent)).toBe('ff 39 00 03 00 03 00 30 12 00 00 1a 01 14 09 05');
    expect(answer(0xff39)).toBe('ff 39 00 01 00 00 00 00 00 00 00 00 00 00 00 00');
    expect(answer(0xff3f, unsent)).toBe('ff 3f 00 03 00');
    expect(answer(0xff40, { shiftOpenedAt: '2026-03-10T08:00:00', shiftNumber: 42, receiptNumber: 5 })).toBe('ff 40 00 01 2a 00 05 00');
  });

  it('an error code set for a command replaces its data', () => {
    expect(answer(0xff01, { commandErrors: { '0xFF01': 0x03 } })).toBe('ff 01 03');
    expect(answer(0x10, { commandErrors: { '0x10': 0x6b } })).toBe('10 6b');
  });

  it('a command it does not implement gets FR 0x37, or FN 0x01 for 0xFFxx (the simulator\'s choice)', () => {
    expect(answer(0x80)).toBe('80 37');
    expect(answer(0xff41)).toBe('ff 41 01');
  });
});

describe('register state over time', () => {
  it('mode 2 under 24 h of shift, 3 from 24 h, 4 closed; an override wins', () => {
    const register = createRegister(NOW, { shiftOpenedAt: '2026-03-09T12:00:01' });
    expect(currentMode(register.state, NOW)).toBe(2);
    expect(currentMode(register.state, new Date(NOW.getTime() + 1000))).toBe(3);
    patchRegister(register, { shiftOpenedAt: null }, NOW);
    expect(currentMode(register.state, NOW)).toBe(4);
    patchRegister(register, { mode: 8 }, NOW);
    expect(currentMode(register.state, NOW)).toBe(8);
  });

  it('the last FD number advances at documentsPerDay from when it was set', () => {
    const register = createRegister(NOW, { lastFdNumber: 1000, documentsPerDay: 240 });
    const later = (hours: number) => new Date(NOW.getTime() + hours * 3_600_000);
    expect(lastFdNumber(register, later(0))).toBe(1000);
    expect(lastFdNumber(register, later(12))).toBe(1120);
    patchRegister(register, { documentsPerDay: 0 }, later(12));
    expect(lastFdNumber(register, later(48))).toBe(1120);
  });

  it('a patch with unknown names or bad values is refused', () => {
    expect(RegisterStatePatch.safeParse({ paperOut: 'yes' }).success).toBe(false);
    expect(RegisterStatePatch.safeParse({ lid: true }).success).toBe(false);
    expect(RegisterStatePatch.safeParse({ commandErrors: { '0x80x': 1 } }).success).toBe(false);
    expect(RegisterStatePatch.safeParse({ fnSerial: '123' }).success).toBe(false);
  });
});
