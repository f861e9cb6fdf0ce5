// Diagnostics bundles over HTTP (docs/api.md "Diagnostics bundles"): an engineer asks from a ticket,
// the register uploads with its credential, engineers list and download.
import { BUNDLE_MAX_JSON_BYTES, BUNDLE_MAX_UPLOAD_BYTES, DiagnosticsBundle, describeIssues } from '@tillscope/shared';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback } from 'node:zlib';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { ActionQueue } from '../actions/action-queue';
import type { AgentRegistry } from '../agents/agent-registry';
import type { FailureRateLimiter } from '../auth/rate-limiter';
import { bundleContent, saveBundle, ticketBundles } from '../bundles/bundle-store';
import type { ConsoleDatabase } from '../db/console-database';
import type { AgentRow } from '../db/rows';
import { HttpError } from '../http/http-error';
import { currentUser } from '../http/session';
import { validate, validated } from '../http/validate';
import { ChangeSet, type ChangeBus } from '../tickets/change-set';
import type { TicketEngine } from '../tickets/ticket-engine';
import type { AgentGateway } from '../ws/agent-gateway';
import { TicketParams } from './ticket-routes';

const gunzip = promisify(gunzipCallback);

export interface TicketBundleRouteDeps {
  db: ConsoleDatabase;
  engine: TicketEngine;
  bus: ChangeBus;
  agents: AgentGateway;
  actions: ActionQueue;
  now: () => Date;
}

/**
 * Mounted at /api/tickets behind requireSession (engineers and admins):
 * POST /:id/bundle asks the ticket's register for a bundle (202 `{ ok, commandId }`; 409 when the
 * register is offline or a request is still waiting); GET /:id/bundles lists them (TicketBundles).
 */
export function ticketBundleRoutes({ db, engine, bus, agents, actions, now }: TicketBundleRouteDeps): Router {
  const router = express.Router();
  router.post('/:id/bundle', validate('params', TicketParams), async (_req, res) => {
    const { id } = validated(res, 'params', TicketParams);
    const username = currentUser(res).username;
    const commandId = `cmd-${randomUUID()}`;
    const changes = new ChangeSet();
    // Recorded before sending, so a fast upload and answer always find their command.
    await db.write(async (sql) => {
      const ticket = await engine.findTicket(sql, id);
      if (!ticket) throw new HttpError(404, 'not_found', `ticket ${id} not found`);
      if (!agents.isConnected(ticket.agent_id)) throw new HttpError(409, 'conflict', 'the register is not connected');
      if ((await ticketBundles(sql, id, now())).pending) throw new HttpError(409, 'conflict', 'a bundle for this ticket is being collected already');
      await actions.record(sql, { agentId: ticket.agent_id, verb: 'collect_bundle', ticketId: id, requestedBy: username }, commandId, changes);
      await engine.note(sql, ticket.agent_id, id, 'bundle_requested', username, `requested by ${username}`, changes);
    });
    bus.publish(changes);
    // Not sent only if the register dropped in between: then it goes out after its next hello.
    await actions.dispatch(commandId, true);
    res.status(202).json({ ok: true, commandId });
  });
  router.get('/:id/bundles', validate('params', TicketParams), async (_req, res) => {
    const { id } = validated(res, 'params', TicketParams);
    if (!(await engine.findTicket(db.sql, id))) throw new HttpError(404, 'not_found', `ticket ${id} not found`);
    res.json(await ticketBundles(db.sql, id, now()));
  });
  return router;
}

const BundleParams = z.object({ bundleId: z.string().regex(/^bnd-[0-9a-f-]{36}$/, 'a bundle id') });

/**
 * GET /api/bundles/:bundleId (behind requireSession): the bundle as a JSON file to save. Sent as
 * stored (gzip) to a client that accepts it, unpacked otherwise.
 */
export function bundleDownloadRoutes(db: ConsoleDatabase): Router {
  const router = express.Router();
  router.get('/:bundleId', validate('params', BundleParams), async (req, res) => {
    const { bundleId } = validated(res, 'params', BundleParams);
    const found = await bundleContent(db.sql, bundleId);
    if (!found) throw new HttpError(404, 'not_found', `bundle ${bundleId} not found`);
    const safe = (text: string) => text.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 64);
    const stamp = found.bundle.createdAt.replace(/[:.]/g, '-');
    res.set('Content-Type', 'application/json; charset=utf-8');
    res.set('Content-Disposition', `attachment; filename="tillscope-bundle-${safe(found.storeId)}-${safe(found.registerId)}-${stamp}.json"`);
    res.set('Vary', 'Accept-Encoding');
    if (req.acceptsEncodings('gzip') === 'gzip') {
      res.set('Content-Encoding', 'gzip');
      res.send(found.gzipped);
      return;
    }
    res.send(await gunzip(found.gzipped, { maxOutputLength: BUNDLE_MAX_JSON_BYTES }));
  });
  return router;
}

