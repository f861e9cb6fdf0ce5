// The devices in the agent's config, as the peripherals probe sees them: is each one's port
// still there, and which peripheral is it (so a detached one is named by its config id).
import type { HostOs } from '../../../os/host-os';
import { describeTarget } from '../../../transports/transport';
import type { DeviceConfig } from '../../device-config';
import type { MissingPeripheral, Peripheral } from './inventory';
import type { PeripheralScan } from './scan';

/** A configured device whose port is gone. */
export interface ConfiguredGone {
  deviceId: string;
  /** how the config reaches it: "usb 04b8:0e15", "/dev/ttyUSB0 @ 115200" */
  target: string;
  model?: string;
  /** what it was when last seen, and since when it is gone, when memory has it */
  was?: MissingPeripheral;
}

export interface ConfiguredPresence {
  gone: ConfiguredGone[];
  /** configured devices whose presence could not be told (their list could not be read) */
  unknown: string[];
}

const normalizeCom = (path: string) => path.replace(/^\\\\\.\\/, '').toUpperCase();

/** Whether `peripheral` is what `device`'s transport reaches. TCP devices are never peripherals. */
export function isConfiguredAs(device: DeviceConfig, peripheral: Peripheral): boolean {
  const target = device.transport;
  if (!target || target.kind === 'tcp') return false;
  if (target.kind === 'usb' && target.path === undefined) {
    const hex = (id: number | undefined) => (id ?? -1).toString(16).padStart(4, '0');
    return hex(target.vendorId) === peripheral.vendorId && hex(target.productId) === peripheral.productId && (target.serialNumber === undefined || target.serialNumber === peripheral.serial);
  }
  const path = target.path;
  if (path === undefined) return false;
  if (/^(\\\\\.\\)?COM\d+$/i.test(path)) return peripheral.devicePath !== undefined && normalizeCom(path) === normalizeCom(peripheral.devicePath);
  return path === peripheral.devicePath || path === peripheral.byId;
}

/** The configured device a peripheral is, if any. */
export function configuredDeviceOf(devices: readonly DeviceConfig[], peripheral: Peripheral): DeviceConfig | undefined {
  return devices.find((d) => isConfiguredAs(d, peripheral));
}

/**
 * Which configured USB and serial devices are gone now. By ids: not in the USB list. By path:
 * on Linux the node (/dev/usb/lp0, /dev/ttyUSB0, a by-id or udev link) no longer exists; on
 * Windows the COM name is not in the serial list. A built-in RS-232 port stays whatever is
 * plugged into it: only the port's own going can be seen.
 */
export async function configuredPresence(devices: readonly DeviceConfig[], scan: PeripheralScan, os: HostOs, missing: Iterable<MissingPeripheral>): Promise<ConfiguredPresence> {
  const gone: ConfiguredGone[] = [];
  const unknown: string[] = [];
  const remembered = [...missing];
  for (const device of devices) {
    const target = device.transport;
    if (!target || target.kind === 'tcp') continue;
    const present = await isPresent(device, scan, os);
    if (present === null) {
      unknown.push(device.id);
      continue;
    }
    if (present) continue;
    const was = remembered.find((p) => isConfiguredAs(device, p));
    gone.push({ deviceId: device.id, target: describeTarget(target), ...(device.model ? { model: device.model } : {}), ...(was ? { was } : {}) });
  }
  return { gone, unknown };
}

async function isPresent(device: DeviceConfig, scan: PeripheralScan, os: HostOs): Promise<boolean | null> {
  const target = device.transport;
  if (!target || target.kind === 'tcp') return true;
  if (target.kind === 'usb' && target.path === undefined) {
    if (scan.usb === null) return null;
    return scan.usb.some((d) => isConfiguredAs(device, { key: d.key, name: '', kind: d.kind, vendorId: d.vendorId, productId: d.productId, ...(d.serial ? { serial: d.serial } : {}) }));
  }
  const path = target.path ?? '';
  if (os.platform === 'win32') {
    if (!/^(\\\\\.\\)?COM\d+$/i.test(path)) return null;
    if (scan.serial === null) return null;
    return scan.serial.some((p) => normalizeCom(p.path) === normalizeCom(path));
  }
  return os.exists(path);
}
