// ESC/POS real-time status (DLE EOT n): request bytes, reply validation, bit decoding and a reader
// that picks the reply out of whatever else the printer sends; Automatic Status Back (GS a n):
// the enable request, a framer and the frame decoder. Pure: bytes in, values out.
// Bit tables: Epson TM-T88/T88III/T85/U295 manuals (docs/devices.md §1.1, §1.3, §1.5).
import type { DecodedField, Exchange } from '@tillscope/shared';

export const DLE = 0x10;
export const EOT = 0x04;
export const XON = 0x11;
export const XOFF = 0x13;

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

// Identification patterns (Epson Appendix G / Citizen "Identification of Send Status").
// Bits 0, 1, 4 and 7 are fixed; the rest carry data.
const FIXED_BITS_MASK = 0b1001_0011;
const REAL_TIME_STATUS_PATTERN = 0b0001_0010; // 0xx1xx10
const ASB_FIRST_BYTE_PATTERN = 0b0001_0000; // 0xx1xx00
const ASB_NEXT_BYTE_MASK = 0b1001_0000;
const ASB_NEXT_BYTE_PATTERN = 0b0000_0000; // 0xx0xxxx

/** True for a byte with the real-time status pattern 0xx1xx10. Anything else is not a status. */
export function isRealTimeStatusByte(byte: number): boolean {
  return (byte & FIXED_BITS_MASK) === REAL_TIME_STATUS_PATTERN;
}

export function isAsbFirstByte(byte: number): boolean {
  return (byte & FIXED_BITS_MASK) === ASB_FIRST_BYTE_PATTERN;
}

function isAsbNextByte(byte: number): boolean {
  return (byte & ASB_NEXT_BYTE_MASK) === ASB_NEXT_BYTE_PATTERN;
}

interface Bilingual {
  ru: string;
  en: string;
}

interface FieldSpec {
  /** the flag's name in the typed view (`parseStatus`) */
  key: string;
  field: string;
  /** all of these bits set means the condition holds (the paper sensors report bit pairs) */
  mask: number;
  whenClear: Bilingual;
  whenSet: Bilingual;
  alarmWhenSet: boolean;
}

const bit = (n: number) => 1 << n;

