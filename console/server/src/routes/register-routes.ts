import { randomUUID } from 'node:crypto';
import { ProbeRequest, RegisterListQuery } from '@tillscope/shared';
import express, { type Router } from 'express';
import { z } from 'zod';
import type { ActionQueue } from '../actions/action-queue';
import type { AgentRegistry } from '../agents/agent-registry';
import type { ConsoleDatabase } from '../db/console-database';
import { HttpError } from '../http/http-error';
import { currentUser } from '../http/session';
import { validate, validated } from '../http/validate';
import { ChangeSet, type ChangeBus } from '../tickets/change-set';
import type { TicketEngine } from '../tickets/ticket-engine';
import type { TicketViews } from '../tickets/ticket-views';
import type { AgentGateway } from '../ws/agent-gateway';

export const RegisterParams = z.object({ agentId: z.string().min(1).max(64) });

export interface RegisterRouteDeps {
  db: ConsoleDatabase;
  registry: AgentRegistry;
  engine: TicketEngine;
  views: TicketViews;
  bus: ChangeBus;
  agents: AgentGateway;
  actions: ActionQueue;
}

/** Mounted at /api/registers behind requireSession. */
export function registerRoutes({ db, registry, engine, views, bus, agents, actions }: RegisterRouteDeps): Router {
  const router = express.Router();

  router.get('/', validate('query', RegisterListQuery), async (_req, res) => {
    res.json(await views.registerPage(validated(res, 'query', RegisterListQuery)));
  });

  router.get('/:agentId', validate('params', RegisterParams), async (_req, res) => {
    res.json(await views.registerDetail(validated(res, 'params', RegisterParams).agentId));
  });

  router.post('/:agentId/probe', validate('params', RegisterParams), validate('body', ProbeRequest), async (_req, res) => {
    const { agentId } = validated(res, 'params', RegisterParams);
    const { deviceId } = validated(res, 'body', ProbeRequest);
    if (!(await registry.find(agentId))) throw new HttpError(404, 'not_found', `register ${agentId} not found`);
    if (!agents.isConnected(agentId)) throw new HttpError(409, 'conflict', 'the register is not connected');
    const commandId = `cmd-${randomUUID()}`;
    const username = currentUser(res).username;
    const changes = new ChangeSet();
    // Through the action queue (audit log, per-store switch); recorded before sending, so a fast command_result always finds it.
    await db.write(async (sql) => {
      await actions.record(sql, { agentId, verb: 'probe_now', deviceId, requestedBy: username }, commandId, changes);
      const open = await engine.openTicketIds(sql, agentId);
      await engine.noteCommand(sql, agentId, open, username, `probe_now requested${deviceId ? ` for ${deviceId}` : ''}`, changes);
    });
    bus.publish(changes);
    // Not sent only if the register dropped in between: then it goes out after its next hello.
    await actions.dispatch(commandId, true);
    res.status(202).json({ ok: true, commandId });
  });

  return router;
}
