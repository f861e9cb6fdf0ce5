import { KpiQuery, type KpiRebuildResult } from '@tillscope/shared';
import express, { type RequestHandler, type Router } from 'express';
import type { ConsoleDatabase } from '../db/console-database';
import { requireAdmin } from '../http/session';
import { validate, validated } from '../http/validate';
import { kpiCsv, kpiFileName } from './kpi-csv';
import type { KpiFacts } from './kpi-facts';
import { kpiReport } from './kpi-report';

export interface KpiRouteDeps {
  db: ConsoleDatabase;
  facts: KpiFacts;
  now: () => Date;
  /** requireSession: the routes sit at /api/kpi and /api/kpi.csv, so the router is mounted on /api itself */
  session: RequestHandler;
}

/**
 * Mounted at /api; every route needs a session: engineers and admins read the KPIs. Each read first brings
 * the facts up to the timeline (kpi-facts.ts: only tickets with new events or moves), so a report
 * never shows figures older than the timeline it answers from.
 */
export function kpiRoutes({ db, facts, now, session }: KpiRouteDeps): Router {
  const router = express.Router();

  async function report(query: ReturnType<typeof validated<typeof KpiQuery>>, csv = false) {
    await facts.refresh();
    return kpiReport(db.sql, query, now(), csv ? { cells: true, limit: Number.MAX_SAFE_INTEGER } : {});
  }

  router.get('/kpi', session, validate('query', KpiQuery), async (_req, res) => {
    res.json(await report(validated(res, 'query', KpiQuery)));
  });

  router.get('/kpi.csv', session, validate('query', KpiQuery), async (_req, res) => {
    const query = validated(res, 'query', KpiQuery);
    const result = await report(query, true);
    res
      .type('text/csv; charset=utf-8')
      .setHeader('Content-Disposition', `attachment; filename="${kpiFileName(result)}"`)
      .send(kpiCsv(result, query.delimiter));
  });

  /** Admins: recompute every fact from the timeline (never needed for correctness: a check, or after restoring a backup by hand). */
  router.post('/kpi/rebuild', session, requireAdmin(), async (_req, res) => {
    const body: KpiRebuildResult = { tickets: await facts.rebuild() };
    res.json(body);
  });

  return router;
}
