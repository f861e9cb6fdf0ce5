import { CATALOGUE, DEFAULT_GROUP_LINES, DEFAULT_SLA_MINUTES, DiagnosisCode, ROUTING_GROUP_TITLES, RoutingGroup, ServiceCategory, serviceCategoryOf } from '@tillscope/shared';

// The second line's working day (issue 11): groups and the routing table, SLA targets per service
// category and priority, store calendars (time zone, hours, holidays), noise control (hold,
// flapping, reopen, store correlation, maintenance windows), moves and vendor escalations.
// Status keeps its CHECK: "waiting on the store or a vendor" is `waiting_on`, not a status, so the
// tickets table needs no rebuild. Seeds are the defaults a new console starts with; admins edit them.

const text = (value: string) => `'${value.replaceAll("'", "''")}'`;
const CREATED = "'2026-11-30T00:00:00.000Z'";

const groupRows = RoutingGroup.options
  .map((id) => `(${text(id)}, ${text(ROUTING_GROUP_TITLES[id].ru)}, ${text(ROUTING_GROUP_TITLES[id].en)}, ${text(DEFAULT_GROUP_LINES[id])}, 0, ${CREATED})`)
  .join(',\n  ');

const targetRows = ServiceCategory.options
  .flatMap((category) => ([1, 2, 3, 4] as const).map((priority) => `(${text(category)}, ${priority}, ${DEFAULT_SLA_MINUTES[priority].reactMinutes}, ${DEFAULT_SLA_MINUTES[priority].resolveMinutes})`))
  .join(',\n  ');

// Backfill of the service category of tickets opened before this migration (a fixed map at the time it ran).
const categoryCase = `CASE code ${DiagnosisCode.options.map((code) => `WHEN ${text(code)} THEN ${text(serviceCategoryOf(code))}`).join(' ')} ELSE 'other' END`;
const storeScoped = DiagnosisCode.options.filter((code) => CATALOGUE[code].scope === 'store');

// Every path that opens a ticket (the stages, the bench's seeders, an older code path) gets the
// denormalized store and the service category the same way: the database fills them in.
const fillTrigger = `
CREATE TRIGGER tickets_fill_store AFTER INSERT ON tickets WHEN NEW.store_id IS NULL OR NEW.category = 'other'
BEGIN
  UPDATE tickets SET store_id = COALESCE(NEW.store_id, (SELECT store_id FROM agents WHERE agents.id = NEW.agent_id)),
    category = IIF(NEW.category = 'other', ${categoryCase.replace('CASE code', 'CASE NEW.code')}, NEW.category)
  WHERE id = NEW.id;
END;
`;

