// The fixture format of a recorded (or transcribed) USB device: its descriptors as lsusb -v /
// pyusb print them, and optionally the transfers a test replays. Parsed with zod at load.
import { z } from 'zod';
import type { UsbConfigurationLike, UsbEndpointLike } from '../usb-seam';

const HexByte = z.string().regex(/^0x[0-9a-f]{1,2}$/i, 'an address like "0x81"');
const HexId = z.string().regex(/^[0-9a-f]{4}$/i, 'four hex digits like "04b8"');
/** bytes as hex pairs, spaces allowed: "10 04 01" */
export const HexBytes = z.string().regex(/^([0-9a-f]{2}\s*)*$/i, 'hex byte pairs like "10 04 01"');

const Endpoint = z.strictObject({ bEndpointAddress: HexByte, bmAttributes: z.enum(['bulk', 'interrupt', 'isochronous']), wMaxPacketSize: z.number().int().min(1).max(1024) });
const Interface = z.strictObject({
  bInterfaceNumber: z.number().int().min(0).max(255),
  bInterfaceClass: z.number().int().min(0).max(255),
  bInterfaceSubClass: z.number().int().min(0).max(255),
  bInterfaceProtocol: z.number().int().min(0).max(255),
  endpoints: z.array(Endpoint),
});

/**
 * One step the device plays: `out` bytes it expects next, then `in` bytes it sends back (or `in`
 * alone: bytes it sends unasked), or `detach`: it is pulled out at that point.
 */
export const ReplayStep = z.union([
  z.strictObject({ out: HexBytes, in: HexBytes.optional() }),
  z.strictObject({ in: HexBytes }),
  z.strictObject({ detach: z.literal(true) }),
]);
export type ReplayStep = z.infer<typeof ReplayStep>;

export const RecordedDevice = z.strictObject({
  /** where the descriptors come from, and whether they were recorded here or transcribed */
  source: z.string().min(1),
  provenance: z.enum(['recorded', 'transcribed', 'constructed']),
  idVendor: HexId,
  idProduct: HexId,
  bDeviceClass: z.number().int().min(0).max(255),
  iManufacturer: z.string().optional(),
  iProduct: z.string().optional(),
  iSerialNumber: z.string().optional(),
  bConfigurationValue: z.number().int().min(1).max(255),
  interfaces: z.array(Interface).min(1),
  /** transfers played in order: OUT bytes expected, IN bytes returned, detach events */
  script: z.array(ReplayStep).optional(),
  /** a responder instead of a script: reply (hex) by request (hex), any number of times */
  replies: z.record(HexBytes, HexBytes).optional(),
  /** a kernel driver holds the printer interface: "usblp" (Linux) or "usbprint" (Windows) */
  heldBy: z.enum(['usblp', 'usbprint']).optional(),
  /** opening fails with this message (e.g. "open error: permission denied (errno 13)") */
  openError: z.string().optional(),
});
export type RecordedDevice = z.infer<typeof RecordedDevice>;

export const hexToBytes = (hex: string): number[] => (hex.replace(/\s+/g, '').match(/../g) ?? []).map((pair) => Number.parseInt(pair, 16));
export const bytesToHex = (bytes: Iterable<number>): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');

function endpointOf(e: z.infer<typeof Endpoint>): UsbEndpointLike {
  const address = Number.parseInt(e.bEndpointAddress, 16);
  return { endpointNumber: address & 0x0f, direction: address & 0x80 ? 'in' : 'out', type: e.bmAttributes, packetSize: e.wMaxPacketSize };
}

/** The WebUSB shape the real `usb` package gives for these descriptors. */
export function configurationOf(recorded: RecordedDevice): UsbConfigurationLike {
  return {
    configurationValue: recorded.bConfigurationValue,
    interfaces: recorded.interfaces.map((i) => {
      const alternate = {
        alternateSetting: 0,
        interfaceClass: i.bInterfaceClass,
        interfaceSubclass: i.bInterfaceSubClass,
        interfaceProtocol: i.bInterfaceProtocol,
        endpoints: i.endpoints.map(endpointOf),
      };
      return { interfaceNumber: i.bInterfaceNumber, alternate, alternates: [alternate] };
    }),
  };
}
