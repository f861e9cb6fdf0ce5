import { describe, expect, it } from 'vitest';
import { storeDay, ticketFact, type FactEvent, type FactMove, type FactTicket } from './ticket-fact';

const BASE = '2026-11-30T08:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(BASE) + minutes * 60_000).toISOString();

const ticket = (patch: Partial<FactTicket> = {}): FactTicket => ({
  id: 7, store_id: 'msk-1', device_model: 'Epson TM-T20III', group_name: 'printers', assignee: null, code: 'printer.paper_end',
  priority: 2, parent_id: null, opened_at: at(0), react_by: at(30), resolve_by: at(240), sla_resolve_by: null, found_at: null, ...patch,
});
const event = (minutes: number, kind: string, actor: string | null = null, text = ''): FactEvent => ({ at: at(minutes), kind, actor, text });
const move = (kind: string, toAssignee: string | null = null): FactMove => ({ kind, to_assignee: toAssignee });
const MOSCOW = 'Europe/Moscow';

describe('ticketFact: the arithmetic of one timeline', () => {
  it('taken at 12 min, resolved at 95 min by the same engineer: first contact, both clocks met', () => {
    const fact = ticketFact(ticket(), [event(0, 'opened'), event(3, 'cashier_report'), event(12, 'taken', 'ann'), event(95, 'resolved', 'ann')], [move('take', 'ann')], MOSCOW);
    expect(fact).toMatchObject({
      react_sec: 12 * 60, react_met: 1, resolve_sec: 95 * 60, resolve_met: 1, resolved_by: 'engineer', engineer: 'ann', fcr: 1,
      reassignments: 0, escalations: 0, reopens: 0, overdue: 0, opened_day: '2026-11-30', resolved_day: '2026-11-30', symptom: 0,
    });
  });

  it('a reassignment and an escalation spoil first contact; late on both clocks; the resolver is the engineer', () => {
    const fact = ticketFact(ticket(), [
      event(0, 'opened'), event(31, 'assigned', 'lead'), event(40, 'reassigned', 'lead'), event(50, 'escalated', 'bob'), event(300, 'resolved', 'bob'),
    ], [move('assign', 'ann'), move('reassign', 'bob'), move('escalate_vendor', null)], MOSCOW);
    expect(fact).toMatchObject({
      react_sec: 31 * 60, react_met: 0, resolve_sec: 300 * 60, resolve_met: 0, overdue: 1, fcr: 0, reassignments: 1, escalations: 1, engineer: 'bob',
    });
  });

  it('resolved by the machine: no reaction, no first-contact figure, the engineer is the last assignee or none', () => {
    const fact = ticketFact(ticket(), [event(0, 'opened'), event(4, 'recovered'), event(4, 'auto_resolved')], [], MOSCOW);
    expect(fact).toMatchObject({ react_sec: null, react_met: null, resolved_by: 'machine', fcr: null, engineer: '', resolve_sec: 240, resolve_met: 1 });
  });

  it('"not fixed" from the cashier undoes the resolution (a reopen); the later resolution counts', () => {
    const fact = ticketFact(ticket(), [
      event(0, 'opened'), event(10, 'taken', 'ann'), event(20, 'resolved', 'ann'), event(25, 'cashier_not_fixed'), event(60, 'resolved', 'ann'),
    ], [move('take', 'ann')], MOSCOW);
    expect(fact).toMatchObject({ reopens: 1, fcr: 0, resolve_sec: 60 * 60, resolved_by: 'engineer' });
  });

  it('reopened and not resolved since: not resolved; a "not fixed" on an open ticket is no reopen', () => {
    const fact = ticketFact(ticket(), [
      event(0, 'opened'), event(5, 'auto_resolved'), event(9, 'reopened'), event(11, 'cashier_not_fixed'),
    ], [], MOSCOW);
    expect(fact).toMatchObject({ reopens: 1, resolved_by: null, resolved_day: null, resolve_sec: null, resolve_met: null, overdue: 0 });
  });

  it('open and past due: overdue only when the resolution clock breach is on the timeline (not the reaction clock)', () => {
    const reactOnly = ticketFact(ticket(), [event(0, 'opened'), event(31, 'sla_breached', null, `react overdue since ${at(30)}`)], [], MOSCOW);
    expect(reactOnly.overdue).toBe(0);
    const resolve = ticketFact(ticket(), [event(0, 'opened'), event(241, 'sla_breached', null, `resolve overdue since ${at(240)}`)], [], MOSCOW);
    expect(resolve.overdue).toBe(1);
  });

  it('resolution is judged against the SLA date, not a fiscal cap', () => {
    const capped = ticket({ resolve_by: at(60), sla_resolve_by: at(240) });
    expect(ticketFact(capped, [event(0, 'opened'), event(100, 'resolved', 'ann')], [], MOSCOW)).toMatchObject({ resolve_met: 1, overdue: 0 });
  });

  it('a reaction by the machine (actor null) is no reaction; a note is one', () => {
    const fact = ticketFact(ticket(), [event(0, 'opened'), event(2, 'note', null), event(7, 'note', 'ann')], [], MOSCOW);
    expect(fact.react_sec).toBe(7 * 60);
  });

  it('fault-to-ticket: the first sighting before the opening; a symptom is marked', () => {
    const fact = ticketFact(ticket({ found_at: at(-2), parent_id: 3 }), [event(0, 'opened')], [], MOSCOW);
    expect(fact).toMatchObject({ fault_to_ticket_sec: 120, symptom: 1, model: 'Epson TM-T20III' });
    expect(ticketFact(ticket({ device_model: null }), [event(0, 'opened')], [], MOSCOW)).toMatchObject({ fault_to_ticket_sec: null, model: '' });
  });

  it('days are the store\'s own: 20:30 UTC is the next day in Yekaterinburg, the same day in Moscow', () => {
    expect(storeDay('2026-11-30T20:30:00.000Z', 'Asia/Yekaterinburg')).toBe('2026-12-01');
    expect(storeDay('2026-11-30T20:30:00.000Z', MOSCOW)).toBe('2026-11-30');
    expect(storeDay('2026-11-30T20:30:00.000Z', 'Not/AZone')).toBe('2026-11-30');
  });
});