export const sql = `
CREATE TABLE support_groups (
  id TEXT PRIMARY KEY,
  title_ru TEXT NOT NULL,
  title_en TEXT NOT NULL,
  line TEXT NOT NULL CHECK (line IN ('first', 'second', 'third', 'vendor')),
  archived INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
INSERT INTO support_groups (id, title_ru, title_en, line, archived, created_at) VALUES
  ${groupRows};

-- A code without a row routes to its catalogue group.
CREATE TABLE routing_rules (
  code TEXT PRIMARY KEY,
  group_id TEXT NOT NULL REFERENCES support_groups(id),
  updated_by TEXT,
  updated_at TEXT NOT NULL
);

CREATE TABLE sla_targets (
  category TEXT NOT NULL,
  priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 4),
  react_minutes INTEGER NOT NULL CHECK (react_minutes > 0),
  resolve_minutes INTEGER NOT NULL CHECK (resolve_minutes > 0),
  updated_by TEXT,
  updated_at TEXT,
  PRIMARY KEY (category, priority)
);
INSERT INTO sla_targets (category, priority, react_minutes, resolve_minutes) VALUES
  ${targetRows};

-- One row per store (created when its first register enrolls, or by an admin). hours_json: seven
-- entries, Monday first, each {"open":"HH:MM","close":"HH:MM"} or null (closed).
CREATE TABLE stores (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL DEFAULT '',
  time_zone TEXT NOT NULL DEFAULT 'Europe/Moscow',
  hours_json TEXT NOT NULL DEFAULT '[{"open":"08:00","close":"22:00"},{"open":"08:00","close":"22:00"},{"open":"08:00","close":"22:00"},{"open":"08:00","close":"22:00"},{"open":"08:00","close":"22:00"},{"open":"08:00","close":"22:00"},{"open":"08:00","close":"22:00"}]',
  calendar TEXT NOT NULL DEFAULT 'chain' CHECK (calendar IN ('chain', 'own', 'none')),
  updated_by TEXT,
  updated_at TEXT
);
INSERT INTO stores (id) SELECT DISTINCT store_id FROM agents;

-- calendar_id: 'chain', or 'store:<id>' for a store's own days over the chain's.
CREATE TABLE calendar_days (
  calendar_id TEXT NOT NULL,
  date TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('holiday', 'short', 'working')),
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (calendar_id, date)
);

-- Settings an admin edits as one document (key 'noise': NoiseSettings).
CREATE TABLE console_settings (
  key TEXT PRIMARY KEY,
  value_json TEXT NOT NULL,
  updated_by TEXT,
  updated_at TEXT NOT NULL
);

-- The hold stage's memory: a finding seen without an open ticket, waiting out its hold.
CREATE TABLE pending_findings (
  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  device_id TEXT NOT NULL,
  code TEXT NOT NULL,
  first_seen_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  present INTEGER NOT NULL DEFAULT 1,
  cleared_at TEXT,
  returns INTEGER NOT NULL DEFAULT 0,
  window_started_at TEXT NOT NULL,
  detail TEXT NOT NULL,
  report_json TEXT NOT NULL,
  PRIMARY KEY (agent_id, device_id, code)
);
CREATE INDEX pending_findings_due ON pending_findings(present, first_seen_at);

CREATE TABLE maintenance_windows (
  id INTEGER PRIMARY KEY,
  store_id TEXT NOT NULL,
  agent_id TEXT REFERENCES agents(id) ON DELETE CASCADE,
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  cancelled_at TEXT,
  cancelled_by TEXT,
  suppressed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX maintenance_by_store ON maintenance_windows(store_id, ends_at);
CREATE INDEX maintenance_by_end ON maintenance_windows(ends_at);

CREATE TABLE ticket_moves (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  from_group TEXT,
  to_group TEXT,
  from_assignee TEXT,
  to_assignee TEXT,
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ticket_moves_by_ticket ON ticket_moves(ticket_id, id);
CREATE INDEX ticket_moves_by_time ON ticket_moves(at);

ALTER TABLE tickets ADD COLUMN store_id TEXT;
ALTER TABLE tickets ADD COLUMN category TEXT NOT NULL DEFAULT 'other';
ALTER TABLE tickets ADD COLUMN scope TEXT NOT NULL DEFAULT 'register';
ALTER TABLE tickets ADD COLUMN parent_id INTEGER REFERENCES tickets(id) ON DELETE SET NULL;
ALTER TABLE tickets ADD COLUMN flapping INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN reacted_at TEXT;
ALTER TABLE tickets ADD COLUMN waiting_on TEXT;
ALTER TABLE tickets ADD COLUMN paused_at TEXT;
ALTER TABLE tickets ADD COLUMN reassignments INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN escalations INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN vendor_json TEXT;
ALTER TABLE tickets ADD COLUMN vendor_due_at TEXT;

UPDATE tickets SET store_id = (SELECT store_id FROM agents WHERE agents.id = tickets.agent_id), category = ${categoryCase};
UPDATE tickets SET scope = 'store' WHERE code IN (${storeScoped.map(text).join(', ') || "''"});
UPDATE tickets SET reacted_at = (SELECT MIN(at) FROM ticket_events e WHERE e.ticket_id = tickets.id AND e.actor IS NOT NULL);

CREATE INDEX tickets_by_store ON tickets(store_id, status, code);
CREATE INDEX tickets_by_parent ON tickets(parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX tickets_due ON tickets(status, resolve_by);
${fillTrigger}
`;
