import { BlockingReason, FiscalDeviceState, FiscalForecast, FnWarnings, ReplaceReason, ShiftState } from '@tillscope/shared';
import { z } from 'zod';
import { jsonColumn } from '../db/rows';
import type { FiscalFactsState } from './fiscal-state';

// The fiscal_states row (migration 005) and its conversions. Rows are parsed on read, like every
// other row (db/rows.ts): a hand-edited or half-migrated file fails loudly instead of leaking a
// wrong shape into the forecast or the API.

const text = z.string().nullable();
const int = z.number().int().nullable();

/** Every column but forecast_json: what the write path compares and folds new readings into. */
export const FiscalStateRow = z.object({
  agent_id: z.string(),
  device_id: z.string(),
  written_at: z.string(),
  fn_read_at: text,
  fn_serial: text,
  fn_valid_until: text,
  fn_phase: text,
  fn_ffd_version: text,
  fn_last_document: int,
  fn_warnings_json: jsonColumn(FnWarnings).nullable(),
  ofd_read_at: text,
  ofd_unsent_count: int,
  ofd_first_unsent_number: int,
  ofd_first_unsent_at: text,
  ofd_connected: z.union([z.literal(0), z.literal(1)]).nullable(),
  ofd_error: text,
  shift_read_at: text,
  shift_state: ShiftState.nullable(),
  shift_number: int,
  shift_opened_at: text,
  clock_drift_seconds: z.number().nullable(),
  rate_ref_serial: text,
  rate_ref_number: int,
  rate_ref_at: text,
  blocking_at: text,
  blocking_reason: BlockingReason.nullable(),
  fn_replace_by: text,
  fn_replace_reason: ReplaceReason.nullable(),
});
export type FiscalStateRow = z.infer<typeof FiscalStateRow>;

export const FISCAL_STATE_COLUMNS = Object.keys(FiscalStateRow.shape) as (keyof FiscalStateRow)[];
/** Written on every upsert: every column, then the forecast. */
export const FISCAL_WRITE_COLUMNS = [...FISCAL_STATE_COLUMNS, 'forecast_json'] as const;

/** With the stored forecast: what the API shows. */
export const FiscalStateViewRow = FiscalStateRow.extend({ forecast_json: jsonColumn(FiscalForecast) });
export type FiscalStateViewRow = z.infer<typeof FiscalStateViewRow>;

export function stateFromRow(row: FiscalStateRow): FiscalFactsState {
  return {
    fn: row.fn_read_at === null ? null : {
      readAt: row.fn_read_at,
      serial: row.fn_serial,
      validUntil: row.fn_valid_until,
      phase: row.fn_phase,
      ffdVersion: row.fn_ffd_version,
      lastDocumentNumber: row.fn_last_document,
      warnings: row.fn_warnings_json,
    },
    ofd: row.ofd_read_at === null ? null : {
      readAt: row.ofd_read_at,
      unsentCount: row.ofd_unsent_count ?? 0,
      firstUnsentNumber: row.ofd_first_unsent_number,
      firstUnsentAt: row.ofd_first_unsent_at,
      connected: row.ofd_connected === null ? null : row.ofd_connected === 1,
      error: row.ofd_error,
    },
    shift: row.shift_read_at === null || row.shift_state === null ? null : {
      readAt: row.shift_read_at,
      state: row.shift_state,
      number: row.shift_number,
      openedAt: row.shift_opened_at,
    },
    clockDriftSeconds: row.clock_drift_seconds,
    rateReference: row.rate_ref_number === null || row.rate_ref_at === null ? null : { serial: row.rate_ref_serial, number: row.rate_ref_number, at: row.rate_ref_at },
  };
}

/** The values of FISCAL_WRITE_COLUMNS, in order. */
export function rowValues(
  key: { agentId: string; deviceId: string; writtenAt: string },
  state: FiscalFactsState,
  forecast: FiscalForecast,
  replacement: { replaceBy: string; reason: ReplaceReason } | null,
): unknown[] {
  const { fn, ofd, shift, rateReference: ref } = state;
  return [
    key.agentId, key.deviceId, key.writtenAt,
    fn?.readAt ?? null, fn?.serial ?? null, fn?.validUntil ?? null, fn?.phase ?? null, fn?.ffdVersion ?? null, fn?.lastDocumentNumber ?? null,
    fn?.warnings ? JSON.stringify(fn.warnings) : null,
    ofd?.readAt ?? null, ofd?.unsentCount ?? null, ofd?.firstUnsentNumber ?? null, ofd?.firstUnsentAt ?? null,
    ofd?.connected === undefined || ofd.connected === null ? null : Number(ofd.connected), ofd?.error ?? null,
    shift?.readAt ?? null, shift?.state ?? null, shift?.number ?? null, shift?.openedAt ?? null,
    state.clockDriftSeconds,
    ref?.serial ?? null, ref?.number ?? null, ref?.at ?? null,
    forecast.blockingAt, forecast.reason, replacement?.replaceBy ?? null, replacement?.reason ?? null,
    JSON.stringify(forecast),
  ];
}

/** A device's fiscal state as RegisterDevice.fiscal. */
export function deviceStateFromRow(row: FiscalStateViewRow): FiscalDeviceState {
  const { rateReference: _reference, ...facts } = stateFromRow(row);
  return { ...facts, forecast: row.forecast_json };
}
