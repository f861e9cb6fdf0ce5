// Diagnostics bundles (issue 10): what a register uploaded on an engineer's collect_bundle, kept as
// received (gzipped JSON) with its summary; the ticket it was asked from. A failed command's
// message is kept with its code so the ticket can say why no bundle came.
export const sql = `
CREATE TABLE bundles (
  id TEXT PRIMARY KEY,
  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  command_id TEXT NOT NULL UNIQUE,
  ticket_id INTEGER,
  requested_by TEXT,
  created_at TEXT NOT NULL,
  received_at TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  redactions_json TEXT NOT NULL,
  truncated_json TEXT NOT NULL,
  content BLOB NOT NULL
);
CREATE INDEX bundles_by_ticket ON bundles(ticket_id, received_at);
ALTER TABLE commands ADD COLUMN result_message TEXT;
`;
