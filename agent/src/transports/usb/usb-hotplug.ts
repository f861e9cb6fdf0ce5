// USB hot-plug: the `usb` package's native attach/detach notifications (nusb: a netlink uevent
// socket on Linux, CM_Register_Notification on Windows), as a seam tests replace.
import { errorText } from '../../logger';

export type UsbChange = 'attach' | 'detach';

/** Stops the notifications; never rejects. */
export type Unsubscribe = () => Promise<void>;

export interface UsbHotplug {
  /** Calls `onChange` on every USB attach or detach until unsubscribed; rejects when the platform cannot notify. */
  subscribe(onChange: (change: UsbChange) => void): Promise<Unsubscribe>;
}

/** The part of the package's native module used: its Emitter (node-usb-rs 3.1 index.d.ts). */
export interface NativeUsbEmitter {
  addAttach(callback: (device: unknown) => void): Promise<void>;
  removeAttach(): Promise<void>;
  addDetach(callback: (handle: string) => void): Promise<void>;
  removeDetach(): Promise<void>;
}

/**
 * The real hot-plug. It uses the native Emitter, not the WebUSB `usb` object: that object's
 * addEventListener lists the devices without catching a failure (an unhandled rejection, which
 * ends the process, on a machine without /sys/bus/usb) and rethrows emitter errors from a timer.
 * The binding loads on first use: a till without a prebuilt one gets a rejection, not a crash.
 */
export function createUsbHotplug(createEmitter: () => Promise<NativeUsbEmitter> = createNativeEmitter): UsbHotplug {
  return {
    async subscribe(onChange) {
      const emitter = await createEmitter();
      await emitter.addAttach(() => onChange('attach'));
      try {
        await emitter.addDetach(() => onChange('detach'));
      } catch (error) {
        await emitter.removeAttach().catch(() => undefined);
        throw error;
      }
      return async () => {
        await emitter.removeAttach().catch(() => undefined);
        await emitter.removeDetach().catch(() => undefined);
      };
    },
  };
}

async function createNativeEmitter(): Promise<NativeUsbEmitter> {
  try {
    const native = (await import('usb/index.js')) as unknown as { Emitter: new () => NativeUsbEmitter };
    return new native.Emitter();
  } catch (error) {
    throw new Error(`the usb package could not load its native binding: ${errorText(error)}`);
  }
}
