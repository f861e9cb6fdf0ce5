import { describe, expect, it } from 'vitest';
import {
  applyFaults,
  asbFrame,
  asbItemsChanged,
  ASB_ITEMS,
  effectiveAsbMask,
  HEALTHY_PRINTER,
  PrinterFaultsPatch,
  PrinterResponder,
  statusByte,
  type AsbSetting,
  type PrinterFaults,
} from './printer-state';

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

describe('ASB frame (docs/devices.md §1.3), byte-exact', () => {
  it.each<[string, Partial<PrinterFaults>, number[]]>([
    ['healthy: 0xx1xx00 then three zero bytes', {}, [0x10, 0x00, 0x00, 0x00]],
    ['drawer pin 3 high: byte 1 bit 2', { drawerHigh: true }, [0x14, 0x00, 0x00, 0x00]],
    ['offline with no cause: byte 1 bit 3', { offline: true }, [0x18, 0x00, 0x00, 0x00]],
    ['cover open: byte 1 bits 3 (offline) and 5', { coverOpen: true }, [0x38, 0x00, 0x00, 0x00]],
    ['recoverable error: byte 2 bit 2', { recoverableError: true }, [0x18, 0x04, 0x00, 0x00]],
    ['cutter error: byte 2 bit 3', { cutterError: true }, [0x18, 0x08, 0x00, 0x00]],
    ['unrecoverable error: byte 2 bit 5', { unrecoverableError: true }, [0x18, 0x20, 0x00, 0x00]],
    ['auto-recoverable error: byte 2 bit 6', { autoRecoverableError: true }, [0x18, 0x40, 0x00, 0x00]],
    ['near end: byte 3 bits 0,1 = 03 (stays online)', { paperNearEnd: true }, [0x10, 0x00, 0x03, 0x00]],
    ['paper end: byte 3 bits 2,3 = 0C, offline', { paperEnd: true }, [0x18, 0x00, 0x0c, 0x00]],
    ['cover open + paper end + near end', { coverOpen: true, paperEnd: true, paperNearEnd: true }, [0x38, 0x00, 0x0f, 0x00]],
  ])('%s', (_name, patch, expected) => {
    expect(asbFrame(state(patch))).toEqual(expected);
  });

  it('every frame carries the pattern: 0xx1xx00, then 0xx0xxxx three times', () => {
    const all = state({ paperNearEnd: true, paperEnd: true, coverOpen: true, cutterError: true, recoverableError: true, unrecoverableError: true, autoRecoverableError: true, drawerHigh: true });
    const [first, ...rest] = asbFrame(all);
    expect(first! & 0x93).toBe(0x10);
    for (const byte of rest) expect(byte & 0x90).toBe(0x00);
  });
});

describe('ASB items that changed (what GS a n enables)', () => {
  it.each<[string, Partial<PrinterFaults>, number]>([
    ['drawer', { drawerHigh: true }, ASB_ITEMS.drawer],
    ['offline', { offline: true }, ASB_ITEMS.onlineOffline],
    ['cover (counts under online/offline)', { coverOpen: true }, ASB_ITEMS.onlineOffline],
    ['cutter error (also takes it offline)', { cutterError: true }, ASB_ITEMS.onlineOffline | ASB_ITEMS.error],
    ['near end (stays online)', { paperNearEnd: true }, ASB_ITEMS.rollPaper],
    ['paper end (also offline)', { paperEnd: true }, ASB_ITEMS.onlineOffline | ASB_ITEMS.rollPaper],
    ['not a status item: slow replies', { slowReplyMs: 100 }, 0],
    ['not a status item: garbage to DLE EOT', { garbage: true }, 0],
  ])('%s', (_name, patch, expected) => {
    expect(asbItemsChanged(state(), state(patch))).toBe(expected);
    expect(asbItemsChanged(state(patch), state())).toBe(expected);
  });

  it('the mask in force: GS a n, overridden by the asb fault, silenced by noAsb and noReply', () => {
    const setting: AsbSetting = { mask: 0x0f };
    expect(effectiveAsbMask(state(), setting)).toBe(0x0f);
    expect(effectiveAsbMask(state(), { mask: 0 })).toBe(0);
    expect(effectiveAsbMask(state({ asb: true }), { mask: 0 })).toBe(0xff);
    expect(effectiveAsbMask(state({ asb: true, noAsb: true }), setting)).toBe(0);
    expect(effectiveAsbMask(state({ noReply: true }), setting)).toBe(0);
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
    expect(responder.stats).toEqual({ bytesReceived: 13, statusQueries: 3, repliesSent: 3, asbCommands: 0, idRequests: 0 });
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

  it('GS a n ≠ 0 sets the printer’s ASB mask and answers with one frame, even split across chunks', () => {
    const setting: AsbSetting = { mask: 0 };
    const responder = new PrinterResponder(() => state({ coverOpen: true }), setting);
    expect(responder.receive(Uint8Array.of(0x1d))).toEqual([]);
    expect(responder.receive(Uint8Array.of(0x61, 0x0f, 0x10, 0x04, 0x01))).toEqual([
      { query: 'asb', delayMs: 0, bytes: [0x38, 0x00, 0x00, 0x00] },
      { query: 1, delayMs: 0, bytes: [0x1a] },
    ]);
    expect(setting.mask).toBe(0x0f);
    expect(responder.stats.asbCommands).toBe(1);
  });

  it('GS a 0 turns ASB off without a frame', () => {
    const setting: AsbSetting = { mask: 0xff };
    const responder = new PrinterResponder(() => state(), setting);
    expect(responder.receive(Uint8Array.of(0x1d, 0x61, 0x00))).toEqual([]);
    expect(setting.mask).toBe(0);
  });

  it('noAsb: GS a is ignored (a clone without ASB); DLE EOT still answered', () => {
    const setting: AsbSetting = { mask: 0 };
    const responder = new PrinterResponder(() => state({ noAsb: true }), setting);
    expect(responder.receive(Uint8Array.of(0x1d, 0x61, 0x0f, 0x10, 0x04, 0x01))).toEqual([{ query: 1, delayMs: 0, bytes: [0x12] }]);
    expect(setting.mask).toBe(0);
    expect(responder.stats.asbCommands).toBe(1);
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
