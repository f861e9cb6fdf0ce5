// Fiscal registers (issue 8): each fiscal device's latest fiscal facts, the document-rate reference
// and its computed blocking forecast (console/server/src/fiscal/), the register's earliest blocking
// date on its agents row, and every device's identity (model, serials, firmware) for the inventory.
// Written on ingest in the transaction that stores the report (fiscal/fiscal-writes.ts).
export const sql = `
ALTER TABLE devices ADD COLUMN identity_json TEXT;

-- One row per fiscal device. Each part (fn, ofd, shift) holds the last report that carried it, with
-- the time it was received (*_read_at). rate_ref_*: the first reading of the current FN (serial,
-- document number, time), the base of the documents-per-day rate; reset when the FN changes.
-- fn_replace_by: the drive's own end (validity or a full archive), for the replacement list.
CREATE TABLE fiscal_states (
  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  device_id TEXT NOT NULL,
  written_at TEXT NOT NULL,
  fn_read_at TEXT,
  fn_serial TEXT,
  fn_valid_until TEXT,
  fn_phase TEXT,
  fn_ffd_version TEXT,
  fn_last_document INTEGER,
  fn_warnings_json TEXT,
  ofd_read_at TEXT,
  ofd_unsent_count INTEGER,
  ofd_first_unsent_number INTEGER,
  ofd_first_unsent_at TEXT,
  ofd_connected INTEGER,
  ofd_error TEXT,
  shift_read_at TEXT,
  shift_state TEXT,
  shift_number INTEGER,
  shift_opened_at TEXT,
  clock_drift_seconds REAL,
  rate_ref_serial TEXT,
  rate_ref_number INTEGER,
  rate_ref_at TEXT,
  blocking_at TEXT,
  blocking_reason TEXT,
  fn_replace_by TEXT,
  fn_replace_reason TEXT,
  forecast_json TEXT NOT NULL,
  PRIMARY KEY (agent_id, device_id)
);
-- "ФН к замене": drives whose own end is within 90 days, read as an index range.
CREATE INDEX fiscal_states_by_replace ON fiscal_states(fn_replace_by) WHERE fn_replace_by IS NOT NULL;

-- The register's forecast: the earliest blocking date over its fiscal devices. The fleet's
-- "sort by blocking date" and "blocked within N days" read this index in order and stop at LIMIT;
-- the periodic deadline sweep reads its near end.
ALTER TABLE agents ADD COLUMN fiscal_blocking_at TEXT;
ALTER TABLE agents ADD COLUMN fiscal_blocking_reason TEXT;
ALTER TABLE agents ADD COLUMN fiscal_blocking_device TEXT;
CREATE INDEX agents_by_fiscal_blocking ON agents(fiscal_blocking_at, store_id, register_id) WHERE fiscal_blocking_at IS NOT NULL;
`;
