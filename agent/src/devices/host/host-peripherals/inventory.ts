// What the probe remembers between looks (the devices seen, the ones that went, the recent
// events) and the diff that turns two looks into attached/detached events. Pure.
import type { PeripheralEvent, PeripheralKind, SerialPortFacts, UsbDeviceFacts } from '@tillscope/shared';
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
}

export const MAX_EVENTS = 32;
const MAX_MISSING = 64;

export function createPeripheralsMemory(): PeripheralsMemory {
  return { seenUsb: undefined, seenSerial: undefined, missing: new Map(), events: [], turn: Promise.resolve() };
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
