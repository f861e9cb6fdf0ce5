// The OS seam of the USB transport: the part of the `usb` package (v3, WebUSB API over the nusb
// crate) that the agent uses, so tests hand in a replay of recorded devices instead.
import { errorText } from '../../logger';

export type UsbDirection = 'in' | 'out';

/** One endpoint as WebUSB describes it: endpoint 0x81 is `{ endpointNumber: 1, direction: 'in' }`. */
export interface UsbEndpointLike {
  readonly endpointNumber: number;
  readonly direction: UsbDirection;
  readonly type: 'bulk' | 'interrupt' | 'isochronous';
  readonly packetSize: number;
}

export interface UsbAlternateLike {
  readonly alternateSetting: number;
  readonly interfaceClass: number;
  readonly interfaceSubclass: number;
  readonly interfaceProtocol: number;
  readonly endpoints: readonly UsbEndpointLike[];
}

export interface UsbInterfaceLike {
  readonly interfaceNumber: number;
  readonly alternate: UsbAlternateLike;
  readonly alternates: readonly UsbAlternateLike[];
}

export interface UsbConfigurationLike {
  readonly configurationValue: number;
  readonly interfaces: readonly UsbInterfaceLike[];
}

/**
 * One enumerated device. Contract of the real one (node-usb-rs 3.1, read from its source):
 * - the string getters and `configuration` may THROW: they open the device when the OS did not
 *   cache the strings (Linux: "open error: permission denied (errno 13)" without a udev rule);
 * - `claimInterface` never detaches a kernel driver: with usblp bound it rejects with
 *   "claimInterface error: interface is busy (errno 16)"; on Windows, a printer bound to
 *   usbprint.sys (the spooler's) rejects with "incompatible driver is installed for this device";
 * - `transferIn` rejects "transferIn error: Cancelled" when its timeout passes with no data,
 *   "…: Disconnected" when the device was unplugged, "…: Stall" on a halted endpoint.
 */
export interface UsbDeviceLike {
  readonly vendorId: number;
  readonly productId: number;
  readonly deviceClass: number;
  readonly manufacturerName?: string | null;
  readonly productName?: string | null;
  readonly serialNumber?: string | null;
  readonly configuration?: UsbConfigurationLike | null;
  open(): Promise<void>;
  close(): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface(interfaceNumber: number): Promise<void>;
  transferIn(endpointNumber: number, length: number, timeoutMs?: number): Promise<{ data?: DataView | undefined; status: string }>;
  transferOut(endpointNumber: number, data: Uint8Array, timeoutMs?: number): Promise<{ bytesWritten: number; status: string }>;
  clearHalt(direction: UsbDirection, endpointNumber: number): Promise<void>;
}

/** What the agent uses of `usb`: a fresh enumeration on every call (no device handle is kept). */
export interface UsbSeam {
  getDevices(): Promise<readonly UsbDeviceLike[]>;
}

/** The seam, or why USB cannot be used here (no prebuilt binding for this OS/CPU, load failure). */
export type UsbSeamLoad = { ok: true; seam: UsbSeam } | { ok: false; reason: string };

/**
 * Loads the real `usb` package on first use (its native binding is a napi-rs prebuilt; a till on
 * an OS/CPU without one must still start and probe its TCP and serial printers). Never rejects.
 */
export async function loadUsbSeam(importUsb: () => Promise<{ usb: UsbSeam }> = importRealUsb): Promise<UsbSeamLoad> {
  try {
    const { usb } = await importUsb();
    return { ok: true, seam: { getDevices: () => usb.getDevices() } };
  } catch (error) {
    return { ok: false, reason: `the usb package could not load its native binding: ${errorText(error)}` };
  }
}

/** `deps.seam` when given, else the real package loaded once per call site. */
export async function resolveUsbSeam(seam: UsbSeam | undefined): Promise<UsbSeamLoad> {
  return seam ? { ok: true, seam } : loadUsbSeam();
}

/**
 * The real package. Its `UsbDevice` gets the WebUSB methods (transferIn/transferOut with an extra
 * timeout argument) from dist/index.js patching the native prototype; its typings declare them
 * through @types/w3c-web-usb globals this project does not load, hence the cast.
 */
async function importRealUsb(): Promise<{ usb: UsbSeam }> {
  const { usb } = await import('usb');
  return { usb: { getDevices: () => usb.getDevices() as unknown as Promise<readonly UsbDeviceLike[]> } };
}
