// The `overdue=1` ticket-list filter as SQL: a running SLA clock past its due time, the state the
// shared slaClock() calls 'overdue' for a clock that is neither paused (the ticket waits on the
// store or a vendor) nor met (the reaction clock stops at the first reaction; resolved tickets
// have no running clock). Instants are ISO 8601 UTC text of one length, so text order is time order.

/** SQL over `tickets t`; binds `nowIso` twice (overdueParams). */
export const OVERDUE_SQL = `(t.status IN ('open', 'in_progress') AND t.waiting_on IS NULL
  AND ((t.reacted_at IS NULL AND t.react_by < ?) OR t.resolve_by < ?))`;

export function overdueParams(nowIso: string): [string, string] {
  return [nowIso, nowIso];
}
