import { describe, expect, it } from 'vitest';
import { diskTone, formatBytes, formatOffset, freePercent, shortHash } from './host-format';

const GB = 1024 ** 3;

describe('host formats', () => {
  it('writes sizes in binary units, one decimal below ten', () => {
    expect(formatBytes(512, 'ru')).toBe('512 Б');
    expect(formatBytes(3.45 * GB, 'ru')).toBe('3,5 ГБ');
    expect(formatBytes(931 * GB, 'en')).toBe('931 GB');
    expect(formatBytes(2048, 'en')).toBe('2 KB');
    expect(formatBytes(-5, 'en')).toBe('0 B');
  });

  it('colours a disk by its free share, and survives a volume of no size', () => {
    expect([freePercent({ sizeBytes: 100, freeBytes: 9 }), diskTone({ sizeBytes: 100, freeBytes: 9 })]).toEqual([9, 'red']);
    expect(diskTone({ sizeBytes: 100, freeBytes: 15 })).toBe('amber');
    expect(diskTone({ sizeBytes: 100, freeBytes: 20 })).toBe('ok');
    expect(freePercent({ sizeBytes: 0, freeBytes: 0 })).toBe(0);
    expect(freePercent({ sizeBytes: 100, freeBytes: 150 })).toBe(100);
  });

  it('gives a clock offset its sign and unit', () => {
    expect(formatOffset(12.4, 'ru')).toBe('+12 мс');
    expect(formatOffset(-1500, 'ru')).toBe('−1,5 с');
    expect(formatOffset(0.25, 'en')).toBe('+0.3 ms');
    expect(formatOffset(0, 'en')).toBe('0 ms');
  });

  it('shortens a hash for the eye', () => {
    expect(shortHash('a'.repeat(64))).toBe(`${'a'.repeat(12)}…`);
    expect(shortHash('abc')).toBe('abc');
  });
});
