import type { DeviceReport } from '@tillscope/shared';
import { describe, expect, it, vi } from 'vitest';
import { replayHostOs, type HostFixture } from '../../../os/host-os-replay';
import { createUsbHotplug, type NativeUsbEmitter, type UsbChange, type UsbHotplug } from '../../../transports/usb/usb-hotplug';
import type { Logger } from '../../../logger';
import { probePeripherals } from './probe';
import { fixture, rig, sectionOf, unplugLinux } from './test-support';
import { watchPeripherals } from './watch';

const register = fixture('linux-register');
const printerGone = unplugLinux(register, '1-1', ['/dev/usb/lp0']);

/** A hot-plug source the test fires by hand (the real one needs a device plugged in). */
function handHotplug() {
  let listener: ((change: UsbChange) => void) | undefined;
  const unsubscribed = vi.fn(() => Promise.resolve());
  const hotplug: UsbHotplug = {
    subscribe: (onChange) => {
      listener = onChange;
      return Promise.resolve(unsubscribed);
    },
  };
  return { hotplug, fire: (change: UsbChange) => listener?.(change), unsubscribed };
}

const logger = (): Logger & { lines: string[] } => {
  const lines: string[] = [];
  return { lines, info: (m, t) => lines.push(`info ${m}: ${t}`), warn: (m, t) => lines.push(`warn ${m}: ${t}`), error: (m, t) => lines.push(`error ${m}: ${t}`) };
};

/** A watch over a register whose OS state the test switches, reporting into `reports`. */
function watching(hotplug: UsbHotplug, options = { hotplugSettleMs: 100 }) {
  const till = rig([], options);
  let state: HostFixture = register;
  const reports: DeviceReport[] = [];
  let reported: (() => void) | undefined;
  const log = logger();
  const base = till.ctx(register);
  const watch = watchPeripherals(
    {
      ...base,
      get os() {
        return replayHostOs(state);
      },
      logger: log,
      onReport: (report) => {
        reports.push(report);
        reported?.();
      },
    },
    hotplug,
  );
  return {
    till,
    watch,
    reports,
    log,
    setState: (next: HostFixture) => void (state = next),
    nextReport: () => new Promise<void>((resolve) => (reported = resolve)),
  };
}

describe('host-peripherals USB hot-plug watch', () => {
  it('a detach makes it look again at once and report the event as hot-plug', async () => {
    const hand = handHotplug();
    const w = watching(hand.hotplug);
    await probePeripherals(w.till.ctx(register)); // the baseline, as the scheduled probe makes it
    w.setState(printerGone);
    const report = w.nextReport();
    hand.fire('detach');
    hand.fire('detach'); // one settle window, one look
    await report;
    expect(w.reports).toHaveLength(1);
    expect(sectionOf(w.reports[0]!).events).toEqual([expect.objectContaining({ action: 'detached', key: '04b8:0e15:TWDF012345', via: 'hotplug' })]);
    expect(w.reports[0]?.findings.map((f) => f.code)).toEqual(['host.device_detached']);
    // the next scheduled probe finds nothing new to say
    const scheduled = await probePeripherals(w.till.ctx(printerGone));
    expect(sectionOf(scheduled).events).toHaveLength(1);
    await w.watch?.stop();
    expect(hand.unsubscribed).toHaveBeenCalledOnce();
  });

  it('a hot-plug event that changes nothing sends no report', async () => {
    const hand = handHotplug();
    const w = watching(hand.hotplug);
    await probePeripherals(w.till.ctx(register));
    const baseline = w.till.memory.seenUsb;
    hand.fire('attach');
    // the look happened (each look replaces the remembered list) and settled
    await vi.waitFor(() => expect(w.till.memory.seenUsb).not.toBe(baseline));
    await w.till.memory.turn;
    await w.watch?.stop();
    expect(w.reports).toEqual([]);
  });

  it('where hot-plug cannot start it logs why and stops cleanly; the diff per probe still works', async () => {
    const w = watching({ subscribe: () => Promise.reject(new Error('the usb package could not load its native binding: no prebuilt')) });
    await w.watch?.stop();
    expect(w.log.lines).toEqual([expect.stringContaining('warn host-peripherals: USB hot-plug unavailable (the usb package could not load its native binding')]);
  });

  it('stops even when the native subscribe never settles', async () => {
    const w = watching({ subscribe: () => new Promise(() => undefined) });
    await expect(w.watch?.stop()).resolves.toBeUndefined();
  });

  it('is not started when the config turns it off', () => {
    const till = rig([], { hotplug: false });
    expect(watchPeripherals({ ...till.ctx(register), logger: logger(), onReport: () => undefined }, handHotplug().hotplug)).toBeUndefined();
  });
});

describe('createUsbHotplug', () => {
  it('undoes the attach listener when the detach one cannot be added', async () => {
    const emitter: NativeUsbEmitter = {
      addAttach: vi.fn(() => Promise.resolve()),
      removeAttach: vi.fn(() => Promise.resolve()),
      addDetach: vi.fn(() => Promise.reject(new Error('hotplug not supported'))),
      removeDetach: vi.fn(() => Promise.resolve()),
    };
    await expect(createUsbHotplug(() => Promise.resolve(emitter)).subscribe(() => undefined)).rejects.toThrow('hotplug not supported');
    expect(emitter.removeAttach).toHaveBeenCalledOnce();
  });

  it('subscribes and unsubscribes through the real native binding on this machine', async () => {
    // this build machine has no USB bus; nusb's hot-plug (a netlink socket) still starts and stops
    const unsubscribe = await createUsbHotplug().subscribe(() => undefined);
    await expect(unsubscribe()).resolves.toBeUndefined();
  });
});
