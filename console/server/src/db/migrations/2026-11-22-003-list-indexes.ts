// Indexes for the list APIs at fleet scale (200,000 tickets, 25,000 registers); each one is pinned
// by the query-plan test (console/server/src/tickets/list-query-plans.test.ts).
export const sql = `
-- "Mine": an engineer's tickets of one status, read already in queue order (priority, opened_at,
-- id) so that a page stops after its LIMIT instead of sorting every ticket the engineer ever took.
-- It replaces tickets_by_assignee (assignee, status), a prefix of it.
CREATE INDEX tickets_by_assignee_queue ON tickets(assignee, status, priority, opened_at);
DROP INDEX tickets_by_assignee;
`;
