// Star line mode automatic status (ESC ACK SOH): the request, the frame's identification patterns,
// its length, and the bit tables. Pure: bytes in, values out. The stream reader is in
// protocol-reader.ts. Facts: Star Line Mode Command Specifications (docs/devices.md §1.7).
import type { DecodedField } from '@tillscope/shared';

export const ESC = 0x1b;
export const ACK = 0x06;
export const SOH = 0x01;
export const XON = 0x11;
export const XOFF = 0x13;

/** `ESC ACK SOH`: the real-time request for the full automatic status frame. */
export const STATUS_REQUEST: readonly number[] = [ESC, ACK, SOH];
export const STATUS_REQUEST_LABEL = 'ESC ACK SOH: automatic status';

// Identification of send status (§1.7): header 1 `0**0***1`, every later byte `0**0***0`.
const HEADER1_MASK = 0b1101_0001;
const HEADER1_PATTERN = 0b0000_0001;
const DATA_MASK = 0b1001_0001;
const DATA_PATTERN = 0b0000_0000;

/**
 * The fewest bytes a frame must carry to be used: the two headers and bytes 3..6 (online, errors,
 * paper). A shorter length from header 1 cannot say "paper present", so it is not a status.
 */
export const MIN_FRAME_LENGTH = 6;

export function isHeader1(byte: number): boolean {
  return (byte & HEADER1_MASK) === HEADER1_PATTERN;
}

export function isFrameDataByte(byte: number): boolean {
  return (byte & DATA_MASK) === DATA_PATTERN;
}

/**
 * A 4-bit number carried in bits 1-3 (low three) and bit 5 (high bit): header 1's byte count,
 * header 2's version [I] (docs/devices.md §1.7 derives the count this way from Star's table; it is
 * not verified on hardware: see README "Unverified").
 */
export function nibbleOf(byte: number): number {
  return ((byte >> 1) & 0b0111) | ((byte >> 2) & 0b1000);
}

/** The whole frame's length in bytes (headers included) as header 1 gives it [I]. */
export function frameLengthOf(header1: number): number {
  return nibbleOf(header1);
}

/** The status version header 2 carries (ver.1 = 0x02, ver.2 = 0x04) [I]. */
export function versionOf(header2: number): number {
  return nibbleOf(header2);
}

/** The ETB counter in byte 8: bits 1,2,3 then 5,6 (0..31). */
export function etbCountOf(byte8: number): number {
  return ((byte8 >> 1) & 0b0_0111) | ((byte8 >> 2) & 0b1_1000);
}

export interface Bilingual {
  ru: string;
  en: string;
}

/** One flag of the frame: `byte` is 1-based as Star numbers them (byte 3 = first status byte). */
export interface StarFieldSpec {
  key: string;
  byte: number;
  bit: number;
  whenClear: Bilingual;
  whenSet: Bilingual;
  alarmWhenSet: boolean;
}

const spec = <K extends string>(key: K, byte: number, bit: number, whenClear: Bilingual, whenSet: Bilingual, alarmWhenSet = true): StarFieldSpec & { key: K } => ({
  key,
  byte,
  bit,
  whenClear,
  whenSet,
  alarmWhenSet,
});

/** The documented bits of bytes 3..6 (§1.7). Others are model-specific and not decoded. */
export const STAR_FIELDS = [
  spec('etbExecuted', 3, 1, { ru: 'ETB не выполнялся', en: 'ETB not executed' }, { ru: 'Выполнен ETB', en: 'ETB executed' }, false),
  spec('drawerSwitchClosed', 3, 2, { ru: 'Датчик денежного ящика разомкнут', en: 'compulsion (drawer) switch open' }, { ru: 'Датчик денежного ящика замкнут', en: 'compulsion (drawer) switch closed' }, false),
  spec('offline', 3, 3, { ru: 'Принтер в работе (онлайн)', en: 'online' }, { ru: 'Принтер в офлайне', en: 'offline' }),
  spec('coverOpen', 3, 5, { ru: 'Крышка закрыта', en: 'cover closed' }, { ru: 'Крышка открыта', en: 'cover open' }),
  spec('offlineBySwitch', 3, 6, { ru: 'Не переведён в офлайн кнопкой', en: 'not offline by switch' }, { ru: 'Переведён в офлайн кнопкой', en: 'offline by switch' }),
  spec('mechanicalError', 4, 2, { ru: 'Нет механической ошибки', en: 'no mechanical error' }, { ru: 'Механическая ошибка', en: 'mechanical error' }),
  spec('autoCutterError', 4, 3, { ru: 'Автоотрезчик исправен', en: 'no auto-cutter error' }, { ru: 'Ошибка автоотрезчика', en: 'auto-cutter error' }),
  spec('unrecoverableError', 4, 5, { ru: 'Нет неустранимой ошибки', en: 'no unrecoverable error' }, { ru: 'Неустранимая ошибка', en: 'unrecoverable error' }),
  spec('headHighTemperature', 4, 6, { ru: 'Температура головки в норме', en: 'head temperature normal' }, { ru: 'Печать остановлена: перегрев головки', en: 'stopped by head high temperature' }),
  spec('blackMarkError', 5, 3, { ru: 'Нет ошибки чёрной метки', en: 'no black-mark error' }, { ru: 'Ошибка чёрной метки', en: 'black-mark error' }),
  spec('receiveBufferOverflow', 5, 6, { ru: 'Приёмный буфер не переполнен', en: 'receive buffer not overflowed' }, { ru: 'Переполнение приёмного буфера', en: 'receive buffer overflow' }),
  spec('nearEndOuter', 6, 1, { ru: 'Внешний датчик: бумаги достаточно', en: 'outer near-end sensor: paper adequate' }, { ru: 'Внешний датчик: бумага заканчивается', en: 'outer near-end sensor: paper near end' }),
  spec('nearEndInner', 6, 2, { ru: 'Датчик близкого конца бумаги: бумаги достаточно', en: 'inner near-end sensor: paper adequate' }, { ru: 'Датчик близкого конца бумаги: бумага заканчивается', en: 'inner near-end sensor: paper near end' }),
  spec('paperEnd', 6, 3, { ru: 'Датчик конца бумаги: бумага есть', en: 'paper end sensor: paper present' }, { ru: 'Датчик конца бумаги: нет бумаги', en: 'paper end sensor: no paper' }),
] as const satisfies readonly StarFieldSpec[];

