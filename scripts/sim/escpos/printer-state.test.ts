import { describe, expect, it } from 'vitest';
import { applyFaults, asbFrame, HEALTHY_PRINTER, PrinterFaultsPatch, PrinterResponder, statusByte, type PrinterFaults } from './printer-state';

const state = (patch: Partial<PrinterFaults> = {}): PrinterFaults => ({ ...HEALTHY_PRINTER, ...patch });
const bytes = (f: PrinterFaults) => [1, 2, 3, 4].map((n) => statusByte(f, n as 1 | 2 | 3 | 4));

describe('simulated printer status bytes (DLE EOT 1..4)', () => {
  it.each<[string, Partial<PrinterFaults>, number[]]>([
    ['healthy', {}, [0x12, 0x12, 0x12, 0x12]],
    ['drawer pin 3 high', { drawerHigh: true }, [0x16, 0x12, 0x12, 0x12]],
    ['paper near end (stays online)', { paperNearEnd: true }, [0x12, 0x12, 0x12, 0x1e]],
    ['paper end', { paperEnd: true }, [0x1a, 0x32, 0x12, 0x72]],
    ['paper end with near-end sensor', { paperEnd: true, paperNearEnd: true }, [0x1a, 0x32, 0x12, 0x7e]],
    ['cover open', { coverOpen: true }, [0x1a, 0x16, 0x12, 0x12]],
    ['cutter error', { cutterError: true }, [0x1a, 0x52, 0x1a, 0x12]],
    ['recoverable error', { recoverableError: true }, [0x1a, 0x52, 0x16, 0x12]],
    ['unrecoverable error', { unrecoverableError: true }, [0x1a, 0x52, 0x32, 0x12]],
    ['auto-recoverable error', { autoRecoverableError: true }, [0x1a, 0x52, 0x52, 0x12]],
    ['offline with no cause', { offline: true }, [0x1a, 0x12, 0x12, 0x12]],
  ])('%s', (_name, patch, expected) => {
    expect(bytes(state(patch))).toEqual(expected);
  });

  it('every byte it produces carries the real-time pattern 0xx1xx10', () => {
    const all = state({ paperNearEnd: true, paperEnd: true, coverOpen: true, cutterError: true, recoverableError: true, unrecoverableError: true, autoRecoverableError: true, drawerHigh: true });
    for (const byte of bytes(all)) expect(byte & 0x93).toBe(0x12);
  });
});

describe('ASB frame', () => {
  it('healthy and cover open + paper end', () => {
    expect(asbFrame(state())).toEqual([0x10, 0x00, 0x00, 0x00]);
    expect(asbFrame(state({ coverOpen: true, paperEnd: true, paperNearEnd: true }))).toEqual([0x38, 0x00, 0x0f, 0x00]);
    expect(asbFrame(state({ cutterError: true }))).toEqual([0x18, 0x08, 0x00, 0x00]);
  });
});

describe('PrinterResponder', () => {
  it('answers 10 04 n even split across chunks and inside print data, counting bytes', () => {
    let f = state({ paperEnd: true });
    const responder = new PrinterResponder(() => f);
    expect(responder.receive(Uint8Array.of(0x1b, 0x40, 0x41, 0x10))).toEqual([]);
    expect(responder.receive(Uint8Array.of(0x04, 0x04, 0x42, 0x10, 0x04, 0x01))).toEqual([
      { query: 4, delayMs: 0, bytes: [0x72] },
      { query: 1, delayMs: 0, bytes: [0x1a] },
    ]);
    f = state();
    expect(responder.receive(Uint8Array.of(0x10, 0x04, 0x02))).toEqual([{ query: 2, delayMs: 0, bytes: [0x12] }]);
    expect(responder.stats).toEqual({ bytesReceived: 13, statusQueries: 3, repliesSent: 3 });
  });

  it('ignores DLE EOT with n outside 1..4 and lone DLE EOT', () => {
    const responder = new PrinterResponder(() => state());
    expect(responder.receive(Uint8Array.of(0x10, 0x04, 0x05, 0x10, 0x04, 0x00, 0x10, 0x04))).toEqual([]);
  });

  it('noReply: silent, yet counts the query', () => {
    const responder = new PrinterResponder(() => state({ noReply: true }));
    expect(responder.receive(Uint8Array.of(0x10, 0x04, 0x01))).toEqual([]);
    expect(responder.stats.statusQueries).toBe(1);
    expect(responder.stats.repliesSent).toBe(0);
  });

  it('garbage: bytes that fail the pattern', () => {
    const responder = new PrinterResponder(() => state({ garbage: true }));
    const [reply] = responder.receive(Uint8Array.of(0x10, 0x04, 0x01));
    expect(reply?.bytes).toEqual([0xff, 0x00]);
    for (const byte of reply?.bytes ?? []) expect(byte & 0x93).not.toBe(0x12);
  });

  it('slowReplyMs becomes the reply delay', () => {
    const responder = new PrinterResponder(() => state({ slowReplyMs: 1200 }));
    expect(responder.receive(Uint8Array.of(0x10, 0x04, 0x03))[0]?.delayMs).toBe(1200);
  });
});

describe('fault patches', () => {
  it('accepts a partial patch and applies it', () => {
    const patch = PrinterFaultsPatch.parse({ coverOpen: true });
    expect(applyFaults(HEALTHY_PRINTER, patch)).toEqual({ ...HEALTHY_PRINTER, coverOpen: true });
  });
  it.each([[{ coverOpen: 'yes' }], [{ lidOpen: true }], [{ slowReplyMs: -1 }], [[]]])('rejects %j', (bad) => {
    expect(PrinterFaultsPatch.safeParse(bad).success).toBe(false);
  });
});
