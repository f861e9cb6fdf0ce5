// ESC/POS real-time status (DLE EOT n): request bytes, reply validation and bit decoding. Pure.
// The inbound stream (telling replies, ASB frames, XON/XOFF and block data apart) is in
// protocol-stream.ts, Automatic Status Back (GS a n) in protocol-asb.ts, GS I in protocol-identity.ts.
// Bit tables: Epson TM-T88/T88III/T85/U295 manuals (docs/devices.md §1.1, §1.3, §1.5).
import type { DecodedField, Exchange } from '@tillscope/shared';
import { parseHex, toHex } from '../../common/hex';
import { isRealTimeStatusByte, type ReaderTake } from './protocol-stream';

export const DLE = 0x10;
export const EOT = 0x04;

/** The four real-time status requests every Epson-compatible printer answers. */
export type StatusQuery = 1 | 2 | 3 | 4;
export const STATUS_QUERIES: readonly StatusQuery[] = [1, 2, 3, 4];

export const QUERY_LABELS: Readonly<Record<StatusQuery, string>> = {
  1: 'DLE EOT 1: printer status',
  2: 'DLE EOT 2: offline cause',
  3: 'DLE EOT 3: error cause',
  4: 'DLE EOT 4: roll paper sensor',
};

export function dleEotRequest(n: StatusQuery): Uint8Array {
  return Uint8Array.of(DLE, EOT, n);
}

/** The query a `10 04 0n` request (as bytes or as evidence hex) asks, or undefined. */
export function queryOfRequest(request: Uint8Array | string): StatusQuery | undefined {
  const bytes = typeof request === 'string' ? parseHex(request) : request;
  if (bytes.length !== 3 || bytes[0] !== DLE || bytes[1] !== EOT) return undefined;
  const n = bytes[2];
  return n === 1 || n === 2 || n === 3 || n === 4 ? n : undefined;
}

export { isAsbFirstByte, isAsbNextByte, isRealTimeStatusByte, XOFF, XON } from './protocol-stream';

export interface Bilingual {
  ru: string;
  en: string;
}

/** One flag of a DLE EOT n bit table (protocol-asb.ts reuses the wording for ASB frames). */
export interface FieldSpec {
  /** the flag's name in the typed view (`parseStatus`) */
  key: string;
  field: string;
  /** all of these bits set means the condition holds (the paper sensors report bit pairs) */
  mask: number;
  whenClear: Bilingual;
  whenSet: Bilingual;
  alarmWhenSet: boolean;
}

export const bit = (n: number) => 1 << n;

