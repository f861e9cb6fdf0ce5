// Store correlation and maintenance windows (issue 11, noise control).
export const sql = `
-- The silent registers of a store, by when they went silent: store correlation counts a store's
-- registers that went silent together (and those silent since before) with a range read of this
-- partial index, never a scan of the fleet's agents. Only connect and disconnect move a row in or out.
CREATE INDEX agents_silent_by_store ON agents(store_id, disconnected_at) WHERE connected = 0;

-- What a maintenance window held back: one row per condition (register, device or '' for the
-- register as a whole, code), so maintenance_windows.suppressed counts conditions, not the
-- reports or offline sweeps that saw the same condition again.
CREATE TABLE maintenance_suppressions (
  window_id INTEGER NOT NULL REFERENCES maintenance_windows(id) ON DELETE CASCADE,
  agent_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  code TEXT NOT NULL,
  first_at TEXT NOT NULL,
  PRIMARY KEY (window_id, agent_id, device_id, code)
) WITHOUT ROWID;
`;
