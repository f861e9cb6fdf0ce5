// Routing and the vendor hand-off (issue 11): the pack links the register's latest diagnostics
// bundle, found through this index rather than by reading every bundle (bundles_by_ticket is per ticket).
export const sql = `
CREATE INDEX bundles_by_agent ON bundles(agent_id, received_at);
`;
