import type { AssignRequest, EscalateRequest, ReassignRequest, UpdateVendorRequest, VendorTracking, WaitRequest } from '@tillscope/shared';
import { VendorTracking as VendorTrackingSchema } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import { jsonColumn, type TicketRow } from '../db/rows';
import type { ChangeSet } from '../tickets/change-set';
import { InvalidMove, TicketConflict } from '../tickets/domain-errors';
import type { Actor } from '../tickets/engineer-actions';
import { addEvent, requireTicket } from '../tickets/ticket-store';
import { activeGroupOfLine, requireActiveGroup } from './groups';
import { FIRST_REACTION_SQL, moveText, recordMove, type MoveRecord } from './move-records';

/**
 * Where the SLA clocks hear about a pause. The deadlines stage (sla/) pushes the due dates by the
 * business time spent waiting; until it is wired, DUE_DATES_UNCHANGED leaves them as they are.
 * Both run inside the move's write transaction, after the ticket row was updated.
 */
export interface PauseClock {
  /** The ticket started waiting on the store or a vendor at `atIso`. */
  clockPaused(sql: SqlConnection, ticket: TicketRow, atIso: string): Promise<void>;
  /** The ticket stopped waiting: `pausedAtIso` to `atIso` was spent waiting. */
  clockResumed(sql: SqlConnection, ticket: TicketRow, pausedAtIso: string, atIso: string): Promise<void>;
}

export const DUE_DATES_UNCHANGED: PauseClock = {
  clockPaused: () => Promise.resolve(),
  clockResumed: () => Promise.resolve(),
};

const vendorColumn = jsonColumn(VendorTrackingSchema).nullable();

/**
 * The moves an engineer makes on a ticket besides take (tickets/engineer-actions.ts): assign,
 * reassign, escalate, wait and resume, and the vendor's details. Each needs a ticket still being
 * worked (TicketConflict otherwise), writes a ticket_moves row and a timeline event (move-records.ts),
 * marks the ticket touched (it no longer resolves itself) and runs inside the caller's write transaction.
 */
export class TicketMoves {
  constructor(
    private readonly now: () => Date,
    private readonly clock: PauseClock = DUE_DATES_UNCHANGED,
  ) {}

  /** Hands the ticket to an engineer (any existing user): it is in progress, and the reaction clock stops. */
  async assign(sql: SqlConnection, ticketId: number, actor: Actor, request: AssignRequest, changes: ChangeSet): Promise<void> {
    const ticket = await this.workable(sql, ticketId);
    if (!(await sql.get('SELECT 1 FROM users WHERE username = ?', request.username))) throw new InvalidMove(`no user ${request.username}`);
    if (ticket.assignee === request.username) throw new TicketConflict(ticketId, `ticket ${ticketId} is assigned to ${request.username} already`);
    const at = this.nowIso();
    await sql.run(
      `UPDATE tickets SET status = 'in_progress', assignee = ?, touched = 1, updated_at = ?, ${FIRST_REACTION_SQL} WHERE id = ?`,
      request.username, at, at, ticketId,
    );
    await this.record(ticket, { at, kind: 'assign', actor: actor.username, toGroup: ticket.group_name, toAssignee: request.username, reason: request.reason }, sql);
    changes.ticketChanged(ticketId, ticket.agent_id, ticket.status !== 'in_progress');
  }

  /** Sends the ticket to another group (one that takes tickets): nobody's yet, open again; counted. */
  async reassign(sql: SqlConnection, ticketId: number, actor: Actor, request: ReassignRequest, changes: ChangeSet): Promise<void> {
    const ticket = await this.workable(sql, ticketId);
    await requireActiveGroup(sql, request.group);
    await this.moveToGroup(sql, ticket, request.group, 'reassign', actor, request.reason, changes);
  }

