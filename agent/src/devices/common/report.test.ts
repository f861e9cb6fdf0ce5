import { DeviceReport } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { buildReport, clipText } from './report';

describe('buildReport', () => {
  it('clips OS and device text to the wire bounds, so a long message never makes the report invalid', () => {
    const long = `/dev/serial/by-id/${'x'.repeat(700)}: Resource temporarily unavailable`;
    const report = buildReport({
      deviceId: 'printer',
      kind: 'receipt-printer',
      driver: 'escpos',
      diagnosis: {
        health: 'fault',
        findings: [{ code: 'printer.port_busy', detail: long }],
        checklist: [{ step: 'printer.connection', result: 'failed', observed: long }],
      },
      endpoint: { transport: 'serial', target: '/dev/ttyUSB0 @ 9600' },
      exchanges: [],
      transportError: long,
      started: new Date('2026-11-30T10:00:00Z'),
      finished: new Date('2026-11-30T10:00:01Z'),
    });
    expect(DeviceReport.safeParse(report).success).toBe(true);
    expect(report.evidence.transportError).toHaveLength(200);
    expect(report.evidence.transportError?.endsWith('…')).toBe(true);
    expect(report.findings[0]?.detail).toHaveLength(500);
  });

  it('leaves text within the bound untouched', () => {
    expect(clipText('cover open', 200)).toBe('cover open');
    expect(clipText('abcdef', 4)).toBe('abc…');
  });
});
