// A route table for a simulator's JSON control interface, on the shared JSON server: each route
// gets the parsed body (bounded; not JSON is a 400 before any route sees it); unknown paths 404,
// known paths with another method 405.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeIssues } from '@tillscope/shared';
import type { z } from 'zod';
import { readBody, sendJson, startJsonServer, type JsonServer } from './http-json';

export interface JsonReply {
  status: number;
  body: unknown;
}

/** One route: `json` is the parsed request body (undefined when there was none). */
export interface JsonRoute {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  handle(json: unknown, url: URL): JsonReply | Promise<JsonReply>;
}

const MAX_BODY_BYTES = 16 * 1024;

/** `schema.safeParse(json)`: the value, or the 400 reply naming every bad field. */
export function validated<S extends z.ZodType>(schema: S, what: string, json: unknown): { value: z.infer<S> } | { reply: JsonReply } {
  const parsed = schema.safeParse(json);
  if (parsed.success) return { value: parsed.data };
  return { reply: { status: 400, body: { error: `invalid ${what}: send a JSON object with known names only`, issues: describeIssues(parsed.error) } } };
}

/**
 * A PUT route that validates its body with `schema` (a 400 naming every bad field) and hands the
 * value to `apply`, whose result is the 200 body.
 */
export function putRoute<S extends z.ZodType>(path: string, schema: S, what: string, apply: (value: z.infer<S>) => unknown): JsonRoute {
  return {
    method: 'PUT',
    path,
    async handle(json) {
      const parsed = validated(schema, what, json);
      if ('reply' in parsed) return parsed.reply;
      return { status: 200, body: await apply(parsed.value) };
    },
  };
}

export function startJsonRoutes(routes: readonly JsonRoute[], options: { host?: string; port?: number } = {}): Promise<JsonServer> {
  return startJsonServer((req, res) => handle(routes, req, res), options);
}

async function handle(routes: readonly JsonRoute[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const onPath = routes.filter((r) => r.path === url.pathname);
  const route = onPath.find((r) => r.method === req.method);
  if (!route) {
    if (onPath.length > 0) return sendJson(res, 405, { error: `${req.method} not allowed on ${url.pathname}` });
    return sendJson(res, 404, { error: `no such path ${url.pathname}` });
  }
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body === undefined) return sendJson(res, 413, { error: `body larger than ${MAX_BODY_BYTES} bytes` });
  let json: unknown;
  if (body.trim() !== '') {
    try {
      json = JSON.parse(body);
    } catch {
      return sendJson(res, 400, { error: 'body is not valid JSON' });
    }
  }
  const reply = await route.handle(json, url);
  sendJson(res, reply.status, reply.body);
}
