// Host facts and reference images (issue 10). Each register's latest host section per probe, as its
// agent last reported it (replaced, not kept as history: device_reports keeps the reports); the
// reference images (эталоны) admins define; and each register's latest comparison with its
// reference, so the console answers "which registers differ" without recomputing the fleet.
export const sql = `
CREATE TABLE host_sections (
  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  section TEXT NOT NULL CHECK (section IN ('os', 'clock', 'print', 'peripherals', 'pos', 'events')),
  driver TEXT NOT NULL,
  reported_at TEXT NOT NULL,
  facts_json TEXT NOT NULL,
  PRIMARY KEY (agent_id, section)
);

CREATE TABLE host_references (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  scope_json TEXT NOT NULL,
  spec_json TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- differences_json NULL: the reference applies but the register has not reported host facts yet.
-- reference_id NULL: its reference was just deleted; the console compares the register again (with
-- another reference, or none) right after, and the differences kept till then say whether a drift
-- ticket has to recover.
CREATE TABLE register_drift (
  agent_id TEXT PRIMARY KEY REFERENCES agents(id) ON DELETE CASCADE,
  reference_id INTEGER REFERENCES host_references(id) ON DELETE SET NULL,
  compared_at TEXT,
  differences_json TEXT,
  unchecked_json TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX register_drift_by_reference ON register_drift(reference_id);
`;
