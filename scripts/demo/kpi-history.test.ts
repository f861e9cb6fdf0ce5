import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConsoleDatabase } from '../../console/server/src/db/console-database';
import { enroll, onSecondConnection, startTestConsole, type TestConsole } from '../../console/server/src/test-support/console-harness';
import { KPI_HISTORY, planKpiHistory, type HistoryRegister, type PlannedTicket } from './kpi-history';
import { writeKpiHistory, type HistoryWritten } from './kpi-history-writer';

const DAY_MS = 86_400_000;
const NOW = new Date('2026-11-30T12:00:00.000Z');

const registersOf = (agentIds: [string, string]): HistoryRegister[] => [
  { key: 'msk-001/pos-1', agentId: agentIds[0], printerModel: 'Epson TM-T20II', fiscalModel: 'ШТРИХ-М-01Ф' },
  { key: 'msk-001/pos-2', agentId: agentIds[1], printerModel: 'Epson TM-T88V' },
];

const engineerTickets = (plan: readonly PlannedTicket[], week: number) =>
  plan.filter((t) => t.path.kind !== 'self' && Math.floor((KPI_HISTORY.firstDayAgo * DAY_MS - (NOW.getTime() - t.openedAt.getTime())) / (7 * DAY_MS)) === week);
const meanTake = (plan: readonly PlannedTicket[]) => plan.reduce((sum, t) => sum + (t.path.kind === 'self' ? 0 : t.path.takeMin), 0) / plan.length;

describe('the demo KPI history plan', () => {
  const plan = planKpiHistory(registersOf(['a', 'b']), NOW);

  it('is the same for the same seed, and lies wholly before the reopen window', () => {
    expect(planKpiHistory(registersOf(['a', 'b']), NOW)).toEqual(plan);
    const newest = Math.max(...plan.map((t) => t.openedAt.getTime()));
    expect(NOW.getTime() - newest).toBeGreaterThan(3 * DAY_MS);
    expect(plan.length).toBeGreaterThan(90);
  });

  it('puts fiscal faults only on registers with a fiscal register', () => {
    expect(plan.filter((t) => t.deviceId === 'kkt').every((t) => t.register.fiscalModel !== undefined)).toBe(true);
    expect(plan.some((t) => t.deviceId === 'kkt')).toBe(true);
  });

  it('tells a story of getting better: the last week reacts faster and reassigns less than the first', () => {
    expect(meanTake(engineerTickets(plan, 4))).toBeLessThan(meanTake(engineerTickets(plan, 0)) / 2);
    const reassigned = (week: number) => engineerTickets(plan, week).filter((t) => t.path.kind === 'reassigned').length;
    expect(reassigned(0)).toBeGreaterThan(reassigned(4));
  });
});

describe('the demo KPI history written through the ticket rules (real SQLite)', () => {
  let test: TestConsole;
  let written: HistoryWritten;
  let plan: PlannedTicket[];

  beforeEach(async () => {
    test = await startTestConsole();
    const agents = [await enroll(test, 'msk-001', 'pos-1'), await enroll(test, 'msk-001', 'pos-2')];
    plan = planKpiHistory(registersOf([agents[0]!.agentId, agents[1]!.agentId]), NOW);
    const db = await openConsoleDatabase(test.dataDir);
    try {
      written = await writeKpiHistory(db, plan);
    } finally {
      await db.close();
    }
  });
  afterEach(() => test.dispose());

  it('writes every planned ticket and leaves none open (a live fault never merges into the past)', async () => {
    expect(written.tickets).toBe(plan.length);
    const counts = await onSecondConnection(test.dataDir, (sql) =>
      sql.all<{ status: string; n: number }[]>('SELECT status, COUNT(*) AS n FROM tickets GROUP BY status ORDER BY status'));
    expect(counts.filter((row) => row.status === 'open' || row.status === 'in_progress')).toEqual([]);
    expect(counts.reduce((sum, row) => sum + row.n, 0)).toBe(plan.length);
  });

  it('leaves the timeline the KPIs are computed from: takes, reassignments, resolutions, the cashier\'s answers', async () => {
    const moves = await onSecondConnection(test.dataDir, (sql) =>
      sql.all<{ kind: string; n: number }[]>('SELECT kind, COUNT(*) AS n FROM ticket_moves GROUP BY kind ORDER BY kind'));
    const count = (kind: string) => moves.find((row) => row.kind === kind)?.n ?? 0;
    expect(count('reassign')).toBe(written.reassigned);
    expect(written.reassigned).toBeGreaterThan(0);
    const events = await onSecondConnection(test.dataDir, (sql) =>
      sql.all<{ kind: string; n: number }[]>('SELECT kind, COUNT(*) AS n FROM ticket_events GROUP BY kind'));
    const event = (kind: string) => events.find((row) => row.kind === kind)?.n ?? 0;
    expect(event('cashier_confirmed')).toBe(written.cashierConfirmed);
    expect(event('cashier_not_fixed')).toBe(written.cashierSaidNo);
    expect(written.cashierConfirmed).toBeGreaterThan(0);
    expect(written.fixes).toHaveLength(written.resolvedByEngineers);
    // the reaction times the rules recorded are the planned ones: first take at the planned minute
    const reacted = await onSecondConnection(test.dataDir, (sql) =>
      sql.all<{ opened_at: string; reacted_at: string | null; auto_resolved: number }[]>('SELECT opened_at, reacted_at, auto_resolved FROM tickets ORDER BY opened_at'));
    const planned = plan.map((t) => (t.path.kind === 'self' ? null : t.path.takeMin));
    expect(reacted.map((r) => (r.reacted_at ? (Date.parse(r.reacted_at) - Date.parse(r.opened_at)) / 60_000 : null))).toEqual(planned);
    expect(reacted.filter((r) => r.auto_resolved === 1)).toHaveLength(written.selfResolved);
  });
});