export const FIELD_TABLES = {
  1: [
    {
      key: 'drawerPin3High',
      field: 'bit 2',
      mask: bit(2),
      whenClear: { ru: 'Разъём денежного ящика, контакт 3: низкий уровень', en: 'drawer kick-out connector pin 3: LOW' },
      whenSet: { ru: 'Разъём денежного ящика, контакт 3: высокий уровень', en: 'drawer kick-out connector pin 3: HIGH' },
      alarmWhenSet: false,
    },
    {
      key: 'offline',
      field: 'bit 3',
      mask: bit(3),
      whenClear: { ru: 'Принтер в работе (онлайн)', en: 'online' },
      whenSet: { ru: 'Принтер в офлайне', en: 'offline' },
      alarmWhenSet: true,
    },
    {
      key: 'waitingForOnlineRecovery',
      field: 'bit 5',
      mask: bit(5),
      whenClear: { ru: 'Не ожидает возврата в онлайн', en: 'not waiting for online recovery' },
      whenSet: { ru: 'Ожидает возврата в онлайн', en: 'waiting for online recovery' },
      alarmWhenSet: true,
    },
    {
      key: 'feedButtonPressed',
      field: 'bit 6',
      mask: bit(6),
      whenClear: { ru: 'Кнопка FEED не нажата', en: 'FEED button not pressed' },
      whenSet: { ru: 'Кнопка FEED нажата', en: 'FEED button pressed' },
      alarmWhenSet: false,
    },
  ],
  2: [
    {
      key: 'coverOpen',
      field: 'bit 2',
      mask: bit(2),
      whenClear: { ru: 'Крышка закрыта', en: 'cover closed' },
      whenSet: { ru: 'Крышка открыта', en: 'cover open' },
      alarmWhenSet: true,
    },
    {
      key: 'feedingByButton',
      field: 'bit 3',
      mask: bit(3),
      whenClear: { ru: 'Бумага не подаётся кнопкой FEED', en: 'paper not being fed by the FEED button' },
      whenSet: { ru: 'Идёт подача бумаги кнопкой FEED', en: 'paper being fed by the FEED button' },
      alarmWhenSet: false,
    },
    {
      key: 'stoppedByPaperEnd',
      field: 'bit 5',
      mask: bit(5),
      whenClear: { ru: 'Печать не остановлена концом бумаги', en: 'printing not stopped by paper end' },
      whenSet: { ru: 'Печать остановлена: кончилась бумага', en: 'printing stopped by paper end' },
      alarmWhenSet: true,
    },
    {
      key: 'errorOccurred',
      field: 'bit 6',
      mask: bit(6),
      whenClear: { ru: 'Ошибки нет', en: 'no error' },
      whenSet: { ru: 'Произошла ошибка', en: 'error occurred' },
      alarmWhenSet: true,
    },
  ],
  3: [
    {
      key: 'recoverableError',
      field: 'bit 2',
      mask: bit(2),
      whenClear: { ru: 'Нет устранимой ошибки', en: 'no recoverable error' },
      whenSet: { ru: 'Устранимая (механическая) ошибка', en: 'recoverable (mechanical) error' },
      alarmWhenSet: true,
    },
    {
      key: 'autoCutterError',
      field: 'bit 3',
      mask: bit(3),
      whenClear: { ru: 'Автоотрезчик исправен', en: 'no auto-cutter error' },
      whenSet: { ru: 'Ошибка автоотрезчика', en: 'auto-cutter error' },
      alarmWhenSet: true,
    },
    {
      key: 'unrecoverableError',
      field: 'bit 5',
      mask: bit(5),
      whenClear: { ru: 'Нет неустранимой ошибки', en: 'no unrecoverable error' },
      whenSet: { ru: 'Неустранимая ошибка', en: 'unrecoverable error' },
      alarmWhenSet: true,
    },
    {
      key: 'autoRecoverableError',
      field: 'bit 6',
      mask: bit(6),
      whenClear: { ru: 'Нет самоустраняемой ошибки', en: 'no auto-recoverable error' },
      whenSet: {
        ru: 'Самоустраняемая ошибка (перегрев головки или крышка открыта во время печати)',
        en: 'auto-recoverable error (head overheated or cover opened while printing)',
      },
      alarmWhenSet: true,
    },
  ],
  4: [
    {
      key: 'nearEnd',
      field: 'bits 2,3',
      mask: bit(2) | bit(3),
      whenClear: { ru: 'Датчик близкого конца бумаги: бумаги достаточно', en: 'paper near-end sensor: paper adequate' },
      whenSet: { ru: 'Датчик близкого конца бумаги: бумага заканчивается', en: 'paper near-end sensor: paper near end' },
      alarmWhenSet: true,
    },
    {
      key: 'paperEnd',
      field: 'bits 5,6',
      mask: bit(5) | bit(6),
      whenClear: { ru: 'Датчик конца бумаги: бумага есть', en: 'paper end sensor: paper present' },
      whenSet: { ru: 'Датчик конца бумаги: нет бумаги', en: 'paper end sensor: no paper' },
      alarmWhenSet: true,
    },
  ],
} as const satisfies Record<StatusQuery, readonly FieldSpec[]>;

/**
 * Decodes a DLE EOT n reply bit by bit. Returns [] for a byte that fails the 0xx1xx10 pattern:
 * an invalid byte says nothing about the printer and must never read as "all clear".
 * A paper sensor pair counts as set only when both bits are set, as Epson documents them.
 */
export function decodeStatus(n: StatusQuery, byte: number): DecodedField[] {
  if (!isRealTimeStatusByte(byte)) return [];
  const table: readonly FieldSpec[] = FIELD_TABLES[n];
  return table.map((spec) => {
    const set = (byte & spec.mask) === spec.mask;
    return { field: spec.field, set, meaning: set ? spec.whenSet : spec.whenClear, alarm: set && spec.alarmWhenSet };
  });
}

/**
 * Typed view of one reply, for diagnosis: each flag of the query's bit table, true when the
 * documented condition holds (e.g. `parseStatus(2, b)?.coverOpen`). Undefined for an invalid byte.
 */
export type StatusFlags<N extends StatusQuery> = Record<(typeof FIELD_TABLES)[N][number]['key'], boolean>;

export function parseStatus<N extends StatusQuery>(n: N, byte: number): StatusFlags<N> | undefined {
  if (!isRealTimeStatusByte(byte)) return undefined;
  const table: readonly FieldSpec[] = FIELD_TABLES[n];
  return Object.fromEntries(table.map((spec) => [spec.key, (byte & spec.mask) === spec.mask])) as StatusFlags<N>;
}

/** The evidence of one DLE EOT n exchange: the request, the reply if one came, every other byte. */
export function statusExchange(n: StatusQuery, { reply, discarded }: ReaderTake, elapsedMs: number): Exchange {
  const byte = reply?.kind === 'status' ? reply.byte : null;
  return {
    label: QUERY_LABELS[n],
    request: toHex(dleEotRequest(n)),
    reply: byte === null ? null : toHex([byte]),
    discarded: toHex(discarded),
    valid: byte !== null,
    decoded: byte === null ? [] : decodeStatus(n, byte),
    elapsedMs,
  };
}
