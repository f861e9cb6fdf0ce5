import type { Ack, AgentMessage, CashierFeedback, CommandResult } from '@tillscope/shared';
import type { ConsoleDatabase, SqlConnection } from '../db/console-database';
import { ChangeSet, type ChangeBus } from '../tickets/change-set';
import type { TicketEngine } from '../tickets/ticket-engine';
import type { AgentRegistry } from './agent-registry';

type AckPayload = Ack['payload'];

/**
 * Applies one parsed agent message exactly once. The effect and the processed-id row commit in
 * one transaction, so a resend after a lost ack finds the id and is acknowledged again (with the
 * same ticket) without repeating the effect. The returned ack must be sent only now, after COMMIT.
 */
export class AgentMessageHandler {
  constructor(
    private readonly db: ConsoleDatabase,
    private readonly registry: AgentRegistry,
    private readonly engine: TicketEngine,
    private readonly bus: ChangeBus,
    private readonly now: () => Date,
  ) {}

  async handle(agentId: string, message: AgentMessage): Promise<AckPayload> {
    const changes = new ChangeSet();
    const ack = await this.db.write(async (sql): Promise<AckPayload> => {
      const done = await sql.get<{ ticket_id: number | null }>(
        'SELECT ticket_id FROM processed_messages WHERE agent_id = ? AND msg_id = ?',
        agentId, message.id,
      );
      if (done) return this.okAck(sql, message.id, done.ticket_id);

      let ticketId: number | null = null;
      switch (message.type) {
        case 'hello':
          await this.registry.applyHello(sql, agentId, message.payload);
          changes.registers.add(agentId);
          break;
        case 'health':
          await this.engine.applyDeviceReports(sql, agentId, message.id, message.payload.devices, changes);
          break;
        case 'cashier_report':
          ticketId = await this.engine.applyCashierReport(sql, agentId, message.id, message.payload, changes);
          break;
        case 'command_result': {
          const rejection = await this.applyCommandResult(sql, agentId, message, changes);
          if (rejection) return rejection;
          break;
        }
        case 'cashier_feedback': {
          const rejection = await this.applyCashierFeedback(sql, agentId, message, changes);
          if (rejection) return rejection;
          break;
        }
      }
      await this.registry.touchLastSeen(sql, agentId);
      await sql.run(
        'INSERT INTO processed_messages (agent_id, msg_id, type, ticket_id, processed_at) VALUES (?, ?, ?, ?, ?)',
        agentId, message.id, message.type, ticketId, this.now().toISOString(),
      );
      return this.okAck(sql, message.id, ticketId);
    });
    this.bus.publish(changes);
    return ack;
  }

  private async okAck(sql: SqlConnection, msgId: string, ticketId: number | null): Promise<AckPayload> {
    return ticketId === null ? { ackOf: msgId, ok: true } : { ackOf: msgId, ok: true, ticket: await this.engine.ticketRef(sql, ticketId) };
  }

  /**
   * Returns a rejection ack for an answer about a ticket this register cannot speak for; otherwise
   * applies it and returns undefined. Like a rejected command_result, a rejection records no
   * processed id: nothing was applied, and a resend is refused the same way.
   */
  private async applyCashierFeedback(sql: SqlConnection, agentId: string, message: CashierFeedback, changes: ChangeSet): Promise<AckPayload | undefined> {
    const { payload } = message;
    const ticket = await this.engine.findTicket(sql, payload.ticketId);
    if (!ticket) return { ackOf: message.id, ok: false, code: 'not_found', message: `no ticket ${payload.ticketId}` };
    if (ticket.agent_id !== agentId) return { ackOf: message.id, ok: false, code: 'forbidden', message: `ticket ${payload.ticketId} belongs to another register` };
    const report = await sql.get('SELECT 1 AS found FROM cashier_notes WHERE ticket_id = ? AND report_msg_id = ?', ticket.id, payload.reportId);
    if (!report) return { ackOf: message.id, ok: false, code: 'not_found', message: `report ${payload.reportId} is not on ticket ${payload.ticketId}` };
    await this.engine.applyCashierFeedback(sql, ticket, message.id, payload, changes);
    return undefined;
  }

  /** Returns a rejection ack for a result nobody asked for; otherwise applies it and returns undefined. */
  private async applyCommandResult(sql: SqlConnection, agentId: string, message: CommandResult, changes: ChangeSet): Promise<AckPayload | undefined> {
    const { payload } = message;
    const command = await sql.get<{ verb: string }>(
      'SELECT verb FROM commands WHERE id = ? AND agent_id = ?',
      payload.commandId, agentId,
    );
    if (!command) return { ackOf: message.id, ok: false, code: 'not_found', message: `no command ${payload.commandId} was sent to this agent` };
    // Tickets open before the probe get its result even if the probe resolves them.
    const openBefore = await this.engine.openTicketIds(sql, agentId);
    await sql.run('UPDATE commands SET completed_at = ?, result_code = ? WHERE id = ?', this.now().toISOString(), payload.ok ? 'ok' : payload.code, payload.commandId);
    let text: string;
    if (payload.ok) {
      await this.engine.applyDeviceReports(sql, agentId, message.id, payload.devices, changes);
      const codes = [...new Set(payload.devices.flatMap((device) => device.findings.map((finding) => finding.code)))];
      text = `${command.verb} result: ${payload.devices.length} device(s) probed; findings: ${codes.length ? codes.join(', ') : 'none'}`;
    } else {
      text = `${command.verb} failed: ${payload.code}: ${payload.message}`;
    }
    const openAfter = await this.engine.openTicketIds(sql, agentId);
    await this.engine.noteCommand(sql, agentId, [...new Set([...openBefore, ...openAfter])], null, text, changes);
    return undefined;
  }
}
