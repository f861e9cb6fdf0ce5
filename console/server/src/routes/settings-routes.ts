import { NoiseSettings, NoiseSettingsView } from '@tillscope/shared';
import express, { type Router } from 'express';
import type { ConsoleDatabase } from '../db/console-database';
import { currentUser, requireAdmin } from '../http/session';
import { validate, validated } from '../http/validate';
import { catalogueHolds, type NoiseSettingsStore } from '../noise/noise-settings';

export interface SettingsRouteDeps {
  db: ConsoleDatabase;
  noise: NoiseSettingsStore;
  now: () => Date;
}

/** Mounted at /api/settings behind requireSession: GET /noise (anyone signed in), PUT /noise (admin). Both answer NoiseSettingsView. */
export function settingsRoutes({ db, noise, now }: SettingsRouteDeps): Router {
  const router = express.Router();
  const view = async (): Promise<NoiseSettingsView> => NoiseSettingsView.parse({ settings: await noise.current(db.sql), defaultHolds: catalogueHolds() });

  router.get('/noise', async (_req, res) => {
    res.json(await view());
  });

  router.put('/noise', requireAdmin(), validate('body', NoiseSettings), async (_req, res) => {
    const settings = validated(res, 'body', NoiseSettings);
    await db.write((sql) => noise.save(sql, settings, currentUser(res).username, now().toISOString()));
    res.json(await view());
  });

  return router;
}
