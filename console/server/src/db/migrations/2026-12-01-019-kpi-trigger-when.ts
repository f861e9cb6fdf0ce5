// The KPI dirty mark on a ticket row fires only when a column a fact reads really changed. The
// standing-finding repeat path (tickets/standing-findings.ts) writes device_model = COALESCE(…,
// device_model) on every repeat, so without WHEN each repeat of each register marked its ticket
// for a KPI recount: per-row work on the hottest write path for figures that did not move.
export const sql = `
DROP TRIGGER kpi_dirty_on_ticket;
CREATE TRIGGER kpi_dirty_on_ticket AFTER UPDATE OF group_name, assignee, react_by, resolve_by, sla_resolve_by, device_model, priority, parent_id, store_id, found_at, opened_at ON tickets
WHEN NEW.group_name IS NOT OLD.group_name OR NEW.assignee IS NOT OLD.assignee OR NEW.react_by IS NOT OLD.react_by OR NEW.resolve_by IS NOT OLD.resolve_by OR NEW.sla_resolve_by IS NOT OLD.sla_resolve_by OR NEW.device_model IS NOT OLD.device_model OR NEW.priority IS NOT OLD.priority OR NEW.parent_id IS NOT OLD.parent_id OR NEW.store_id IS NOT OLD.store_id OR NEW.found_at IS NOT OLD.found_at OR NEW.opened_at IS NOT OLD.opened_at
BEGIN
  INSERT OR IGNORE INTO kpi_dirty (ticket_id) VALUES (NEW.id);
END;
`;
