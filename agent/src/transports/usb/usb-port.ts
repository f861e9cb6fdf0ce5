// An open printer-class interface as a TransportPort: bulk OUT for writes, bulk IN polled for reads.
import { errorText } from '../../logger';
import { TransportError } from '../transport';
import { PolledPort } from './polled-port';
import type { PrinterInterface } from './usb-ids';
import type { UsbDeviceLike } from './usb-seam';

/** The device went away (nusb: TransferError::Disconnected, "device not found", ENODEV). */
export const USB_GONE = /Disconnected|device not found|device disconnected|errno 19\b|ENODEV|No such device/i;
/** A transfer whose timeout passed with nothing to move (nusb cancels it: TransferError::Cancelled). */
const USB_TIMED_OUT = /Cancelled|timed out|timeout/i;
const USB_STALL = /Stall/i;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface UsbPortOptions {
  /** how long one bulk IN read waits for bytes before the next poll; also bounds close() */
  pollTimeoutMs: number;
  /** how long a bulk OUT write may take before it fails (a printer that stopped taking data) */
  writeTimeoutMs: number;
}

/**
 * Contract: see TransportPort. The poller reads while the port is open; an unplugged device ends
 * the pending read with "Disconnected" and the port closes with TransportError('closed'), whose
 * message names the device. `close` stops the poller, waits for the read in flight (at most
 * `pollTimeoutMs`), releases the interface and closes the device; no handle outlives the port.
 */
export class UsbPrinterPort extends PolledPort {
  constructor(
    private readonly device: UsbDeviceLike,
    private readonly iface: PrinterInterface,
    description: string,
    private readonly options: UsbPortOptions,
  ) {
    super(description);
    if (iface.bulkIn) this.polling = this.poll(iface.bulkIn.endpointNumber, Math.max(iface.bulkIn.packetSize, 64));
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.isOpen) throw new TransportError('closed', `${this.description} is closed`);
    let result: { bytesWritten: number; status: string };
    try {
      result = await this.device.transferOut(this.iface.bulkOut.endpointNumber, data, this.options.writeTimeoutMs);
    } catch (error) {
      throw this.writeFailure(error);
    }
    if (result.status !== 'ok' || result.bytesWritten !== data.length) {
      throw new TransportError('io', `write to ${this.description}: ${result.bytesWritten} of ${data.length} bytes sent (${result.status})`);
    }
  }

  private writeFailure(error: unknown): TransportError {
    const text = errorText(error);
    if (USB_GONE.test(text)) return this.fail(new TransportError('closed', `${this.description} was unplugged: ${text}`, { cause: error }));
    const code = USB_TIMED_OUT.test(text) ? 'timeout' : 'io';
    return new TransportError(code, `write to ${this.description} failed: ${text}`, { cause: error });
  }

  private async poll(endpoint: number, length: number): Promise<void> {
    let stalls = 0;
    while (this.isOpen) {
      const started = Date.now();
      try {
        const result = await this.device.transferIn(endpoint, length, this.options.pollTimeoutMs);
        stalls = 0;
        const data = result.data;
        if (data && data.byteLength > 0) this.events.emitData(new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)));
      } catch (error) {
        if (!this.isOpen) return;
        const text = errorText(error);
        if (USB_TIMED_OUT.test(text)) {
          // a read "timing out" at once would spin this loop without ever yielding to timers
          if (Date.now() - started < this.options.pollTimeoutMs / 2) await sleep(this.options.pollTimeoutMs);
          continue;
        }
        if (USB_STALL.test(text) && stalls++ < 3) {
          await this.device.clearHalt('in', endpoint).catch(() => {});
          continue;
        }
        const code = USB_GONE.test(text) ? 'was unplugged' : 'read failed';
        this.fail(new TransportError('closed', `${this.description} ${code}: ${text}`, { cause: error }));
        return;
      }
    }
  }

  protected async releaseHandle(): Promise<void> {
    await this.device.releaseInterface(this.iface.interfaceNumber).catch(() => {});
    await this.device.close();
  }
}
