// Discovery (issue 9): each register's latest discovery result, as its agent answered the
// "discover" command (ports, classes, steps, proposed config entries). Replaced by the next one;
// a request still waiting is the newest unanswered 'discover' row of `commands`.
export const sql = `
CREATE TABLE register_discoveries (
  agent_id TEXT PRIMARY KEY REFERENCES agents(id) ON DELETE CASCADE,
  command_id TEXT NOT NULL,
  requested_by TEXT,
  received_at TEXT NOT NULL,
  result_json TEXT NOT NULL
);
`;
