// Notifications (issue 12): channels, rules, and the deliveries a sweep sends and retries. Ticket
// processing never talks to a channel: the notify scan reads the timeline after COMMIT (from its
// cursor) and queues deliveries; the delivery sweep sends them, outside any write transaction.
export const sql = `
CREATE TABLE notify_channels (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('telegram', 'email', 'webhook')),
  name TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  per_minute INTEGER NOT NULL DEFAULT 20,
  -- the kind's settings without the secret (TelegramConfig, EmailConfig, WebhookConfig)
  config_json TEXT NOT NULL,
  -- bot token, SMTP password or webhook signing secret: read by the senders, never sent back in full
  secret TEXT NOT NULL DEFAULT '',
  updated_by TEXT,
  updated_at TEXT NOT NULL
);

CREATE TABLE notify_rules (
  id INTEGER PRIMARY KEY,
  channel_id INTEGER NOT NULL REFERENCES notify_channels(id) ON DELETE CASCADE,
  -- NULL: every group
  group_name TEXT,
  triggers_json TEXT NOT NULL,
  quiet_json TEXT,
  enabled INTEGER NOT NULL DEFAULT 1,
  updated_by TEXT,
  updated_at TEXT NOT NULL
);
CREATE INDEX notify_rules_by_channel ON notify_rules(channel_id);

-- One row per message per channel: UNIQUE (channel_id, event_id) makes the scan idempotent and two
-- rules of one channel matching the same event one message.
CREATE TABLE notify_deliveries (
  id INTEGER PRIMARY KEY,
  channel_id INTEGER NOT NULL REFERENCES notify_channels(id) ON DELETE CASCADE,
  rule_id INTEGER REFERENCES notify_rules(id) ON DELETE SET NULL,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  event_id INTEGER NOT NULL,
  trigger TEXT NOT NULL,
  event_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  quiet INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  next_at TEXT NOT NULL,
  sent_at TEXT,
  last_error TEXT,
  UNIQUE (channel_id, event_id)
);
CREATE INDEX notify_deliveries_due ON notify_deliveries(status, next_at);
CREATE INDEX notify_deliveries_sent ON notify_deliveries(channel_id, sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX notify_deliveries_by_id_desc ON notify_deliveries(channel_id, id);

-- How far the notify scan has read the timeline (ticket_events.id). It starts at today's end:
-- the history before notifications existed raises nothing.
CREATE TABLE notify_cursor (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_event_id INTEGER NOT NULL
);
INSERT INTO notify_cursor (id, last_event_id) VALUES (1, (SELECT IFNULL(MAX(id), 0) FROM ticket_events));
`;
