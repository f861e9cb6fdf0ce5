// Linux: USB devices from /sys/bus/usb/devices, serial ports from /sys/class/tty and the stable
// names udev makes in /dev/serial/by-id, all through HostOs (no tool to run, nothing to install).
import type { SerialPortFacts, UncheckedFact, UsbDeviceFacts } from '@tillscope/shared';
import type { HostOs } from '../../../os/host-os';
import { identifyUsbDevice, USB_CLASS } from '../../common/known-usb-devices';
import { cleanText, interfaceEntriesOf, isPlaceholderSerial, isSerialTtyName, isUsbDeviceEntry, parseSysfsClass, parseSysfsUsbId } from './protocol';
import { MAX_SERIAL, MAX_UNCHECKED, MAX_USB, readExchange, type PeripheralScan } from './scan';

export const SYS_USB_DEVICES = '/sys/bus/usb/devices';
export const SYS_CLASS_TTY = '/sys/class/tty';
export const SERIAL_BY_ID = '/dev/serial/by-id';
const ATTR_MAX_BYTES = 4096;

/** `usbDevicesDir`: where the USB device tree is (the `usbDevicesDir` option; sysfs's unless a simulator stands in). */
export async function scanLinux(os: HostOs, now: () => number = Date.now, usbDevicesDir = SYS_USB_DEVICES): Promise<PeripheralScan> {
  const unchecked: UncheckedFact[] = [];
  const started = now();
  const usb = await readUsbDevices(os, usbDevicesDir, unchecked);
  const usbDone = now();
  const serial = await readSerialPorts(os, usb ?? [], unchecked);
  const exchanges = [
    readExchange(`read ${usbDevicesDir}`, { path: usbDevicesDir }, usb === null ? null : { devices: usb.length, keys: usb.slice(0, 16).map((d) => d.key) }, usb !== null, usbDone - started),
    readExchange(`read ${SYS_CLASS_TTY} and ${SERIAL_BY_ID}`, { path: SYS_CLASS_TTY }, serial === null ? null : { ports: serial.map((p) => p.path).slice(0, 32) }, serial !== null, now() - usbDone),
  ];
  return { usb, serial, unchecked: unchecked.slice(0, MAX_UNCHECKED), exchanges };
}

async function readUsbDevices(os: HostOs, root: string, unchecked: UncheckedFact[]): Promise<UsbDeviceFacts[] | null> {
  const names = await os.readdir(root);
  if (names === null) {
    unchecked.push({ fact: 'usb', reason: `${root} is not there or cannot be read (no USB controller, or sysfs not mounted)` });
    return null;
  }
  const devices: UsbDeviceFacts[] = [];
  for (const name of names.filter(isUsbDeviceEntry).sort()) {
    if (devices.length >= MAX_USB) break;
    const device = await readUsbDevice(os, root, name, interfaceEntriesOf(name, names), unchecked);
    if (device) devices.push(device);
  }
  return devices;
}

const attr = async (os: HostOs, path: string): Promise<string | undefined> => {
  const read = await os.readFile(path, ATTR_MAX_BYTES);
  return read.kind === 'ok' ? read.text : undefined;
};

async function readUsbDevice(os: HostOs, root: string, name: string, interfaces: string[], unchecked: UncheckedFact[]): Promise<UsbDeviceFacts | undefined> {
  const dir = `${root}/${name}`;
  const [vid, pid, manufacturer, product, serial, deviceClass] = await Promise.all(
    ['idVendor', 'idProduct', 'manufacturer', 'product', 'serial', 'bDeviceClass'].map((file) => attr(os, `${dir}/${file}`)),
  );
  const vendorId = vid === undefined ? undefined : parseSysfsUsbId(vid);
  const productId = pid === undefined ? undefined : parseSysfsUsbId(pid);
  if (vendorId === undefined || productId === undefined) {
    unchecked.push({ fact: `usb.${name}`, reason: `${dir}: idVendor/idProduct missing or not 4 hex digits (${JSON.stringify((vid ?? '').trim().slice(0, 16))}:${JSON.stringify((pid ?? '').trim().slice(0, 16))})` });
    return undefined;
  }
  if (deviceClass !== undefined && parseSysfsClass(deviceClass) === USB_CLASS.hub) return undefined;
  const perInterface = await Promise.all(interfaces.sort().map((iface) => readInterface(os, `${root}/${iface}`)));
  const interfaceClasses = [...new Set(perInterface.flatMap((i) => (i.interfaceClass === undefined ? [] : [i.interfaceClass])))].slice(0, 16);
  const devicePath = perInterface.find((i) => i.node !== undefined)?.node;
  const serialText = cleanText(serial, 128);
  const identity = identifyUsbDevice(vendorId, productId, interfaceClasses);
  const manufacturerText = cleanText(manufacturer, 200);
  const productText = cleanText(product, 200);
  return {
    key: serialText ? `${vendorId}:${productId}:${serialText}` : `${vendorId}:${productId}@${name}`,
    vendorId,
    productId,
    ...(manufacturerText ? { manufacturer: manufacturerText } : {}),
    ...(productText ? { product: productText } : {}),
    ...(serialText ? { serial: serialText } : {}),
    interfaceClasses,
    kind: identity.kind,
    ...(identity.knownAs ? { knownAs: identity.knownAs } : {}),
    ...(devicePath ? { devicePath } : {}),
  };
}

