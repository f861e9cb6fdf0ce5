import { PromoteRegisterRequest, ReferenceRequest, type ReferenceList } from '@tillscope/shared';
import express, { type Router } from 'express';
import { z } from 'zod';
import type { AgentRegistry } from '../agents/agent-registry';
import type { ConsoleDatabase } from '../db/console-database';
import { registerHost } from '../host/host-views';
import type { ReferenceBook } from '../host/reference-book';
import { referenceDetail, referenceSummaries } from '../host/reference-store';
import { HttpError } from '../http/http-error';
import { currentUser, requireAdmin } from '../http/session';
import { validate, validated } from '../http/validate';
import { RegisterParams } from './register-routes';

export const ReferenceParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** Mounted at /api/registers behind requireSession: GET …/:agentId/host (engineers and admins). */
export function registerHostRoutes({ db, registry }: { db: ConsoleDatabase; registry: AgentRegistry }): Router {
  const router = express.Router();
  router.get('/:agentId/host', validate('params', RegisterParams), async (_req, res) => {
    const { agentId } = validated(res, 'params', RegisterParams);
    if (!(await registry.find(agentId))) throw new HttpError(404, 'not_found', `register ${agentId} not found`);
    res.json(await registerHost(db.sql, agentId));
  });
  return router;
}

/**
 * Mounted at /api/references behind requireSession. Everyone reads; only admins create, edit,
 * delete and promote (403 forbidden for engineers).
 */
export function referenceRoutes({ db, book }: { db: ConsoleDatabase; book: ReferenceBook }): Router {
  const router = express.Router();
  const notFound = (id: number) => new HttpError(404, 'not_found', `reference ${id} not found`);

  router.get('/', async (_req, res) => {
    const body: ReferenceList = { references: await referenceSummaries(db.sql) };
    res.json(body);
  });

  router.post('/', requireAdmin(), validate('body', ReferenceRequest), async (_req, res) => {
    res.status(201).json(await book.create(validated(res, 'body', ReferenceRequest), currentUser(res).username));
  });

  router.post('/from-register', requireAdmin(), validate('body', PromoteRegisterRequest), async (_req, res) => {
    const request = validated(res, 'body', PromoteRegisterRequest);
    const outcome = await book.promote(request, currentUser(res).username);
    if (outcome === 'unknown_register') throw new HttpError(404, 'not_found', `register ${request.agentId} not found`);
    if (outcome === 'no_host_facts') throw new HttpError(409, 'conflict', `register ${request.agentId} has not reported its host facts yet`);
    res.status(201).json(outcome);
  });

  router.get('/:id', validate('params', ReferenceParams), async (_req, res) => {
    const { id } = validated(res, 'params', ReferenceParams);
    const detail = await referenceDetail(db.sql, id);
    if (!detail) throw notFound(id);
    res.json(detail);
  });

  router.put('/:id', requireAdmin(), validate('params', ReferenceParams), validate('body', ReferenceRequest), async (_req, res) => {
    const { id } = validated(res, 'params', ReferenceParams);
    const detail = await book.update(id, validated(res, 'body', ReferenceRequest));
    if (!detail) throw notFound(id);
    res.json(detail);
  });

  router.delete('/:id', requireAdmin(), validate('params', ReferenceParams), async (_req, res) => {
    const { id } = validated(res, 'params', ReferenceParams);
    if (!(await book.remove(id))) throw notFound(id);
    res.json({ ok: true });
  });

  return router;
}
