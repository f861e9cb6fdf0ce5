import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FiscalTracker } from '../../fiscal/fiscal-tracker';
import { replaceYear, writeStore, writeTargets } from '../../sla/sla-store';
import { openTicketTestDb, type TicketTestDb } from '../../test-support/ticket-db';
import { ChangeSet } from '../change-set';
import { findTicket } from '../ticket-store';
import { DeadlinesStage } from './deadlines';

// The deadlines stage on a real database: the store's zone, hours and calendar and the targets
// of (category, priority) give a new ticket's due dates; a resume pushes them by the business
// time spent waiting; a fiscal ticket stays capped by its register's blocking date.

let t: TicketTestDb;
let stage: DeadlinesStage;
beforeEach(async () => {
  t = await openTicketTestDb(1, 'store-vl');
  stage = new DeadlinesStage(new FiscalTracker(t.clock.now));
});
afterEach(() => t.dispose());

const ZONE = 'Asia/Vladivostok';
const local = (text: string) => DateTime.fromISO(text, { zone: ZONE }).toJSDate();
const wall = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toFormat("yyyy-MM-dd'T'HH:mm");
/** Monday to Friday 09:00–18:00, closed at the weekend. */
const WEEKDAYS = [...Array.from({ length: 5 }, () => ({ open: '09:00', close: '18:00' })), null, null];

async function vladivostokStore(calendar: 'chain' | 'own' | 'none' = 'chain'): Promise<void> {
  await t.db.write(async (sql) => {
    await writeStore(sql, 'store-vl', { name: '', timeZone: ZONE, hours: WEEKDAYS, calendar }, 'admin', '2026-11-22T00:00:00.000Z');
    await replaceYear(sql, 'chain', 2026, [{ date: '2026-12-31', kind: 'holiday', note: 'перенос' }]);
  });
}

const dueOf = (code: 'printer.paper_end' | 'fiscal.fn_expires_30d', severity: 'major' | 'minor', openedAt: Date) =>
  stage.dueDates(t.db.sql, { agentId: t.agentIds[0]!, code, severity, openedAt });

describe('deadlines stage', () => {
  it('counts the targets of the ticket\'s category and priority in its store\'s business time', async () => {
    await vladivostokStore();
    // A major printer ticket (P2: 30 min, 8 h) opened on Friday at 17:00 Vladivostok time.
    const due = await dueOf('printer.paper_end', 'major', local('2026-12-04T17:00'));
    expect(due.priority).toBe(2);
    expect(wall(due.reactBy)).toBe('2026-12-04T17:30');
    expect(wall(due.resolveBy)).toBe('2026-12-07T16:00');
    // An admin's target for printer P2 applies to the next ticket; fiscal P2 keeps the default.
    await t.db.write((sql) => writeTargets(sql, [{ category: 'printer', priority: 2, reactMinutes: 90, resolveMinutes: 60 }], 'admin', '2026-11-22T00:00:00.000Z'));
    expect(wall((await dueOf('printer.paper_end', 'major', local('2026-12-04T17:00'))).reactBy)).toBe('2026-12-07T09:30');
    expect(wall((await dueOf('fiscal.fn_expires_30d', 'major', local('2026-12-04T17:00'))).reactBy)).toBe('2026-12-04T17:30');
  });

  it('skips the chain\'s holidays unless the store ignores the calendar', async () => {
    await vladivostokStore();
    expect(wall((await dueOf('printer.paper_end', 'major', local('2026-12-30T17:45'))).reactBy)).toBe('2027-01-01T09:15');
    await vladivostokStore('none');
    expect(wall((await dueOf('printer.paper_end', 'major', local('2026-12-30T17:45'))).reactBy)).toBe('2026-12-31T09:15');
  });

  it('tells the cashier the reaction target of the ticket\'s category and priority', async () => {
    await t.db.write((sql) => writeTargets(sql, [{ category: 'printer', priority: 3, reactMinutes: 45, resolveMinutes: 600 }], 'admin', '2026-11-22T00:00:00.000Z'));
    expect(await stage.reactMinutes(t.db.sql, { category: 'printer', priority: 3 })).toBe(45);
    expect(await stage.reactMinutes(t.db.sql, { category: 'network', priority: 3 })).toBe(120);
  });
});