/**
 * One interface: its class and the node its kernel driver made. usb-serial puts "ttyUSBn" in the
 * interface folder itself, cdc_acm "tty/ttyACMn", usblp "usbmisc/lpN" (→ /dev/usb/lpN).
 */
async function readInterface(os: HostOs, dir: string): Promise<{ interfaceClass?: number; node?: string }> {
  const [classText, entries] = await Promise.all([attr(os, `${dir}/bInterfaceClass`), os.readdir(dir)]);
  const interfaceClass = classText === undefined ? undefined : parseSysfsClass(classText);
  const withClass = interfaceClass === undefined ? {} : { interfaceClass };
  const names = entries ?? [];
  const ttyUsb = names.find((n) => /^ttyUSB\d{1,3}$/.test(n));
  if (ttyUsb) return { ...withClass, node: `/dev/${ttyUsb}` };
  if (names.includes('tty')) {
    const acm = (await os.readdir(`${dir}/tty`))?.find((n) => /^tty(ACM|USB)\d{1,3}$/.test(n));
    if (acm) return { ...withClass, node: `/dev/${acm}` };
  }
  if (names.includes('usbmisc')) {
    const lp = (await os.readdir(`${dir}/usbmisc`))?.find((n) => /^lp\d{1,3}$/.test(n));
    if (lp) return { ...withClass, node: `/dev/usb/${lp}` };
  }
  return withClass;
}

async function readSerialPorts(os: HostOs, usb: readonly UsbDeviceFacts[], unchecked: UncheckedFact[]): Promise<SerialPortFacts[] | null> {
  const ttys = await os.readdir(SYS_CLASS_TTY);
  if (ttys === null) {
    unchecked.push({ fact: 'serial', reason: `${SYS_CLASS_TTY} is not there or cannot be read (sysfs not mounted)` });
    return null;
  }
  const byId = await byIdLinks(os);
  const ports: SerialPortFacts[] = [];
  for (const name of ttys.filter(isSerialTtyName).sort(byPortOrder)) {
    if (ports.length >= MAX_SERIAL) break;
    if (/^tty(S|AMA)/.test(name) && isPlaceholderSerial(await os.readlink(`${SYS_CLASS_TTY}/${name}/device`))) continue;
    ports.push(serialPortOf(`/dev/${name}`, byId.get(`/dev/${name}`), usb));
  }
  return ports;
}

/** /dev/serial/by-id/<name> → the node it points at; the folder is absent when no USB serial port is plugged in. */
async function byIdLinks(os: HostOs): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  for (const name of (await os.readdir(SERIAL_BY_ID)) ?? []) {
    const target = await os.readlink(`${SERIAL_BY_ID}/${name}`);
    if (target !== null && !links.has(target)) links.set(target, `${SERIAL_BY_ID}/${name}`);
  }
  return links;
}

function serialPortOf(path: string, byId: string | undefined, usb: readonly UsbDeviceFacts[]): SerialPortFacts {
  const parent = usb.find((d) => d.devicePath === path);
  const fallbackKind = path.startsWith('/dev/ttyUSB') ? 'usb-serial' : path.startsWith('/dev/ttyACM') ? 'cdc-acm' : 'other';
  return {
    path,
    ...(byId ? { byId: byId.slice(0, 300) } : {}),
    ...(parent ? { vendorId: parent.vendorId, productId: parent.productId } : {}),
    ...(parent?.manufacturer ? { manufacturer: parent.manufacturer } : {}),
    kind: parent?.kind ?? fallbackKind,
    ...(parent?.knownAs ? { knownAs: parent.knownAs } : {}),
  };
}

/** ttyS2 before ttyS10. */
function byPortOrder(a: string, b: string): number {
  const [, prefixA = '', numA = '0'] = /^(\D+)(\d+)$/.exec(a) ?? [];
  const [, prefixB = '', numB = '0'] = /^(\D+)(\d+)$/.exec(b) ?? [];
  return prefixA === prefixB ? Number(numA) - Number(numB) : prefixA.localeCompare(prefixB);
}
