import { randomUUID } from 'node:crypto';
import type { DiscoverAccepted } from '@tillscope/shared';
import express, { type Router } from 'express';
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
  now: () => Date;
}

/**
 * Mounted at /api/registers behind requireSession (engineers and admins, like probe): ask a
 * register's agent to discover its ports (POST …/discover, 202) and read the latest answer
 * (GET …/discovery). The answer arrives as the command's result and is stored on ingest.
 */
export function discoveryRoutes({ db, registry, bus, agents, now }: DiscoveryRouteDeps): Router {
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
    // Recorded before sending, so a fast command_result always finds its command.
    await db.write((sql) =>
      sql.run(
        'INSERT INTO commands (id, agent_id, verb, device_id, requested_by, requested_at) VALUES (?, ?, ?, NULL, ?, ?)',
        commandId, agentId, 'discover', currentUser(res).username, now().toISOString(),
      ),
    );
    // The register's feed entry moves, so an open register view shows the request as pending.
    const changes = new ChangeSet();
    changes.registers.add(agentId);
    bus.publish(changes);
    if (!agents.sendCommand(agentId, 'discover', commandId)) throw new HttpError(409, 'conflict', 'the register disconnected');
    const body: DiscoverAccepted = { ok: true, commandId };
    res.status(202).json(body);
  });

  return router;
}
