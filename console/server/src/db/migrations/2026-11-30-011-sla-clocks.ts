import { SLA_BY_SEVERITY, Severity } from '@tillscope/shared';

// SLA clocks in business time (issue 11, console/server/src/sla/):
// - sla_resolve_by: the resolution due date the SLA target gives (the store's business time, pushed
//   by pauses) before a fiscal blocking date caps resolve_by. NULL = resolve_by was never capped,
//   so it is the SLA's. Open tickets get today's rule back-filled (opened_at + the severity's
//   minutes), so a fiscal cap set before this migration can still be lifted by a new FN.
// - sla_alerts: which SLA watch events the ticket has had, once per clock (bits: 1 reaction
//   warning, 2 reaction breached, 4 resolution warning, 8 resolution breached).

const minutesCase = `CASE severity ${Severity.options.map((s) => `WHEN '${s}' THEN ${SLA_BY_SEVERITY[s].resolveMinutes}`).join(' ')} END`;

export const sql = `
ALTER TABLE tickets ADD COLUMN sla_resolve_by TEXT;
ALTER TABLE tickets ADD COLUMN sla_alerts INTEGER NOT NULL DEFAULT 0;
UPDATE tickets SET sla_resolve_by = strftime('%Y-%m-%dT%H:%M:%fZ', opened_at, '+' || (${minutesCase}) || ' minutes')
  WHERE status IN ('open', 'in_progress');
`;