const FIELD_TABLES = {
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

/**
 * Discarded bytes kept per exchange as evidence. Shared's Exchange schema bounds `discarded` (3 KiB
 * of hex = 1,024 bytes), and the console refuses a whole message over it: a device flooding the
 * line must not cost the report (nor the other devices' reports sent with it).
 */
export const MAX_DISCARDED_BYTES = 1024;

/** What one exchange yielded: the reply byte (null if none) and the other bytes, in order, up to MAX_DISCARDED_BYTES. */
export interface ReaderTake {
  reply: number | null;
  discarded: Uint8Array;
}

/**
 * Incremental reader over the inbound byte stream of one probe.
 *
 * The printer may send, besides the one-byte DLE EOT reply: XON/XOFF (0x11/0x13), Automatic
 * Status Back frames (4 bytes: 0xx1xx00 then three 0xx0xxxx, XOFF may sit inside), GS I / GS r
 * replies (0xx0xxxx), stale replies to an earlier query and line noise. Only the first byte with
 * the real-time pattern that arrives while a reply is expected counts; everything else is set
 * aside as discarded (the first MAX_DISCARDED_BYTES of them). An ASB first byte is never a reply (bit 1 differs), and ASB frame
 * continuation bytes cannot match 0xx1xx10 (bit 4 differs), so framing only matters for evidence.
 *
 * Usage, one query at a time: `expectReply()`, write the request, `push()` every chunk until
 * `hasReply` (or a timeout), then `take()` for the exchange. Bytes pushed while no reply is
 * expected go to the next `take()`'s discarded bytes.
 */
export class RealTimeStatusReader {
  private awaiting = false;
  private reply: number | null = null;
  private discarded: number[] = [];
  private asbBytesLeft = 0;

  get hasReply(): boolean {
    return this.reply !== null;
  }

  expectReply(): void {
    this.awaiting = this.reply === null;
  }

  push(chunk: Uint8Array): void {
    for (const byte of chunk) this.pushByte(byte);
  }

  take(): ReaderTake {
    const result = { reply: this.reply, discarded: Uint8Array.from(this.discarded) };
    this.reply = null;
    this.discarded = [];
    this.awaiting = false;
    return result;
  }

  private pushByte(byte: number): void {
    if (this.asbBytesLeft > 0) {
      if (byte === XON || byte === XOFF) {
        this.discard(byte);
        return;
      }
      if (isAsbNextByte(byte)) {
        this.asbBytesLeft -= 1;
        this.discard(byte);
        return;
      }
      // A broken frame: the byte starts something else.
      this.asbBytesLeft = 0;
    }
    if (isAsbFirstByte(byte)) {
      this.asbBytesLeft = 3;
      this.discard(byte);
      return;
    }
    if (this.awaiting && isRealTimeStatusByte(byte)) {
      this.reply = byte;
      this.awaiting = false;
      return;
    }
    this.discard(byte);
  }

  private discard(byte: number): void {
    if (this.discarded.length < MAX_DISCARDED_BYTES) this.discarded.push(byte);
  }
}

/** The evidence of one DLE EOT n exchange: the request, the reply if one came, every other byte. */
export function statusExchange(n: StatusQuery, { reply, discarded }: ReaderTake, elapsedMs: number): Exchange {
  return {
    label: QUERY_LABELS[n],
    request: toHex(dleEotRequest(n)),
    reply: reply === null ? null : toHex([reply]),
    discarded: toHex(discarded),
    valid: reply !== null,
    decoded: reply === null ? [] : decodeStatus(n, reply),
    elapsedMs,
  };
}

// ---------------------------------------------------------------------------------------------
// Automatic Status Back (ASB), `GS a n` (docs/devices.md §1.3, §1.5).

export const GS = 0x1d;

/**
 * The `GS a n` enable mask the agent sends in `status: "asb"` mode: bit 0 drawer, bit 1
 * online/offline, bit 2 error, bit 3 roll paper sensor (0x0f). These four items are documented
 * for the Epson TM-U220A and in kunif/EscPosUtils (docs/devices.md §1.3, [V]); the frame layout
 * is the TM-T88III's / TM-L90's (programming guide Ver.10 pp.319-320). Together they carry every
 * condition the diagnosis uses (offline, cover, the four errors, paper end and near end).
 * Bit 6 (panel switch) is left out: only some models have it, and a FEED press is not a finding.
 * The drawer item is kept so the mask is the full set of items every documented model shares;
 * a drawer change yields a frame whose findings did not change, which the probe loop drops.
 *
 * Unverified [U]: which items a change of the cover sensor counts under (the cover bit sits in
 * byte 1 with offline; a cover opened while the printer is already offline may not send a frame
 * on every model), and what a UB-E02 board, which itself sends `GS a 255` at power-on, makes of
 * a narrower mask: its Technical Reference only names `ESC @` and `GS a 0` as harmful.
 */
export const ASB_ENABLE_MASK = 0b0000_1111;

/** `GS a n` (1D 61 n). The agent never sends n = 0: see README "Automatic Status Back". */
export function asbEnableRequest(mask: number = ASB_ENABLE_MASK): Uint8Array {
  return Uint8Array.of(GS, 0x61, mask & 0xff);
}

/** One ASB frame: a 0xx1xx00 byte, then three 0xx0xxxx bytes. */
export type AsbFrame = readonly [number, number, number, number];

/** True for four bytes that carry the ASB identification pattern. */
export function isAsbFrame(bytes: readonly number[] | Uint8Array): bytes is AsbFrame {
  return bytes.length === 4 && isAsbFirstByte(bytes[0]!) && isAsbNextByte(bytes[1]!) && isAsbNextByte(bytes[2]!) && isAsbNextByte(bytes[3]!);
}

interface AsbFieldSpec {
  /** 1..3; byte 4 is model dependent / reserved and is not decoded */
  byte: 1 | 2 | 3;
  mask: number;
  /** the DLE EOT flag that reports the same condition, whose wording and alarm it shares */
  same: { n: StatusQuery; key: string };
}

// ASB frame bits (docs/devices.md §1.3) and the DLE EOT flag reporting the same condition.
const ASB_FIELDS: readonly AsbFieldSpec[] = [
  { byte: 1, mask: bit(2), same: { n: 1, key: 'drawerPin3High' } },
  { byte: 1, mask: bit(3), same: { n: 1, key: 'offline' } },
  { byte: 1, mask: bit(5), same: { n: 2, key: 'coverOpen' } },
  { byte: 1, mask: bit(6), same: { n: 2, key: 'feedingByButton' } },
  // byte 2 bits 0 and 1 are documented for newer models only
  { byte: 2, mask: bit(0), same: { n: 1, key: 'waitingForOnlineRecovery' } },
  { byte: 2, mask: bit(1), same: { n: 1, key: 'feedButtonPressed' } },
  { byte: 2, mask: bit(2), same: { n: 3, key: 'recoverableError' } },
  { byte: 2, mask: bit(3), same: { n: 3, key: 'autoCutterError' } },
  { byte: 2, mask: bit(5), same: { n: 3, key: 'unrecoverableError' } },
  { byte: 2, mask: bit(6), same: { n: 3, key: 'autoRecoverableError' } },
  // the paper sensors report bit pairs, as in DLE EOT 4, but at bits 0,1 and 2,3
  { byte: 3, mask: bit(0) | bit(1), same: { n: 4, key: 'nearEnd' } },
  { byte: 3, mask: bit(2) | bit(3), same: { n: 4, key: 'paperEnd' } },
];

function dleEotSpec(same: AsbFieldSpec['same']): FieldSpec {
  const table: readonly FieldSpec[] = FIELD_TABLES[same.n];
  const spec = table.find((s) => s.key === same.key);
  if (!spec) throw new Error(`ASB table names an unknown DLE EOT ${same.n} flag "${same.key}"`);
  return spec;
}

function asbFieldName(spec: AsbFieldSpec): string {
  const bits = [0, 1, 2, 3, 4, 5, 6, 7].filter((n) => (spec.mask & bit(n)) !== 0);
  return `byte ${spec.byte} ${bits.length === 1 ? 'bit' : 'bits'} ${bits.join(',')}`;
}

/** Decodes an ASB frame bit by bit ("byte 1 bit 3": offline). [] unless the frame carries the pattern. */
export function decodeAsbFrame(frame: readonly number[] | Uint8Array): DecodedField[] {
  if (!isAsbFrame(frame)) return [];
  return ASB_FIELDS.map((spec) => {
    const same = dleEotSpec(spec.same);
    const set = (frame[spec.byte - 1]! & spec.mask) === spec.mask;
    return { field: asbFieldName(spec), set, meaning: set ? same.whenSet : same.whenClear, alarm: set && same.alarmWhenSet };
  });
}

/**
 * An ASB frame as the DLE EOT flags that report the same conditions, so one diagnosis serves both
 * modes (same codes for the same conditions). DLE EOT 2 bits 5 ("stopped by paper end") and 6
 * ("error occurred") have no ASB counterpart: they read false, and the conditions behind them
 * arrive through byte 3 (paper end) and byte 2 (the errors themselves). `byteOf` tells which
 * frame byte carries each query's flags, for citing it. Undefined for an invalid frame.
 */
export interface AsbStatus {
  frame: AsbFrame;
  flags: { [N in StatusQuery]: StatusFlags<N> };
  byteOf: Readonly<Record<StatusQuery, 1 | 2 | 3>>;
}

export function parseAsbFrame(frame: readonly number[] | Uint8Array): AsbStatus | undefined {
  if (!isAsbFrame(frame)) return undefined;
  const flags = Object.fromEntries(
    STATUS_QUERIES.map((n) => [n, Object.fromEntries((FIELD_TABLES[n] as readonly FieldSpec[]).map((spec) => [spec.key, false]))]),
  ) as Record<StatusQuery, Record<string, boolean>>;
  for (const spec of ASB_FIELDS) flags[spec.same.n][spec.same.key] = (frame[spec.byte - 1]! & spec.mask) === spec.mask;
  return {
    frame: [frame[0], frame[1], frame[2], frame[3]],
    flags: flags as unknown as AsbStatus['flags'],
    // offline and cover (n=1, n=2) sit in byte 1, the errors (n=3) in byte 2, paper (n=4) in byte 3
    byteOf: { 1: 1, 2: 1, 3: 2, 4: 3 },
  };
}

/**
 * Incremental framer for ASB frames over the inbound byte stream of a held connection. Pure:
 * bytes in, frames out, no clock.
 *
 * - Outside a frame, only a 0xx1xx00 byte starts one; everything else (DLE EOT replies, XON/XOFF,
 *   GS I / GS r bytes, garbage) is skipped.
 * - Inside a frame, XON/XOFF are skipped (Citizen "identification of send status": "skip XOFF"),
 *   and so is a DLE EOT reply byte (0xx1xx10), which can never be a frame byte (bit 4 differs) and
 *   may be interleaved by a printer that answers real-time requests at once; a 0xx0xxxx byte
 *   continues the frame; a new 0xx1xx00 byte restarts it; any other byte breaks it.
 * - Frames may arrive split across reads in any way (TM-m30III sent 4 status bytes as 4 events,
 *   docs/perf-reliability.md §1.6).
 *
 * Garbage can still form a well-patterned frame by chance (1 in 1024 positions for random bytes);
 * the safety-net poll corrects such a report at the next probe.
 */
export class AsbFrameReader {
  private partial: number[] = [];
  /** bytes skipped or dropped so far (evidence of a noisy line) */
  skippedBytes = 0;

  push(chunk: Uint8Array | readonly number[]): AsbFrame[] {
    const frames: AsbFrame[] = [];
    for (const byte of chunk) {
      const frame = this.pushByte(byte & 0xff);
      if (frame) frames.push(frame);
    }
    return frames;
  }

  /** Forgets a partial frame (a new connection starts clean). */
  reset(): void {
    this.partial = [];
  }

  private pushByte(byte: number): AsbFrame | undefined {
    if (this.partial.length > 0) {
      if (byte === XON || byte === XOFF || isRealTimeStatusByte(byte)) {
        this.skippedBytes += 1;
        return undefined;
      }
      if (isAsbNextByte(byte)) {
        this.partial.push(byte);
        if (this.partial.length < 4) return undefined;
        const [a, b, c, d] = this.partial as [number, number, number, number];
        this.partial = [];
        return [a, b, c, d];
      }
      // A broken frame: what came so far is dropped; the byte is looked at afresh below.
      this.skippedBytes += this.partial.length;
      this.partial = [];
    }
    if (isAsbFirstByte(byte)) this.partial = [byte];
    else this.skippedBytes += 1;
    return undefined;
  }
}

/** "10 04 01": the evidence format (space-separated lower-case hex). */
export function toHex(bytes: Uint8Array | readonly number[]): string {
  return Array.from(bytes, (b) => (b & 0xff).toString(16).padStart(2, '0')).join(' ');
}

/** "0x72": how a single byte is quoted in findings. */
export function byteHex(byte: number): string {
  return `0x${(byte & 0xff).toString(16).padStart(2, '0')}`;
}

export function parseHex(hex: string): Uint8Array {
  const trimmed = hex.trim();
  if (trimmed === '') return new Uint8Array(0);
  return Uint8Array.from(trimmed.split(/\s+/), (pair) => Number.parseInt(pair, 16) & 0xff);
}
