import { randomUUID } from 'node:crypto';
import type { DiscoverAccepted } from '@tillscope/shared';
import express, { type Router } from 'express';
import type { ActionQueue } from '../actions/action-queue';
import type { AgentRegistry } from '../agents/agent-registry';
import { readDiscovery } from '../agents/discovery-store';
import type { ConsoleDatabase } from '../db/console-database';
import { HttpError } from '../http/http-error';
import { currentUser } from '../http/session';
import { validate, validated } from '../http/validate';
import { ChangeSet, type ChangeBus } from '../tickets/change-set';
import type { AgentGateway } from '../ws/agent-gateway';
import { RegisterParams } from './register-routes';

export interface DiscoveryRouteDeps {
  db: ConsoleDatabase;
  registry: AgentRegistry;
  bus: ChangeBus;
  agents: AgentGateway;
  actions: ActionQueue;
  now: () => Date;
}

/**
 * Mounted at /api/registers behind requireSession (engineers and admins, like probe): ask a
 * register's agent to discover its ports (POST …/discover, 202) and read the latest answer
 * (GET …/discovery). The answer arrives as the command's result and is stored on ingest.
 */
export function discoveryRoutes({ db, registry, bus, agents, actions, now }: DiscoveryRouteDeps): Router {
  const router = express.Router();

  router.get('/:agentId/discovery', validate('params', RegisterParams), async (_req, res) => {
    const { agentId } = validated(res, 'params', RegisterParams);
    if (!(await registry.find(agentId))) throw new HttpError(404, 'not_found', `register ${agentId} not found`);
    res.json(await readDiscovery(db.sql, agentId, now()));
  });

  router.post('/:agentId/discover', validate('params', RegisterParams), async (_req, res) => {
    const { agentId } = validated(res, 'params', RegisterParams);
    if (!(await registry.find(agentId))) throw new HttpError(404, 'not_found', `register ${agentId} not found`);
    if (!agents.isConnected(agentId)) throw new HttpError(409, 'conflict', 'the register is not connected');
    const commandId = `cmd-${randomUUID()}`;
    // Through the action queue; recorded before sending, so a fast command_result always finds it.
    // The register's feed entry moves, so an open register view shows the request as pending.
    const changes = new ChangeSet();
    await db.write((sql) => actions.record(sql, { agentId, verb: 'discover', requestedBy: currentUser(res).username }, commandId, changes));
    bus.publish(changes);
    // Not sent only if the register dropped in between: then it goes out after its next hello.
    await actions.dispatch(commandId, true);
    const body: DiscoverAccepted = { ok: true, commandId };
    res.status(202).json(body);
  });

  return router;
}
