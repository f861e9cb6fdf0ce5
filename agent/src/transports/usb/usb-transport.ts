// Opening a USB printer for one probe: by ids through the `usb` package, or (Linux) its usblp node.
import { errorText } from '../../logger';
import { describeUsbTarget, TransportError, type TransportPort, type UsbTarget } from '../transport';
import { printerInterfaceOf, type PrinterInterface } from './usb-ids';
import { USB_GONE, UsbPrinterPort } from './usb-port';
import { resolveUsbSeam, type UsbDeviceLike, type UsbSeam } from './usb-seam';
import { openUsblpTransport, type UsblpDeps } from './usblp-transport';

export interface UsbTransportDeps {
  /** the `usb` package seam; default: the real package, loaded on first open */
  seam?: UsbSeam;
  /** how long each bulk IN read waits (default 100 ms); a close waits at most this long */
  pollTimeoutMs?: number;
  /** how long a bulk OUT write may take (default 2000 ms) */
  writeTimeoutMs?: number;
  usblp?: UsblpDeps;
}

/**
 * Another driver holds the interface. Linux: usblp (or CUPS's backend) is bound, nusb's claim
 * fails with EBUSY "interface is busy (errno 16)"; we never detach it, the POS prints through it.
 * Windows: the printer is bound to usbprint.sys (the spooler's driver), not WinUSB.
 */
const HELD = /interface is busy|device is busy|errno 16\b|EBUSY|incompatible driver|already claimed/i;

/**
 * Opens a USB printer for one probe. `path` targets go to the usblp node; id targets are found
 * afresh in a new enumeration (an unplugged and replugged printer is a new device: no handle is
 * kept between probes), then the printer-class interface (bidirectional preferred) is claimed
 * without detaching any kernel driver. Rejects with TransportError:
 * - 'absent': no such device enumerated (unplugged, powered off, other ids);
 * - 'busy': a kernel driver or another program holds the interface; the message says how to read
 *   it instead (/dev/usb/lpN on Linux, the print queue on Windows);
 * - 'cannot_connect': USB unusable here (no native binding, no permission), or no printer interface;
 * - 'canceled': `signal` aborted.
 */
export async function openUsbTransport(target: UsbTarget, signal?: AbortSignal, deps: UsbTransportDeps = {}): Promise<TransportPort> {
  if (target.path !== undefined) return openUsblpTransport(target.path, signal, deps.usblp);
  const where = describeUsbTarget(target);
  const canceled = () => new TransportError('canceled', `open ${where} canceled`);
  if (signal?.aborted) throw canceled();
  const device = await findDevice(target, where);
  const iface = printerInterface(device, where);
  await claim(device, iface, where);
  if (signal?.aborted) {
    await device.releaseInterface(iface.interfaceNumber).catch(() => {});
    await device.close().catch(() => {});
    throw canceled();
  }
  const description = iface.bulkIn ? where : `${where} (write-only interface: no status can be read)`;
  return new UsbPrinterPort(device, iface, description, { pollTimeoutMs: deps.pollTimeoutMs ?? 100, writeTimeoutMs: deps.writeTimeoutMs ?? 2_000 });

  async function findDevice(t: UsbTarget, w: string): Promise<UsbDeviceLike> {
    const loaded = await resolveUsbSeam(deps.seam);
    if (!loaded.ok) throw new TransportError('cannot_connect', `cannot open ${w}: ${loaded.reason}`);
    let devices: readonly UsbDeviceLike[];
    try {
      devices = await loaded.seam.getDevices();
    } catch (error) {
      throw new TransportError('cannot_connect', `cannot open ${w}: listing USB devices failed: ${errorText(error)}`, { cause: error });
    }
    const found = devices.find((d) => d.vendorId === t.vendorId && d.productId === t.productId && (t.serialNumber === undefined || serialOf(d) === t.serialNumber));
    if (!found) throw new TransportError('absent', `${w} is not connected (unplugged, powered off, or other USB ids)`);
    return found;
  }
}

function serialOf(device: UsbDeviceLike): string | undefined {
  try {
    return device.serialNumber ?? undefined;
  } catch {
    return undefined;
  }
}

function printerInterface(device: UsbDeviceLike, where: string): PrinterInterface {
  let iface: PrinterInterface | undefined;
  try {
    const configuration = device.configuration;
    iface = configuration ? printerInterfaceOf(configuration) : undefined;
  } catch (error) {
    throw openFailure(error, where, 'reading its interfaces');
  }
  if (!iface) {
    throw new TransportError(
      'cannot_connect',
      `${where} has no printer-class interface with a bulk OUT endpoint (an Epson TM in "vendor class" USB mode: its vendor driver or the class memory switch)`,
    );
  }
  return iface;
}

async function claim(device: UsbDeviceLike, iface: PrinterInterface, where: string): Promise<void> {
  try {
    await device.open();
  } catch (error) {
    throw openFailure(error, where, 'opening it');
  }
  try {
    await device.claimInterface(iface.interfaceNumber);
  } catch (error) {
    await device.close().catch(() => {});
    throw openFailure(error, where, `claiming interface ${iface.interfaceNumber}`);
  }
}

/** An open or claim failure with its code: gone → absent, held → busy, else cannot_connect. */
export function openFailure(error: unknown, where: string, doing: string): TransportError {
  const text = errorText(error);
  if (USB_GONE.test(text)) return new TransportError('absent', `${where} vanished while ${doing}: ${text}`, { cause: error });
  if (HELD.test(text)) return new TransportError('busy', `${where} is held by another driver (usblp, the spooler or the POS), never taken: ${HELD_ADVICE}`, { cause: error });
  const permission = /permission denied|errno 13\b|EACCES/i.test(text) ? ' (give the agent access: a udev rule for these ids, or the lp group)' : '';
  return new TransportError('cannot_connect', `cannot open ${where}: ${doing} failed: ${text}${permission}`, { cause: error });
}

/** Kept short: the message lands in evidence (200 characters), the cause keeps the OS text. */
const HELD_ADVICE = 'read /dev/usb/lpN on Linux, the print queue on Windows';