  /**
   * To the third line: its group (the built-in third_line first, else any active third-line group),
   * like a reassign. To a vendor: the vendor group when one takes tickets (else the ticket keeps its
   * group), the assignee keeps coordinating, the store's clocks pause (waiting on the vendor) and the
   * vendor's own deadline starts. Both count as an escalation.
   */
  async escalate(sql: SqlConnection, ticketId: number, actor: Actor, request: EscalateRequest, changes: ChangeSet): Promise<void> {
    const ticket = await this.workable(sql, ticketId);
    if (request.to === 'third_line') {
      const group = await activeGroupOfLine(sql, 'third', 'third_line');
      if (!group) throw new InvalidMove('no third-line group takes tickets');
      await this.moveToGroup(sql, ticket, group, 'escalate_third_line', actor, request.reason, changes);
      return;
    }
    if (!request.vendor) throw new InvalidMove('name the vendor');
    const at = this.nowIso();
    const group = (await activeGroupOfLine(sql, 'vendor', 'vendor')) ?? ticket.group_name;
    const vendor: VendorTracking = { vendor: request.vendor, reference: request.reference || null, escalatedAt: at, escalatedBy: actor.username, dueAt: request.vendorDueAt ?? null };
    await sql.run(
      `UPDATE tickets SET group_name = ?, escalations = escalations + 1, vendor_json = ?, vendor_due_at = ?, waiting_on = 'vendor',
         paused_at = COALESCE(paused_at, ?), touched = 1, updated_at = ? WHERE id = ?`,
      group, JSON.stringify(vendor), vendor.dueAt, at, at, ticketId,
    );
    const reference = vendor.reference ? ` (${vendor.reference})` : '';
    await recordMove(sql, { ...this.unchanged(ticket), at, kind: 'escalate_vendor', actor: actor.username, toGroup: group, reason: request.reason },
      moveText(ticket.group_name, `${vendor.vendor}${reference}`, request.reason));
    if (ticket.waiting_on === null) await this.clock.clockPaused(sql, ticket, at);
    // The cashier's page now says "waiting for the vendor" (a cashier-visible change, like a status).
    changes.ticketChanged(ticketId, ticket.agent_id, ticket.waiting_on !== 'vendor');
  }

  /** The ticket waits on the store or a vendor: its SLA clocks pause until resume. */
  async wait(sql: SqlConnection, ticketId: number, actor: Actor, request: WaitRequest, changes: ChangeSet): Promise<void> {
    const ticket = await this.workable(sql, ticketId);
    if (ticket.waiting_on !== null) throw new TicketConflict(ticketId, `ticket ${ticketId} is waiting on the ${ticket.waiting_on} already; resume it first`);
    const at = this.nowIso();
    await sql.run('UPDATE tickets SET waiting_on = ?, paused_at = ?, touched = 1, updated_at = ? WHERE id = ?', request.on, at, at, ticketId);
    await recordMove(sql, { ...this.unchanged(ticket), at, kind: 'wait', actor: actor.username, reason: request.reason }, `${request.on}: ${request.reason}`);
    await this.clock.clockPaused(sql, ticket, at);
    changes.ticketChanged(ticketId, ticket.agent_id, true); // the cashier hears: waiting on the store or a vendor
  }

  /** The wait is over: the clocks run again (PauseClock.clockResumed moves the due dates). */
  async resume(sql: SqlConnection, ticketId: number, actor: Actor, reason: string, changes: ChangeSet): Promise<void> {
    const ticket = await this.workable(sql, ticketId);
    if (ticket.waiting_on === null || ticket.paused_at === null) throw new TicketConflict(ticketId, `ticket ${ticketId} is not waiting`);
    const at = this.nowIso();
    await sql.run('UPDATE tickets SET waiting_on = NULL, paused_at = NULL, touched = 1, updated_at = ? WHERE id = ?', at, ticketId);
    const waited = `waited on the ${ticket.waiting_on} ${Math.round((Date.parse(at) - Date.parse(ticket.paused_at)) / 60_000)} min`;
    await recordMove(sql, { ...this.unchanged(ticket), at, kind: 'resume', actor: actor.username, reason }, reason ? `${reason} (${waited})` : waited);
    await this.clock.clockResumed(sql, ticket, ticket.paused_at, at);
    changes.ticketChanged(ticketId, ticket.agent_id, true); // the cashier hears: no longer waiting
  }

