import { CashierSettings } from '@tillscope/shared';
import express, { type Router } from 'express';
import type { ConsoleDatabase } from '../db/console-database';
import { currentUser, requireAdmin } from '../http/session';
import { validate, validated } from '../http/validate';
import type { CashierSettingsStore } from './cashier-settings';

export interface CashierSettingsRouteDeps {
  db: ConsoleDatabase;
  store: CashierSettingsStore;
  now: () => Date;
}

/** Mounted at /api/settings/cashier behind requireSession: GET (anyone signed in), PUT (admin). Both answer CashierSettingsView. */
export function cashierSettingsRoutes({ db, store, now }: CashierSettingsRouteDeps): Router {
  const router = express.Router();

  router.get('/', async (_req, res) => {
    res.json(await store.view(db.sql));
  });

  router.put('/', requireAdmin(), validate('body', CashierSettings), async (_req, res) => {
    const settings = validated(res, 'body', CashierSettings);
    await db.write((sql) => store.save(sql, settings, currentUser(res).username, now().toISOString()));
    res.json(await store.view(db.sql));
  });

  return router;
}
