// The cashier loop (issue 12). Both indexes are partial over the few tickets a cashier reported:
// - tickets_awaiting_cashier: a resolved ticket closes by itself when nobody answers "is it
//   working?" in time (cashier/auto-close.ts, every minute); the sweep reads exactly these rows by
//   resolution time and never scans the ticket table.
// - tickets_cashier_by_register: a register that reconnects hears where its cashier's tickets stand
//   now (cashier/catch-up.ts), one index range per register even in a fleet-wide reconnect.
// The setting itself is a console_settings document (key 'cashier').
export const sql = `
CREATE INDEX tickets_awaiting_cashier ON tickets(resolved_at) WHERE status = 'resolved' AND has_cashier_report = 1;
CREATE INDEX tickets_cashier_by_register ON tickets(agent_id, status) WHERE has_cashier_report = 1;
`;
