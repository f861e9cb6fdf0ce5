// The known-devices table (docs/devices.md §6): which USB ids are receipt printers, fiscal
// registers, USB-serial bridges and CDC-ACM "virtual COM ports", and what an unknown device's
// interface classes make of it. Pure; the host-peripherals probe names what it sees with it, and
// discovery may too.
import type { PeripheralKind } from '@tillscope/shared';

/** Where a fact in the table comes from, as devices.md tags it. */
export type KnownSource = 'usb.ids' | 'single-source';

export interface KnownUsbDevice {
  /** four lower-case hex digits */
  vendorId: string;
  /** four lower-case hex digits, or '*' for every product of the vendor */
  productId: string;
  /** what a person reads: "Epson TM-T20II" */
  name: string;
  kind: PeripheralKind;
  /** usb.ids (or another source devices.md marks [V]/[S]); 'single-source' where devices.md says so */
  source: KnownSource;
}

const entry = (id: string, name: string, kind: PeripheralKind, source: KnownSource = 'usb.ids'): KnownUsbDevice => {
  const [vendorId = '', productId = ''] = id.split(':');
  return { vendorId, productId, name, kind, source };
};

/**
 * devices.md §6, row by row. Shtrih-M, Mertech and Xprinter ids are not in any source checked [U]:
 * such devices are told by their interface class (printer, CDC-ACM) instead. ATOL's 2912 comes
 * from one source only (a udev rule in a package of ATOL driver v10) and usb.ids gives 2912 to
 * another vendor, hence 'single-source'.
 */
export const KNOWN_USB_DEVICES: readonly KnownUsbDevice[] = [
  entry('04b8:0202', 'Epson TM-T88IV/TM-T70 (UB-U05)', 'receipt-printer'),
  entry('04b8:0e03', 'Epson TM-T20', 'receipt-printer'),
  entry('04b8:0e15', 'Epson TM-T20II', 'receipt-printer'),
  entry('04b8:0e31', 'Epson TM-L100', 'receipt-printer'),
  entry('0519:0003', 'Star TSP100', 'receipt-printer'),
  entry('1504:001f', 'Bixolon SRP-350II', 'receipt-printer'),
  entry('0dd4:0237', 'Custom K80', 'receipt-printer'),
  entry('6868:0500', 'Gprinter ZH-380', 'receipt-printer'),
  entry('154f:*', 'SNBC printer', 'receipt-printer'),
  entry('2912:*', 'ATOL fiscal register', 'fiscal', 'single-source'),
  entry('0483:5740', 'STMicro Virtual COM Port', 'cdc-acm'),
  entry('0416:5011', 'Winbond Virtual COM Port', 'cdc-acm'),
  entry('0403:6001', 'FTDI USB-serial adapter', 'usb-serial'),
  entry('067b:2303', 'Prolific PL2303 USB-serial adapter', 'usb-serial'),
  entry('10c4:ea60', 'Silicon Labs CP210x USB-serial adapter', 'usb-serial'),
  entry('1a86:7523', 'CH340 USB-serial adapter', 'usb-serial'),
];

/** USB interface classes (usb.org "Defined Class Codes"): 07 printer, 02 CDC control, 0a CDC data. */
export const USB_CLASS = { cdcControl: 0x02, printer: 0x07, hub: 0x09, cdcData: 0x0a } as const;

/** What the table and the interface classes make of one USB device. */
export interface UsbIdentity {
  kind: PeripheralKind;
  /** the table's name, when its id is in it */
  knownAs?: string;
  source?: KnownSource;
}

/** The table's entry for an id: the exact product first, then the vendor's '*' row. */
export function knownUsbDevice(vendorId: string, productId: string, table: readonly KnownUsbDevice[] = KNOWN_USB_DEVICES): KnownUsbDevice | undefined {
  const vid = vendorId.toLowerCase();
  const pid = productId.toLowerCase();
  return table.find((d) => d.vendorId === vid && d.productId === pid) ?? table.find((d) => d.vendorId === vid && d.productId === '*');
}

/**
 * The kind of a USB device: the table's when its id is there; otherwise from its interfaces
 * (a printer-class interface → 'printer-class', a CDC one → 'cdc-acm'), else 'other'.
 */
export function identifyUsbDevice(vendorId: string, productId: string, interfaceClasses: readonly number[], table?: readonly KnownUsbDevice[]): UsbIdentity {
  const known = knownUsbDevice(vendorId, productId, table);
  if (known) return { kind: known.kind, knownAs: known.name, source: known.source };
  if (interfaceClasses.includes(USB_CLASS.printer)) return { kind: 'printer-class' };
  if (interfaceClasses.includes(USB_CLASS.cdcControl) || interfaceClasses.includes(USB_CLASS.cdcData)) return { kind: 'cdc-acm' };
  return { kind: 'other' };
}

/** Kinds that print receipts or fiscalise them: their loss during trading hours stops sales. */
export function isPrinterOrFiscal(kind: PeripheralKind): boolean {
  return kind === 'receipt-printer' || kind === 'fiscal' || kind === 'printer-class';
}
