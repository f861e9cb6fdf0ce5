// Listing USB printers for discovery: enumerated devices with a printer-class interface or a known
// printer/fiscal vendor id, and on Linux the usblp nodes /dev/usb/lp*. Never rejects.
import { readdir, readFile } from 'node:fs/promises';
import { errorText } from '../../logger';
import { describeUsbTarget, type UsbTarget } from '../transport';
import {
  boundedUsbString,
  CDC_CLASSES,
  PRINTER_CLASS,
  PRINTER_PROTOCOL,
  PRINTER_VENDORS,
  printerInterfaceOf,
  USB_SERIAL_BRIDGES,
  usbIdText,
  type KnownVendor,
} from './usb-ids';
import { resolveUsbSeam, type UsbConfigurationLike, type UsbDeviceLike, type UsbSeam } from './usb-seam';

/** Strings a device reports about itself (untrusted: printable, at most 64 characters each). */
export interface UsbStrings {
  manufacturer?: string;
  product?: string;
  serialNumber?: string;
}

/** One USB printer (or fiscal register) the `usb` package enumerated. */
export interface UsbPrinterInfo extends UsbStrings {
  /** the transport target that opens it: `{ kind: 'usb', vendorId, productId, serialNumber? }` */
  target: UsbTarget;
  /** "usb 04b8:0e03 serial X" */
  description: string;
  vendorId: number;
  productId: number;
  /** the vendor when its id is a known printer/fiscal vendor (devices.md §6) */
  vendor?: KnownVendor;
  /** listed for its printer-class interface, or (interfaces unreadable or none) for its vendor id */
  listedFor: 'printer-class' | 'known-vendor';
  /** its printer-class interface; `bidirectional` false means status cannot be read over USB */
  printerInterface?: { interfaceNumber: number; protocol: number; bidirectional: boolean };
  /** why its interfaces could not be read (e.g. permission denied without a udev rule) */
  problem?: string;
}

/** A usblp character device (Linux) and, when sysfs tells, the USB device behind it. */
export interface UsbLpNode extends UsbStrings {
  path: string;
  target: UsbTarget;
  vendorId?: number;
  productId?: number;
}

export interface UsbPrinterList {
  printers: UsbPrinterInfo[];
  lpNodes: UsbLpNode[];
  /** what could not be listed and why ("usb: the usb package could not load…") */
  problems: string[];
}

export interface UsbListDeps {
  platform?: NodeJS.Platform;
  readdir?: (path: string) => Promise<string[]>;
  readFile?: (path: string) => Promise<string>;
}

const MAX_DEVICES = 64;
const MAX_LP_NODES = 16;

/**
 * Every USB device that looks like a receipt printer or fiscal register, and the usblp nodes.
 * A device is listed when one of its interfaces is printer class (7), or its vendor id is a known
 * printer/fiscal vendor; USB-serial bridges and CDC-ACM devices are serial ports, not listed here.
 * A fresh enumeration each call: a printer plugged in since the last call is seen, an unplugged
 * one is gone. Never rejects: what fails lands in `problems`.
 */
export async function listUsbPrinters(seam?: UsbSeam, deps: UsbListDeps = {}): Promise<UsbPrinterList> {
  const problems: string[] = [];
  const [printers, lpNodes] = await Promise.all([enumeratedPrinters(seam, problems), usblpNodes(deps, problems)]);
  return { printers, lpNodes, problems };
}

async function enumeratedPrinters(seam: UsbSeam | undefined, problems: string[]): Promise<UsbPrinterInfo[]> {
  const loaded = await resolveUsbSeam(seam);
  if (!loaded.ok) {
    problems.push(`usb: ${loaded.reason}`);
    return [];
  }
  let devices: readonly UsbDeviceLike[];
  try {
    devices = await loaded.seam.getDevices();
  } catch (error) {
    problems.push(`usb: cannot list USB devices: ${errorText(error)}`);
    return [];
  }
  return devices.flatMap((device) => printerInfoOf(device) ?? []).slice(0, MAX_DEVICES);
}

/** The device as a printer, or undefined when it is none (or a serial port in disguise). */
export function printerInfoOf(device: UsbDeviceLike): UsbPrinterInfo | undefined {
  const { vendorId, productId } = device;
  if (USB_SERIAL_BRIDGES.has(usbIdText(vendorId, productId))) return undefined;
  const config = readSafely(() => device.configuration);
  const interfaces = config.ok && config.value ? config.value.interfaces : [];
  const hasPrinterClass = interfaces.some((i) => i.alternate.interfaceClass === PRINTER_CLASS);
  const isSerial = CDC_CLASSES.has(device.deviceClass) || interfaces.some((i) => CDC_CLASSES.has(i.alternate.interfaceClass));
  const vendor = PRINTER_VENDORS.get(vendorId);
  if (!hasPrinterClass && (isSerial || !vendor)) return undefined;
  const strings = stringsOf(device);
  const target: UsbTarget = { kind: 'usb', vendorId, productId, ...(strings.serialNumber ? { serialNumber: strings.serialNumber } : {}) };
  const printerInterface = config.ok && config.value ? interfaceSummary(config.value) : undefined;
  return {
    target,
    description: describeUsbTarget(target),
    vendorId,
    productId,
    ...strings,
    ...(vendor ? { vendor } : {}),
    listedFor: hasPrinterClass ? 'printer-class' : 'known-vendor',
    ...(printerInterface ? { printerInterface } : {}),
    ...(config.ok ? {} : { problem: `cannot read its interfaces: ${config.error}` }),
  };
}

