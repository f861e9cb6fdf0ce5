import { describe, expect, it } from 'vitest';
import { buildTestReceipt, containsSequence, FORBIDDEN_SEQUENCES, guardJob } from './test-print-job';

const label = { storeId: 'store-7', registerId: 'till-2', deviceId: 'printer-1', model: 'TM-T20III', time: '2026-11-30 14:55' };

describe('test receipt bytes', () => {
  for (const dialect of ['escpos', 'star'] as const) {
    it(`${dialect}: holds no ESC @ and no GS a 0, says it removed the library's ESC @, and carries the label`, () => {
      const job = buildTestReceipt(dialect, label);
      expect(containsSequence(job.bytes, FORBIDDEN_SEQUENCES.escAt)).toBe(false);
      expect(containsSequence(job.bytes, FORBIDDEN_SEQUENCES.gsA0)).toBe(false);
      // node-thermal-printer ends its cut with ESC @: the guard took it out and said so.
      expect(job.removed).toEqual([expect.stringMatching(/^ESC @ \(1B 40\) removed/)]);
      const text = new TextDecoder('ibm866').decode(job.bytes);
      for (const part of ['Тестовая печать Tillscope', 'Test print', 'store-7 / till-2', 'printer-1 (TM-T20III)', '2026-11-30 14:55']) expect(text).toContain(part);
    });
  }

  it('escpos: selects PC866 first and ends with a cut (GS V 0)', () => {
    const { bytes } = buildTestReceipt('escpos', label);
    expect(Array.from(bytes.slice(0, 3))).toEqual([0x1b, 0x74, 17]);
    expect(Array.from(bytes.slice(-3))).toEqual([0x1d, 0x56, 0x00]);
  });

  it('guardJob takes out a leading ESC @ and GS a 0 wherever they are, and keeps everything else', () => {
    const job = guardJob(Uint8Array.from([0x1b, 0x40, 0x41, 0x1d, 0x61, 0x00, 0x42, 0x1d, 0x61, 0x02]));
    expect(Array.from(job.bytes)).toEqual([0x41, 0x42, 0x1d, 0x61, 0x02]);
    expect(job.removed).toHaveLength(2);
    expect(guardJob(Uint8Array.from([0x41, 0x42])).removed).toEqual([]);
  });
});
