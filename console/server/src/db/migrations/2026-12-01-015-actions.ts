// Remote actions as a queue with an audit trail (issue 12). `commands` keeps one row per action for
// its whole life: the row an engineer's request creates is the row every (re-)send, start and result
// updates, so an action is never duplicated. `state` follows shared ActionState; `completed_at` is
// set for every final state (so "still waiting" reads of discovery and bundles stay right).
export const sql = `
ALTER TABLE commands ADD COLUMN state TEXT NOT NULL DEFAULT 'sent';
ALTER TABLE commands ADD COLUMN expires_at TEXT;
ALTER TABLE commands ADD COLUMN sent_at TEXT;
ALTER TABLE commands ADD COLUMN send_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE commands ADD COLUMN started_at TEXT;
ALTER TABLE commands ADD COLUMN cancelled_by TEXT;

-- Rows from before: every one of them was sent at once. Unanswered ones expire at once (never re-sent).
UPDATE commands SET
  state = CASE WHEN completed_at IS NULL THEN 'sent' WHEN result_code = 'ok' THEN 'done' ELSE 'failed' END,
  sent_at = requested_at,
  send_count = 1,
  expires_at = requested_at;

-- What the register gets on its hello, and what the expiry sweep reads: only live rows.
CREATE INDEX commands_live ON commands(agent_id, requested_at) WHERE state IN ('queued', 'sent', 'running');
CREATE INDEX commands_expiring ON commands(expires_at) WHERE state IN ('queued', 'sent');
-- The audit log: newest first, optionally per engineer or per ticket.
CREATE INDEX commands_by_time ON commands(requested_at DESC, id DESC);
CREATE INDEX commands_by_engineer ON commands(requested_by, requested_at DESC);
CREATE INDEX commands_by_ticket ON commands(ticket_id, requested_at DESC) WHERE ticket_id IS NOT NULL;

-- Verbs an admin turned off per store: a row = that verb is off in that store.
CREATE TABLE store_action_blocks (
  store_id TEXT NOT NULL,
  verb TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (store_id, verb)
) WITHOUT ROWID;
`;
