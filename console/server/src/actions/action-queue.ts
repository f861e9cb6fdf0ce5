import { CommandVerb, type ActionState, type Command, type RemoteAction, type TimelineKind } from '@tillscope/shared';
import type { ConsoleDatabase, SqlConnection } from '../db/console-database';
import { ChangeSet, type ChangeBus } from '../tickets/change-set';
import { NotFound } from '../tickets/domain-errors';
import { ActionConflict, ActionDisabled } from './action-errors';
import { actionOfRow, findAction, liveActionRows, type ActionRow } from './action-rows';
import { isVerbBlocked, readActionSettings } from './action-settings';
import { describeAction as describe, noteOnTicket, type TimelineNote } from './action-states';

export interface ActionQueueDeps {
  db: ConsoleDatabase;
  bus: ChangeBus;
  now: () => Date;
  note: TimelineNote;
  /** True while the register has a live socket. */
  isConnected: (agentId: string) => boolean;
  /** Hands a command to the register's live socket; false when it has none. */
  send: (agentId: string, payload: Command['payload']) => boolean;
}

/**
 * How long a started action may go without a result before the console gives up on it. The
 * agent's own limits end every action well within it (a print service restart 2 × 90 s, a bundle
 * upload 60 s), and its outbox keeps a result through a lost connection; a result that still comes
 * later replaces the failure (action-states.ts: the state follows what the register reports).
 */
const RUNNING_RESULT_LIMIT_MS = 30 * 60_000;
const NO_RESULT_MESSAGE = `started on the register, but no result came within ${RUNNING_RESULT_LIMIT_MS / 60_000} min of sending it (the register may be off or gone); a result that still arrives replaces this`;

export interface NewAction {
  agentId: string;
  verb: CommandVerb;
  deviceId?: string | undefined;
  ticketId?: number | undefined;
  requestedBy: string;
}

/**
 * Remote actions as a queue. One `commands` row per action for its whole life (migration 015):
 * recorded `queued`, claimed `sent` in a transaction before it goes to the socket (so a fast answer
 * always finds it and two dispatchers never both claim it), `running` on command_started, then
 * `done` / `failed` on its result. A register that is offline gets its queued actions after its next
 * hello; a `sent` action without an answer is re-sent then with the SAME commandId (the agent runs a
 * commandId at most once), never as a second row. Nothing past `expires_at` is sent: the sweep and
 * the dispatcher mark it `expired`.
 */
export class ActionQueue {
  constructor(private readonly deps: ActionQueueDeps) {}

  /**
   * Records a new action inside the caller's write transaction; refuses a verb an admin turned off
   * in the store (ActionDisabled). `action_queued` goes on the ticket only when the action has to
   * wait (its register is offline): one sent at once was never visibly queued.
   */
  async record(sql: SqlConnection, action: NewAction, commandId: string, changes: ChangeSet): Promise<void> {
    const agent = await sql.get<{ store_id: string }>('SELECT store_id FROM agents WHERE id = ?', action.agentId);
    if (!agent) throw new NotFound('register', action.agentId);
    if (await isVerbBlocked(sql, agent.store_id, action.verb)) throw new ActionDisabled(agent.store_id, action.verb);
    const now = this.deps.now();
    const { expiryMinutes } = await readActionSettings(sql);
    const expiresAt = new Date(now.getTime() + expiryMinutes * 60_000).toISOString();
    await sql.run(
      `INSERT INTO commands (id, agent_id, verb, device_id, requested_by, requested_at, ticket_id, state, expires_at, send_count)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, 0)`,
      commandId, action.agentId, action.verb, action.deviceId ?? null, action.requestedBy, now.toISOString(), action.ticketId ?? null, expiresAt,
    );
    changes.registers.add(action.agentId);
    if (action.ticketId !== undefined && !this.deps.isConnected(action.agentId)) {
      const text = `${describe({ verb: action.verb, device_id: action.deviceId ?? null })}: the register is offline; sent when it reconnects, unless it expires first (at ${expiresAt})`;
      await this.deps.note(sql, action.agentId, action.ticketId, 'action_queued', action.requestedBy, text, changes);
    }
  }

