import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTicketTestDb, paperEndFinding, type TicketTestDb } from '../../test-support/ticket-db';
import { ChangeSet } from '../change-set';
import { findOpen, findTicket } from '../ticket-store';
import type { TicketFinding } from './finding';
import { OpenUpdateStage, REOPEN_WINDOW_MS } from './open-update';

let t: TicketTestDb;
let stage: OpenUpdateStage;
beforeEach(async () => {
  t = await openTicketTestDb();
  stage = new OpenUpdateStage(t.clock.now);
});
afterEach(() => t.dispose());

async function open(finding: TicketFinding): Promise<number> {
  const openedAt = t.clock.now();
  const due = { priority: 2 as const, reactBy: new Date(openedAt.getTime() + 30 * 60_000).toISOString(), resolveBy: new Date(openedAt.getTime() + 8 * 3_600_000).toISOString() };
  return t.db.write((sql) => stage.open(sql, finding, { ...due, group: 'printers', severity: 'major', openedAt, parentId: null, flapping: false }));
}

const events = async (id: number) => (await t.db.sql.all<{ kind: string }[]>('SELECT kind FROM ticket_events WHERE ticket_id = ? ORDER BY id', id)).map((e) => e.kind);

describe('open-or-update stage', () => {
  it('opens with the planned group and due dates and an opened entry', async () => {
    const id = await open(paperEndFinding(t.agentIds[0]!));
    expect(await findTicket(t.db.sql, id)).toMatchObject({ status: 'open', group_name: 'printers', react_by: '2026-11-22T10:30:00.000Z', active: true, occurrences: 1 });
    expect(await events(id)).toEqual(['opened']);
  });

  it('reopens an auto-resolved ticket within the window, and not a minute after it', async () => {
    const agentId = t.agentIds[0]!;
    const id = await open(paperEndFinding(agentId));
    await t.db.write(async (sql) => stage.recover(sql, (await findTicket(sql, id))!));
    t.clock.advanceSeconds(REOPEN_WINDOW_MS / 1000);
    expect(await t.db.write((sql) => stage.reopenRecent(sql, paperEndFinding(agentId, 'again')))).toBe(id);
    expect(await findTicket(t.db.sql, id)).toMatchObject({ status: 'open', detail: 'again', occurrences: 2 });
    await t.db.write(async (sql) => stage.recover(sql, (await findTicket(sql, id))!));
    t.clock.advanceSeconds(REOPEN_WINDOW_MS / 1000 + 60);
    expect(await t.db.write((sql) => stage.reopenRecent(sql, paperEndFinding(agentId)))).toBeNull();
  });

  it('recovers an untouched ticket by resolving it, a touched one only by turning it inactive', async () => {
    const agentId = t.agentIds[0]!;
    const id = await open(paperEndFinding(agentId));
    await t.db.sql.run('UPDATE tickets SET touched = 1 WHERE id = ?', id);
    expect(await t.db.write(async (sql) => stage.recover(sql, (await findTicket(sql, id))!))).toBe(false);
    expect(await findTicket(t.db.sql, id)).toMatchObject({ status: 'open', active: false });
    await t.db.sql.run('UPDATE tickets SET touched = 0, active = 1 WHERE id = ?', id);
    expect(await t.db.write(async (sql) => stage.recover(sql, (await findTicket(sql, id))!))).toBe(true);
    expect(await findTicket(t.db.sql, id)).toMatchObject({ status: 'resolved', auto_resolved: true });
    expect(await events(id)).toEqual(['opened', 'recovered', 'recovered', 'auto_resolved']);
  });

  it('updates a derived finding only when it changed, and counts a device repeat without announcing it', async () => {
    const agentId = t.agentIds[0]!;
    const derived: TicketFinding = { ...paperEndFinding(agentId), source: { kind: 'derived', changed: false } };
    const id = await open(derived);
    const changes = new ChangeSet();
    const row = async () => (await findOpen(t.db.sql, agentId, 'printer-1', 'printer.paper_end'))!;
    expect(await t.db.write(async (sql) => stage.update(sql, derived, await row(), changes))).toBe(false);
    expect(await t.db.write(async (sql) => stage.update(sql, { ...derived, source: { kind: 'derived', changed: true } }, await row(), changes))).toBe(true);
    expect(await t.db.write(async (sql) => stage.update(sql, paperEndFinding(agentId), await row(), changes))).toBe(false);
    expect(changes.isEmpty).toBe(true); // a repeat with the same detail is not published
    expect(await findTicket(t.db.sql, id)).toMatchObject({ occurrences: 3 });
    expect(await events(id)).toEqual(['opened', 'drift_changed']);
  });
});
