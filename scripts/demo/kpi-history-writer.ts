// Writes a planned history (kpi-history.ts) through the console's own ticket rules, each ticket's
// whole life inside one transaction at its own past times, so no live report lands between its steps.
import type { SqlConnection } from '../../console/server/src/db/console-database';
import { OPEN_STATUSES } from '../../console/server/src/db/rows';
import { TicketMoves } from '../../console/server/src/routing/moves';
import { ChangeSet } from '../../console/server/src/tickets/change-set';
import { recordFix } from '../../console/server/src/kb/fix-rates';
import { TicketEngine } from '../../console/server/src/tickets/ticket-engine';
import type { DemoArticle } from './kb-articles';
import { pastReport, type HistoryFix, type PlannedTicket } from './kpi-history';

const MINUTE_MS = 60_000;

/** What the history wrote, for the demo's printout and the tests. */
export interface HistoryWritten {
  tickets: number;
  /** planned tickets left out because their device had that fault live at the time of writing */
  skippedLive: number;
  selfResolved: number;
  resolvedByEngineers: number;
  reassigned: number;
  cashierConfirmed: number;
  cashierSaidNo: number;
  /** fixes named on resolve (the knowledge base's ticket_fixes, so its fix rates have a past) */
  fixes: number;
}

/** One past ticket's life; the clock moves forward as it goes. */
class PastTicketWriter {
  private at: Date;
  private readonly engine: TicketEngine;
  private readonly moves: TicketMoves;

  constructor(private readonly ticket: PlannedTicket, private readonly written: HistoryWritten, private readonly articles: ArticleIds) {
    this.at = ticket.openedAt;
    this.engine = new TicketEngine(() => this.at);
    this.moves = new TicketMoves(() => this.at);
  }

  private atMin(minutes: number): void {
    this.at = new Date(this.ticket.openedAt.getTime() + minutes * MINUTE_MS);
  }

  private report(sql: SqlConnection, label: string, present: boolean): Promise<void> {
    const { ticket } = this;
    const finding = present ? { code: ticket.code, detail: `${ticket.code} (demo history)` } : null;
    const msgId = `demo-kpi-${ticket.register.agentId}-${ticket.openedAt.getTime()}-${label}`;
    return this.engine.applyDeviceReports(sql, ticket.register.agentId, msgId, [pastReport(ticket, this.at, finding)], new ChangeSet());
  }

  /** Writes the ticket; undefined when the rules opened none (another ticket of that fault was open). */
  async write(sql: SqlConnection): Promise<number | undefined> {
    const { ticket } = this;
    if (await this.liveFault(sql)) {
      this.written.skippedLive += 1;
      return undefined;
    }
    await this.report(sql, 'found', true);
    const row = await sql.get<{ id: number }>(
      `SELECT id FROM tickets WHERE agent_id = ? AND device_id = ? AND code = ? AND status IN ${OPEN_STATUSES} AND opened_at = ?`,
      ticket.register.agentId, ticket.deviceId, ticket.code, this.at.toISOString(),
    );
    if (!row) return undefined;
    const reportId = ticket.cashier ? await this.cashierReport(sql, row.id) : undefined;
    const { path } = ticket;
    if (path.kind === 'self') {
      this.atMin(path.goneMin);
      await this.report(sql, 'gone', false);
      this.written.selfResolved += 1;
    } else {
      await this.engineerWork(sql, row.id, path);
      if (reportId) await this.cashierAnswer(sql, row.id, reportId, path.resolveMin, path.engineer);
    }
    this.written.tickets += 1;
    return row.id;
  }

  /** The device has this fault live right now (a ticket open, or a finding held): its past stays unwritten. */
  private async liveFault(sql: SqlConnection): Promise<boolean> {
    const { agentId } = this.ticket.register;
    const { deviceId, code } = this.ticket;
    const open = await sql.get(`SELECT 1 FROM tickets WHERE agent_id = ? AND device_id = ? AND code = ? AND status IN ${OPEN_STATUSES}`, agentId, deviceId, code);
    const held = await sql.get('SELECT 1 FROM pending_findings WHERE agent_id = ? AND device_id = ? AND code = ? AND present = 1', agentId, deviceId, code);
    return open !== undefined || held !== undefined;
  }

