import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeIssues } from '@tillscope/shared';
import { readBody, sendJson, startJsonServer } from '../lib/http-json';
import { PrinterModel } from './models';
import { PrinterFaultsPatch, type PrinterFaults } from './printer-state';

/** What the control server drives; the simulator implements it. */
export interface FaultControl {
  getFaults(): PrinterFaults;
  setFaults(patch: PrinterFaultsPatch): PrinterFaults;
  resetFaults(): PrinterFaults;
  setModel(model: PrinterModel): PrinterModel;
  getModel(): PrinterModel;
  stats(): unknown;
}

export interface ControlServer {
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024;

/**
 * A tiny HTTP API to change the simulated printer's faults from outside the process (demo
 * scripts, a human with curl). Listens on 127.0.0.1 only.
 *
 *   GET  /faults         → 200 current faults
 *   PUT  /faults         → 200 faults after applying a JSON partial; 400 { error, issues } on bad input
 *   POST /faults/reset   → 200 healthy faults
 *   GET  /model          → 200 { model }
 *   PUT  /model          → 200 { model } after switching to {"model":"epson"|"clone"|"silent"}; 400 otherwise
 *   GET  /stats          → 200 counters
 */
export function startFaultControlServer(control: FaultControl, options: { host?: string; port?: number } = {}): Promise<ControlServer> {
  return startJsonServer((req, res) => handle(control, req, res), options);
}

async function handle(control: FaultControl, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === '/faults' && req.method === 'GET') return send(res, 200, control.getFaults());
  if (path === '/faults/reset' && req.method === 'POST') return send(res, 200, control.resetFaults());
  if (path === '/stats' && req.method === 'GET') return send(res, 200, control.stats());
  if (path === '/model' && req.method === 'GET') return send(res, 200, { model: control.getModel() });
  if (path === '/model' && req.method === 'PUT') return putModel(control, req, res);
  if (path === '/faults' && req.method === 'PUT') {
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === undefined) return send(res, 413, { error: `body larger than ${MAX_BODY_BYTES} bytes` });
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return send(res, 400, { error: 'body is not valid JSON' });
    }
    const parsed = PrinterFaultsPatch.safeParse(json);
    if (!parsed.success) {
      return send(res, 400, { error: 'invalid fault patch: send a JSON object with known fault names only', issues: describeIssues(parsed.error) });
    }
    return send(res, 200, control.setFaults(parsed.data));
  }
  const known = ['/faults', '/faults/reset', '/stats', '/model'].includes(path);
  return send(res, known ? 405 : 404, { error: known ? `${req.method} not allowed on ${path}` : `no such path ${path}` });
}

async function putModel(control: FaultControl, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req, MAX_BODY_BYTES);
  let json: unknown;
  try {
    json = body === undefined ? undefined : JSON.parse(body);
  } catch {
    json = undefined;
  }
  const parsed = PrinterModel.safeParse((json as { model?: unknown } | undefined)?.model);
  if (!parsed.success) return send(res, 400, { error: 'send {"model":"epson"}, {"model":"clone"} or {"model":"silent"}' });
  return send(res, 200, { model: control.setModel(parsed.data) });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  sendJson(res, status, body);
}
