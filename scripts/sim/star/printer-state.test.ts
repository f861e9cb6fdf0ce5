import { describe, expect, it } from 'vitest';
import { HEALTHY_STAR, StarFaultsPatch, StarResponder, statusFrame, type StarFaults } from './printer-state';

const state = (patch: Partial<StarFaults> = {}): StarFaults => ({ ...HEALTHY_STAR, ...patch });

describe('Star simulator frames (docs/devices.md §1.7)', () => {
  it.each([
    ['healthy', {}, [0x23, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]],
    ['paper end: byte 6 bit 3, offline', { paperEnd: true }, [0x23, 0x04, 0x08, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00]],
    ['near end: byte 6 bit 2, online', { paperNearEnd: true }, [0x23, 0x04, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00]],
    ['cover open: byte 3 bits 5 and 3', { coverOpen: true }, [0x23, 0x04, 0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]],
    ['mechanical, cutter, unrecoverable, head: byte 4 bits 2, 3, 5, 6', { mechanicalError: true, cutterError: true, unrecoverableError: true, headOverheat: true }, [0x23, 0x04, 0x08, 0x6c, 0x00, 0x00, 0x00, 0x00, 0x00]],
    ['offline alone: byte 3 bit 3', { offline: true }, [0x23, 0x04, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]],
  ] as const)('%s', (_name, patch, bytes) => {
    expect(statusFrame(state(patch))).toEqual(bytes);
  });

  it('a version 1 frame is 7 bytes with header 1 0x0f and header 2 0x02', () => {
    expect(statusFrame(state({ coverOpen: true }), 1)).toEqual([0x0f, 0x02, 0x28, 0x00, 0x00, 0x00, 0x00]);
  });

  it('unknown fault names are refused', () => {
    expect(StarFaultsPatch.safeParse({ paperOut: true }).success).toBe(false);
  });
});

describe('StarResponder', () => {
  it('answers ESC ACK SOH split across chunks, inside print data, and never DLE EOT', () => {
    let faults = state();
    const responder = new StarResponder(() => faults);
    expect(responder.receive(Uint8Array.of(0x41, 0x1b, 0x06))).toEqual([]);
    expect(responder.receive(Uint8Array.of(0x01, 0x42))).toEqual([{ delayMs: 0, bytes: statusFrame(faults) }]);
    expect(responder.receive(Uint8Array.of(0x10, 0x04, 0x01, 0x10, 0x04, 0x04))).toEqual([]);
    faults = state({ garbage: true, slowReplyMs: 30, automaticStatus: true });
    expect(responder.receive(Uint8Array.of(0x1b, 0x06, 0x01))).toEqual([{ delayMs: 30, bytes: [0xff, 0x80, 0x13, 0xfe] }]);
    faults = state({ noReply: true });
    expect(responder.receive(Uint8Array.of(0x1b, 0x06, 0x01))).toEqual([]);
    expect(responder.stats).toEqual({ bytesReceived: 17, statusRequests: 3, requestsWhileAutomatic: 1, dleEotIgnored: 2 });
  });
});
