import { SLA_AMBER_SHARE, slaClock, type SlaClockState } from '@tillscope/shared';
import { z } from 'zod';
import type { ConsoleDatabase, SqlConnection } from '../db/console-database';
import { OPEN_STATUSES, parseRows } from '../db/rows';
import { ChangeSet, type ChangeBus } from '../tickets/change-set';
import { addEvent } from '../tickets/ticket-store';

// The SLA watch: a periodic sweep that writes 'sla_warning' when a running clock turns amber and
// 'sla_breached' when it runs out, once per clock (tickets.sla_alerts, migration 011). The colour
// is the shared slaClock(), the same the renderer draws. A paused clock (the ticket waits) is left
// alone; a met one (reacted; resolved) is no longer watched.

export type ClockName = 'react' | 'resolve';

/** sla_alerts bits: which event each clock has had. */
export const ALERT_BITS: Record<ClockName, { warned: number; breached: number }> = {
  react: { warned: 1, breached: 2 },
  resolve: { warned: 4, breached: 8 },
};

const WatchRow = z.object({
  id: z.number().int(),
  agent_id: z.string(),
  opened_at: z.string(),
  react_by: z.string(),
  resolve_by: z.string(),
  reacted_at: z.string().nullable(),
  sla_alerts: z.number().int(),
});
type WatchRow = z.infer<typeof WatchRow>;

/**
 * Running tickets with a clock that may need an event: not waiting, and (for each clock still
 * running and not yet told) past the amber point (start + (1 − amber share) × span) in julianday
 * terms, give or take a second of floating point; slaClock() decides, this only narrows the rows read.
 */
const AMBER_AT = (due: string) => `julianday(opened_at) + ${1 - SLA_AMBER_SHARE} * (julianday(${due}) - julianday(opened_at))`;
const CANDIDATES = `SELECT id, agent_id, opened_at, react_by, resolve_by, reacted_at, sla_alerts FROM tickets
  WHERE status IN ${OPEN_STATUSES} AND waiting_on IS NULL AND sla_alerts != 15 AND (
    (reacted_at IS NULL AND (sla_alerts & 3) != 3 AND ${AMBER_AT('react_by')} <= julianday(?1) + 1.0 / 86400)
    OR ((sla_alerts & 12) != 12 AND ${AMBER_AT('resolve_by')} <= julianday(?1) + 1.0 / 86400))`;

export interface SlaAlert {
  ticketId: number;
  clock: ClockName;
  kind: 'sla_warning' | 'sla_breached';
}

/** The events one ticket is owed now, and its new sla_alerts bits. A breach also settles the warning. */
export function alertsOf(row: WatchRow, nowMs: number): { alerts: SlaAlert[]; bits: number } {
  let bits = row.sla_alerts;
  const alerts: SlaAlert[] = [];
  const clocks: [ClockName, string, string | null][] = [['react', row.react_by, row.reacted_at], ['resolve', row.resolve_by, null]];
  for (const [clock, dueAt, doneAt] of clocks) {
    if (doneAt !== null) continue;
    const state: SlaClockState = slaClock({ startAt: row.opened_at, dueAt, doneAt, pausedAt: null }, nowMs).state;
    const { warned, breached } = ALERT_BITS[clock];
    if (state === 'overdue' && !(bits & breached)) {
      alerts.push({ ticketId: row.id, clock, kind: 'sla_breached' });
      bits |= warned | breached;
    } else if ((state === 'amber' || state === 'red') && !(bits & warned)) {
      alerts.push({ ticketId: row.id, clock, kind: 'sla_warning' });
      bits |= warned;
    }
  }
  return { alerts, bits };
}

/** The timeline text: machine words, like a finding's detail. */
function alertText(alert: SlaAlert, row: WatchRow): string {
  const due = alert.clock === 'react' ? row.react_by : row.resolve_by;
  const clock = alert.clock === 'react' ? 'reaction' : 'resolution';
  return alert.kind === 'sla_breached' ? `${clock} overdue since ${due}` : `${clock} due at ${due}`;
}

/** Writes the events owed now; returns them. Runs inside the caller's write transaction. */
export async function watchSlaClocks(sql: SqlConnection, nowMs: number, changes: ChangeSet): Promise<SlaAlert[]> {
  const nowIso = new Date(nowMs).toISOString();
  const written: SlaAlert[] = [];
  for (const row of parseRows(WatchRow, await sql.all(CANDIDATES, nowIso))) {
    const { alerts, bits } = alertsOf(row, nowMs);
    if (alerts.length === 0) continue;
    for (const alert of alerts) await addEvent(sql, row.id, nowIso, alert.kind, null, alertText(alert, row));
    await sql.run('UPDATE tickets SET sla_alerts = ? WHERE id = ?', bits, row.id);
    changes.ticketChanged(row.id, row.agent_id);
    written.push(...alerts);
  }
  return written;
}

export interface SlaWatchDeps {
  db: ConsoleDatabase;
  bus: ChangeBus;
  now: () => Date;
}

/** One pass of the SLA watch in its own transaction, then the feed hears of the tickets it touched. */
export async function sweepSlaClocks({ db, bus, now }: SlaWatchDeps): Promise<SlaAlert[]> {
  const changes = new ChangeSet();
  const alerts = await db.write((sql) => watchSlaClocks(sql, now().getTime(), changes));
  bus.publish(changes);
  return alerts;
}
