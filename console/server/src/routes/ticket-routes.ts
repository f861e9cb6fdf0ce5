import { NoteRequest, ResolveRequest, TicketListQuery } from '@tillscope/shared';
import express, { type Router } from 'express';
import { z } from 'zod';
import type { ConsoleDatabase, SqlConnection } from '../db/console-database';
import { currentUser } from '../http/session';
import { recordFix } from '../kb/fix-rates';
import { validate, validated } from '../http/validate';
import { ChangeSet, type ChangeBus } from '../tickets/change-set';
import type { TicketEngine } from '../tickets/ticket-engine';
import type { TicketViews } from '../tickets/ticket-views';

export const TicketParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export interface TicketRouteDeps {
  db: ConsoleDatabase;
  engine: TicketEngine;
  views: TicketViews;
  bus: ChangeBus;
  now: () => Date;
}

/** Mounted at /api/tickets behind requireSession. Every mutation answers the full TicketDetail. */
export function ticketRoutes({ db, engine, views, bus, now }: TicketRouteDeps): Router {
  const router = express.Router();

  async function mutate(ticketId: number, change: (sql: SqlConnection, changes: ChangeSet) => Promise<void>) {
    const changes = new ChangeSet();
    await db.write((sql) => change(sql, changes));
    bus.publish(changes);
    return views.detail(ticketId);
  }

  router.get('/', validate('query', TicketListQuery), async (_req, res) => {
    const query = validated(res, 'query', TicketListQuery);
    // Already TicketList JSON text (built and checked by SQL, see TicketViews.listPage).
    res.type('application/json').send(await views.listPage(query, currentUser(res)));
  });

  router.get('/:id', validate('params', TicketParams), async (_req, res) => {
    res.json(await views.detail(validated(res, 'params', TicketParams).id));
  });

  router.post('/:id/take', validate('params', TicketParams), async (_req, res) => {
    const { id } = validated(res, 'params', TicketParams);
    res.json(await mutate(id, (sql, changes) => engine.take(sql, id, currentUser(res), changes)));
  });

  router.post('/:id/notes', validate('params', TicketParams), validate('body', NoteRequest), async (_req, res) => {
    const { id } = validated(res, 'params', TicketParams);
    const { text } = validated(res, 'body', NoteRequest);
    res.json(await mutate(id, (sql, changes) => engine.addNote(sql, id, currentUser(res), text, changes)));
  });

  router.post('/:id/resolve', validate('params', TicketParams), validate('body', ResolveRequest), async (_req, res) => {
    const { id } = validated(res, 'params', TicketParams);
    const { note, fix } = validated(res, 'body', ResolveRequest);
    const actor = currentUser(res);
    res.json(await mutate(id, async (sql, changes) => {
      await engine.resolve(sql, id, actor, note, changes);
      // The fix named on resolve feeds the knowledge base's fix rates (same transaction).
      if (fix) await recordFix(sql, id, fix, actor.username, now().toISOString());
    }));
  });

  return router;
}
