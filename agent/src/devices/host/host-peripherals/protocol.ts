// Parsers of what the OS says about peripherals: Linux sysfs attribute files and links, and the
// JSON the Windows PowerShell script prints. Pure: text in, typed values or `undefined` out.
import { z } from 'zod';
import { boundedUsbString } from '../../../transports/usb/usb-ids';

// ---- Linux sysfs (kernel drivers/usb/core/sysfs.c; Documentation/ABI/*/sysfs-bus-usb) ----

/** An idVendor / idProduct attribute: "%04x\n". */
export function parseSysfsUsbId(text: string): string | undefined {
  const trimmed = text.trim().toLowerCase();
  return /^[0-9a-f]{4}$/.test(trimmed) ? trimmed : undefined;
}

/** A bInterfaceClass / bDeviceClass attribute: "%02x\n" (hex, "07", "ff"). */
export function parseSysfsClass(text: string): number | undefined {
  const trimmed = text.trim();
  return /^[0-9a-f]{2}$/i.test(trimmed) ? Number.parseInt(trimmed, 16) : undefined;
}

/**
 * A USB device's entry in /sys/bus/usb/devices: "<bus>-<port>[.<port>…]" ("1-1", "2-3.4"). Root
 * hubs are "usbN", interfaces "<device>:<config>.<interface>" ("1-1:1.0"): neither is a device here.
 */
export function isUsbDeviceEntry(name: string): boolean {
  return /^\d{1,3}-\d{1,3}(\.\d{1,3}){0,6}$/.test(name);
}

/** The interfaces of device `device` among /sys/bus/usb/devices names ("1-1:1.0" for "1-1"). */
export function interfaceEntriesOf(device: string, names: readonly string[]): string[] {
  return names.filter((n) => n.startsWith(`${device}:`) && /^\d{1,3}\.\d{1,3}$/.test(n.slice(device.length + 1)));
}

/**
 * The serial port names worth listing from /sys/class/tty: 8250/16550 ports (ttyS), USB-serial
 * bridges (ttyUSB), CDC-ACM (ttyACM), ARM PL011 (ttyAMA). Virtual consoles (tty0…) and pty are not ports.
 */
export function isSerialTtyName(name: string): boolean {
  return /^tty(S|USB|ACM|AMA)\d{1,3}$/.test(name);
}

/**
 * Whether a ttyS port is only a placeholder: the kernel makes nr_uarts ttyS nodes whether or not
 * a UART is there, and hangs the missing ones on the legacy platform device serial8250
 * ("/sys/devices/platform/serial8250", or "…/serial8250:0/serial8250:0.1" from kernel 6.5 with
 * the serial-base bus). A real port sits under its firmware's device (pnp "00:00:0.0", pci, acpi
 * "PNP0501:00"). No link at all: not a port. Only the names are tested, so a link resolved
 * relative to /sys/class/tty tells the same as a fully resolved one.
 */
export function isPlaceholderSerial(resolvedDevicePath: string | null): boolean {
  return resolvedDevicePath === null || /(^|\/)serial8250([/:.]|$)/.test(resolvedDevicePath);
}

/** A device-supplied or OS string: printable only, bounded (the USB transport's rule). */
export const cleanText = (value: string | null | undefined, max: number): string | undefined => boundedUsbString(value, max);

// ---- Windows (PowerShell, Get-CimInstance Win32_PnPEntity and the SERIALCOMM registry key) ----

const nullableText = z.string().nullable().optional();

/**
 * One Win32_PnPEntity as `Select-Object … | ConvertTo-Json` prints it (learn.microsoft.com
 * "Win32_PnPEntity class"). Names are localized; PNPDeviceID, CompatibleID, PNPClass and Status are not.
 */
export const PnpEntity = z.looseObject({
  Name: nullableText,
  PNPDeviceID: z.string(),
  Manufacturer: nullableText,
  PNPClass: nullableText,
  ClassGuid: nullableText,
  Service: nullableText,
  Status: nullableText,
  // a string[] property; a single value may come unwrapped from older PowerShell
  CompatibleID: z.union([z.array(z.string()), z.string()]).nullable().optional(),
});
export type PnpEntity = z.infer<typeof PnpEntity>;

