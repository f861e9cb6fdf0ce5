// GS I printer ID (docs/devices.md §1.4) and the harmless check that a serial port is not a
// Shtrih-M fiscal register's (§3.1 handshake). Pure: bytes in, values out.
import type { DecodedField, DeviceIdentity, Exchange } from '@tillscope/shared';
import { byteHex, toHex } from '../../common/hex';
import type { ReaderTake } from './protocol-stream';

export const GS = 0x1d;

/**
 * GS I n requests the agent sends (processed in receive-buffer order, not real-time): 1-byte
 * model ID (1), type ID (2) and ROM version ID (3); block replies `5F` … `00` for firmware (65),
 * maker (66), model name (67) and serial number (68) ("printer information B", Epson RP-U420,
 * TM-J2000/TM-T88III guides, Bixolon SRP-330II [V]).
 */
export type IdRequest = 1 | 2 | 3 | 65 | 66 | 67 | 68;
export const ONE_BYTE_IDS: readonly IdRequest[] = [1, 2, 3];
export const BLOCK_IDS: readonly IdRequest[] = [65, 66, 67, 68];

export const ID_LABELS: Readonly<Record<IdRequest, { en: string; ru: string }>> = {
  1: { en: 'model ID', ru: 'Код модели' },
  2: { en: 'type ID', ru: 'Код типа' },
  3: { en: 'ROM version ID', ru: 'Код версии ПЗУ' },
  65: { en: 'firmware version', ru: 'Версия прошивки' },
  66: { en: 'maker', ru: 'Производитель' },
  67: { en: 'model name', ru: 'Модель' },
  68: { en: 'serial number', ru: 'Серийный номер' },
};

export function gsIRequest(n: IdRequest): Uint8Array {
  return Uint8Array.of(GS, 0x49, n);
}

export const requestName = (n: IdRequest) => `GS I ${n}`;

/** What GS I told so far: the 1-byte IDs and the block texts, by n. */
export type IdAnswers = Partial<Record<IdRequest, number | string>>;

/** The evidence of one GS I exchange; only a reply of the expected kind is valid. */
export function idExchange(n: IdRequest, take: ReaderTake, elapsedMs: number): Exchange {
  const value = idValue(n, take);
  const label = ID_LABELS[n];
  const shown = typeof value === 'number' ? byteHex(value) : value;
  const replyBytes = take.reply === null ? null : take.reply.kind === 'block' ? blockBytes(take.reply.header, take.reply.text) : [take.reply.kind === 'status' ? take.reply.byte : take.reply.byte];
  const decoded: DecodedField[] =
    shown === undefined ? [] : [{ field: n < 65 ? 'byte' : 'block data', set: true, value: shown.slice(0, 200), meaning: { ru: `${label.ru}: ${shown}`.slice(0, 200), en: `${label.en}: ${shown}`.slice(0, 200) }, alarm: false }];
  return {
    label: `GS I ${n}: ${label.en}`,
    request: toHex(gsIRequest(n)),
    reply: value === undefined || replyBytes === null ? null : toHex(replyBytes),
    discarded: toHex(take.discarded),
    valid: value !== undefined,
    decoded,
    elapsedMs,
  };
}

/** The value a GS I reply carries: a 0xx0xxxx byte for n 1..3, the block text for 65..68. */
export function idValue(n: IdRequest, take: ReaderTake): number | string | undefined {
  const reply = take.reply;
  if (reply === null) return undefined;
  if (n < 65) return reply.kind === 'byte' ? reply.byte : undefined;
  return reply.kind === 'block' && reply.header === 0x5f ? reply.text : undefined;
}

function blockBytes(header: number, text: string): number[] {
  return [header, ...Array.from(text, (c) => c.charCodeAt(0)), 0x00];
}

/**
 * DeviceIdentity from GS I answers: model is the model name block (with the maker when it is not
 * already in it), else "model ID 0x20"; firmware the firmware block, else "ROM ID 0x..";
 * serial the serial number block. Undefined when nothing was answered.
 */
export function identityOf(answers: IdAnswers): DeviceIdentity | undefined {
  const text = (n: IdRequest) => (typeof answers[n] === 'string' && (answers[n] as string).trim() !== '' ? (answers[n] as string).trim() : undefined);
  const byte = (n: IdRequest) => (typeof answers[n] === 'number' ? (answers[n] as number) : undefined);
  const maker = text(66);
  const name = text(67);
  const modelId = byte(1);
  const model = name ? (maker && !name.toUpperCase().includes(maker.toUpperCase()) ? `${maker} ${name}` : name) : modelId !== undefined ? `model ID ${byteHex(modelId)}` : undefined;
  const romId = byte(3);
  const firmware = text(65) ?? (romId !== undefined ? `ROM ID ${byteHex(romId)}` : undefined);
  const serial = text(68);
  const identity: DeviceIdentity = {
    ...(model ? { model: model.slice(0, 200) } : {}),
    ...(firmware ? { firmware: firmware.slice(0, 200) } : {}),
    ...(serial ? { serial: serial.slice(0, 200) } : {}),
  };
  return Object.keys(identity).length > 0 ? identity : undefined;
}

// Shtrih-M handshake (docs/devices.md §3.1, javapos_shtrih PrinterProtocol_1 [V]): the host sends
// ENQ; an idle register answers NAK, one holding an unread answer ACK and then that answer's frame
// (STX …). 0xFF bytes are filler.
export const ENQ = 0x05;
export const ACK = 0x06;
export const NAK = 0x15;
const STX = 0x02;
const FILLER = 0xff;

/**
 * What the bytes after ENQ say: NAK, or ACK followed by a frame's STX, is a fiscal register's
 * handshake. A lone ACK is not enough: a Star printer in Star mode answers ENQ with a 1-byte
 * status `***0****` [V, devices.md §1.7], and 0x06 fits that pattern.
 */
export function fiscalHandshake(bytes: Uint8Array): { fiscal: boolean; byte?: number } {
  const at = bytes.findIndex((b) => b !== FILLER);
  const first = bytes[at];
  if (first === undefined) return { fiscal: false };
  const fiscal = first === NAK || (first === ACK && bytes.indexOf(STX, at + 1) > at);
  return { fiscal, byte: first };
}

/** The evidence of the ENQ check. */
export function enqExchange(bytes: Uint8Array, elapsedMs: number): Exchange {
  const { fiscal, byte } = fiscalHandshake(bytes);
  const meaning = fiscal
    ? { ru: `Ответ ${byte === NAK ? 'NAK' : 'ACK и кадр'}: это рукопожатие ККТ Штрих-М, а не принтер`, en: `answered ${byte === NAK ? 'NAK' : 'ACK and a frame'}: a Shtrih-M fiscal register's handshake, not a printer` }
    : { ru: 'Нет ответа рукопожатия ККТ Штрих-М', en: 'no Shtrih-M handshake answer' };
  return {
    label: 'ENQ: is a Shtrih-M fiscal register on this port?',
    request: toHex([ENQ]),
    reply: fiscal && byte !== undefined ? toHex([byte]) : null,
    discarded: toHex(fiscal ? [] : bytes.slice(0, 1024)),
    valid: fiscal,
    decoded: [{ field: 'handshake', set: fiscal, meaning, alarm: fiscal }],
    elapsedMs,
  };
}
