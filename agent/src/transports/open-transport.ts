import type { OpenTransport, TransportPort, TransportTarget } from './transport';
import type { SerialTransportDeps } from './serial/serial-transport';
import { openTcpTransport, type TcpTransportDeps } from './tcp/tcp-transport';

export interface OpenTransportDeps {
  tcp?: OpenTransportFor<'tcp'>;
  serial?: OpenTransportFor<'serial'>;
  tcpDeps?: TcpTransportDeps;
  serialDeps?: SerialTransportDeps;
}

export type OpenTransportFor<K extends TransportTarget['kind']> = (
  target: Extract<TransportTarget, { kind: K }>,
  signal?: AbortSignal,
) => ReturnType<OpenTransport>;

/**
 * The serial transport, and with it serialport (its stream, a dozen parsers, the native binding,
 * three copies of `debug`), loads on the first serial open, not at start: most tills print over
 * TCP, and an agent that never opens a serial port should not carry them (measured: ~4 MB of
 * private memory, ~10 MB RSS).
 */
async function openSerialOnDemand(
  target: Extract<TransportTarget, { kind: 'serial' }>,
  signal: AbortSignal | undefined,
  deps: SerialTransportDeps | undefined,
): Promise<TransportPort> {
  const { openSerialTransport } = await import('./serial/serial-transport');
  return openSerialTransport(target, signal, deps);
}

/** The agent's OpenTransport: dispatches on target.kind to the real transports unless replaced. */
export function createOpenTransport(deps: OpenTransportDeps = {}): OpenTransport {
  const tcp: OpenTransportFor<'tcp'> = deps.tcp ?? ((target, signal) => openTcpTransport(target, signal, deps.tcpDeps));
  const serial: OpenTransportFor<'serial'> = deps.serial ?? ((target, signal) => openSerialOnDemand(target, signal, deps.serialDeps));
  return (target, signal) => {
    switch (target.kind) {
      case 'tcp':
        return tcp(target, signal);
      case 'serial':
        return serial(target, signal);
    }
  };
}
