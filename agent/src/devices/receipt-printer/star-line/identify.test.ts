import { describe, expect, it } from 'vitest';
import { MockTransport } from '../../../transports/mock/mock-transport';
import { identifyStarLine } from './identify';

const FRAME = [0x23, 0x04, 0, 0, 0, 0, 0, 0, 0];
const isRequest = (w: Uint8Array) => w.length === 3 && w[0] === 0x1b && w[1] === 0x06 && w[2] === 0x01;
const signal = () => new AbortController().signal;

describe('identifyStarLine (discovery)', () => {
  it('a Star in line mode answers ESC ACK SOH with a frame: matched', async () => {
    const port = new MockTransport({ responder: (w) => (isRequest(w) ? FRAME : null) });
    const result = await identifyStarLine(port, signal());
    expect(result).toEqual({ matched: true, steps: ['ESC ACK SOH (1b 06 01) → 23 04 00 00 00 00 00 00 00: Star automatic status frame, version 2, 9 bytes'] });
    expect(port.discardCount).toBe(1);
  });

  it('an ESC/POS-style one-byte answer or silence is not a Star', async () => {
    expect((await identifyStarLine(new MockTransport({ responder: () => [0x12] }), signal())).matched).toBe(false);
    const silent = await identifyStarLine(new MockTransport(), signal());
    expect(silent).toEqual({ matched: false, steps: ['ESC ACK SOH (1b 06 01) → nothing: no answer'] });
  });

  it('automatic status on: the unasked frame matches and nothing is sent', async () => {
    const port = new MockTransport({ responder: (w) => (isRequest(w) ? FRAME : null) });
    setTimeout(() => port.emitData(FRAME), 5);
    const result = await identifyStarLine(port, signal());
    expect(result.matched).toBe(true);
    expect(result.steps[0]).toMatch(/sent unasked \(automatic status on; not asked\)$/);
    expect(port.writes).toEqual([]);
  });
});
