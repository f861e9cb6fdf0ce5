import { randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import type { ActionQueue } from '../actions/action-queue';
import type { ConsoleDatabase } from '../db/console-database';
import { HttpError } from '../http/http-error';
import { currentUser } from '../http/session';
import { validate, validated } from '../http/validate';
import { ChangeSet, type ChangeBus } from '../tickets/change-set';
import type { TicketEngine } from '../tickets/ticket-engine';
import type { AgentGateway } from '../ws/agent-gateway';
import { TicketParams } from './ticket-routes';

export interface TestPrintRouteDeps {
  db: ConsoleDatabase;
  engine: TicketEngine;
  bus: ChangeBus;
  agents: AgentGateway;
  actions: ActionQueue;
}

/**
 * POST /api/tickets/:id/test-print (mounted at /api/tickets behind requireSession: engineers and
 * admins). Asks the ticket's register for a test print on the ticket's receipt printer; answers
 * 202 `{ ok, commandId }`. The result arrives later as the command's answer and lands on this
 * ticket's timeline and checklist (tickets/test-print-results.ts).
 */
export function testPrintRoutes({ db, engine, bus, agents, actions }: TestPrintRouteDeps): Router {
  const router = express.Router();
  router.post('/:id/test-print', validate('params', TicketParams), async (_req, res) => {
    const { id } = validated(res, 'params', TicketParams);
    const username = currentUser(res).username;
    const commandId = `cmd-${randomUUID()}`;
    const changes = new ChangeSet();
    // Recorded before sending, so a fast command_result always finds its command and ticket.
    await db.write(async (sql) => {
      const ticket = await engine.findTicket(sql, id);
      if (!ticket) throw new HttpError(404, 'not_found', `ticket ${id} not found`);
      if (ticket.device_kind !== 'receipt-printer' || !ticket.device_id) throw new HttpError(409, 'conflict', 'a test print needs a ticket about a receipt printer');
      if (!agents.isConnected(ticket.agent_id)) throw new HttpError(409, 'conflict', 'the register is not connected');
      await actions.record(sql, { agentId: ticket.agent_id, verb: 'test_print', deviceId: ticket.device_id, ticketId: id, requestedBy: username }, commandId, changes);
      await engine.note(sql, ticket.agent_id, id, 'test_print_requested', username, ticket.device_id, changes);
    });
    bus.publish(changes);
    // Not sent only if the register dropped in between: then it goes out after its next hello.
    await actions.dispatch(commandId, true);
    res.status(202).json({ ok: true, commandId });
  });
  return router;
}
