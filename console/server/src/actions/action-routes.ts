// REST of remote actions (docs/api.md "Remote actions and the audit log").
import { randomUUID } from 'node:crypto';
import { ActionAccepted, ActionRequest, ActionSettings, AuditQuery, PutStoreActionBlocks, StoreId, TicketActions } from '@tillscope/shared';
import express, { type Router } from 'express';
import { z } from 'zod';
import type { AgentRegistry } from '../agents/agent-registry';
import type { ConsoleDatabase } from '../db/console-database';
import { currentUser, requireAdmin } from '../http/session';
import { validate, validated } from '../http/validate';
import { RegisterParams } from '../routes/register-routes';
import { TicketParams } from '../routes/ticket-routes';
import { NotFound, TicketNotFound } from '../tickets/domain-errors';
import type { TicketEngine } from '../tickets/ticket-engine';
import type { ActionQueue } from './action-queue';
import { actionOfRow, auditPage, ticketActionRows } from './action-rows';
import { readActionSettings, saveActionSettings, saveStoreBlocks, storeBlockList } from './action-settings';
import { actionDevice, refuseDuplicate, verbAvailability } from './action-targets';

export interface ActionRouteDeps {
  db: ConsoleDatabase;
  engine: TicketEngine;
  registry: AgentRegistry;
  queue: ActionQueue;
  isConnected: (agentId: string) => boolean;
  now: () => Date;
}

const newCommandId = () => `cmd-${randomUUID()}`;

async function storeOf(registry: AgentRegistry, agentId: string): Promise<string> {
  const agent = await registry.find(agentId);
  if (!agent) throw new NotFound('register', agentId);
  return agent.store_id;
}

/**
 * Mounted at /api/tickets behind requireSession: GET /:id/actions (TicketActions) and
 * POST /:id/actions {verb, deviceId?} → 202 ActionAccepted (queued, or sent at once when the
 * register is connected). 400 bad parameters, 409 `disabled` (turned off in the store) or
 * `conflict` (the same action still waiting).
 */
export function ticketActionRoutes({ db, engine, registry, queue, isConnected }: ActionRouteDeps): Router {
  const router = express.Router();
  router.get('/:id/actions', validate('params', TicketParams), async (_req, res) => {
    const { id } = validated(res, 'params', TicketParams);
    const ticket = await engine.findTicket(db.sql, id);
    if (!ticket) throw new TicketNotFound(id);
    const storeId = await storeOf(registry, ticket.agent_id);
    const body: TicketActions = {
      ticketId: id, agentId: ticket.agent_id, registerConnected: isConnected(ticket.agent_id),
      expiryMinutes: (await readActionSettings(db.sql)).expiryMinutes,
      verbs: await verbAvailability(db.sql, { agentId: ticket.agent_id, storeId, deviceId: ticket.device_id, deviceKind: ticket.device_kind }),
      actions: (await ticketActionRows(db.sql, id)).map(actionOfRow),
    };
    res.json(TicketActions.parse(body));
  });

  router.post('/:id/actions', validate('params', TicketParams), validate('body', ActionRequest), async (_req, res) => {
    const { id } = validated(res, 'params', TicketParams);
    const { verb, deviceId: asked } = validated(res, 'body', ActionRequest);
    const ticket = await engine.findTicket(db.sql, id);
    if (!ticket) throw new TicketNotFound(id);
    const deviceId = await actionDevice(db.sql, ticket.agent_id, verb, asked, ticket.device_id);
    await refuseDuplicate(db.sql, ticket.agent_id, verb, deviceId);
    const commandId = newCommandId();
    const action = await queue.enqueue({ agentId: ticket.agent_id, verb, deviceId, ticketId: id, requestedBy: currentUser(res).username }, commandId);
    res.status(202).json(ActionAccepted.parse({ ok: true, commandId, action }));
  });
  return router;
}

/** Mounted at /api/registers behind requireSession: POST /:agentId/actions {verb, deviceId?} → 202 ActionAccepted. */
export function registerActionRoutes({ db, registry, queue }: ActionRouteDeps): Router {
  const router = express.Router();
  router.post('/:agentId/actions', validate('params', RegisterParams), validate('body', ActionRequest), async (_req, res) => {
    const { agentId } = validated(res, 'params', RegisterParams);
    const { verb, deviceId: asked } = validated(res, 'body', ActionRequest);
    await storeOf(registry, agentId); // 404 for an unknown register before its devices are looked at
    const deviceId = await actionDevice(db.sql, agentId, verb, asked, null);
    await refuseDuplicate(db.sql, agentId, verb, deviceId);
    const commandId = newCommandId();
    const action = await queue.enqueue({ agentId, verb, deviceId, requestedBy: currentUser(res).username }, commandId);
    res.status(202).json(ActionAccepted.parse({ ok: true, commandId, action }));
  });
  return router;
}

const CommandParams = z.object({ commandId: z.string().regex(/^cmd-[A-Za-z0-9-]{1,64}$/, 'a command id') });
const StoreParams = z.object({ storeId: StoreId });

/**
 * Mounted at /api/actions behind requireSession: POST /:commandId/cancel (a queued action),
 * GET /settings, PUT /settings (admins), GET /stores, PUT /stores/:storeId (admins).
 */
export function actionAdminRoutes({ db, queue, now }: ActionRouteDeps): Router {
  const router = express.Router();
  router.post('/:commandId/cancel', validate('params', CommandParams), async (_req, res) => {
    const { commandId } = validated(res, 'params', CommandParams);
    res.json(await queue.cancel(commandId, currentUser(res).username));
  });
  router.get('/settings', async (_req, res) => {
    res.json(await readActionSettings(db.sql));
  });
  router.put('/settings', requireAdmin(), validate('body', ActionSettings), async (_req, res) => {
    const settings = validated(res, 'body', ActionSettings);
    await db.write((sql) => saveActionSettings(sql, settings, currentUser(res).username, now().toISOString()));
    res.json(await readActionSettings(db.sql));
  });
  router.get('/stores', async (_req, res) => {
    res.json(await storeBlockList(db.sql));
  });
  router.put('/stores/:storeId', requireAdmin(), validate('params', StoreParams), validate('body', PutStoreActionBlocks), async (_req, res) => {
    const { storeId } = validated(res, 'params', StoreParams);
    const { disabled } = validated(res, 'body', PutStoreActionBlocks);
    await db.write((sql) => saveStoreBlocks(sql, storeId, disabled, currentUser(res).username, now().toISOString()));
    res.json((await storeBlockList(db.sql)).stores.find((store) => store.storeId === storeId) ?? { storeId, disabled: [], updatedBy: null, updatedAt: null });
  });
  return router;
}

/** Mounted at /api/audit behind requireSession: GET / with AuditQuery → AuditPage. */
export function auditRoutes({ db }: Pick<ActionRouteDeps, 'db'>): Router {
  const router = express.Router();
  router.get('/', validate('query', AuditQuery), async (_req, res) => {
    res.json(await auditPage(db.sql, validated(res, 'query', AuditQuery)));
  });
  return router;
}
