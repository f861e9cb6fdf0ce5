// A replay of the `usb` seam: recorded devices with their descriptors, playing a script of
// transfers (or a responder table) and detach events, so the USB path runs with no hardware.
// Error texts are the real package's (node-usb-rs 3.1 over nusb 0.2, read from their source).
import { readFileSync } from 'node:fs';
import { bytesToHex, configurationOf, hexToBytes, RecordedDevice, type ReplayStep } from './recorded-device';
import type { UsbConfigurationLike, UsbDeviceLike, UsbDirection, UsbSeam } from '../usb-seam';

const DISCONNECTED = (what: string) => new Error(`${what} error: Disconnected`);
const HELD_TEXT = { usblp: 'claimInterface error: interface is busy (errno 16)', usbprint: 'claimInterface error: incompatible driver is installed for this device' } as const;

/** Reads and checks a fixture file (see recorded-device.ts for the format). */
export function loadRecordedDevice(path: string | URL): RecordedDevice {
  return RecordedDevice.parse(JSON.parse(readFileSync(path, 'utf8')));
}

interface PendingRead {
  length: number;
  resolve: (bytes: number[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** One plugged-in device. Besides the UsbDeviceLike side, tests drive it as the far end. */
export class ReplayUsbDevice implements UsbDeviceLike {
  readonly vendorId: number;
  readonly productId: number;
  readonly deviceClass: number;
  /** every byte written to the device so far */
  readonly received: number[] = [];
  /** OUT transfers that did not match the script's next step, as "expected X, got Y" */
  readonly mismatches: string[] = [];
  private attached = true;
  private opened = false;
  private readonly claimed = new Set<number>();
  private inQueue: number[] = [];
  private pending: PendingRead | undefined;
  private step = 0;
  /** set by the bus: a device detached by its script leaves the bus too */
  onDetached: (() => void) | undefined;

  constructor(readonly recorded: RecordedDevice) {
    this.vendorId = Number.parseInt(recorded.idVendor, 16);
    this.productId = Number.parseInt(recorded.idProduct, 16);
    this.deviceClass = recorded.bDeviceClass;
  }

  get manufacturerName(): string | undefined {
    return this.recorded.iManufacturer;
  }

  get productName(): string | undefined {
    return this.recorded.iProduct;
  }

  get serialNumber(): string | undefined {
    return this.recorded.iSerialNumber;
  }

  /** Like the real getter, reading the configuration opens the device, and throws when it cannot. */
  get configuration(): UsbConfigurationLike {
    if (!this.attached) throw new Error('open error: device not found (errno 2)');
    if (this.recorded.openError && !this.opened) throw new Error(this.recorded.openError);
    return configurationOf(this.recorded);
  }

  get isAttached(): boolean {
    return this.attached;
  }

  /** How many script steps have been played. */
  get stepsPlayed(): number {
    return this.step;
  }

  async open(): Promise<void> {
    if (!this.attached) throw new Error('open error: device not found (errno 2)');
    if (this.recorded.openError) throw new Error(this.recorded.openError);
    this.opened = true;
  }

  async close(): Promise<void> {
    this.opened = false;
    this.claimed.clear();
  }

  async claimInterface(interfaceNumber: number): Promise<void> {
    if (!this.attached) throw new Error('claimInterface error: device disconnected (errno 19)');
    if (!this.opened) throw new Error('claimInterface error: invalid state');
    if (this.recorded.heldBy && this.isPrinterInterface(interfaceNumber)) throw new Error(HELD_TEXT[this.recorded.heldBy]);
    // an earlier handle that never released it still holds it (Linux: EBUSY from another fd)
    if (this.claimed.has(interfaceNumber)) throw new Error(HELD_TEXT.usblp);
    this.claimed.add(interfaceNumber);
  }

  async releaseInterface(interfaceNumber: number): Promise<void> {
    if (!this.claimed.delete(interfaceNumber)) throw new Error('releaseInterface error: not claimed');
  }

  transferIn(endpointNumber: number, length: number, timeoutMs = 1_000): Promise<{ data?: DataView; status: string }> {
    if (!this.attached) return Promise.reject(DISCONNECTED('transferIn'));
    if (!this.hasEndpoint(endpointNumber, 'in')) return Promise.reject(new Error('transferIn error: endpoint not found'));
    if (this.pending) return Promise.reject(new Error('transferIn error: endpoint already in use'));
    return new Promise<number[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        reject(new Error('transferIn error: Cancelled'));
      }, timeoutMs);
      this.pending = { length, resolve, reject, timer };
      this.deliver();
    }).then((bytes) => ({ data: new DataView(Uint8Array.from(bytes).buffer), status: 'ok' }));
  }

