import type { Ack, AgentMessage, CashierFeedback, CommandResult } from '@tillscope/shared';
import { markActionResult, markActionStarted, type TimelineNote } from '../actions/action-states';
import type { SqlConnection } from '../db/console-database';
import type { ChangeSet } from '../tickets/change-set';
import type { TicketEngine } from '../tickets/ticket-engine';
import { applyTestPrintCommandResult, applyTestPrintDone } from '../tickets/test-print-results';
import { bundleOfCommand, bundleResultText } from '../bundles/bundle-store';
import type { AgentRegistry } from './agent-registry';
import { saveDiscovery } from './discovery-store';

type AckPayload = Ack['payload'];

/** What applying one message decided: the ack to send after COMMIT, and whether to record its id. */
export interface AppliedMessage {
  ack: AckPayload;
  /** False for a rejection: nothing was applied, so a resend must be judged again, not deduplicated. */
  record: boolean;
  ticketId: number | null;
}

/**
 * The effect of one parsed agent message, inside the caller's write transaction. The caller
 * (IngestBatcher) deduplicates by message id, records processed ids, keeps "last seen" and sends
 * the ack only after COMMIT; this class knows what each message type means.
 */
export class AgentMessageHandler {
  constructor(
    private readonly registry: AgentRegistry,
    private readonly engine: TicketEngine,
    private readonly now: () => Date,
  ) {}

  private readonly note: TimelineNote = (...args) => this.engine.note(...args);

  async apply(sql: SqlConnection, agentId: string, message: AgentMessage, changes: ChangeSet): Promise<AppliedMessage> {
    let ticketId: number | null = null;
    switch (message.type) {
      case 'hello':
        await this.registry.applyHello(sql, agentId, message.payload);
        changes.registers.add(agentId);
        changes.hellos.add(agentId); // its queued remote actions go out after this commit
        // A register new to a store a reference covers counts on it (as unknown) before its host facts come.
        await this.engine.recomputeDrift(sql, [agentId], changes);
        break;
      case 'health':
        await this.engine.applyDeviceReports(sql, agentId, message.id, message.payload.devices, changes);
        break;
      case 'cashier_report':
        ticketId = await this.engine.applyCashierReport(sql, agentId, message.id, message.payload, changes);
        break;
      case 'command_result': {
        const rejection = await this.applyCommandResult(sql, agentId, message, changes);
        if (rejection) return { ack: rejection, record: false, ticketId: null };
        break;
      }
      case 'test_print_done':
        await applyTestPrintDone(sql, this.engine, agentId, message.id, message.payload, changes);
        break;
      case 'command_started':
        if (!(await markActionStarted(sql, this.note, agentId, message.payload.commandId, message.payload.startedAt, changes))) {
          return { ack: { ackOf: message.id, ok: false, code: 'not_found', message: `no command ${message.payload.commandId} was sent to this agent` }, record: false, ticketId: null };
        }
        break;
      case 'cashier_feedback': {
        const rejection = await this.applyCashierFeedback(sql, agentId, message, changes);
        if (rejection) return { ack: rejection, record: false, ticketId: null };
        break;
      }
    }
    return { ack: await this.okAck(sql, message.id, ticketId), record: true, ticketId };
  }

  /** The ack for a message already processed: the same answer, ticket included, without the effect. */
  async repeatAck(sql: SqlConnection, msgId: string, ticketId: number | null): Promise<AckPayload> {
    return this.okAck(sql, msgId, ticketId);
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
    const command = await sql.get<{ verb: string; ticket_id: number | null }>(
      'SELECT verb, ticket_id FROM commands WHERE id = ? AND agent_id = ?',
      payload.commandId, agentId,
    );
    if (!command) return { ackOf: message.id, ok: false, code: 'not_found', message: `no command ${payload.commandId} was sent to this agent` };
    // Tickets open before the probe get its result even if the probe resolves them.
    const openBefore = await this.engine.openTicketIds(sql, agentId);
    await sql.run(
      'UPDATE commands SET completed_at = ?, result_code = ?, result_message = ? WHERE id = ?',
      this.now().toISOString(), payload.ok ? 'ok' : payload.code, payload.ok ? null : payload.message, payload.commandId,
    );
    await markActionResult(sql, this.note, payload.commandId, payload.ok ? { ok: true } : payload, changes);
    if (command.verb === 'collect_bundle') {
      if (command.ticket_id !== null && (await this.engine.findTicket(sql, command.ticket_id))) {
        const stored = await bundleOfCommand(sql, agentId, payload.commandId);
        const text = payload.ok ? bundleResultText(payload.bundle, stored?.bundleId === payload.bundle?.bundleId ? stored : undefined) : bundleResultText(undefined, undefined, payload);
        await this.engine.note(sql, agentId, command.ticket_id, 'bundle', null, text, changes);
      }
      return undefined;
    }
    if (command.verb === 'test_print' && command.ticket_id !== null) {
      if (payload.ok) await this.engine.applyDeviceReports(sql, agentId, message.id, payload.devices, changes);
      await applyTestPrintCommandResult(sql, this.engine, agentId, command.ticket_id, payload, changes);
      return undefined;
    }
    let text: string;
    if (payload.ok) {
      await this.engine.applyDeviceReports(sql, agentId, message.id, payload.devices, changes);
      const codes = [...new Set(payload.devices.flatMap((device) => device.findings.map((finding) => finding.code)))];
      text = `${command.verb} result: ${payload.devices.length} device(s) probed; findings: ${codes.length ? codes.join(', ') : 'none'}`;
      if (payload.discovery) {
        await saveDiscovery(sql, agentId, payload.commandId, this.now().toISOString(), payload.discovery);
        changes.registers.add(agentId);
        const proposed = payload.discovery.ports.filter((p) => p.proposedConfig !== undefined).length;
        text = `${command.verb} result: ${payload.discovery.ports.length} port(s) found, ${proposed} config entr${proposed === 1 ? 'y' : 'ies'} proposed`;
      }
    } else {
      text = `${command.verb} failed: ${payload.code}: ${payload.message}`;
    }
    const openAfter = await this.engine.openTicketIds(sql, agentId);
    await this.engine.noteCommand(sql, agentId, [...new Set([...openBefore, ...openAfter])], null, text, changes);
    return undefined;
  }
}