  /** Records an action and sends it at once when its register is connected; the action as it stands after. */
  async enqueue(action: NewAction, commandId: string): Promise<RemoteAction> {
    const changes = new ChangeSet();
    await this.deps.db.write((sql) => this.record(sql, action, commandId, changes));
    this.deps.bus.publish(changes);
    if (this.deps.isConnected(action.agentId)) await this.dispatch(commandId, true);
    return this.view(commandId);
  }

  async view(commandId: string): Promise<RemoteAction> {
    const row = await findAction(this.deps.db.sql, commandId);
    if (!row) throw new NotFound('action', commandId);
    return actionOfRow(row);
  }

  /**
   * Sends one queued action now. `immediate`: it was asked just now with its register connected, so
   * the command carries no `expiresAt` (the agent's second guard is for actions that waited).
   * Returns true when the command went to the socket.
   */
  async dispatch(commandId: string, immediate = false): Promise<boolean> {
    const changes = new ChangeSet();
    const claimed = await this.deps.db.write(async (sql) => {
      const row = await findAction(sql, commandId);
      return row && row.state === 'queued' ? this.claim(sql, row, changes) : undefined;
    });
    this.deps.bus.publish(changes);
    return claimed ? this.deps.send(claimed.agent_id, this.payload(claimed, !immediate)) : false;
  }

  /**
   * After a register's hello: its queued actions go out, and its `sent` ones without an answer go
   * again (same commandId: a command lost with the old connection arrives now, one that arrived is
   * not run twice by the agent). Oldest first. Returns how many commands went to the socket.
   */
  async dispatchPending(agentId: string): Promise<number> {
    // Read first, outside a write: nearly every hello finds nothing, and a write transaction (an
    // fsync) per hello would cost a fleet reconnecting after an outage thousands of them.
    const waiting = (rows: ActionRow[]) => rows.filter((row) => row.state === 'queued' || row.state === 'sent');
    if (waiting(await liveActionRows(this.deps.db.sql, agentId)).length === 0) return 0;
    const changes = new ChangeSet();
    const claimed = await this.deps.db.write(async (sql) => {
      const rows = waiting(await liveActionRows(sql, agentId));
      const out: ActionRow[] = [];
      for (const row of rows) {
        const sent = await this.claim(sql, row, changes);
        if (sent) out.push(sent);
      }
      return out;
    });
    this.deps.bus.publish(changes);
    let sent = 0;
    for (const row of claimed) if (this.deps.send(agentId, this.payload(row, true))) sent += 1;
    return sent;
  }

  /** An engineer withdraws an action that is still queued (never sent): `cancelled`. */
  async cancel(commandId: string, by: string): Promise<RemoteAction> {
    const changes = new ChangeSet();
    await this.deps.db.write(async (sql) => {
      const row = await findAction(sql, commandId);
      if (!row) throw new NotFound('action', commandId);
      if (row.state !== 'queued') throw new ActionConflict(`action ${commandId} is ${row.state}; only a queued action can be cancelled`);
      await this.finish(sql, row, { state: 'cancelled', code: 'canceled', message: `cancelled by ${by}`, by }, changes);
    });
    this.deps.bus.publish(changes);
    return this.view(commandId);
  }

  /**
   * Marks every queued or unanswered sent action past its expiry `expired`, and every running one
   * with no result RUNNING_RESULT_LIMIT_MS after it was sent `failed` (no_result); returns how many.
   * Without the second, an action whose register never came back (replaced, lost power for good)
   * stayed `running`, and the same action could never be asked again on that register.
   */
  async sweepExpired(): Promise<number> {
    const changes = new ChangeSet();
    const now = this.deps.now();
    const count = await this.deps.db.write(async (sql) => {
      const expired = await this.forEachAction(sql, "state IN ('queued', 'sent') AND expires_at <= ? ORDER BY expires_at", now.toISOString(), (row) => this.expire(sql, row, changes));
      const noResultBefore = new Date(now.getTime() - RUNNING_RESULT_LIMIT_MS).toISOString();
      const silent = await this.forEachAction(sql, "state = 'running' AND sent_at <= ? ORDER BY sent_at", noResultBefore, (row) =>
        this.finish(sql, row, { state: 'failed', code: 'no_result', message: NO_RESULT_MESSAGE }, changes));
      return expired + silent;
    });
    this.deps.bus.publish(changes);
    return count;
  }

