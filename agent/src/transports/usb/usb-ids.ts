// USB facts the listing and the transport share (docs/devices.md §6). Pure.
import type { UsbConfigurationLike, UsbEndpointLike, UsbInterfaceLike } from './usb-seam';

/** USB interface class 7: printer (USB Printer Class 1.1). */
export const PRINTER_CLASS = 7;

/**
 * Printer-class interface protocols (Printer Class 1.1 §4.2): 1 unidirectional (bulk OUT only:
 * nothing can be read back), 2 bidirectional (bulk OUT + bulk IN: DLE EOT replies come back),
 * 3 IEEE 1284.4 (bidirectional, packetised: a raw DLE EOT may go unanswered).
 */
export const PRINTER_PROTOCOL = { unidirectional: 1, bidirectional: 2, ieee1284_4: 3 } as const;

export interface KnownVendor {
  name: string;
  /** listed by a single source (devices.md tags it [S single source]) */
  singleSource?: true;
}

/** Receipt-printer and fiscal-register vendor ids (devices.md §6, usb.ids unless tagged). */
export const PRINTER_VENDORS: ReadonlyMap<number, KnownVendor> = new Map([
  [0x04b8, { name: 'Epson' }],
  [0x0519, { name: 'Star Micronics' }],
  [0x1504, { name: 'Bixolon' }],
  [0x0dd4, { name: 'Custom' }],
  [0x154f, { name: 'SNBC' }],
  [0x6868, { name: 'Gprinter' }],
  [0x2912, { name: 'ATOL', singleSource: true }],
]);

/**
 * USB-serial bridges (FTDI, Prolific PL2303, SiLabs CP210x, CH340): their device is a serial port
 * (/dev/ttyUSB*, COMn), listed with the serial ports, never as a USB printer.
 */
export const USB_SERIAL_BRIDGES: ReadonlySet<string> = new Set(['0403:6001', '067b:2303', '10c4:ea60', '1a86:7523']);

/** Interface classes that make a device a serial port: CDC control (2) and CDC data (0x0a). */
export const CDC_CLASSES: ReadonlySet<number> = new Set([0x02, 0x0a]);

export const usbIdText = (vendorId: number, productId: number): string =>
  `${vendorId.toString(16).padStart(4, '0')}:${productId.toString(16).padStart(4, '0')}`;

/** The printer-class interface chosen for a device and its endpoints. */
export interface PrinterInterface {
  interfaceNumber: number;
  protocol: number;
  bulkOut: UsbEndpointLike;
  /** absent for a unidirectional interface: replies cannot be read */
  bulkIn?: UsbEndpointLike;
}

const bulk = (iface: UsbInterfaceLike, direction: 'in' | 'out') =>
  iface.alternate.endpoints.find((e) => e.type === 'bulk' && e.direction === direction);

/** Preference among printer-class interfaces: bidirectional first, then 1284.4, then write-only. */
const PROTOCOL_RANK: Record<number, number> = { 2: 0, 3: 1, 1: 2 };

/** The best printer-class interface with a bulk OUT endpoint (bidirectional preferred), if any. */
export function printerInterfaceOf(configuration: UsbConfigurationLike): PrinterInterface | undefined {
  const candidates = configuration.interfaces
    .filter((i) => i.alternate.interfaceClass === PRINTER_CLASS && bulk(i, 'out'))
    .sort((a, b) => (PROTOCOL_RANK[a.alternate.interfaceProtocol] ?? 3) - (PROTOCOL_RANK[b.alternate.interfaceProtocol] ?? 3));
  const chosen = candidates[0];
  if (!chosen) return undefined;
  const bulkIn = chosen.alternate.interfaceProtocol === PRINTER_PROTOCOL.unidirectional ? undefined : bulk(chosen, 'in');
  return { interfaceNumber: chosen.interfaceNumber, protocol: chosen.alternate.interfaceProtocol, bulkOut: bulk(chosen, 'out')!, ...(bulkIn ? { bulkIn } : {}) };
}

/** A device-supplied string (iManufacturer, iProduct, iSerialNumber): untrusted, so printable and bounded. */
export function boundedUsbString(value: string | null | undefined, max = 64): string | undefined {
  if (typeof value !== 'string') return undefined;
  const printable = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufffd]/g, '').trim();
  return printable === '' ? undefined : printable.slice(0, max);
}