describe('deadlines stage: waiting and resuming', () => {
  async function openTicket(code: 'printer.paper_end' | 'fiscal.fn_expires_30d', openedAt: Date): Promise<number> {
    const due = await dueOf(code, 'minor', openedAt);
    return t.db.write(async (sql) => {
      const result = await sql.run(
        `INSERT INTO tickets (agent_id, device_id, code, status, severity, priority, group_name, opened_at, updated_at, react_by, resolve_by)
         VALUES (?, 'dev-1', ?, 'open', 'minor', ?, 'printers', ?, ?, ?, ?)`,
        t.agentIds[0], code, due.priority, openedAt.toISOString(), openedAt.toISOString(), due.reactBy, due.resolveBy,
      );
      return result.lastID!;
    });
  }

  it('pushes both clocks by the business time spent waiting, and leaves a met reaction alone', async () => {
    await vladivostokStore();
    // Minor (P3: 2 h, 24 h) opened Monday 10:00; 24 business hours end on Wednesday 16:00.
    const id = await openTicket('printer.paper_end', local('2026-12-07T10:00'));
    const before = (await findTicket(t.db.sql, id))!;
    expect(wall(before.resolve_by)).toBe('2026-12-09T16:00');
    // Waited from Monday 11:00 to Tuesday 10:00: 7 h Monday + 1 h Tuesday.
    await t.db.write(async (sql) => stage.clockResumed(sql, before, local('2026-12-07T11:00').toISOString(), local('2026-12-08T10:00').toISOString()));
    const after = (await findTicket(t.db.sql, id))!;
    expect(wall(after.react_by)).toBe('2026-12-08T11:00');
    expect(wall(after.resolve_by)).toBe('2026-12-10T15:00');

    await t.db.write((sql) => sql.run('UPDATE tickets SET reacted_at = ? WHERE id = ?', local('2026-12-08T10:30').toISOString(), id));
    const reacted = (await findTicket(t.db.sql, id))!;
    await t.db.write(async (sql) => stage.clockResumed(sql, reacted, local('2026-12-08T17:00').toISOString(), local('2026-12-14T09:00').toISOString()));
    const later = (await findTicket(t.db.sql, id))!;
    expect(later.react_by).toBe(after.react_by);
    // Tuesday 17:00 to Monday 09:00: 1 + 9 + 9 + 9 h; Thursday 15:00 plus 28 h is Tuesday 16:00.
    expect(wall(later.resolve_by)).toBe('2026-12-15T16:00');
  });

  it('keeps a fiscal ticket capped by its blocking date after a resume, and pushes the SLA\'s own date', async () => {
    await vladivostokStore();
    const opened = local('2026-12-07T10:00');
    const id = await openTicket('fiscal.fn_expires_30d', opened);
    const blockingAt = local('2026-12-09T12:00').toISOString(); // the cap: 24 h before, Tuesday 12:00
    await t.db.write(async (sql) => {
      await sql.run('UPDATE agents SET fiscal_blocking_at = ?, fiscal_blocking_reason = ? WHERE id = ?', blockingAt, 'fn_validity', t.agentIds[0]);
      await stage.capByFiscal(sql, t.agentIds, new ChangeSet());
    });
    const capped = (await findTicket(t.db.sql, id))!;
    expect(wall(capped.resolve_by)).toBe('2026-12-08T12:00');
    expect(wall(capped.sla_resolve_by!)).toBe('2026-12-09T16:00');
    await t.db.write(async (sql) => stage.clockResumed(sql, capped, local('2026-12-07T11:00').toISOString(), local('2026-12-07T15:00').toISOString()));
    const resumed = (await findTicket(t.db.sql, id))!;
    expect(wall(resumed.resolve_by)).toBe('2026-12-08T12:00');
    expect(wall(resumed.sla_resolve_by!)).toBe('2026-12-10T11:00');
  });
});
