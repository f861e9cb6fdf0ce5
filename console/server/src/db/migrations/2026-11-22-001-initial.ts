// Append-only: never edit a migration that has shipped; add a new dated file instead.
// Timestamps are ISO-8601 UTC strings from the injected clock, so they sort as text.
export const sql = `
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('engineer', 'admin')),
  groups_json TEXT NOT NULL DEFAULT '[]',
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions(expires_at);

CREATE TABLE enrollment_tokens (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  note TEXT NOT NULL DEFAULT '',
  max_uses INTEGER NOT NULL,
  uses INTEGER NOT NULL DEFAULT 0,
  expires_at TEXT NOT NULL,
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE agents (
  id TEXT PRIMARY KEY,
  store_id TEXT NOT NULL,
  register_id TEXT NOT NULL,
  hostname TEXT NOT NULL DEFAULT '',
  agent_version TEXT NOT NULL DEFAULT '',
  os_platform TEXT NOT NULL DEFAULT '',
  os_release TEXT NOT NULL DEFAULT '',
  credential_hash TEXT NOT NULL,
  connected INTEGER NOT NULL DEFAULT 0,
  last_seen_at TEXT,
  disconnected_at TEXT,
  enrolled_at TEXT NOT NULL,
  UNIQUE (store_id, register_id)
);
CREATE INDEX agents_offline_sweep ON agents(connected, disconnected_at);

CREATE TABLE devices (
  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  device_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  driver TEXT NOT NULL,
  transport TEXT NOT NULL,
  target TEXT NOT NULL,
  model TEXT,
  health TEXT NOT NULL DEFAULT 'unknown',
  codes_json TEXT NOT NULL DEFAULT '[]',
  probed_at TEXT,
  PRIMARY KEY (agent_id, device_id)
);

-- Every device report received, for history and hand-off packs; the devices row holds the latest.
CREATE TABLE device_reports (
  id INTEGER PRIMARY KEY,
  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  device_id TEXT NOT NULL,
  msg_id TEXT NOT NULL,
  received_at TEXT NOT NULL,
  probed_at TEXT NOT NULL,
  health TEXT NOT NULL,
  report_json TEXT NOT NULL
);
CREATE INDEX device_reports_by_device ON device_reports(agent_id, device_id, id);

-- Idempotency: a message id is processed once per agent; its effect commits in the same transaction.
CREATE TABLE processed_messages (
  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  msg_id TEXT NOT NULL,
  type TEXT NOT NULL,
  ticket_id INTEGER,
  processed_at TEXT NOT NULL,
  PRIMARY KEY (agent_id, msg_id)
);

CREATE TABLE tickets (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  device_id TEXT,
  code TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'resolved', 'closed')),
  severity TEXT NOT NULL,
  priority INTEGER NOT NULL,
  group_name TEXT NOT NULL,
  opened_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  resolved_at TEXT,
  react_by TEXT NOT NULL,
  resolve_by TEXT NOT NULL,
  assignee TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  -- an engineer took, noted or resolved it: the machine no longer resolves it on its own
  touched INTEGER NOT NULL DEFAULT 0,
  auto_resolved INTEGER NOT NULL DEFAULT 0,
  has_cashier_report INTEGER NOT NULL DEFAULT 0,
  occurrences INTEGER NOT NULL DEFAULT 1,
  detail TEXT NOT NULL DEFAULT '',
  checklist_json TEXT NOT NULL DEFAULT '[]',
  evidence_json TEXT,
  device_kind TEXT,
  device_driver TEXT,
  device_model TEXT
);
-- The ticket engine's central rule, enforced by the database too: one open ticket per register, device and code.
CREATE UNIQUE INDEX tickets_one_open_per_finding ON tickets(agent_id, IFNULL(device_id, ''), code)
  WHERE status IN ('open', 'in_progress');
CREATE INDEX tickets_queue ON tickets(status, priority, opened_at);
CREATE INDEX tickets_by_group ON tickets(group_name, status, priority, opened_at);
CREATE INDEX tickets_by_assignee ON tickets(assignee, status);
CREATE INDEX tickets_by_register ON tickets(agent_id, opened_at);
CREATE INDEX tickets_recent_finding ON tickets(agent_id, device_id, code, resolved_at);

CREATE TABLE ticket_events (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  actor TEXT,
  text TEXT NOT NULL
);
CREATE INDEX ticket_events_by_ticket ON ticket_events(ticket_id, id);

CREATE TABLE cashier_notes (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  report_msg_id TEXT NOT NULL,
  at TEXT NOT NULL,
  symptom TEXT NOT NULL,
  note TEXT NOT NULL,
  locale TEXT NOT NULL
);
CREATE INDEX cashier_notes_by_ticket ON cashier_notes(ticket_id, id);

CREATE TABLE commands (
  id TEXT PRIMARY KEY,
  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  verb TEXT NOT NULL,
  device_id TEXT,
  requested_by TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  completed_at TEXT,
  result_code TEXT
);
CREATE INDEX commands_by_agent ON commands(agent_id, requested_at);
`;
