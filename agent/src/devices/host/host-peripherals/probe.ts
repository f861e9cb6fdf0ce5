// One look at the register's peripherals → one DeviceReport of kind 'host' with the peripherals
// section: the OS's lists, the diff against the last look (events), the configured devices that
// are gone, and what could not be read.
import type { DeviceReport, PeripheralEvent, PeripheralsSection } from '@tillscope/shared';
import type { HostOs } from '../../../os/host-os';
import type { HostProbeContext } from '../../host-probe';
import { HOST_ENDPOINT } from '../../common/host-report';
import { buildReport } from '../../common/report';
import { configuredDeviceOf, configuredPresence } from './configured';
import { diagnosePeripherals } from './diagnosis';
import { applyScan, restoreSaved, savedOf, takeTurn, type Peripheral, type PeripheralsMemory } from './inventory';
import { scanLinux } from './linux';
import type { PeripheralsOptions } from './options';
import { MAX_UNCHECKED, type PeripheralScan } from './scan';
import { scanWindows } from './windows';

export type PeripheralsContext = HostProbeContext<PeripheralsOptions, PeripheralsMemory>;

/** What the OS lists, by platform; an OS without a reader is "could not check", never "nothing plugged in". */
export async function scanPeripherals(os: HostOs, options: PeripheralsOptions, signal: AbortSignal): Promise<PeripheralScan> {
  if (os.platform === 'linux') return scanLinux(os, Date.now, options.usbDevicesDir);
  if (os.platform === 'win32') return scanWindows(os, options.timeoutMs, signal);
  const reason = `listing peripherals is not implemented on ${os.platform}`;
  return { usb: null, serial: null, unchecked: [{ fact: 'usb', reason }, { fact: 'serial', reason }], exchanges: [] };
}

/**
 * Looks, diffs against the last look (events `via` the diff, or the hot-plug event that caused
 * this look) and reports. Looks take turns on the probe's memory. Never throws for OS trouble.
 */
export function probePeripherals(ctx: PeripheralsContext, via: PeripheralEvent['via'] = 'diff'): Promise<DeviceReport> {
  return takeTurn(ctx.memory, async () => {
    const started = ctx.now();
    // The saved state is read once, by the first look that has the store (a hot-plug look may not).
    const firstLook = !ctx.memory.restored && ctx.state !== undefined;
    if (firstLook && ctx.state) {
      ctx.memory.restored = true;
      restoreSaved(ctx.memory, await ctx.state.load());
    }
    const scan = await scanPeripherals(ctx.os, ctx.options, ctx.signal);
    const devices = ctx.host.devices;
    const eventName = (p: Peripheral) => {
      const configured = configuredDeviceOf(devices, p);
      return configured ? `${configured.id}: ${p.name}` : p.name;
    };
    const events = applyScan(ctx.memory, scan, ctx.now(), via, eventName);
    // A save that fails is retried at the next change; the memory still holds everything.
    if (ctx.state && scan.usb !== null && (firstLook || events.length > 0)) await ctx.state.save(savedOf(ctx.memory)).catch(() => undefined);
    const presence = await configuredPresence(devices, scan, ctx.os, ctx.memory.missing.values());
    const missing = [...ctx.memory.missing.values()].filter((p) => configuredDeviceOf(devices, p) === undefined);
    const diagnosis = diagnosePeripherals(
      {
        configuredGone: presence.gone,
        missing,
        unchecked: scan.unchecked,
        complete: scan.usb !== null && scan.serial !== null,
        tradingHours: ctx.host.isTradingHours(ctx.now()),
      },
      ctx.options,
    );
    const section: PeripheralsSection = {
      section: 'peripherals',
      usb: scan.usb ?? [],
      serial: scan.serial ?? [],
      events: [...ctx.memory.events],
      unchecked: scan.unchecked.slice(0, MAX_UNCHECKED),
    };
    const report = buildReport({
      deviceId: 'host-peripherals',
      kind: 'host',
      driver: 'host-peripherals',
      diagnosis,
      endpoint: HOST_ENDPOINT,
      exchanges: scan.exchanges,
      started,
      finished: ctx.now(),
    });
    return { ...report, host: section };
  });
}
