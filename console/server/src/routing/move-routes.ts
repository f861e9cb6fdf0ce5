import { AssignRequest, EscalateRequest, ReassignRequest, ResumeRequest, UpdateVendorRequest, WaitRequest } from '@tillscope/shared';
import express, { type Response, type Router } from 'express';
import type { ConsoleDatabase, SqlConnection } from '../db/console-database';
import { currentUser } from '../http/session';
import { validate, validated } from '../http/validate';
import { TicketParams } from '../routes/ticket-routes';
import { ChangeSet, type ChangeBus } from '../tickets/change-set';
import type { TicketViews } from '../tickets/ticket-views';
import type { TicketMoves } from './moves';
import { buildVendorPack, vendorPackFileName } from './vendor-pack';
import { vendorPackHtml } from './vendor-pack-html';

// Ticket moves and the vendor hand-off (docs/api.md "Moves and escalation"). Mounted at /api/tickets
// behind requireSession: engineers and admins alike. Every move answers the full TicketDetail.

export interface MoveRouteDeps {
  db: ConsoleDatabase;
  moves: TicketMoves;
  views: TicketViews;
  bus: ChangeBus;
  now: () => Date;
}

export function ticketMoveRoutes({ db, moves, views, bus, now }: MoveRouteDeps): Router {
  const router = express.Router();

  async function answerMove(res: Response, move: (sql: SqlConnection, changes: ChangeSet, id: number) => Promise<void>) {
    const { id } = validated(res, 'params', TicketParams);
    const changes = new ChangeSet();
    await db.write((sql) => move(sql, changes, id));
    bus.publish(changes);
    res.json(await views.detail(id));
  }

  const params = validate('params', TicketParams);
  router.post('/:id/assign', params, validate('body', AssignRequest), (_req, res) =>
    answerMove(res, (sql, changes, id) => moves.assign(sql, id, currentUser(res), validated(res, 'body', AssignRequest), changes)));
  router.post('/:id/reassign', params, validate('body', ReassignRequest), (_req, res) =>
    answerMove(res, (sql, changes, id) => moves.reassign(sql, id, currentUser(res), validated(res, 'body', ReassignRequest), changes)));
  router.post('/:id/escalate', params, validate('body', EscalateRequest), (_req, res) =>
    answerMove(res, (sql, changes, id) => moves.escalate(sql, id, currentUser(res), validated(res, 'body', EscalateRequest), changes)));
  router.post('/:id/wait', params, validate('body', WaitRequest), (_req, res) =>
    answerMove(res, (sql, changes, id) => moves.wait(sql, id, currentUser(res), validated(res, 'body', WaitRequest), changes)));
  router.post('/:id/resume', params, validate('body', ResumeRequest), (_req, res) =>
    answerMove(res, (sql, changes, id) => moves.resume(sql, id, currentUser(res), validated(res, 'body', ResumeRequest).reason, changes)));
  router.put('/:id/vendor', params, validate('body', UpdateVendorRequest), (_req, res) =>
    answerMove(res, (sql, changes, id) => moves.updateVendor(sql, id, currentUser(res), validated(res, 'body', UpdateVendorRequest), changes)));

  // ?download=1 saves the file; otherwise it opens in the browser (to print) under the same name.
  const disposition = (res: Response, download: unknown, name: string) =>
    res.set('Content-Disposition', `${download === '1' ? 'attachment' : 'inline'}; filename="${name}"`);
  router.get('/:id/vendor-pack', params, async (req, res) => {
    const { id } = validated(res, 'params', TicketParams);
    const pack = await buildVendorPack(db.sql, id, currentUser(res).username, now().toISOString());
    disposition(res, req.query.download, vendorPackFileName(id, 'json')).json(pack);
  });
  router.get('/:id/vendor-pack.html', params, async (req, res) => {
    const { id } = validated(res, 'params', TicketParams);
    const pack = await buildVendorPack(db.sql, id, currentUser(res).username, now().toISOString());
    disposition(res, req.query.download, vendorPackFileName(id, 'html')).type('text/html; charset=utf-8').send(vendorPackHtml(pack));
  });
  return router;
}