export type StarFlagKey = (typeof STAR_FIELDS)[number]['key'];
export type StarFlags = Record<StarFlagKey, boolean>;

/** A frame that passed every check: its bytes, version, flags and (when byte 8 came) ETB counter. */
export interface StarStatus {
  frame: readonly number[];
  version: number;
  flags: StarFlags;
  etbCounter?: number;
}

/** Why a byte sequence is not a usable status frame, or undefined when it is one. */
export function frameProblem(frame: readonly number[]): string | undefined {
  const [header1, header2] = frame;
  if (header1 === undefined || !isHeader1(header1)) return 'header 1 fails its pattern 0**0***1';
  const length = frameLengthOf(header1);
  if (length < MIN_FRAME_LENGTH) return `header 1 gives ${length} bytes, fewer than the ${MIN_FRAME_LENGTH} that carry the paper status`;
  if (frame.length !== length) return `header 1 gives ${length} bytes but ${frame.length} arrived`;
  if (header2 === undefined || !frame.slice(1).every(isFrameDataByte)) return 'a byte after header 1 fails its pattern 0**0***0';
  if (versionOf(header2) === 0) return 'header 2 gives version 0';
  return undefined;
}

/** The typed view of a frame, or undefined when it fails any check (unknown, never OK). */
export function parseStarFrame(frame: readonly number[] | Uint8Array): StarStatus | undefined {
  const bytes = Array.from(frame);
  if (frameProblem(bytes) !== undefined) return undefined;
  const flags = Object.fromEntries(STAR_FIELDS.map((f) => [f.key, ((bytes[f.byte - 1]! >> f.bit) & 1) === 1])) as StarFlags;
  const byte8 = bytes[7];
  return { frame: bytes, version: versionOf(bytes[1]!), flags, ...(byte8 !== undefined ? { etbCounter: etbCountOf(byte8) } : {}) };
}

/** The frame bit by bit for evidence; [] for a frame that fails its checks. */
export function decodeStarFrame(frame: readonly number[] | Uint8Array): DecodedField[] {
  const status = parseStarFrame(frame);
  if (!status) return [];
  const header: DecodedField[] = [
    { field: 'header 1 (length)', set: true, value: String(status.frame.length), meaning: { ru: `Длина статуса: ${status.frame.length} байт`, en: `status length: ${status.frame.length} bytes` }, alarm: false },
    { field: 'header 2 (version)', set: true, value: String(status.version), meaning: { ru: `Версия статуса: ${status.version}`, en: `status version: ${status.version}` }, alarm: false },
  ];
  const bits = STAR_FIELDS.map((f): DecodedField => {
    const set = status.flags[f.key];
    return { field: `byte ${f.byte} bit ${f.bit}`, set, meaning: set ? f.whenSet : f.whenClear, alarm: set && f.alarmWhenSet };
  });
  const etb: DecodedField[] =
    status.etbCounter === undefined
      ? []
      : [{ field: 'byte 8 (ETB counter)', set: status.etbCounter > 0, value: String(status.etbCounter), meaning: { ru: `Счётчик ETB: ${status.etbCounter}`, en: `ETB counter: ${status.etbCounter}` }, alarm: false }];
  return [...header, ...bits, ...etb];
}