/** One value of HKLM\HARDWARE\DEVICEMAP\SERIALCOMM: "\Device\Serial0" = "COM1". */
export const SerialCommValue = z.looseObject({ Device: z.string(), Port: z.string() });
export type SerialCommValue = z.infer<typeof SerialCommValue>;

/** ConvertTo-Json prints a one-element array as the element alone, and an empty one as null. */
const asList = (value: unknown): unknown[] => (value === null ? [] : Array.isArray(value) ? (value as unknown[]) : [value]);
const listOf = <T extends z.ZodType>(item: T) => z.preprocess(asList, z.array(item));

/** What the script prints: `{"pnp": [...], "serialcomm": [...]}`. */
export const WindowsPeripheralsJson = z.looseObject({ pnp: listOf(PnpEntity), serialcomm: listOf(SerialCommValue).optional() });
export type WindowsPeripheralsJson = z.output<typeof WindowsPeripheralsJson>;

export type ParsedWindows = { ok: true; value: WindowsPeripheralsJson } | { ok: false; reason: string };

/** The script's stdout, checked; a different shape (a new Windows, a changed script) is a reason, never a throw. */
export function parseWindowsPeripherals(stdout: string): ParsedWindows {
  const text = stdout.replace(/^\uFEFF/, '').trim();
  if (text === '') return { ok: false, reason: 'printed nothing' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: `printed something that is not JSON: ${JSON.stringify(text.slice(0, 80))}` };
  }
  const parsed = WindowsPeripheralsJson.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `printed JSON of an unknown shape (${issue ? `${issue.path.join('.') || 'top'}: ${issue.message}` : 'no detail'})` };
  }
  return { ok: true, value: parsed.data };
}

/** What a Windows device instance id says: "USB\VID_04B8&PID_0E15\J7DF012345", "FTDIBUS\VID_0403+PID_6001+A50285BIA\0000". */
export interface InstanceId {
  enumerator: string;
  vendorId: string;
  productId: string;
  /** MI_xx: this entry is one interface of a composite device */
  interfaceNumber?: number;
  /** the last segment: the device's serial number when it has one, else one Windows made up */
  instance: string;
  /**
   * Windows makes an instance id from the port ("5&2a2b3c4d&0&2") when the device reports no
   * serial number: such an id contains '&' ("Standard USB Identifiers", USB device instance IDs).
   */
  serial?: string;
}

export function parseInstanceId(id: string): InstanceId | undefined {
  const match = /^([A-Z0-9_]+)\\VID_([0-9A-F]{4})[&+]PID_([0-9A-F]{4})(?:&MI_([0-9A-F]{2}))?[^\\]*\\(.+)$/i.exec(id);
  if (!match) return undefined;
  const [, enumerator = '', vid = '', pid = '', mi, instance = ''] = match;
  const serial = instance.includes('&') ? undefined : cleanText(instance, 128);
  return {
    enumerator: enumerator.toUpperCase(),
    vendorId: vid.toLowerCase(),
    productId: pid.toLowerCase(),
    ...(mi !== undefined ? { interfaceNumber: Number.parseInt(mi, 16) } : {}),
    instance,
    ...(serial !== undefined ? { serial } : {}),
  };
}

/** Interface classes from compatible ids ("USB\Class_07&SubClass_01&Prot_02"), each once. */
const compatibleIdList = (ids: PnpEntity['CompatibleID']): string[] => (ids == null ? [] : Array.isArray(ids) ? ids : [ids]);

export function classesOfCompatibleIds(ids: PnpEntity['CompatibleID']): number[] {
  const classes = compatibleIdList(ids).flatMap((id) => {
    const match = /^USB\\Class_([0-9A-F]{2})/i.exec(id);
    return match?.[1] ? [Number.parseInt(match[1], 16)] : [];
  });
  return [...new Set(classes)];
}

/** A hub by its device class ("USB\\DevClass_09…" among its compatible ids): not a peripheral. */
export function isHubByCompatibleIds(ids: PnpEntity['CompatibleID']): boolean {
  return compatibleIdList(ids).some((id) => /^USB\\DevClass_09(&|$)/i.test(id));
}

/** The COM name at the end of a Ports-class device's localized name: "USB Serial Port (COM3)" → "COM3". */
export function comPortOfName(name: string | null | undefined): string | undefined {
  const match = typeof name === 'string' ? /\((COM\d{1,3})\)\s*$/i.exec(name) : null;
  return match?.[1]?.toUpperCase();
}
