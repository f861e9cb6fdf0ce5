import { ChannelList, DeliveryListQuery, RuleList, UpsertChannelRequest, UpsertRuleRequest } from '@tillscope/shared';
import express, { type Router } from 'express';
import { z } from 'zod';
import type { ConsoleDatabase } from '../db/console-database';
import { currentUser, requireAdmin } from '../http/session';
import { validate, validated } from '../http/validate';
import { listDeliveries, retryDelivery } from './delivery-views';
import { deleteChannel, deleteRule, listChannels, listRules, saveChannel, saveRule } from './notify-config';

const IdParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export interface NotifyRouteDeps {
  db: ConsoleDatabase;
  now: () => Date;
}

/**
 * Mounted at /api/notify behind requireSession; admins only (channels hold secrets and reach
 * outside). Channels and rules: list, create, replace, delete. Deliveries: the newest and counts,
 * and a retry of a failed or skipped one. A channel's secret is never answered in full.
 */
export function notifyRoutes({ db, now }: NotifyRouteDeps): Router {
  const router = express.Router();
  router.use(requireAdmin());
  const nowIso = () => now().toISOString();
  const by = (res: express.Response) => currentUser(res).username;

  router.get('/channels', async (_req, res) => {
    res.json(ChannelList.parse({ channels: await listChannels(db.sql) }));
  });
  router.post('/channels', validate('body', UpsertChannelRequest), async (_req, res) => {
    const request = validated(res, 'body', UpsertChannelRequest);
    res.status(201).json(await db.write((sql) => saveChannel(sql, undefined, request, by(res), nowIso())));
  });
  router.put('/channels/:id', validate('params', IdParams), validate('body', UpsertChannelRequest), async (_req, res) => {
    const { id } = validated(res, 'params', IdParams);
    const request = validated(res, 'body', UpsertChannelRequest);
    res.json(await db.write((sql) => saveChannel(sql, id, request, by(res), nowIso())));
  });
  router.delete('/channels/:id', validate('params', IdParams), async (_req, res) => {
    const { id } = validated(res, 'params', IdParams);
    await db.write((sql) => deleteChannel(sql, id));
    res.status(204).end();
  });

  router.get('/rules', async (_req, res) => {
    res.json(RuleList.parse({ rules: await listRules(db.sql) }));
  });
  router.post('/rules', validate('body', UpsertRuleRequest), async (_req, res) => {
    const rule = validated(res, 'body', UpsertRuleRequest);
    res.status(201).json(await db.write((sql) => saveRule(sql, undefined, rule, by(res), nowIso())));
  });
  router.put('/rules/:id', validate('params', IdParams), validate('body', UpsertRuleRequest), async (_req, res) => {
    const { id } = validated(res, 'params', IdParams);
    const rule = validated(res, 'body', UpsertRuleRequest);
    res.json(await db.write((sql) => saveRule(sql, id, rule, by(res), nowIso())));
  });
  router.delete('/rules/:id', validate('params', IdParams), async (_req, res) => {
    const { id } = validated(res, 'params', IdParams);
    await db.write((sql) => deleteRule(sql, id));
    res.status(204).end();
  });

  router.get('/deliveries', validate('query', DeliveryListQuery), async (_req, res) => {
    res.json(await listDeliveries(db.sql, validated(res, 'query', DeliveryListQuery)));
  });
  router.post('/deliveries/:id/retry', validate('params', IdParams), async (_req, res) => {
    const { id } = validated(res, 'params', IdParams);
    await db.write((sql) => retryDelivery(sql, id, nowIso()));
    res.json({ ok: true });
  });
  return router;
}
