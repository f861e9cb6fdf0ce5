import { ReplacementListQuery } from '@tillscope/shared';
import express, { type Router } from 'express';
import type { ConsoleDatabase } from '../db/console-database';
import { allReplacements, replacementList } from '../fiscal/replacements';
import { replacementsCsv, replacementsFileName } from '../fiscal/replacements-csv';
import { validate, validated } from '../http/validate';

export interface FiscalRouteDeps {
  db: ConsoleDatabase;
  now: () => Date;
}

/** Mounted at /api/fiscal behind requireSession: engineers and admins may read. */
export function fiscalRoutes({ db, now }: FiscalRouteDeps): Router {
  const router = express.Router();

  /** "ФН к замене": a page of stores as JSON (ReplacementList), or every store as CSV with `format=csv` (replacements-csv.ts). */
  router.get('/replacements', validate('query', ReplacementListQuery), async (_req, res) => {
    const query = validated(res, 'query', ReplacementListQuery);
    const at = now();
    if (query.format === 'json') {
      res.json(await replacementList(db.sql, at, query));
      return;
    }
    const list = await allReplacements(db.sql, at, query.storeId);
    res
      .type('text/csv; charset=utf-8')
      .setHeader('Content-Disposition', `attachment; filename="${replacementsFileName(at)}"`)
      .send(replacementsCsv(list, query.delimiter));
  });

  return router;
}
