// Decoders for the replies to the allowed Shtrih-M commands: a typed value for the diagnosis and
// the same reply as DecodedField rows (ru/en) for evidence. Pure. Layouts: docs/devices.md §3.1;
// 0xFC from pyshtrih handlers/commands.py and javapos ReadDeviceMetrics. Offsets are counted after
// the command code, as devices.md counts them: byte 0 is the error code.
import type { DecodedField, LocalizedText } from '@tillscope/shared';
import { deviceError, type DeviceError } from './errors';
import { commandName, frameCommand, upperHex as hex, type AllowedCommand } from './protocol';
import {
  bitsOf,
  DOCUMENT_MODE_STATUS,
  FN_DOCUMENTS,
  FN_PHASES,
  FN_WARNING_BITS,
  FR_FLAG_BITS,
  MODES,
  OFD_STATUS_BITS,
  SUBMODES,
  type BitSpec,
  type FrFlagKey,
} from './reply-tables';

export interface ShortStatus {
  operator: number;
  /** FR flags as received (LE16); `flagBits` names them */
  flags: number;
  flagBits: Record<FrFlagKey, boolean>;
  mode: number;
  /** high nibble of the mode byte: for mode 8, what kind of document is open */
  modeStatus: number;
  submode: number;
  operationsInReceipt: number;
  batteryVoltage: number;
  supplyVoltage: number;
  fpError: number;
  eklzError: number;
}

export interface FullStatus {
  operator: number;
  /** "A.4 build 12345 (2023-05-17)" as far as the bytes allow */
  firmware: string;
  documentNumber: number;
  flags: number;
  mode: number;
  modeStatus: number;
  submode: number;
  /** the register's clock, local wall time "YYYY-MM-DDTHH:MM:SS"; undefined when the bytes are not a date */
  clock: string | undefined;
  serial: string;
  lastClosedShift?: number;
  registrationsDone?: number;
  registrationsLeft?: number;
}

export interface DeviceType {
  type: number;
  subtype: number;
  protocolVersion: number;
  protocolSubversion: number;
  model: number;
  language: number;
  /** CP1251, trimmed */
  name: string;
}

export interface FnWarningFlags {
  replaceUrgently: boolean;
  resourceExhausted: boolean;
  archiveNearlyFull: boolean;
  ofdTimeout: boolean;
  criticalError: boolean;
}

export interface FnStatus {
  phase: number;
  phaseName: LocalizedText;
  currentDocument: number;
  documentData: number;
  /** undefined for a shift byte other than 0/1 */
  shiftOpen: boolean | undefined;
  warnings: number;
  warningFlags: FnWarningFlags;
  lastDocumentAt: string | undefined;
  fnSerial: string;
  lastDocumentNumber: number;
}

export interface FnValidity {
  /** "YYYY-MM-DD", the last day of the FN's key validity; undefined when not a date */
  validUntil: string | undefined;
  registrationsLeft: number;
  registrationsDone: number;
}

export interface OfdStatus {
  status: number;
  connected: boolean;
  readState: number;
  unsentCount: number;
  firstUnsentNumber: number;
  /** undefined when the bytes are not a date (no unsent document: all zeros) */
  firstUnsentAt: string | undefined;
}

export interface UnconfirmedCount {
  count: number;
}

export interface ShiftParameters {
  shiftOpen: boolean | undefined;
  shiftNumber: number;
  receiptNumber: number;
}

export interface ReplyValues {
  0x10: ShortStatus;
  0x11: FullStatus;
  0xfc: DeviceType;
  0xff01: FnStatus;
  0xff03: FnValidity;
  0xff39: OfdStatus;
  0xff3f: UnconfirmedCount;
  0xff40: ShiftParameters;
}

export type DecodedReply<C extends AllowedCommand = AllowedCommand> =
  | { status: 'ok'; command: C; value: ReplyValues[C]; fields: DecodedField[] }
  | { status: 'error'; command: C; error: DeviceError; fields: DecodedField[] }
  | { status: 'invalid'; command: C; reason: string; fields: DecodedField[] };

export interface DecodeOptions {
  /** which FN warning bit means "critical FN error": 7 (default, several codebases) or 6 (one) [S] */
  criticalErrorBit?: 6 | 7;
}

