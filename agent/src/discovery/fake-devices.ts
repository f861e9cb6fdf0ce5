// In-process device fakes for discovery's unit tests (the real simulators run in
// test/integration/discovery.test.ts): each answers what its family answers and nothing else.
import { encodeFrame } from '../devices/fiscal/shtrih-m/protocol';
import { parseHex } from '../devices/common/hex';
import type { MockResponder } from '../transports/mock/mock-transport';

const ENQ = 0x05;
const ACK = 0x06;
const NAK = 0x15;

/** 0xFC device type reply payload of the Shtrih fixture (device-type.json): "ШТРИХ-М-01Ф". */
export const SHTRIH_DEVICE_TYPE_PAYLOAD = parseHex('fc 00 00 00 01 0d 13 00 d8 d2 d0 c8 d5 2d cc 2d 30 31 d4');

/** 0x10 short status of the fixture short-status-shift-open.json. */
const SHTRIH_SHORT_STATUS_PAYLOAD = parseHex('10 00 1e 92 02 02 00 00 9a b4 00 00 00 00 00 00');

/**
 * A Shtrih-M register: ENQ → NAK (idle); a 0xFC or 0x10 frame → ACK then the reply frame (the
 * fixtures'); other commands and an ACK → nothing.
 */
export const shtrihResponder: MockResponder = (written) => {
  if (written.length === 1 && written[0] === ENQ) return [NAK];
  if (written[0] !== 0x02) return null;
  if (written[2] === 0xfc) return [ACK, ...encodeFrame(SHTRIH_DEVICE_TYPE_PAYLOAD)];
  if (written[2] === 0x10) return [ACK, ...encodeFrame(SHTRIH_SHORT_STATUS_PAYLOAD)];
  return null;
};

/** An ESC/POS printer: DLE EOT n → 0x12 (online, paper), GS I 67 → "_TM-T20\0"; everything else ignored. */
export const escposResponder: MockResponder = (written) => {
  const text = Array.from(written);
  if (text[0] === 0x10 && text[1] === 0x04) return [0x12];
  if (text[0] === 0x1d && text[1] === 0x49 && text[2] === 67) return [0x5f, ...Buffer.from('TM-T20'), 0x00];
  return null;
};

/**
 * A Star printer in line mode (devices.md §1.7): ENQ → a 1-byte ENQ status, here 0x06 (bits 1 and
 * 2: framing and mechanical error, `***0****`), which is also the Shtrih ACK byte; EOT (also the
 * middle byte of DLE EOT) → EOT status 0x10; ESC ACK SOH → an ASB frame.
 */
export const starResponder: MockResponder = (written) => {
  const bytes = Array.from(written);
  if (bytes.length === 1 && bytes[0] === ENQ) return [0x06];
  if (bytes[0] === 0x1b && bytes[1] === 0x06 && bytes[2] === 0x01) return [0x0f, 0x04, 0, 0, 0, 0, 0, 0, 0];
  if (bytes.includes(0x04)) return [0x10];
  return null;
};

/** Every byte written to the port, concatenated. */
export function allWritten(writes: readonly Uint8Array[]): number[] {
  return writes.flatMap((w) => Array.from(w));
}

/** Whether `needle` occurs in `haystack` as a run of bytes. */
export function containsRun(haystack: readonly number[], needle: readonly number[]): boolean {
  for (let i = 0; i + needle.length <= haystack.length; i++) if (needle.every((b, j) => haystack[i + j] === b)) return true;
  return false;
}
