import { CreateMaintenanceRequest, MaintenanceListQuery, type MaintenanceList } from '@tillscope/shared';
import express, { type Router } from 'express';
import { z } from 'zod';
import type { ConsoleDatabase } from '../db/console-database';
import { currentUser } from '../http/session';
import { validate, validated } from '../http/validate';
import { cancelMaintenance, createMaintenance, listMaintenance } from './maintenance-windows';

const WindowParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export interface MaintenanceRouteDeps {
  db: ConsoleDatabase;
  now: () => Date;
}

/**
 * Mounted at /api/maintenance behind requireSession: engineers and admins read, plan and cancel
 * windows (every console user is one or the other). Domain errors become 400/404/409 in the error middleware.
 */
export function maintenanceRoutes({ db, now }: MaintenanceRouteDeps): Router {
  const router = express.Router();
  const nowIso = () => now().toISOString();

  router.get('/', validate('query', MaintenanceListQuery), async (_req, res) => {
    const list: MaintenanceList = { windows: await listMaintenance(db.sql, validated(res, 'query', MaintenanceListQuery), nowIso()) };
    res.json(list);
  });

  router.post('/', validate('body', CreateMaintenanceRequest), async (_req, res) => {
    const request = validated(res, 'body', CreateMaintenanceRequest);
    const created = await db.write((sql) => createMaintenance(sql, request, currentUser(res).username, nowIso()));
    res.status(201).json(created);
  });

  router.delete('/:id', validate('params', WindowParams), async (_req, res) => {
    const { id } = validated(res, 'params', WindowParams);
    res.json(await db.write((sql) => cancelMaintenance(sql, id, currentUser(res).username, nowIso())));
  });

  return router;
}
