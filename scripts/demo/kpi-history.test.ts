import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DiagnosisCode } from '@tillscope/shared';
import { openConsoleDatabase } from '../../console/server/src/db/console-database';
import { finding, printerReport } from '../../console/server/src/test-support/device-reports';
import { ChangeSet } from '../../console/server/src/tickets/change-set';
import { TicketEngine } from '../../console/server/src/tickets/ticket-engine';
import { ENGINEER, enroll, onSecondConnection, startTestConsole, type TestConsole } from '../../console/server/src/test-support/console-harness';
import { KPI_HISTORY, planKpiHistory, type HistoryRegister, type PlannedTicket } from './kpi-history';
import { fixRates } from '../../console/server/src/kb/fix-rates';
import { logIn } from './console-api';
import { seedKnowledgeBase } from './kb-seed';
import { writeKpiHistory, type ArticleIds, type HistoryWritten } from './kpi-history-writer';

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

  let agentIds: [string, string];
  let articles: ArticleIds;

  /** Opens tickets "live" (at NOW, through the same rules), then writes the history beside them. */
  async function writeHistory(live: { agent: 0 | 1; code: DiagnosisCode }[] = []): Promise<void> {
    const db = await openConsoleDatabase(test.dataDir);
    try {
      const engine = new TicketEngine(() => NOW);
      for (const [index, { agent, code }] of live.entries()) {
        await db.write((sql) => engine.applyDeviceReports(sql, agentIds[agent], `live-${index}`, [printerReport({ deviceId: 'printer', findings: [finding(code)], probedAt: NOW.toISOString() })], new ChangeSet()));
      }
      written = await writeKpiHistory(db, plan, articles);
    } finally {
      await db.close();
    }
  }

  beforeEach(async () => {
    test = await startTestConsole();
    const agents = [await enroll(test, 'msk-001', 'pos-1'), await enroll(test, 'msk-001', 'pos-2')];
    agentIds = [agents[0]!.agentId, agents[1]!.agentId];
    plan = planKpiHistory(registersOf(agentIds), NOW);
    articles = (await seedKnowledgeBase(await logIn(test.server.url, ENGINEER))).articles;
  });
  afterEach(() => test.dispose());

  it('never touches a live ticket: another fault stays open, the same fault\'s past is left out', async () => {
    await writeHistory([{ agent: 0, code: 'printer.cover_open' }, { agent: 1, code: 'printer.offline' }]);
    const open = await onSecondConnection(test.dataDir, (sql) =>
      sql.all<{ agent_id: string; code: string }[]>("SELECT agent_id, code FROM tickets WHERE status IN ('open', 'in_progress') ORDER BY agent_id, code"));
    expect(open).toEqual([{ agent_id: agentIds[0], code: 'printer.cover_open' }, { agent_id: agentIds[1], code: 'printer.offline' }].sort((a, b) => a.agent_id.localeCompare(b.agent_id)));
    const sameFault = plan.filter((t) => t.register.agentId === agentIds[0] && t.deviceId === 'printer' && t.code === 'printer.cover_open').length;
    expect(sameFault).toBeGreaterThan(0);
    expect(written.skippedLive).toBe(sameFault);
    expect(written.tickets).toBe(plan.length - sameFault);
  });

  it('writes every planned ticket and leaves none open (a live fault never merges into the past)', async () => {
    await writeHistory();
    expect(written.tickets).toBe(plan.length);
    const counts = await onSecondConnection(test.dataDir, (sql) =>
      sql.all<{ status: string; n: number }[]>('SELECT status, COUNT(*) AS n FROM tickets GROUP BY status ORDER BY status'));
    expect(counts.filter((row) => row.status === 'open' || row.status === 'in_progress')).toEqual([]);
    expect(counts.reduce((sum, row) => sum + row.n, 0)).toBe(plan.length);
  });

  it('leaves the timeline the KPIs are computed from: takes, reassignments, resolutions, the cashier\'s answers', async () => {
    await writeHistory();
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
    expect(written.fixes).toBe(written.resolvedByEngineers);
    // the reaction times the rules recorded are the planned ones: first take at the planned minute
    const reacted = await onSecondConnection(test.dataDir, (sql) =>
      sql.all<{ opened_at: string; reacted_at: string | null; auto_resolved: number }[]>('SELECT opened_at, reacted_at, auto_resolved FROM tickets ORDER BY opened_at'));
    const planned = plan.map((t) => (t.path.kind === 'self' ? null : t.path.takeMin));
    expect(reacted.map((r) => (r.reacted_at ? (Date.parse(r.reacted_at) - Date.parse(r.opened_at)) / 60_000 : null))).toEqual(planned);
    expect(reacted.filter((r) => r.auto_resolved === 1)).toHaveLength(written.selfResolved);
  });

  it('gives the knowledge base a fix history: the paper article\'s fix has its rate, the cashier\'s "Нет" counted against it', async () => {
    await writeHistory();
    const rates = await onSecondConnection(test.dataDir, (sql) => fixRates(sql, 'printer.paper_end', 'Epson TM-T20II'));
    const viaArticle = rates.find((rate) => rate.articleId === articles.paper);
    expect(viaArticle?.applied).toBeGreaterThan(0);
    // every planned paper fix of this model, plus the second fixes after a "Нет" that followed the article
    const planned = plan.filter((t) => t.register.printerModel === 'Epson TM-T20II' && t.code === 'printer.paper_end' && t.fix?.article === 'paper');
    expect(viaArticle!.applied).toBeGreaterThanOrEqual(planned.length);
    // each "Нет" fails exactly the fix before it: the failures over all fixes are the cashier's "Нет" answers
    const saidNo = await onSecondConnection(test.dataDir, (sql) => sql.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
        WHERE e.kind = 'cashier_not_fixed' AND t.code = 'printer.paper_end' AND t.device_model = 'Epson TM-T20II'`));
    expect(rates.reduce((sum, rate) => sum + rate.applied - rate.fixed, 0)).toBe(saidNo!.n);
    expect(saidNo!.n).toBeGreaterThan(0);
  });
});
