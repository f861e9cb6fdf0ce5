import type { OpenTransport, TransportTarget } from './transport';
import { openSerialTransport, type SerialTransportDeps } from './serial/serial-transport';
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

/** The agent's OpenTransport: dispatches on target.kind to the real transports unless replaced. */
export function createOpenTransport(deps: OpenTransportDeps = {}): OpenTransport {
  const tcp: OpenTransportFor<'tcp'> = deps.tcp ?? ((target, signal) => openTcpTransport(target, signal, deps.tcpDeps));
  const serial: OpenTransportFor<'serial'> = deps.serial ?? ((target, signal) => openSerialTransport(target, signal, deps.serialDeps));
  return (target, signal) => {
    switch (target.kind) {
      case 'tcp':
        return tcp(target, signal);
      case 'serial':
        return serial(target, signal);
    }
  };
}
