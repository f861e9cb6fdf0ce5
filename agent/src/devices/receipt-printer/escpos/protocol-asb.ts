// ESC/POS Automatic Status Back (ASB), `GS a n` (docs/devices.md §1.3, §1.5): the enable request,
// and the frame decoder (the framing is protocol-stream.ts's). Pure: bytes in, values out.
import type { DecodedField } from '@tillscope/shared';
import {
  bit,
  FIELD_TABLES,
  isAsbFirstByte,
  isAsbNextByte,
  STATUS_QUERIES,
  type FieldSpec,
  type StatusFlags,
  type StatusQuery,
} from './protocol';

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