  async transferOut(endpointNumber: number, data: Uint8Array, _timeoutMs?: number): Promise<{ bytesWritten: number; status: string }> {
    if (!this.attached) throw DISCONNECTED('transferOut');
    if (!this.hasEndpoint(endpointNumber, 'out')) throw new Error('transferOut error: endpoint not found');
    this.received.push(...data);
    this.answer(bytesToHex(data));
    return { bytesWritten: data.length, status: 'ok' };
  }

  async clearHalt(_direction: UsbDirection, _endpointNumber: number): Promise<void> {}

  /** The far end sends bytes on its bulk IN endpoint. */
  send(bytes: readonly number[]): void {
    this.inQueue.push(...bytes);
    setImmediate(() => this.deliver());
  }

  /** The device is pulled out: the read in flight fails with Disconnected, every later call too. */
  detach(): void {
    this.attached = false;
    this.opened = false;
    this.onDetached?.();
    const pending = this.pending;
    this.pending = undefined;
    if (pending) {
      clearTimeout(pending.timer);
      pending.reject(DISCONNECTED('transferIn'));
    }
  }

  private deliver(): void {
    const pending = this.pending;
    if (!pending || this.inQueue.length === 0) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.resolve(this.inQueue.splice(0, pending.length));
  }

  private answer(hex: string): void {
    const reply = this.recorded.replies?.[hex] ?? this.recorded.replies?.[hex.replace(/\s+/g, '')];
    if (reply !== undefined) this.send(hexToBytes(reply));
    const script = this.recorded.script;
    if (!script || this.step >= script.length) return;
    const next = script[this.step]!;
    if (!('out' in next) || bytesToHex(hexToBytes(next.out)) !== hex) {
      this.mismatches.push(`step ${this.step}: expected ${describeStep(next)}, got out ${hex}`);
      return;
    }
    this.step += 1;
    if (next.in) this.send(hexToBytes(next.in));
    this.playUnasked(script);
  }

  /** Steps after a matched OUT that need no request: unasked IN bytes, and a detach. */
  private playUnasked(script: readonly ReplayStep[]): void {
    for (let next = script[this.step]; next && !('out' in next); next = script[this.step]) {
      this.step += 1;
      if ('detach' in next) {
        setImmediate(() => this.detach());
        return;
      }
      this.send(hexToBytes(next.in));
    }
  }

  private isPrinterInterface(interfaceNumber: number): boolean {
    return this.recorded.interfaces.some((i) => i.bInterfaceNumber === interfaceNumber && i.bInterfaceClass === 7);
  }

  private hasEndpoint(endpointNumber: number, direction: UsbDirection): boolean {
    if (!this.opened) return false;
    return configurationOf(this.recorded).interfaces.some(
      (i) => this.claimed.has(i.interfaceNumber) && i.alternate.endpoints.some((e) => e.endpointNumber === endpointNumber && e.direction === direction),
    );
  }
}

const describeStep = (step: ReplayStep) => ('detach' in step ? 'detach' : 'out' in step ? `out ${step.out}` : `in ${step.in}`);

/** The replayed bus: what `getDevices` enumerates now. Unplug and plug back like a cable. */
export class ReplayUsb implements UsbSeam {
  private readonly plugged: ReplayUsbDevice[] = [];
  /** how many enumerations ran (each open and each listing enumerates afresh) */
  enumerations = 0;

  constructor(devices: readonly (ReplayUsbDevice | RecordedDevice)[] = []) {
    for (const device of devices) this.plug(device);
  }

  /** Plugs a device in; a RecordedDevice becomes a fresh device (a replug is a new enumeration). */
  plug(device: ReplayUsbDevice | RecordedDevice): ReplayUsbDevice {
    const plugged = device instanceof ReplayUsbDevice ? device : new ReplayUsbDevice(device);
    this.plugged.push(plugged);
    plugged.onDetached = () => this.remove(plugged);
    return plugged;
  }

  /** Pulls a device out: gone from the bus, its transfers fail with Disconnected. */
  unplug(device: ReplayUsbDevice): void {
    this.remove(device);
    device.detach();
  }

  private remove(device: ReplayUsbDevice): void {
    const at = this.plugged.indexOf(device);
    if (at >= 0) this.plugged.splice(at, 1);
  }

  async getDevices(): Promise<readonly UsbDeviceLike[]> {
    this.enumerations += 1;
    return [...this.plugged];
  }
}
