import { describe, expect, it } from 'vitest';
import { makeDetail } from '../testing/fixtures';
import { byteBits, byteHex, exchangeSummary, formatAgo, formatDuration, hexBytes, hexDump, replyValue } from './format';

describe('hex and evidence formatting', () => {
  it('reads validated hex strings', () => {
    expect(hexBytes('10 04 04')).toEqual([0x10, 0x04, 0x04]);
    expect(hexBytes('')).toEqual([]);
    expect(hexBytes(null)).toEqual([]);
  });
  it('writes bytes the way manuals do', () => {
    expect(byteHex(0x72)).toBe('0x72');
    expect(byteHex(0)).toBe('0x00');
    expect(byteBits(0x72)).toBe('0111 0010');
    expect(replyValue('72')).toBe('0x72');
    expect(replyValue('16 00')).toBe('0x16 0x00');
    expect(replyValue(null)).toBeNull();
  });
  it('dumps raw bytes with offsets and printable ASCII', () => {
    const hex = Array.from({ length: 18 }, (_, i) => (0x41 + i).toString(16)).join(' ');
    const lines = hexDump(hex);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({ offset: '0000', hex: '41 42 43 44 45 46 47 48 49 4a 4b 4c 4d 4e 4f 50', ascii: 'ABCDEFGHIJKLMNOP' });
    expect(lines[1]).toEqual({ offset: '0010', hex: '51 52', ascii: 'QR' });
    expect(hexDump('00 1b 7f')[0]?.ascii).toBe('...');
  });
  it('summarises an exchange by its alarms, in the current language', () => {
    const ex = makeDetail(1).evidence!.exchanges[0]!;
    expect(exchangeSummary(ex, 'ru')).toBe('DLE EOT 4 = 0x72: бумага закончилась');
    expect(exchangeSummary(ex, 'en')).toBe('DLE EOT 4 = 0x72: paper end');
    expect(exchangeSummary({ ...ex, decoded: [] }, 'en')).toBe('DLE EOT 4 = 0x72');
    expect(exchangeSummary({ ...ex, reply: null }, 'ru')).toBe('DLE EOT 4: нет ответа');
    expect(exchangeSummary({ ...ex, valid: false }, 'en')).toBe('DLE EOT 4 = 0x72: reply not recognised');
  });
});

describe('durations', () => {
  it('is compact and localised', () => {
    expect(formatDuration(45_000, 'ru')).toBe('45 с');
    expect(formatDuration(12 * 60_000, 'ru')).toBe('12 мин');
    expect(formatDuration(125 * 60_000, 'ru')).toBe('2 ч 05 мин');
    expect(formatDuration(125 * 60_000, 'en')).toBe('2h 05m');
    expect(formatDuration(-3 * 60_000, 'en')).toBe('3m');
    expect(formatDuration((3 * 24 + 4) * 3_600_000, 'ru')).toBe('3 д 4 ч');
    expect(formatDuration(2 * 24 * 3_600_000, 'en')).toBe('2d');
  });
  it('reads ages', () => {
    const now = Date.parse('2026-03-02T10:00:00Z');
    expect(formatAgo(null, now, 'ru')).toBe('никогда');
    expect(formatAgo('2026-03-02T09:55:00Z', now, 'ru')).toBe('5 мин назад');
    expect(formatAgo('2026-03-02T09:59:58Z', now, 'en')).toBe('just now');
  });
});
