import { describe, expect, it, vi } from 'vitest';
import type { TransportPort } from './transport';

/** The far end of a port under test: what the device sends, receives, and how it goes away. */
export interface ContractPeer {
  send(bytes: readonly number[]): Promise<void> | void;
  /** every byte the device received so far */
  received(): Promise<number[]> | number[];
  /** the device disappears or hangs up */
  vanish(): Promise<void> | void;
}

export interface ContractSetup {
  port: TransportPort;
  peer: ContractPeer;
  teardown?: () => Promise<void> | void;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

function collect(port: TransportPort): { bytes: number[]; stop: () => void } {
  const bytes: number[] = [];
  const stop = port.onData((chunk) => bytes.push(...chunk));
  return { bytes, stop };
}

async function eventually(check: () => boolean | Promise<boolean>): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await check())) throw new Error('condition not met yet');
    },
    { timeout: 5_000, interval: 5 },
  );
}

/**
 * One suite for every TransportPort implementation (the bindings-cpp `testBinding` idea): the
 * mock must behave like the real ports on the points probes rely on.
 */
export function describeTransportContract(name: string, open: () => Promise<ContractSetup>): void {
  describe(`TransportPort contract: ${name}`, () => {
    const withPort = (fn: (setup: ContractSetup) => Promise<void>) => async () => {
      const setup = await open();
      try {
        await fn(setup);
      } finally {
        await setup.port.close();
        await setup.teardown?.();
      }
    };

    it('delivers written bytes to the device and device bytes to onData, in order', withPort(async ({ port, peer }) => {
      const inbound = collect(port);
      await port.write(Uint8Array.of(0x10, 0x04, 0x01));
      await eventually(async () => (await peer.received()).length >= 3);
      expect(await peer.received()).toEqual([0x10, 0x04, 0x01]);
      await peer.send([0x12, 0x13]);
      await peer.send([0x72]);
      await eventually(() => inbound.bytes.length >= 3);
      expect(inbound.bytes).toEqual([0x12, 0x13, 0x72]);
    }));

    it('never calls a data listener synchronously inside write', withPort(async ({ port, peer }) => {
      let insideWrite = false;
      let calledInside = false;
      port.onData(() => {
        calledInside ||= insideWrite;
      });
      insideWrite = true;
      const pending = port.write(Uint8Array.of(0x10, 0x04, 0x01));
      insideWrite = false;
      await pending;
      await peer.send([0x12]);
      await settle();
      expect(calledInside).toBe(false);
    }));

    it('buffers bytes until the first listener, and discardInput drops them', withPort(async ({ port, peer }) => {
      await peer.send([0x1a]);
      // Wait until the port holds the byte: a fixed pause raced a busy machine's pty relay (CI).
      await eventually(() => port.bufferedInputBytes === 1);
      await port.discardInput();
      expect(port.bufferedInputBytes).toBe(0);
      const inbound = collect(port);
      await peer.send([0x12]);
      await eventually(() => inbound.bytes.length >= 1);
      await settle();
      expect(inbound.bytes).toEqual([0x12]);
    }));

    it('keeps bytes that arrive before onData when nothing discards them', withPort(async ({ port, peer }) => {
      await peer.send([0x16]);
      await eventually(() => port.bufferedInputBytes === 1);
      const inbound = collect(port);
      await eventually(() => inbound.bytes.length >= 1);
      expect(inbound.bytes).toEqual([0x16]);
      expect(port.bufferedInputBytes).toBe(0);
    }));

    it('fires onClose once when the device goes away, then writes reject', withPort(async ({ port, peer }) => {
      let closes = 0;
      port.onClose(() => {
        closes += 1;
      });
      await peer.vanish();
      await eventually(() => closes > 0);
      await settle();
      expect(closes).toBe(1);
      expect(port.isOpen).toBe(false);
      await expect(port.write(Uint8Array.of(0x10, 0x04, 0x01))).rejects.toMatchObject({ name: 'TransportError', code: 'closed' });
    }));

    it('close is idempotent, fires onClose once and never rejects', withPort(async ({ port }) => {
      let closes = 0;
      port.onClose(() => {
        closes += 1;
      });
      await port.close();
      await port.close();
      await settle();
      expect(closes).toBe(1);
      expect(port.isOpen).toBe(false);
    }));
  });
}