export interface AgentBundleRouteDeps {
  db: ConsoleDatabase;
  registry: AgentRegistry;
  /** Failed credentials, per address and claimed agent id, as on the agent socket. */
  authFailures: FailureRateLimiter;
  now: () => Date;
}

const UploadQuery = z.object({ commandId: z.string().min(1).max(64) });

/**
 * POST /api/agent/bundles?commandId=… (mounted at /api/agent/bundles): the register's upload, with
 * its Bearer credential, body the gzipped DiagnosticsBundle (at most BUNDLE_MAX_UPLOAD_BYTES; at most
 * BUNDLE_MAX_JSON_BYTES unpacked). Only for a collect_bundle command sent to this agent, once.
 * 201 `{ ok, bundleId }`.
 */
export function agentBundleRoutes({ db, registry, authFailures, now }: AgentBundleRouteDeps): Router {
  const router = express.Router();
  const rawBody = express.raw({ type: () => true, limit: BUNDLE_MAX_UPLOAD_BYTES });
  router.post('/', authenticateAgent(registry, authFailures), validate('query', UploadQuery), tooLargeAs413(rawBody), async (req, res) => {
    const agent = res.locals.agent as AgentRow;
    const { commandId } = validated(res, 'query', UploadQuery);
    const gzipped = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const bundle = await parseUpload(gzipped);
    if (bundle.storeId !== agent.store_id || bundle.registerId !== agent.register_id) {
      throw new HttpError(400, 'bad_request', `the bundle is of ${bundle.storeId}/${bundle.registerId}, not of this register`);
    }
    const bundleId = await db.write(async (sql) => {
      const command = await sql.get<{ verb: string; ticket_id: number | null; requested_by: string }>(
        'SELECT verb, ticket_id, requested_by FROM commands WHERE id = ? AND agent_id = ?', commandId, agent.id,
      );
      if (!command || command.verb !== 'collect_bundle') throw new HttpError(404, 'not_found', `no collect_bundle command ${commandId} was sent to this agent`);
      if (await sql.get('SELECT 1 AS found FROM bundles WHERE command_id = ?', commandId)) throw new HttpError(409, 'conflict', `command ${commandId} has its bundle already`);
      return saveBundle(sql, { agentId: agent.id, commandId, ticketId: command.ticket_id, requestedBy: command.requested_by, bundle, gzipped, receivedAt: now().toISOString() });
    });
    res.status(201).json({ ok: true, bundleId });
  });
  return router;
}

/** The Bearer credential checked like the agent socket's (agent-gateway.ts): 401, or 429 past the failure limit. */
function authenticateAgent(registry: AgentRegistry, failures: FailureRateLimiter) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const credential = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
    const agent = credential ? await registry.authenticate(credential) : undefined;
    if (agent) {
      res.locals.agent = agent;
      next();
      return;
    }
    const dot = credential.indexOf('.');
    const keys = [`agent-http:${req.ip ?? 'unknown'}`, ...(dot > 0 && dot <= 64 ? [`agent-http-id:${credential.slice(0, dot)}`] : [])];
    if (keys.some((key) => failures.isBlocked(key))) throw new HttpError(429, 'rate_limited', 'too many failed agent logins; try later');
    for (const key of keys) failures.recordFailure(key);
    throw new HttpError(401, 'unauthorized', 'missing or wrong agent credential');
  };
}

/** body-parser's "entity too large" as 413 frame_too_large (the payload is over its cap). */
function tooLargeAs413(parser: express.RequestHandler) {
  return (req: Request, res: Response, next: NextFunction) =>
    parser(req, res, (error?: unknown) => {
      if ((error as { type?: string } | undefined)?.type === 'entity.too.large') {
        next(new HttpError(413, 'frame_too_large', `a bundle upload is at most ${BUNDLE_MAX_UPLOAD_BYTES} bytes gzipped`));
        return;
      }
      next(error);
    });
}

async function parseUpload(gzipped: Buffer): Promise<DiagnosticsBundle> {
  let json: Buffer;
  try {
    json = await gunzip(gzipped, { maxOutputLength: BUNDLE_MAX_JSON_BYTES });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new HttpError(413, 'frame_too_large', `a bundle is at most ${BUNDLE_MAX_JSON_BYTES} bytes unpacked`);
    throw new HttpError(400, 'bad_request', 'the body is not gzip');
  }
  let data: unknown;
  try {
    data = JSON.parse(json.toString('utf8'));
  } catch {
    throw new HttpError(400, 'malformed_json', 'the unpacked body is not JSON');
  }
  const parsed = DiagnosticsBundle.safeParse(data);
  if (!parsed.success) throw new HttpError(400, 'bad_request', 'the body is not a DiagnosticsBundle', describeIssues(parsed.error).slice(0, 20));
  return parsed.data;
}
