import { KpiQuery, type KpiRebuildResult } from '@tillscope/shared';
import express, { type RequestHandler, type Router } from 'express';
import { requireAdmin } from '../http/session';
import { validate, validated } from '../http/validate';
import { kpiCsv, kpiFileName } from './kpi-csv';
import type { KpiFacts } from './kpi-facts';
import { kpiReport, kpiReportAndCells } from './kpi-report';

export interface KpiRouteDeps {
  facts: KpiFacts;
  now: () => Date;
  /** requireSession: the routes sit at /api/kpi and /api/kpi.csv, so the router is mounted on /api itself */
  session: RequestHandler;
}

/**
 * Mounted at /api; every route needs a session: engineers and admins read the KPIs. Each read first brings
 * the facts up to the timeline (kpi-facts.ts: only tickets with new events or moves), so a report
 * never shows figures older than the timeline it answers from, then sums the copy held in memory.
 */
export function kpiRoutes({ facts, now, session }: KpiRouteDeps): Router {
  const router = express.Router();

  router.get('/kpi', session, validate('query', KpiQuery), async (_req, res) => {
    const query = validated(res, 'query', KpiQuery);
    res.json(kpiReport(await facts.snapshot(), query, now()));
  });

  router.get('/kpi.csv', session, validate('query', KpiQuery), async (_req, res) => {
    const query = validated(res, 'query', KpiQuery);
    // The rows are written as they are made (no breakdown: the CSV has none), before any await.
    const { report, cells } = kpiReportAndCells(await facts.snapshot(), query, now(), { cells: true, limit: 0 });
    res
      .type('text/csv; charset=utf-8')
      .setHeader('Content-Disposition', `attachment; filename="${kpiFileName(report)}"`)
      .send(kpiCsv(cells(), query.delimiter));
  });

  /** Admins: recompute every fact from the timeline (never needed for correctness: a check, or after restoring a backup by hand). */
  router.post('/kpi/rebuild', session, requireAdmin(), async (_req, res) => {
    const body: KpiRebuildResult = { tickets: await facts.rebuild() };
    res.json(body);
  });

  return router;
}