/** Bounds-checked little-endian reads over the reply body (byte 0 = error code). */
class Body {
  constructor(private readonly bytes: Uint8Array) {}
  get length(): number {
    return this.bytes.length;
  }
  u8(at: number): number {
    return this.bytes[at] ?? 0;
  }
  u16(at: number): number {
    return this.u8(at) | (this.u8(at + 1) << 8);
  }
  u32(at: number): number {
    return (this.u16(at) + this.u16(at + 2) * 0x10000) >>> 0;
  }
  slice(at: number, length: number): Uint8Array {
    return this.bytes.slice(at, at + length);
  }
  has(at: number, length = 1): boolean {
    return at + length <= this.bytes.length;
  }
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A local wall-clock time, or undefined unless every part is in range (a zeroed or garbled date). */
export function wallClock(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): string | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}`;
}

const cp1251 = new TextDecoder('windows-1251');
/** Device text: CP1251 (ASCII for the FN serial), without trailing NULs and spaces, bounded for evidence. */
function deviceText(bytes: Uint8Array): string {
  return cp1251.decode(bytes).replace(/[\0\s]+$/u, '').replace(/[\0-\x1f\x7f]/gu, '?').slice(0, 200);
}

const t = (ru: string, en: string): LocalizedText => ({ ru, en });

function valueField(field: string, value: string | number, meaning: LocalizedText, alarm = false): DecodedField {
  return { field, set: value !== 0 && value !== '', value: String(value).slice(0, 200), meaning, alarm };
}

/** One row per bit; `alarmBit` marks one more bit as a fault when set (the configurable critical-error bit). */
function bitFields(prefix: string, table: readonly BitSpec[], value: number, alarmBit?: number): DecodedField[] {
  return table.map((spec) => {
    const set = (value & (1 << spec.bit)) !== 0;
    const alarm = spec.alarmWhen === (set ? 'set' : 'clear') || (set && spec.bit === alarmBit);
    return { field: `${prefix} bit ${spec.bit}`, set, meaning: set ? spec.whenSet : spec.whenClear, alarm };
  });
}

function modeMeaning(mode: number, status: number): LocalizedText {
  const base = MODES[mode] ?? t('Неизвестный режим', 'unknown mode');
  const kind = mode === 8 ? DOCUMENT_MODE_STATUS[status] : undefined;
  return kind ? t(`${base.ru}: ${kind.ru}`, `${base.en}: ${kind.en}`) : base;
}

/** The mode byte (mode.status) at `modeAt` and the submode byte after it. */
function modeFields(modeAt: number, modeByte: number, submode: number): DecodedField[] {
  const mode = modeByte & 0x0f;
  const status = modeByte >> 4;
  return [
    valueField(`byte ${modeAt} (mode)`, `${mode}.${status}`, modeMeaning(mode, status), mode === 3 || mode === 5),
    valueField(`byte ${modeAt + 1} (submode)`, submode, SUBMODES[submode] ?? t('Неизвестный подрежим', 'unknown submode'), submode >= 1 && submode <= 3),
  ];
}

function fnDateTime(body: Body, at: number): string | undefined {
  return wallClock(2000 + body.u8(at), body.u8(at + 1), body.u8(at + 2), body.u8(at + 3), body.u8(at + 4));
}

interface ReplyLayout<T> {
  /** body bytes (error code included) an OK reply must carry */
  minLength: number;
  decode(body: Body, options: DecodeOptions): T;
  fields(value: T, body: Body, options: DecodeOptions): DecodedField[];
}

const shortStatus: ReplyLayout<ShortStatus> = {
  minLength: 12,
  decode: (b) => ({
    operator: b.u8(1),
    flags: b.u16(2),
    flagBits: bitsOf(FR_FLAG_BITS, b.u16(2)),
    mode: b.u8(4) & 0x0f,
    modeStatus: b.u8(4) >> 4,
    submode: b.u8(5),
    operationsInReceipt: b.u8(6) | (b.u8(11) << 8),
    batteryVoltage: b.u8(7),
    supplyVoltage: b.u8(8),
    fpError: b.u8(9),
    eklzError: b.u8(10),
  }),
  fields: (v, b) => [
    valueField('byte 1 (operator)', v.operator, t('Номер оператора', 'operator number')),
    ...bitFields('flags', FR_FLAG_BITS, v.flags),
    ...modeFields(4, b.u8(4), v.submode),
    valueField('bytes 6,11 (operations)', v.operationsInReceipt, t('Операций в чеке', 'operations in the receipt')),
    valueField('byte 7 (battery)', v.batteryVoltage, t('Напряжение резервной батареи (код)', 'backup battery voltage (raw)')),
    valueField('byte 8 (supply)', v.supplyVoltage, t('Напряжение источника питания (код)', 'supply voltage (raw)')),
    valueField('byte 9 (FP error)', v.fpError, t('Код ошибки ФП', 'fiscal memory error code'), v.fpError !== 0),
    valueField('byte 10 (EKLZ error)', v.eklzError, t('Код ошибки ЭКЛЗ', 'EKLZ error code')),
  ],
};

function firmwareText(b: Body, at: number): string {
  const version = deviceText(b.slice(at, 2)).split('').join('.');
  const date = wallClock(2000 + b.u8(at + 6), b.u8(at + 5), b.u8(at + 4));
  return `${version || '?'} build ${b.u16(at + 2)}${date ? ` (${date.slice(0, 10)})` : ''}`;
}

const fullStatus: ReplyLayout<FullStatus> = {
  minLength: 35,
  decode: (b) => ({
    operator: b.u8(1),
    firmware: firmwareText(b, 2),
    documentNumber: b.u16(10),
    flags: b.u16(12),
    mode: b.u8(14) & 0x0f,
    modeStatus: b.u8(14) >> 4,
    submode: b.u8(15),
    clock: wallClock(2000 + b.u8(26), b.u8(25), b.u8(24), b.u8(27), b.u8(28), b.u8(29)),
    serial: String(b.u32(31)),
    ...(b.has(35, 2) ? { lastClosedShift: b.u16(35) } : {}),
    ...(b.has(39) ? { registrationsDone: b.u8(39) } : {}),
    ...(b.has(40) ? { registrationsLeft: b.u8(40) } : {}),
  }),
  fields: (v, b) => [
    valueField('bytes 2-8 (firmware)', v.firmware, t('Версия, сборка и дата ПО ФР', 'FR firmware version, build and date')),
    valueField('bytes 10-11 (document)', v.documentNumber, t('Сквозной номер текущего документа', 'current document number')),
    valueField('bytes 12-13 (flags)', hex(v.flags, 4), t('Флаги ФР (побитно: в ответе 0x10)', 'FR flags (bit by bit: see 0x10)')),
    ...modeFields(14, b.u8(14), v.submode),
    valueField('bytes 24-29 (clock)', v.clock ?? [24, 25, 26, 27, 28, 29].map((i) => hex(b.u8(i))).join(' '), v.clock ? t('Дата и время ККТ', 'register date and time') : t('Дата и время ККТ: не дата', 'register date and time: not a date'), v.clock === undefined),
    valueField('bytes 31-34 (serial)', v.serial, t('Заводской номер', 'serial number')),
    ...(v.lastClosedShift !== undefined ? [valueField('bytes 35-36 (last shift)', v.lastClosedShift, t('Номер последней закрытой смены', 'last closed shift number'))] : []),
    ...(v.registrationsLeft !== undefined ? [valueField('byte 40 (registrations left)', v.registrationsLeft, t('Осталось перерегистраций', 'registrations left'))] : []),
  ],
};

const deviceType: ReplyLayout<DeviceType> = {
  minLength: 7,
  decode: (b) => ({
    type: b.u8(1),
    subtype: b.u8(2),
    protocolVersion: b.u8(3),
    protocolSubversion: b.u8(4),
    model: b.u8(5),
    language: b.u8(6),
    name: deviceText(b.slice(7, b.length - 7)),
  }),
  fields: (v) => [
    valueField('byte 1 (type)', v.type, t('Тип устройства', 'device type')),
    valueField('byte 2 (subtype)', v.subtype, t('Подтип устройства', 'device subtype')),
    valueField('bytes 3-4 (protocol)', `${v.protocolVersion}.${v.protocolSubversion}`, t('Версия протокола', 'protocol version')),
    valueField('byte 5 (model)', v.model, t('Модель устройства', 'device model')),
    valueField('byte 6 (language)', v.language, v.language === 0 ? t('Язык: русский', 'language: Russian') : t('Язык: не русский', 'language: not Russian')),
    valueField('bytes 7- (name)', v.name, t('Название устройства', 'device name')),
  ],
};

function fnWarningFlags(warnings: number, criticalErrorBit: 6 | 7): FnWarningFlags {
  const named = bitsOf(FN_WARNING_BITS, warnings);
  return {
    replaceUrgently: named.replaceUrgently,
    resourceExhausted: named.resourceExhausted,
    archiveNearlyFull: named.archiveNearlyFull,
    ofdTimeout: named.ofdTimeout,
    criticalError: (warnings & (1 << criticalErrorBit)) !== 0,
  };
}

function phaseName(phase: number): LocalizedText {
  const named = FN_PHASES[phase];
  if (named) return named;
  const bits = [t('настройка проведена', 'configured'), t('фискальный режим открыт', 'fiscal mode open'), t('фискальный режим закрыт', 'fiscal mode closed'), t('передача в ОФД закончена', 'OFD transfer finished')];
  const set = bits.filter((_, i) => (phase & (1 << i)) !== 0);
  return t(`Фаза ${hex(phase)}: ${set.map((s) => s.ru).join(', ') || 'нет признаков'}`, `phase ${hex(phase)}: ${set.map((s) => s.en).join(', ') || 'no bits'}`);
}

const shiftByte = (byte: number) => (byte === 0 ? false : byte === 1 ? true : undefined);
const shiftMeaning = (open: boolean | undefined) =>
  open === undefined ? t('Состояние смены: неизвестное значение', 'shift state: unknown value') : open ? t('Смена открыта', 'shift open') : t('Смена закрыта', 'shift closed');

const fnStatus: ReplyLayout<FnStatus> = {
  minLength: 31,
  decode: (b, options) => ({
    phase: b.u8(1),
    phaseName: phaseName(b.u8(1)),
    currentDocument: b.u8(2),
    documentData: b.u8(3),
    shiftOpen: shiftByte(b.u8(4)),
    warnings: b.u8(5),
    warningFlags: fnWarningFlags(b.u8(5), options.criticalErrorBit ?? 7),
    lastDocumentAt: fnDateTime(b, 6),
    fnSerial: deviceText(b.slice(11, 16)),
    lastDocumentNumber: b.u32(27),
  }),
  fields: (v, b, options) => [
    valueField('byte 1 (FN phase)', hex(v.phase), v.phaseName),
    valueField('byte 2 (document)', hex(v.currentDocument), FN_DOCUMENTS[v.currentDocument] ?? t('Неизвестный тип документа', 'unknown document type')),
    valueField('byte 3 (document data)', v.documentData, v.documentData === 0 ? t('Нет данных документа', 'no document data') : t('Получены данные документа', 'document data received')),
    valueField('byte 4 (shift)', b.u8(4), shiftMeaning(v.shiftOpen), v.shiftOpen === undefined),
    ...bitFields('FN warnings', FN_WARNING_BITS, v.warnings, options.criticalErrorBit ?? 7),
    valueField('bytes 6-10 (last document)', v.lastDocumentAt ?? 'not a date', t('Дата и время последнего документа', 'last document date and time')),
    valueField('bytes 11-26 (FN serial)', v.fnSerial, t('Заводской номер ФН', 'FN serial number')),
    valueField('bytes 27-30 (last FD)', v.lastDocumentNumber, t('Номер последнего ФД', 'last fiscal document number')),
  ],
};

const fnValidity: ReplyLayout<FnValidity> = {
  minLength: 6,
  // Binary Y M D (+2000): javapos's comment says BCD, both drivers decode binary (devices.md §3.1).
  decode: (b) => ({ validUntil: wallClock(2000 + b.u8(1), b.u8(2), b.u8(3))?.slice(0, 10), registrationsLeft: b.u8(4), registrationsDone: b.u8(5) }),
  fields: (v, b) => [
    valueField('bytes 1-3 (FN valid until)', v.validUntil ?? [1, 2, 3].map((i) => hex(b.u8(i))).join(' '), v.validUntil ? t('Срок действия ФН', 'FN valid until') : t('Срок действия ФН: не дата', 'FN validity: not a date'), v.validUntil === undefined),
    valueField('byte 4 (registrations left)', v.registrationsLeft, t('Осталось отчётов о перерегистрации', 're-registrations left')),
    valueField('byte 5 (registrations done)', v.registrationsDone, t('Выполнено отчётов о перерегистрации', 're-registrations done')),
  ],
};

const ofdStatus: ReplyLayout<OfdStatus> = {
  minLength: 14,
  decode: (b) => ({
    status: b.u8(1),
    connected: (b.u8(1) & 1) !== 0,
    readState: b.u8(2),
    unsentCount: b.u16(3),
    firstUnsentNumber: b.u32(5),
    firstUnsentAt: fnDateTime(b, 9),
  }),
  fields: (v) => [
    ...bitFields('OFD status', OFD_STATUS_BITS, v.status),
    valueField('byte 2 (read state)', v.readState, t('Состояние чтения сообщения', 'message read state')),
    valueField('bytes 3-4 (unsent)', v.unsentCount, t('Сообщений для ОФД', 'messages for the OFD')),
    valueField('bytes 5-8 (first unsent FD)', v.firstUnsentNumber, t('Номер первого документа в очереди ОФД', 'first document in the OFD queue')),
    valueField('bytes 9-13 (first unsent at)', v.firstUnsentAt ?? 'not a date', t('Дата и время первого документа в очереди ОФД', 'date and time of the first document in the OFD queue')),
  ],
};

const unconfirmedCount: ReplyLayout<UnconfirmedCount> = {
  minLength: 3,
  decode: (b) => ({ count: b.u16(1) }),
  fields: (v) => [valueField('bytes 1-2 (unconfirmed)', v.count, t('ФД без квитанции ОФД', 'documents without an OFD receipt'))],
};

const shiftParameters: ReplyLayout<ShiftParameters> = {
  minLength: 6,
  decode: (b) => ({ shiftOpen: shiftByte(b.u8(1)), shiftNumber: b.u16(2), receiptNumber: b.u16(4) }),
  fields: (v, b) => [
    valueField('byte 1 (shift)', b.u8(1), shiftMeaning(v.shiftOpen), v.shiftOpen === undefined),
    valueField('bytes 2-3 (shift number)', v.shiftNumber, t('Номер смены', 'shift number')),
    valueField('bytes 4-5 (receipt number)', v.receiptNumber, t('Номер чека', 'receipt number')),
  ],
};

const LAYOUTS: { [C in AllowedCommand]: ReplyLayout<ReplyValues[C]> } = {
  0x10: shortStatus,
  0x11: fullStatus,
  0xfc: deviceType,
  0xff01: fnStatus,
  0xff03: fnValidity,
  0xff39: ofdStatus,
  0xff3f: unconfirmedCount,
  0xff40: shiftParameters,
};

/**
 * Decodes the payload of a reply frame (CMD ERR DATA, LRC already checked) to `command`. Never
 * throws. A reply to another command, one without an error byte, or an OK reply shorter than its
 * layout is `invalid` with no fields: it says nothing about the register, and never reads as OK.
 * A non-zero error byte is `error`, whatever follows it.
 */
export function decodeReply<C extends AllowedCommand>(command: C, payload: Uint8Array, options: DecodeOptions = {}): DecodedReply<C> {
  const head = frameCommand(payload);
  if (!head || head.code !== command) {
    const got = head ? `a reply to ${commandName(head.code)}` : 'no command code';
    return { status: 'invalid', command, reason: `${got} where ${commandName(command)} was asked`, fields: [] };
  }
  const body = new Body(payload.slice(head.size));
  if (body.length === 0) return { status: 'invalid', command, reason: 'no error byte', fields: [] };
  const code = body.u8(0);
  if (code !== 0) {
    const error = deviceError(command, code);
    return { status: 'error', command, error, fields: [{ field: 'byte 0 (error)', set: true, value: hex(code), meaning: error.text, alarm: true }] };
  }
  const layout = LAYOUTS[command] as ReplyLayout<ReplyValues[C]>;
  if (body.length < layout.minLength) {
    return { status: 'invalid', command, reason: `${body.length} bytes after the command code, at least ${layout.minLength} expected`, fields: [] };
  }
  const value = layout.decode(body, options);
  return { status: 'ok', command, value, fields: [valueField('byte 0 (error)', 0, t('Ошибок нет', 'no error')), ...layout.fields(value, body, options)] };
}
