import { SerialPortMock } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeTransportContract } from '../transport-contract';
import { openSerialTransport, type SerialPortClass } from './serial-transport';

// The binding instance serialport itself loads: importing @serialport/binding-mock directly can
// yield a second copy (ESM vs CJS build) whose port registry SerialPortMock never sees.
const MockBinding = SerialPortMock.binding;
const PATH = '/dev/ttyMOCK0';
const target = { kind: 'serial' as const, path: PATH, baudRate: 9600 };

/** SerialPortMock that remembers its instances, so tests can reach the binding (the "device"). */
function capturing(): { PortClass: SerialPortClass; instances: SerialPortMock[] } {
  const instances: SerialPortMock[] = [];
  class CapturingSerialPortMock extends SerialPortMock {
    constructor(options: ConstructorParameters<SerialPortClass>[0]) {
      super(options);
      instances.push(this);
    }
  }
  return { PortClass: CapturingSerialPortMock, instances };
}

/** The @serialport/binding-mock port behind a SerialPortMock: the "device" end. */
const binding = (port: SerialPortMock) => {
  if (!port.port) throw new Error('port not open');
  return port.port;
};

describe('serial transport on @serialport/binding-mock', () => {
  beforeEach(() => {
    MockBinding.reset();
    MockBinding.createPort(PATH, { record: true });
  });
  afterEach(() => MockBinding.reset());

  describeTransportContract('serial (MockBinding)', async () => {
    MockBinding.reset();
    MockBinding.createPort(PATH, { record: true });
    const { PortClass, instances } = capturing();
    const port = await openSerialTransport(target, undefined, { SerialPortClass: PortClass });
    const stream = instances[0]!;
    return {
      port,
      peer: {
        send: (bytes) => binding(stream).emitData(Buffer.from(bytes)),
        received: () => Array.from(binding(stream).recording),
        // serialport's stream closes with a DisconnectedError when a read fails for real; this
        // is the same path (close with the disconnect error).
        vanish: () => (stream.close as (cb?: unknown, error?: Error) => void)(undefined, new Error('device disconnected')),
      },
    };
  });

  it('opening a missing path is absent', async () => {
    await expect(openSerialTransport({ ...target, path: '/dev/ttyNOPE' }, undefined, { SerialPortClass: SerialPortMock })).rejects.toMatchObject({
      name: 'TransportError',
      code: 'absent',
      message: expect.stringMatching(/^\/dev\/ttyNOPE @ 9600 is not there \(unplugged\?\): /),
    });
  });

  it('opening a port that is already open elsewhere is busy (never steal a port)', async () => {
    const first = await openSerialTransport(target, undefined, { SerialPortClass: SerialPortMock });
    await expect(openSerialTransport(target, undefined, { SerialPortClass: SerialPortMock })).rejects.toMatchObject({ code: 'busy' });
    await first.close();
  });

  it('discardInput flushes the OS side and drops chunks the port already buffered', async () => {
    const { PortClass, instances } = capturing();
    const port = await openSerialTransport(target, undefined, { SerialPortClass: PortClass });
    binding(instances[0]!).emitData(Buffer.from([0x1a, 0x72]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await port.discardInput();
    const got: number[] = [];
    port.onData((chunk) => got.push(...chunk));
    binding(instances[0]!).emitData(Buffer.from([0x12]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(got).toEqual([0x12]);
    await port.close();
  });

  it('the port vanishing mid-read reaches onClose with the error', async () => {
    const { PortClass, instances } = capturing();
    const port = await openSerialTransport(target, undefined, { SerialPortClass: PortClass });
    const closed = new Promise<Error | undefined>((resolve) => port.onClose(resolve));
    (instances[0]!.close as (cb?: unknown, error?: Error) => void)(undefined, new Error('device disconnected'));
    await expect(closed).resolves.toMatchObject({ message: 'device disconnected' });
    expect(port.isOpen).toBe(false);
  });
});
