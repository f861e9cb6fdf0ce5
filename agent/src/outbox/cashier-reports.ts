import type { TicketRef } from '@tillscope/shared';
import { errorText, type ModuleLogger } from '../logger';
import { acked, ticketUpdated, type MemoryHold, type ReportState } from './memory-hold';
import type { AckPayload, CashierReportState } from './outbox-contract';
import { reportParams, toState, UPSERT_REPORT, type CashierRow, type OutboxDb } from './outbox-db';
import type { OutboxStorage } from './outbox-storage';

const SELECT_REPORT = `SELECT id, created_at, state, ticket, working FROM cashier_reports WHERE id = ?`;

/**
 * The state of each cashier report as the cashier page follows it: the cashier_reports table,
 * overlaid by the states held in memory (`hold.reports`) that the disk has not taken yet.
 *
 * Contract:
 * - A held state is newer than the table's row and wins wherever a report is read.
 * - Changes (an ack, a ticket update, an answer) are set in the hold, then written with the
 *   reserve's help (`storage.critically`); a state the disk refuses stays held, is shown by `view`
 *   (with `saved` from the table) and is written by `persistHeld` on the next retry. No method
 *   rejects for storage trouble.
 * - A report whose message itself is held in memory is written with that message, not here.
 * - Not serialised: the caller (the Outbox facade) runs one call at a time.
 */
export class CashierReports {
  constructor(
    private readonly db: OutboxDb,
    private readonly hold: MemoryHold,
    private readonly storage: OutboxStorage,
    private readonly log: ModuleLogger,
  ) {}

  /** Forgets delivered or rejected reports older than `keepDays` (a failure is logged, not thrown). */
  static async forgetOld(db: OutboxDb, now: Date, keepDays: number, log: ModuleLogger): Promise<void> {
    await db
      .run(`DELETE FROM cashier_reports WHERE state != 'queued' AND created_at < ?`, new Date(now.getTime() - keepDays * 86_400_000).toISOString())
      .catch((error: unknown) => log.warn(`could not forget old cashier reports: ${errorText(error)}`));
  }

  /** The report as the page should see it, or null when there is none under `id`. */
  async view(id: string): Promise<CashierReportState | null> {
    const row = await this.db.get<CashierRow>(SELECT_REPORT, id);
    const state = this.hold.reports.get(id) ?? (row ? toState(row) : null);
    if (!state) return null;
    return { ...state, saved: row !== undefined };
  }

  /** Applies the server's ack to the report `ack.ackOf`, if there is one, in the hold only. */
  async markAcked(ack: AckPayload): Promise<void> {
    const report = await this.load(ack.ackOf);
    if (report) this.hold.reports.set(ack.ackOf, acked(report, ack));
  }

  /** The state held in memory for `id` (newer than the table's), if any. */
  held(id: string): ReportState | undefined {
    return this.hold.reports.get(id);
  }

  /**
   * Applies a ticket_update to the report `reportId`, or without one to every report that opened
   * (or merged into) this ticket; resolves false when none matches.
   */
  async updateTicket(reportId: string | undefined, ticket: TicketRef): Promise<boolean> {
    const matches = reportId ? [await this.load(reportId)].flatMap((s) => s ?? []) : await this.withTicket(ticket.ticketId);
    for (const state of matches) this.hold.reports.set(state.id, ticketUpdated(state, ticket));
    await this.persist(matches.map((s) => s.id), `ticket ${ticket.ticketId}`);
    return matches.length > 0;
  }

  /** Records the cashier's answer to "is it working?"; resolves false when there is no such report. */
  async recordAnswer(id: string, working: boolean): Promise<boolean> {
    const report = await this.load(id);
    if (!report) return false;
    this.hold.reports.set(id, { ...report, working });
    await this.persist([id], `the answer for ${id}`);
    return true;
  }

  /** Writes every state held in memory (the retry's step after held messages and acks). */
  persistHeld(): Promise<void> {
    return this.persist([...this.hold.reports.keys()], 'cashier report states');
  }

  /**
   * Writes report states held in memory; a report whose message itself is held goes with it. What
   * cannot be written stays held (`view` shows it) and is retried.
   */
  async persist(ids: string[], what: string): Promise<void> {
    const states = ids.filter((id) => !this.hold.holds(id)).flatMap((id) => this.hold.reports.get(id) ?? []);
    if (states.length === 0) return;
    try {
      await this.storage.critically(what, () => this.storage.transaction(async () => {
        for (const state of states) await this.db.run(UPSERT_REPORT, ...reportParams(state));
      }));
      for (const state of states) this.hold.reports.delete(state.id);
    } catch (error) {
      this.log.warn(`could not write ${what} (${errorText(error)}); held in memory and retried`);
    }
  }

  private async load(id: string): Promise<ReportState | null> {
    const held = this.hold.reports.get(id);
    if (held) return held;
    const row = await this.db.get<CashierRow>(SELECT_REPORT, id);
    return row ? toState(row) : null;
  }

  /** Held states naming the ticket, then the table's rows naming it that are not held. */
  private async withTicket(ticketId: TicketRef['ticketId']): Promise<ReportState[]> {
    const held = [...this.hold.reports.values()].filter((s) => s.ticket?.ticketId === ticketId);
    const rows = await this.db.all<CashierRow>(
      `SELECT id, created_at, state, ticket, working FROM cashier_reports WHERE json_extract(ticket, '$.ticketId') = ?`,
      ticketId,
    );
    return [...held, ...rows.filter((row) => !this.hold.reports.has(row.id)).map(toState)];
  }
}