function interfaceSummary(config: UsbConfigurationLike): UsbPrinterInfo['printerInterface'] {
  const chosen = printerInterfaceOf(config);
  if (!chosen) return undefined;
  const bidirectional = chosen.protocol !== PRINTER_PROTOCOL.unidirectional && chosen.bulkIn !== undefined;
  return { interfaceNumber: chosen.interfaceNumber, protocol: chosen.protocol, bidirectional };
}

function stringsOf(device: UsbDeviceLike): UsbStrings {
  return boundedStrings(readSafely(() => device.manufacturerName).value, readSafely(() => device.productName).value, readSafely(() => device.serialNumber).value);
}

function boundedStrings(...raw: (string | null | undefined)[]): UsbStrings {
  const [manufacturer, product, serialNumber] = raw.map((text) => boundedUsbString(text));
  return { ...(manufacturer ? { manufacturer } : {}), ...(product ? { product } : {}), ...(serialNumber ? { serialNumber } : {}) };
}

/** The `usb` getters open the device to read what the OS did not cache, and throw when they cannot. */
function readSafely<T>(read: () => T): { ok: true; value: T } | { ok: false; value?: undefined; error: string } {
  try {
    return { ok: true, value: read() };
  } catch (error) {
    return { ok: false, error: errorText(error) };
  }
}

/** Linux only: /dev/usb/lp*, and from sysfs the ids and strings of the device behind each. */
async function usblpNodes(deps: UsbListDeps, problems: string[]): Promise<UsbLpNode[]> {
  if ((deps.platform ?? process.platform) !== 'linux') return [];
  const list = deps.readdir ?? ((path: string) => readdir(path));
  let names: string[];
  try {
    names = await list('/dev/usb');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') problems.push(`usblp: cannot list /dev/usb: ${errorText(error)}`);
    return [];
  }
  const nodes = names.filter((n) => /^lp\d{1,3}$/.test(n)).sort((a, b) => Number(a.slice(2)) - Number(b.slice(2))).slice(0, MAX_LP_NODES);
  return Promise.all(nodes.map((name) => lpNodeOf(name, deps.readFile ?? ((path: string) => readFile(path, 'utf8')))));
}

async function lpNodeOf(name: string, read: (path: string) => Promise<string>): Promise<UsbLpNode> {
  const path = `/dev/usb/${name}`;
  // /sys/class/usbmisc/lpN/device links to the printer interface; its parent is the USB device.
  const attr = async (file: string) => read(`/sys/class/usbmisc/${name}/device/../${file}`).then((text) => text.trim(), () => undefined);
  const [vid, pid, manufacturer, product, serialNumber] = await Promise.all(['idVendor', 'idProduct', 'manufacturer', 'product', 'serial'].map(attr));
  const id = (text: string | undefined) => (text && /^[0-9a-f]{4}$/i.test(text) ? Number.parseInt(text, 16) : undefined);
  const strings = boundedStrings(manufacturer, product, serialNumber);
  const vendorId = id(vid);
  const productId = id(pid);
  return { path, target: { kind: 'usb', path }, ...(vendorId !== undefined ? { vendorId } : {}), ...(productId !== undefined ? { productId } : {}), ...strings };
}

/** One USB printer as discovery takes it: a label, what the OS says of it, and the target that opens it. */
export interface UsbDiscoveryEntry {
  label: string;
  osDescription?: string;
  target: UsbTarget;
}

/**
 * listUsbPrinters in discovery's shape (agent/src/discovery ListUsbPrinters): every enumerated
 * printer by ids, and every usblp node by path (the same printer can be both: the ids open fails
 * busy while usblp holds it, the node is the way in). Never rejects.
 */
export async function usbPrintersForDiscovery(seam?: UsbSeam, deps: UsbListDeps = {}): Promise<{ printers: UsbDiscoveryEntry[]; problems: string[] }> {
  const listed = await listUsbPrinters(seam, deps);
  const byIds = listed.printers.map((p) => entry(p.description, p.target, [p.manufacturer, p.product, p.vendor && `(${p.vendor.name})`, interfaceNote(p)]));
  const byPath = listed.lpNodes.map((n) => {
    const ids = n.vendorId !== undefined && n.productId !== undefined ? `usb ${usbIdText(n.vendorId, n.productId)}` : undefined;
    return entry(n.path, n.target, [ids, n.manufacturer, n.product]);
  });
  // discovery prefixes its own "usb: "
  return { printers: [...byIds, ...byPath], problems: listed.problems.map((p) => p.replace(/^usb: /, '')) };
}

function entry(label: string, target: UsbTarget, words: (string | false | undefined)[]): UsbDiscoveryEntry {
  const osDescription = words.filter((w): w is string => typeof w === 'string' && w !== '').join(' ').slice(0, 200);
  return { label, target, ...(osDescription ? { osDescription } : {}) };
}

function interfaceNote(p: UsbPrinterInfo): string | undefined {
  if (p.problem) return p.problem;
  if (p.printerInterface && !p.printerInterface.bidirectional) return 'write-only printer interface: status cannot be read over USB';
  return p.listedFor === 'known-vendor' ? 'no printer-class interface' : undefined;
}
