import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangeSet } from '../tickets/change-set';
import { openTicketTestDb, type TicketTestDb } from '../test-support/ticket-db';
import { watchSlaClocks } from './sla-watch';

// The SLA watch on a real database: one 'sla_warning' when a clock turns amber, one 'sla_breached'
// when it runs out, per clock, never for a paused or met clock, and never twice.

let t: TicketTestDb;
beforeEach(async () => {
  t = await openTicketTestDb(1);
});
afterEach(() => t.dispose());

const MIN = 60_000;
const start = Date.parse('2026-11-22T10:00:00.000Z');
const at = (minutes: number) => new Date(start + minutes * MIN).toISOString();

/** A ticket opened at `start`: reaction due in 40 min, resolution in 400 min. */
async function ticket(device: string, extra: Record<string, string | null> = {}): Promise<number> {
  return t.db.write(async (sql) => {
    const result = await sql.run(
      `INSERT INTO tickets (agent_id, device_id, code, status, severity, priority, group_name, opened_at, updated_at, react_by, resolve_by)
       VALUES (?, ?, 'printer.paper_end', 'open', 'major', 2, 'printers', ?, ?, ?, ?)`,
      t.agentIds[0], device, at(0), at(0), at(40), at(400),
    );
    for (const [column, value] of Object.entries(extra)) await sql.run(`UPDATE tickets SET ${column} = ? WHERE id = ?`, value, result.lastID);
    return result.lastID!;
  });
}

async function watchAt(minutes: number) {
  const changes = new ChangeSet();
  const alerts = await t.db.write((sql) => watchSlaClocks(sql, start + minutes * MIN, changes));
  return { alerts: alerts.map((a) => `${a.ticketId}:${a.clock}:${a.kind}`), changed: [...changes.tickets] };
}

const events = async (id: number) =>
  (await t.db.sql.all<{ kind: string; text: string }[]>("SELECT kind, text FROM ticket_events WHERE ticket_id = ? AND kind LIKE 'sla_%' ORDER BY id", id));

describe('SLA watch', () => {
  it('warns at the amber point and reports the breach, once per clock', async () => {
    const id = await ticket('p1');
    expect((await watchAt(29)).alerts).toEqual([]); // 11 of 40 minutes left: more than a quarter
    expect(await watchAt(30)).toEqual({ alerts: [`${id}:react:sla_warning`], changed: [id] });
    expect((await watchAt(35)).alerts).toEqual([]); // red now, but warned already
    expect((await watchAt(41)).alerts).toEqual([`${id}:react:sla_breached`]);
    expect((await watchAt(45)).alerts).toEqual([]);
    expect((await watchAt(300)).alerts).toEqual([`${id}:resolve:sla_warning`]);
    expect((await watchAt(401)).alerts).toEqual([`${id}:resolve:sla_breached`]);
    expect((await watchAt(500)).alerts).toEqual([]);
    expect(await events(id)).toEqual([
      { kind: 'sla_warning', text: `reaction due at ${at(40)}` },
      { kind: 'sla_breached', text: `reaction overdue since ${at(40)}` },
      { kind: 'sla_warning', text: `resolution due at ${at(400)}` },
      { kind: 'sla_breached', text: `resolution overdue since ${at(400)}` },
    ]);
  });

  it('a sweep that comes late writes the breach alone', async () => {
    const id = await ticket('p1');
    expect((await watchAt(600)).alerts).toEqual([`${id}:react:sla_breached`, `${id}:resolve:sla_breached`]);
    expect((await watchAt(601)).alerts).toEqual([]);
  });

  it('leaves a waiting ticket, a met reaction and a resolved ticket alone', async () => {
    const waiting = await ticket('p1', { waiting_on: 'store', paused_at: at(5) });
    const reacted = await ticket('p2', { reacted_at: at(10), status: 'in_progress' });
    const resolved = await ticket('p3', { status: 'resolved', resolved_at: at(20) });
    expect((await watchAt(100)).alerts).toEqual([]);
    expect((await watchAt(401)).alerts).toEqual([`${reacted}:resolve:sla_breached`]);
    expect(await events(waiting)).toEqual([]);
    expect(await events(resolved)).toEqual([]);
  });
});
