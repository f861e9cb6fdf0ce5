// Support KPIs (issue 12, console/server/src/kpi/): one derived row per ticket, computed from the
// ticket's timeline (ticket_events, ticket_moves) and its row, refreshed incrementally (the tickets
// kpi_dirty names) and rebuildable from scratch (a property test holds the two equal). Nothing
// writes kpi_facts but kpi/kpi-facts.ts; the figures are always re-derivable, so they cannot drift.
export const sql = `
-- When the console first saw the fault this ticket is about (a held finding's first sighting);
-- NULL for tickets opened before this column or on an event (silence, a cashier's report).
ALTER TABLE tickets ADD COLUMN found_at TEXT;

CREATE TABLE kpi_facts (
  ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
  store_id TEXT NOT NULL,
  model TEXT NOT NULL,
  group_id TEXT NOT NULL,
  -- the resolving engineer, else the last assignee; '' for none (the machine's tickets)
  engineer TEXT NOT NULL,
  code TEXT NOT NULL,
  priority INTEGER NOT NULL,
  -- a store incident's symptom: counted once, on its incident
  symptom INTEGER NOT NULL,
  -- days in the store's own time zone (YYYY-MM-DD)
  opened_day TEXT NOT NULL,
  resolved_day TEXT,
  react_sec REAL,
  react_met INTEGER,
  resolve_sec REAL,
  resolve_met INTEGER,
  resolved_by TEXT CHECK (resolved_by IN ('engineer', 'machine')),
  fcr INTEGER,
  reassignments INTEGER NOT NULL,
  escalations INTEGER NOT NULL,
  reopens INTEGER NOT NULL,
  overdue INTEGER NOT NULL,
  fault_to_ticket_sec REAL
);
CREATE INDEX kpi_facts_by_opened ON kpi_facts(opened_day);
CREATE INDEX kpi_facts_by_resolved ON kpi_facts(resolved_day) WHERE resolved_day IS NOT NULL;

-- Tickets whose fact must be computed again. The database itself marks them, so no code path can
-- forget to: a new timeline row (event or move), a change of a row column a fact reads (group,
-- assignee, due dates, model, priority, parent; the hot ingest updates of counters and times do not
-- name these columns, so they do not fire), or a change of the store's time zone (its days).
-- Every ticket that exists now is marked: the first refresh builds them all.
CREATE TABLE kpi_dirty (ticket_id INTEGER PRIMARY KEY);
INSERT INTO kpi_dirty (ticket_id) SELECT id FROM tickets;
CREATE TRIGGER kpi_dirty_on_event AFTER INSERT ON ticket_events
BEGIN
  INSERT OR IGNORE INTO kpi_dirty (ticket_id) VALUES (NEW.ticket_id);
END;
CREATE TRIGGER kpi_dirty_on_move AFTER INSERT ON ticket_moves
BEGIN
  INSERT OR IGNORE INTO kpi_dirty (ticket_id) VALUES (NEW.ticket_id);
END;
CREATE TRIGGER kpi_dirty_on_ticket AFTER UPDATE OF group_name, assignee, react_by, resolve_by, sla_resolve_by, device_model, priority, parent_id, store_id, found_at, opened_at ON tickets
BEGIN
  INSERT OR IGNORE INTO kpi_dirty (ticket_id) VALUES (NEW.id);
END;
CREATE TRIGGER kpi_dirty_on_zone AFTER UPDATE OF time_zone ON stores WHEN NEW.time_zone IS NOT OLD.time_zone
BEGIN
  INSERT OR IGNORE INTO kpi_dirty (ticket_id) SELECT id FROM tickets WHERE store_id = NEW.id;
END;
`;
