import { createDevNodeHotplug } from '../../../os/dev-node-hotplug';
import { createUsbHotplug } from '../../../transports/usb/usb-hotplug';
import type { HostProbe } from '../../host-probe';
import { PERIPHERALS_CODES } from './diagnosis';
import { createPeripheralsMemory, type PeripheralsMemory } from './inventory';
import { PeripheralsOptions } from './options';
import { probePeripherals } from './probe';
import { watchPeripherals } from './watch';

/**
 * host-peripherals: USB devices and serial ports (Linux sysfs, Windows Win32_PnPEntity), named
 * from the known-devices table, with attach/detach events (USB hot-plug, else the diff between
 * probes) and host.device_detached for what went; see README.md.
 */
export const peripheralsProbe: HostProbe<PeripheralsOptions, PeripheralsMemory> = {
  id: 'host-peripherals',
  kind: 'host',
  codes: PERIPHERALS_CODES,
  options: PeripheralsOptions,
  defaultIntervalSec: 300,
  createMemory: createPeripheralsMemory,
  probe: (ctx) => probePeripherals(ctx),
  // Linux: device nodes through inotify (no thread); Windows: the usb package's notifications.
  watch: (ctx) => watchPeripherals(ctx, ctx.os.platform === 'linux' ? createDevNodeHotplug() : createUsbHotplug()),
};
