import { PeripheralKind } from '@tillscope/shared';
import { z } from 'zod';

const UsbIdPair = z
  .string()
  .transform((text) => text.trim().toLowerCase())
  .pipe(z.string().regex(/^[0-9a-f]{4}:([0-9a-f]{4}|\*)$/, 'a USB id pair as lsusb prints it: "0781:5567", or "0781:*" for every product of a vendor'));

/**
 * `host.probes.host-peripherals` in the agent config, e.g.
 * `{ "hotplug": true, "ignore": ["0781:*"], "detachedKinds": ["receipt-printer", "fiscal"] }`.
 */
export const PeripheralsOptions = z.strictObject({
  /** Watch USB hot-plug (the `usb` package) to report an attach or detach at once; off: only the diff at each probe. */
  hotplug: z.boolean().default(true),
  /** After a hot-plug event, wait this long for the OS to bind its drivers and make its nodes before looking. */
  hotplugSettleMs: z.number().int().min(100).max(30_000).default(2_000),
  /**
   * Kinds whose unplugging is a finding (host.device_detached); any other device going (a flash
   * drive, a mouse) is an event only. A configured device going is always a finding.
   */
  detachedKinds: z.array(PeripheralKind).max(6).default(['receipt-printer', 'fiscal', 'printer-class', 'usb-serial', 'cdc-acm']),
  /** Devices never to report as detached ("vvvv:pppp" or "vvvv:*"): a flash drive the staff carry away. */
  ignore: z.array(UsbIdPair).max(64).default([]),
  /** Linux: the USB device tree (sysfs's); another folder laid out the same way stands in for it (the demo's host simulator). */
  usbDevicesDir: z.string().min(1).max(300).default('/sys/bus/usb/devices'),
  /** Windows: how long the PowerShell listing may take before it is killed (its start alone can take seconds); under the host loop's 60 s deadline. */
  timeoutMs: z.number().int().min(1_000).max(55_000).default(30_000),
});
export type PeripheralsOptions = z.output<typeof PeripheralsOptions>;
