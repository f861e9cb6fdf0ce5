import type { OpenTransport, TransportTarget } from './transport';
import type { SerialTransportDeps } from './serial/serial-transport';
import { openTcpTransport, type TcpTransportDeps } from './tcp/tcp-transport';
import type { UsbTransportDeps } from './usb/usb-transport';

export interface OpenTransportDeps {
  tcp?: OpenTransportFor<'tcp'>;
  serial?: OpenTransportFor<'serial'>;
  usb?: OpenTransportFor<'usb'>;
  tcpDeps?: TcpTransportDeps;
  serialDeps?: SerialTransportDeps;
  /** the `usb` seam (a replay in tests) and poll/write timeouts */
  usbDeps?: UsbTransportDeps;
}

export type OpenTransportFor<K extends TransportTarget['kind']> = (
  target: Extract<TransportTarget, { kind: K }>,
  signal?: AbortSignal,
) => ReturnType<OpenTransport>;

/**
 * A transport whose module loads on its first open, not at start. The serial transport, and with
 * it serialport (its stream, a dozen parsers, the native binding, three copies of `debug`): most
 * tills print over TCP, and an agent that never opens a serial port should not carry them
 * (measured: ~4 MB of private memory, ~10 MB RSS). Likewise USB and its native `usb` binding.
 */
function onDemand<K extends TransportTarget['kind']>(load: () => Promise<OpenTransportFor<K>>): OpenTransportFor<K> {
  return async (target, signal) => (await load())(target, signal);
}

/** The agent's OpenTransport: dispatches on target.kind to the real transports unless replaced. */
export function createOpenTransport(deps: OpenTransportDeps = {}): OpenTransport {
  const tcp: OpenTransportFor<'tcp'> = deps.tcp ?? ((target, signal) => openTcpTransport(target, signal, deps.tcpDeps));
  const serial: OpenTransportFor<'serial'> =
    deps.serial ?? onDemand(async () => {
      const { openSerialTransport } = await import('./serial/serial-transport');
      return (target, signal) => openSerialTransport(target, signal, deps.serialDeps);
    });
  const usb: OpenTransportFor<'usb'> =
    deps.usb ??
    onDemand(async () => {
      const { openUsbTransport } = await import('./usb/usb-transport');
      return (target, signal) => openUsbTransport(target, signal, deps.usbDeps);
    });
  return (target, signal) => {
    switch (target.kind) {
      case 'tcp':
        return tcp(target, signal);
      case 'serial':
        return serial(target, signal);
      case 'usb':
        return usb(target, signal);
    }
  };
}