  private async engineerWork(sql: SqlConnection, ticketId: number, path: Exclude<PlannedTicket['path'], { kind: 'self' }>): Promise<void> {
    const changes = new ChangeSet();
    this.atMin(path.takeMin);
    if (path.kind === 'reassigned') {
      await this.engine.take(sql, ticketId, { username: path.firstEngineer }, changes);
      this.atMin(path.reassignMin);
      await this.moves.reassign(sql, ticketId, { username: path.firstEngineer }, { group: path.toGroup, reason: 'Не наш профиль: передаю по адресу / Not ours: passing it on' }, changes);
      this.atMin(path.retakeMin);
      this.written.reassigned += 1;
    }
    await this.engine.take(sql, ticketId, { username: path.engineer }, changes);
    this.atMin(path.resolveMin - 1);
    await this.report(sql, 'fixed', false);
    this.atMin(path.resolveMin);
    await this.resolve(sql, ticketId, path.engineer, this.ticket.fix);
  }

  /** Resolves as POST /api/tickets/:id/resolve with a fix does: the resolution, then the fix for the rates. */
  private async resolve(sql: SqlConnection, ticketId: number, engineer: string, fix: HistoryFix | undefined): Promise<void> {
    await this.engine.resolve(sql, ticketId, { username: engineer }, fix?.text ?? '', new ChangeSet());
    this.written.resolvedByEngineers += 1;
    if (!fix) return;
    const articleId = fix.article ? this.articles[fix.article] : undefined;
    await recordFix(sql, ticketId, { text: fix.text, ...(articleId ? { articleId } : {}) }, engineer, this.at.toISOString());
    this.written.fixes += 1;
  }

  /**
   * The cashier's report merges into the register's most pressing open ticket: written only when
   * this ticket is the register's one open ticket, so a live one never gets a past note.
   */
  private async cashierReport(sql: SqlConnection, ticketId: number): Promise<string | undefined> {
    const { ticket } = this;
    const open = await sql.all<{ id: number }[]>(`SELECT id FROM tickets WHERE agent_id = ? AND status IN ${OPEN_STATUSES} AND scope = 'register'`, ticket.register.agentId);
    if (!ticket.cashier || open.length !== 1 || open[0]?.id !== ticketId) return undefined;
    this.atMin(ticket.cashier.afterMin);
    const reportId = `demo-kpi-cashier-${ticketId}`;
    const { symptom, note } = ticket.cashier;
    await this.engine.applyCashierReport(sql, ticket.register.agentId, reportId, { symptom, note, locale: 'ru', reportedAt: this.at.toISOString(), diagnosis: [] }, new ChangeSet());
    return reportId;
  }

  /** "Работает?": yes closes; no reopens, and the engineer then resolves it again, the second time for good. */
  private async cashierAnswer(sql: SqlConnection, ticketId: number, reportId: string, resolvedMin: number, engineer: string): Promise<void> {
    const cashier = this.ticket.cashier;
    await this.answer(sql, ticketId, reportId, resolvedMin + 7, cashier?.working ?? true);
    if (!cashier || cashier.working) return;
    this.written.cashierSaidNo += 1;
    this.atMin(resolvedMin + 40);
    await this.resolve(sql, ticketId, engineer, cashier.thenFix);
    await this.answer(sql, ticketId, reportId, resolvedMin + 55, true);
  }

  private async answer(sql: SqlConnection, ticketId: number, reportId: string, atMin: number, working: boolean): Promise<void> {
    this.atMin(atMin);
    const row = await this.engine.findTicket(sql, ticketId);
    if (!row) return;
    await this.engine.applyCashierFeedback(sql, row, `${reportId}-answer-${atMin}`, { reportId, ticketId, working, answeredAt: this.at.toISOString() }, new ChangeSet());
    if (working) this.written.cashierConfirmed += 1;
  }
}

/** The knowledge base's id of each demo article (those the demo could create). */
export type ArticleIds = Partial<Record<DemoArticle['key'], number>>;

/**
 * Writes every planned ticket, oldest first, a day's tickets per write transaction (a live
 * report waits for one short transaction at most, and the file syncs once a day of history).
 */
export async function writeKpiHistory(db: { write<T>(work: (sql: SqlConnection) => Promise<T>): Promise<T> }, plan: readonly PlannedTicket[], articles: ArticleIds = {}): Promise<HistoryWritten> {
  const written: HistoryWritten = { tickets: 0, skippedLive: 0, selfResolved: 0, resolvedByEngineers: 0, reassigned: 0, cashierConfirmed: 0, cashierSaidNo: 0, fixes: 0 };
  const days = new Map<string, PlannedTicket[]>();
  for (const ticket of plan) {
    const day = ticket.openedAt.toISOString().slice(0, 10);
    days.set(day, [...(days.get(day) ?? []), ticket]);
  }
  for (const tickets of days.values()) {
    await db.write(async (sql) => {
      for (const ticket of tickets) await new PastTicketWriter(ticket, written, articles).write(sql);
    });
  }
  return written;
}
