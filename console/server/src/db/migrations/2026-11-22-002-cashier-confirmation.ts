// The cashier's "Работает? Да / Нет" answer closes or reopens a resolved ticket (docs/api.md).
export const sql = `
-- When the requester confirmed the fix; kept apart from resolved_at, which is the engineer's (or
-- the machine's) resolution, so both times stay available for reporting.
ALTER TABLE tickets ADD COLUMN closed_at TEXT;

-- The latest answer per cashier report. One agent's messages arrive in outbox order and are
-- applied in order, so the last one applied is the cashier's latest; the agent's clock
-- (answered_at) is stored but never used to order answers, as it may have been set back.
CREATE TABLE cashier_answers (
  report_msg_id TEXT NOT NULL,
  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  working INTEGER NOT NULL,
  answered_at TEXT NOT NULL,
  msg_id TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (agent_id, report_msg_id)
);
`;
