import { describe, expect, it } from 'vitest';
import { describeTransportContract } from '../transport-contract';
import { TransportError } from '../transport';
import { createMockOpenTransport, MockTransport } from './mock-transport';

describeTransportContract('MockTransport', async () => {
  const port = new MockTransport();
  return {
    port,
    peer: {
      send: (bytes) => port.emitData(bytes),
      received: () => port.writes.flatMap((w) => Array.from(w)),
      vanish: () => port.emitClose(new Error('unplugged')),
    },
  };
});

describe('MockTransport extras', () => {
  it('answers each write through the responder and records writes', async () => {
    const port = new MockTransport({ responder: (w) => (w[2] === 4 ? [0x72] : null) });
    const got: number[] = [];
    port.onData((chunk) => got.push(...chunk));
    await port.write(Uint8Array.of(0x10, 0x04, 0x01));
    await port.write(Uint8Array.of(0x10, 0x04, 0x04));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(got).toEqual([0x72]);
    expect(port.writes).toHaveLength(2);
  });

  it('createMockOpenTransport rejects with the TransportError it is given', async () => {
    const mock = createMockOpenTransport(() => new TransportError('cannot_connect', 'refused'));
    await expect(mock.open({ kind: 'serial', path: '/dev/ttyS9', baudRate: 9600 })).rejects.toMatchObject({ code: 'cannot_connect' });
    expect(mock.opened).toEqual([]);
  });
});