  /** Runs `act` on each action (at most 1,000) that `where` (one parameter) selects; returns how many. */
  private async forEachAction(sql: SqlConnection, where: string, param: string, act: (row: ActionRow) => Promise<void>): Promise<number> {
    const ids = await sql.all<{ id: string }[]>(`SELECT id FROM commands WHERE ${where} LIMIT 1000`, param);
    for (const { id } of ids) {
      const row = await findAction(sql, id);
      if (row) await act(row);
    }
    return ids.length;
  }

  /** The row, claimed `sent`; undefined when it expired or its verb was turned off meanwhile (then it is final). */
  private async claim(sql: SqlConnection, row: ActionRow, changes: ChangeSet): Promise<ActionRow | undefined> {
    const nowIso = this.deps.now().toISOString();
    if (row.expires_at !== null && row.expires_at <= nowIso) {
      await this.expire(sql, row, changes);
      return undefined;
    }
    const verb = CommandVerb.parse(row.verb);
    if (await isVerbBlocked(sql, row.store_id, verb)) {
      await this.finish(sql, row, { state: 'failed', code: 'disabled', message: `${verb} was turned off in store ${row.store_id} before it was sent` }, changes);
      return undefined;
    }
    await sql.run("UPDATE commands SET state = 'sent', sent_at = ?, send_count = send_count + 1 WHERE id = ?", nowIso, row.id);
    const again = row.send_count > 0 ? ' again after the register reconnected (same command id: it runs at most once)' : '';
    await noteOnTicket(sql, this.deps.note, row, 'action_sent', null, `${describe(row)}: sent to the register${again}`, changes);
    return { ...row, state: 'sent', sent_at: nowIso, send_count: row.send_count + 1 };
  }

  private async expire(sql: SqlConnection, row: ActionRow, changes: ChangeSet): Promise<void> {
    const why = row.state === 'queued' ? 'the register did not come back in time; it never ran' : 'no answer from the register in time';
    await this.finish(sql, row, { state: 'expired', code: 'expired', message: `${why} (expired at ${row.expires_at})` }, changes);
  }

  private async finish(sql: SqlConnection, row: ActionRow, end: { state: ActionState; code: string; message: string; by?: string }, changes: ChangeSet): Promise<void> {
    await sql.run(
      'UPDATE commands SET state = ?, completed_at = ?, result_code = ?, result_message = ?, cancelled_by = ? WHERE id = ?',
      end.state, this.deps.now().toISOString(), end.code, end.message, end.by ?? null, row.id,
    );
    changes.registers.add(row.agent_id);
    const kind: TimelineKind = end.state === 'cancelled' ? 'action_cancelled' : end.state === 'expired' ? 'action_expired' : 'action_failed';
    await noteOnTicket(sql, this.deps.note, row, kind, end.by ?? null, `${describe(row)}: ${end.message}`, changes);
  }

  /** The wire command. `deferred`: sent later than asked, so it carries its expiry for the agent's own check. */
  private payload(row: ActionRow, deferred: boolean): Command['payload'] {
    return {
      commandId: row.id,
      verb: CommandVerb.parse(row.verb),
      ...(row.device_id ? { deviceId: row.device_id } : {}),
      ...(row.ticket_id !== null ? { ticketId: row.ticket_id } : {}),
      // collect_bundle writes who asked into the bundle; other verbs do not need it.
      ...(row.verb === 'collect_bundle' ? { requestedBy: row.requested_by.slice(0, 64) } : {}),
      ...(deferred && row.expires_at ? { expiresAt: row.expires_at } : {}),
    };
  }
}
