// The ESC/POS driver over the USB transport with no hardware: the `usb` seam replays a transcribed
// printer (Gprinter ZH-380 descriptors) answering DLE EOT with the simulator model's status bytes.
import { describe, expect, it } from 'vitest';
import { DeviceReport } from '@tillscope/shared';
import { probeContextFor } from '../../agent/src/devices/bind-device';
import type { DeviceConfig } from '../../agent/src/devices/driver';
import { escposDriver } from '../../agent/src/devices/receipt-printer/escpos';
import { probeEscPos } from '../../agent/src/devices/receipt-printer/escpos/probe';
import { createOpenTransport } from '../../agent/src/transports/open-transport';
import type { RecordedDevice } from '../../agent/src/transports/usb/replay/recorded-device';
import { loadRecordedDevice, ReplayUsb } from '../../agent/src/transports/usb/replay/usb-replay';
import { HEALTHY_PRINTER, statusByte, type PrinterFaults } from '../../scripts/sim/escpos/printer-state';

const zh380 = (): RecordedDevice => loadRecordedDevice(new URL('../../agent/src/transports/usb/fixtures/gprinter-zh380.json', import.meta.url));

/** DLE EOT n → the status byte the simulator's printer model gives for these faults. */
function repliesFor(faults: Partial<PrinterFaults>): Record<string, string> {
  const state = { ...HEALTHY_PRINTER, ...faults };
  return Object.fromEntries(([1, 2, 3, 4] as const).map((n) => [`10 04 0${n}`, statusByte(state, n).toString(16).padStart(2, '0')]));
}

async function probeOver(bus: ReplayUsb): Promise<DeviceReport> {
  const device: DeviceConfig = { id: 'till-1-printer', driver: 'escpos', transport: { kind: 'usb', vendorId: 0x6868, productId: 0x0500 }, options: {} };
  const openTransport = createOpenTransport({ usbDeps: { seam: bus, pollTimeoutMs: 50 } });
  const ctx = probeContextFor(escposDriver, device, { openTransport, now: () => new Date(), signal: new AbortController().signal });
  const report = await probeEscPos(ctx, { replyTimeoutMs: 300 });
  expect(DeviceReport.safeParse(report).success).toBe(true);
  return report;
}

const codes = (report: DeviceReport) => report.findings.map((f) => f.code);

describe('ESC/POS over USB (replayed printer-class device)', () => {
  it('reads paper end through bulk OUT/IN, evidence naming the USB target', async () => {
    const report = await probeOver(new ReplayUsb([{ ...zh380(), replies: repliesFor({ paperEnd: true }) }]));
    expect(codes(report)).toEqual(['printer.paper_end']);
    expect(report.evidence).toMatchObject({ transport: 'usb', target: 'usb 6868:0500' });
    expect(report.evidence.exchanges.find((e) => e.request === '10 04 04')?.reply).toBe('72');
  });

  it('a printer usblp holds is port_busy, never taken; one not plugged in is disconnected', async () => {
    const busy = await probeOver(new ReplayUsb([{ ...zh380(), heldBy: 'usblp' }]));
    expect(codes(busy)).toEqual(['printer.port_busy']);
    expect(busy.evidence.transportError).toMatch(/\/dev\/usb\/lpN/);
    const absent = await probeOver(new ReplayUsb());
    expect(codes(absent)).toEqual(['printer.disconnected']);
  });
});
