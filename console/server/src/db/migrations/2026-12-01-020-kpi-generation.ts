// The KPI report reads a copy of kpi_facts held in memory (kpi/kpi-columns.ts). kpi_state's
// generation moves on with every transaction that writes kpi_facts (kpi/kpi-facts.ts), so the copy
// can tell whether it still equals the table: a copy at another generation is loaded again.
// A ticket deleted (nothing deletes tickets today; a retention of tickets would) takes its fact
// with it by the foreign key: it is marked dirty too, so the copy learns it on the next refresh.
export const sql = `
CREATE TABLE kpi_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  generation INTEGER NOT NULL
);
INSERT INTO kpi_state (id, generation) VALUES (1, 0);
CREATE TRIGGER kpi_dirty_on_ticket_delete AFTER DELETE ON tickets
BEGIN
  INSERT OR IGNORE INTO kpi_dirty (ticket_id) VALUES (OLD.id);
END;
`;
