// What the probe remembers between looks (the devices seen, the ones that went, the recent
// events) and the diff that turns two looks into attached/detached events. Pure.
import { PeripheralEvent, PeripheralKind, type SerialPortFacts, type UsbDeviceFacts } from '@tillscope/shared';
import { z } from 'zod';
import type { PeripheralScan } from './scan';

/** A peripheral as memory keeps it: enough to name it and to match it with a configured device. */
export interface Peripheral {
  key: string;
  /** "Epson TM-T20II (04b8:0e15)", "/dev/ttyUSB0" */
  name: string;
  kind: PeripheralKind;
  vendorId?: string;
  productId?: string;
  serial?: string;
  /** /dev/usb/lp0, /dev/ttyUSB0, COM5 */
  devicePath?: string;
  /** the /dev/serial/by-id link to its node */
  byId?: string;
}

/** A USB device seen once and gone since `since`, until it comes back (or the agent restarts). */
export interface MissingPeripheral extends Peripheral {
  since: string;
}

export interface PeripheralsMemory {
  /** the last complete look of each list; undefined before the first (the first look sets the baseline) */
  seenUsb: Map<string, Peripheral> | undefined;
  seenSerial: Map<string, Peripheral> | undefined;
  /** USB devices that went and have not come back, by key */
  missing: Map<string, MissingPeripheral>;
  /** newest last, the last MAX_EVENTS */
  events: PeripheralEvent[];
  /** probes and hot-plug rescans take turns on this memory */
  turn: Promise<unknown>;
  /** whether the saved state (HostProbeContext.state) was read into this memory yet */
  restored: boolean;
}

export const MAX_EVENTS = 32;
const MAX_MISSING = 64;

export function createPeripheralsMemory(): PeripheralsMemory {
  return { seenUsb: undefined, seenSerial: undefined, missing: new Map(), events: [], turn: Promise.resolve(), restored: false };
}

const text = (max: number) => z.string().max(max);
const SavedPeripheral = z.object({
  key: text(200),
  name: text(200),
  kind: PeripheralKind,
  vendorId: text(4).optional(),
  productId: text(4).optional(),
  serial: text(128).optional(),
  devicePath: text(200).optional(),
  byId: text(300).optional(),
});

/**
 * What survives an agent restart (HostProbeContext.state): the last USB look, what is gone and the
 * recent events, so a printer unplugged while the agent or the register was down is seen going.
 * Serial ports are not kept: their names (ttyUSB0) are handed out afresh at boot.
 */
export const SavedPeripherals = z.object({
  version: z.literal(1),
  usb: z.array(SavedPeripheral).max(MAX_MISSING),
  missing: z.array(SavedPeripheral.extend({ since: z.iso.datetime() })).max(MAX_MISSING),
  events: z.array(PeripheralEvent).max(MAX_EVENTS),
});
export type SavedPeripherals = z.infer<typeof SavedPeripherals>;

export function savedOf(memory: PeripheralsMemory): SavedPeripherals {
  return { version: 1, usb: [...(memory.seenUsb?.values() ?? [])].slice(0, MAX_MISSING), missing: [...memory.missing.values()], events: memory.events };
}

/** Takes a saved state into a memory that has not looked yet; anything unreadable is ignored (a fresh baseline). */
export function restoreSaved(memory: PeripheralsMemory, saved: unknown): void {
  const parsed = SavedPeripherals.safeParse(saved);
  if (!parsed.success || memory.seenUsb !== undefined) return;
  const strip = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
  memory.seenUsb = new Map(parsed.data.usb.map((p) => [p.key, strip(p)] as const));
  memory.missing = new Map(parsed.data.missing.map((p) => [p.key, strip(p)] as const));
  memory.events = parsed.data.events;
}

/** Runs `work` after every earlier turn has settled, so two looks never diff against the same baseline. */
export function takeTurn<T>(memory: PeripheralsMemory, work: () => Promise<T>): Promise<T> {
  const result = memory.turn.then(work, work);
  memory.turn = result.catch(() => undefined);
  return result;
}