  /** The vendor's case number or deadline changed (a ticket escalated to a vendor; resolved ones too). */
  async updateVendor(sql: SqlConnection, ticketId: number, actor: Actor, request: UpdateVendorRequest, changes: ChangeSet): Promise<void> {
    const ticket = await requireTicket(sql, ticketId);
    const current = vendorColumn.parse(ticket.vendor_json);
    if (!current) throw new TicketConflict(ticketId, `ticket ${ticketId} was not escalated to a vendor`);
    if (request.reference === undefined && request.dueAt === undefined) throw new InvalidMove('nothing to change: send reference or dueAt');
    const next: VendorTracking = {
      ...current,
      ...(request.reference !== undefined ? { reference: request.reference || null } : {}),
      ...(request.dueAt !== undefined ? { dueAt: request.dueAt } : {}),
    };
    const at = this.nowIso();
    await sql.run('UPDATE tickets SET vendor_json = ?, vendor_due_at = ?, updated_at = ? WHERE id = ?', JSON.stringify(next), next.dueAt, at, ticketId);
    await addEvent(sql, ticketId, at, 'vendor_updated', actor.username, `${next.vendor}: case ${next.reference ?? '—'}, due ${next.dueAt ?? '—'}`);
    changes.ticketChanged(ticketId, ticket.agent_id);
  }

  /** reassign and escalate_third_line: a new group, nobody's, open again; counted. */
  private async moveToGroup(sql: SqlConnection, ticket: TicketRow, group: string, kind: 'reassign' | 'escalate_third_line', actor: Actor, reason: string, changes: ChangeSet) {
    if (ticket.group_name === group) throw new TicketConflict(ticket.id, `ticket ${ticket.id} is in group ${group} already`);
    const counter = kind === 'reassign' ? 'reassignments' : 'escalations';
    const at = this.nowIso();
    await sql.run(
      `UPDATE tickets SET group_name = ?, assignee = NULL, status = 'open', ${counter} = ${counter} + 1, touched = 1, updated_at = ? WHERE id = ?`,
      group, at, ticket.id,
    );
    await this.record(ticket, { at, kind, actor: actor.username, toGroup: group, toAssignee: null, reason }, sql);
    changes.ticketChanged(ticket.id, ticket.agent_id, ticket.status !== 'open');
  }

  private async record(ticket: TicketRow, move: Omit<MoveRecord, 'ticketId' | 'fromGroup' | 'fromAssignee'>, sql: SqlConnection) {
    const full: MoveRecord = { ...move, ticketId: ticket.id, fromGroup: ticket.group_name, fromAssignee: ticket.assignee };
    const [from, to] = move.kind === 'assign' ? [full.fromAssignee, full.toAssignee] : [full.fromGroup, full.toGroup];
    await recordMove(sql, full, moveText(from, to, move.reason));
  }

  /** A move that changes neither group nor assignee. */
  private unchanged(ticket: TicketRow): Omit<MoveRecord, 'at' | 'kind' | 'actor' | 'reason'> {
    return { ticketId: ticket.id, fromGroup: ticket.group_name, toGroup: ticket.group_name, fromAssignee: ticket.assignee, toAssignee: ticket.assignee };
  }

  private async workable(sql: SqlConnection, ticketId: number): Promise<TicketRow> {
    const ticket = await requireTicket(sql, ticketId);
    if (ticket.status === 'resolved' || ticket.status === 'closed') throw new TicketConflict(ticketId, `ticket ${ticketId} is ${ticket.status}`);
    return ticket;
  }

  private nowIso(): string {
    return this.now().toISOString();
  }
}
