// Discovery's question to an unknown port: "are you a Shtrih-M register?" The read-only command
// 0xFC (device type) through the ENQ/ACK/NAK handshake (devices.md §3.1). It runs before any
// printer's identification, so a register never receives printer bytes.
//
// Only a valid reply frame (STX LEN … LRC answering 0xFC) counts. A bare ACK is not enough: a Star
// printer answers ENQ with a one-byte status `***0****` (§1.7), and 0x06 is such a byte. A NAK
// (0x15) has bit 4 set, which a Star ENQ status never has, so only a NAK gets the 0xFC frame.
import { toHex } from '../../common/hex';
import type { DeviceIdentifier, Identification } from '../../driver';
import type { TransportPort } from '../../../transports/transport';
import { outcomeText, runExchange, type ExchangeRecord, type HandshakeLimits } from './exchange';
import { portLink } from './link';
import { ACK, NAK } from './protocol';
import { decodeReply } from './replies';

/**
 * Shorter than a probe's: a port that is not a register costs little. 150 ms between bytes
 * (javapos: 100 ms [V]) [I]; one held answer read; two silent ENQs.
 */
export const IDENTIFY_LIMITS: Partial<HandshakeLimits> = { byteTimeoutMs: 150, replyTimeoutMs: 1_000, maxEnq: 2, maxUnreadAnswers: 1, maxCommandResends: 1, maxReplyRetries: 1 };

/** What the device's first answers to ENQ were, in words. */
function handshakeWords(record: ExchangeRecord): string {
  const first = record.other[0];
  if (first === NAK) return 'ENQ → NAK (idle)';
  if (first === ACK) return 'ENQ → ACK (held answer)';
  return record.receivedBytes === 0 ? 'ENQ → nothing' : 'ENQ → neither ACK nor NAK';
}

function received(record: ExchangeRecord): Uint8Array {
  const frame = record.outcome.kind === 'reply' ? record.outcome.frame : new Uint8Array(0);
  return Uint8Array.from([...record.other, ...frame]);
}

function bytes(data: Uint8Array): string {
  return data.length === 0 ? 'nothing' : `${toHex(data.subarray(0, 20))}${data.length > 20 ? ` … (+${data.length - 20})` : ''}`;
}

/** The handshake in bytes, then what it meant. */
function steps(record: ExchangeRecord, meaning: string): string[] {
  return [`ENQ/ACK/NAK + 0xFC device type: sent ${bytes(record.sent)} → ${bytes(received(record))}`.slice(0, 160), `${handshakeWords(record)}; ${meaning}`.slice(0, 160)];
}

/** The device's own name (CP1251, decoded), without control characters; untrusted text. */
function modelName(name: string): string | undefined {
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 100);
  return clean === '' ? undefined : clean;
}

/** 0xFC through the handshake; a match only when its reply frame came back. */
export async function identifyShtrih(port: TransportPort, signal: AbortSignal): Promise<Identification> {
  await port.discardInput();
  const link = portLink(port);
  let record: ExchangeRecord;
  try {
    record = await runExchange(link, 0xfc, { limits: IDENTIFY_LIMITS, signal });
  } finally {
    link.dispose();
  }
  if (record.outcome.kind !== 'reply') return { matched: false, steps: steps(record, `not a Shtrih-M register (${outcomeText(record.outcome)})`) };
  const decoded = decodeReply(0xfc, record.outcome.payload);
  const name = decoded.status === 'ok' ? modelName(decoded.value.name) : undefined;
  const meaning = decoded.status === 'ok' ? `Shtrih-M reply frame, model "${name ?? ''}"` : 'Shtrih-M reply frame (device type not decoded)';
  return { matched: true, steps: steps(record, meaning), ...(name ? { model: name } : {}) };
}

export const shtrihIdentification: DeviceIdentifier = {
  order: 10,
  // 115200: javapos jpos.xml's example [V example]; 4800: older factory setting [U]. Per-model
  // defaults are unverified (devices.md §8).
  serialBaudRates: [115200, 4800],
  identify: identifyShtrih,
};