/** "Epson TM-T20II (04b8:0e15)", else the device's own product string, else the ids. */
export function usbName(device: Pick<UsbDeviceFacts, 'vendorId' | 'productId' | 'knownAs' | 'product'>): string {
  const ids = `${device.vendorId}:${device.productId}`;
  const label = device.knownAs ?? device.product;
  return (label ? `${label} (${ids})` : `USB ${ids}`).slice(0, 200);
}

export function usbPeripheral(device: UsbDeviceFacts, serialPorts: readonly SerialPortFacts[] | null): Peripheral {
  const byId = device.devicePath ? serialPorts?.find((p) => p.path === device.devicePath)?.byId : undefined;
  return {
    key: device.key,
    name: usbName(device),
    kind: device.kind,
    vendorId: device.vendorId,
    productId: device.productId,
    ...(device.serial ? { serial: device.serial } : {}),
    ...(device.devicePath ? { devicePath: device.devicePath } : {}),
    ...(byId ? { byId } : {}),
  };
}

export function serialPeripheral(port: SerialPortFacts): Peripheral {
  const name = port.knownAs ? `${port.path} (${port.knownAs})` : port.path;
  return { key: port.path, name: name.slice(0, 200), kind: port.kind, devicePath: port.path, ...(port.byId ? { byId: port.byId } : {}) };
}

/**
 * Diffs a look against the last one and remembers it: a device in the last look and not in this
 * one is detached, one new in this look attached. A list that could not be read (null) changes
 * nothing: a failed read must never read as "everything was unplugged". The first look of a list
 * only sets its baseline. Returns the new events (also appended to memory.events).
 */
export function applyScan(
  memory: PeripheralsMemory,
  scan: PeripheralScan,
  at: Date,
  via: PeripheralEvent['via'],
  eventName: (p: Peripheral) => string = (p) => p.name,
): PeripheralEvent[] {
  const events: PeripheralEvent[] = [];
  const when = at.toISOString();
  const diff = (before: Map<string, Peripheral> | undefined, after: Map<string, Peripheral>) => diffLooks(before, after, when, via, eventName);
  if (scan.usb !== null) {
    const current = new Map(scan.usb.map((d) => [d.key, usbPeripheral(d, scan.serial)] as const));
    events.push(...diff(memory.seenUsb, current));
    for (const event of events) {
      const gone = memory.seenUsb?.get(event.key);
      if (event.action === 'detached' && gone) memory.missing.set(event.key, { ...gone, since: when });
    }
    for (const key of current.keys()) memory.missing.delete(key);
    while (memory.missing.size > MAX_MISSING) memory.missing.delete(memory.missing.keys().next().value as string);
    memory.seenUsb = current;
  }
  if (scan.serial !== null) {
    const current = new Map(scan.serial.map((p) => [p.path, serialPeripheral(p)] as const));
    events.push(...diff(memory.seenSerial, current));
    memory.seenSerial = current;
  }
  memory.events = [...memory.events, ...events].slice(-MAX_EVENTS);
  return events;
}

function diffLooks(
  before: Map<string, Peripheral> | undefined,
  after: Map<string, Peripheral>,
  at: string,
  via: PeripheralEvent['via'],
  eventName: (p: Peripheral) => string,
): PeripheralEvent[] {
  if (before === undefined) return [];
  const event = (p: Peripheral, action: PeripheralEvent['action']): PeripheralEvent => ({ at, action, key: p.key, name: eventName(p).slice(0, 200), kind: p.kind, via });
  const detached = [...before.values()].filter((p) => !after.has(p.key)).map((p) => event(p, 'detached'));
  const attached = [...after.values()].filter((p) => !before.has(p.key)).map((p) => event(p, 'attached'));
  return [...detached, ...attached];
}
