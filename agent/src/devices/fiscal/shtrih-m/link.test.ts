import { describe, expect, it } from 'vitest';
import { MockTransport } from '../../../transports/mock/mock-transport';
import { TransportError } from '../../../transports/transport';
import { runExchange } from './exchange';
import { portLink } from './link';
import { encodeFrame } from './protocol';
import { toHex } from '../../common/hex';

describe('portLink over a TransportPort', () => {
  it('hands over chunks in order, null after the timeout, and rejects once the port closes', async () => {
    const port = new MockTransport();
    const link = portLink(port);
    port.emitData([1, 2]);
    port.emitData([3]);
    expect(Array.from((await link.read(1_000))!)).toEqual([1, 2]);
    expect(Array.from((await link.read(1_000))!)).toEqual([3]);
    expect(await link.read(5)).toBeNull();
    const pending = link.read(10_000);
    port.emitClose(new Error('unplugged'));
    await expect(pending).rejects.toThrow('mock closed: unplugged');
    await expect(link.read(10)).rejects.toBeInstanceOf(TransportError);
    link.dispose();
  });

  it('an abort ends a waiting read', async () => {
    const link = portLink(new MockTransport());
    const controller = new AbortController();
    const pending = link.read(10_000, controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'canceled' });
  });

  it('drain drops what came before', async () => {
    const port = new MockTransport({ staleInput: [0x06, 0x02] });
    const link = portLink(port);
    await link.drain();
    expect(await link.read(5)).toBeNull();
    expect(port.discardCount).toBe(1);
  });

  it('carries a whole exchange with a device answering on the next tick', async () => {
    const reply = encodeFrame([0xff, 0x3f, 0x00, 0x02, 0x00]);
    const port = new MockTransport({
      responder: (written) => (written[0] === 0x05 ? [0x15] : written[0] === 0x02 ? [0x06, ...reply] : null),
    });
    const link = portLink(port);
    const record = await runExchange(link, 0xff3f);
    expect(record.outcome).toMatchObject({ kind: 'reply' });
    expect(port.writes.map((w) => toHex(w))).toEqual(['05', '02 06 ff 3f 1e 00 00 00 d8', '06']);
    link.dispose();
  });
});
