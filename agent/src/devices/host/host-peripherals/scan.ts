// What one look at the register's peripherals gives, whatever the OS: the USB devices and serial
// ports (or null when a list could not be read), why not, and the evidence of each read.
import type { SerialPortFacts, StructuredExchange, UncheckedFact, UsbDeviceFacts } from '@tillscope/shared';

export interface PeripheralScan {
  /** null: the USB list could not be read (see `unchecked`): nothing can be said to have gone */
  usb: UsbDeviceFacts[] | null;
  /** null: the serial port list could not be read */
  serial: SerialPortFacts[] | null;
  unchecked: UncheckedFact[];
  exchanges: StructuredExchange[];
}

/** The wire's bounds (protocol/host.ts PeripheralsSection). */
export const MAX_USB = 64;
export const MAX_SERIAL = 64;
export const MAX_UNCHECKED = 32;

/** An evidence line for a read that is not a command (a sysfs folder): what was read and what came of it. */
export function readExchange(label: string, request: Record<string, string>, reply: StructuredExchange['reply'], ok: boolean, elapsedMs: number): StructuredExchange {
  return { type: 'structured', label: label.slice(0, 200), request, reply, status: ok ? 'ok' : 'failed', valid: ok, decoded: [], elapsedMs: Math.max(0, elapsedMs) };
}
