import { startJsonRoutes, validated, type JsonRoute } from '../lib/json-routes';
import type { JsonServer } from '../lib/http-json';
import { AtolStatePatch, type AtolRegisterState } from './register-state';

/** What the control interface drives; the simulator implements it. */
export interface AtolControl {
  getState(): AtolRegisterState;
  setState(patch: AtolStatePatch): AtolRegisterState;
  resetState(): AtolRegisterState;
  log(): unknown;
  clearLog(): void;
  stats(): unknown;
}

/**
 * The simulated register's control interface, HTTP JSON on 127.0.0.1 (demo scripts, tests in
 * other processes, a human with curl):
 *
 *   GET  /state         → 200 the state
 *   PUT  /state         → 200 the state after a JSON partial; 400 { error, issues } on bad input
 *   POST /state/reset   → 200 the healthy register
 *   GET  /log           → 200 { requests, tasks }: every HTTP request and task type received
 *   POST /log/clear     → 200 {}
 *   GET  /stats         → 200 counters and bytes on the wire
 */
export function startAtolControlServer(control: AtolControl, options: { host?: string; port?: number } = {}): Promise<JsonServer> {
  const routes: JsonRoute[] = [
    { method: 'GET', path: '/state', handle: () => ({ status: 200, body: control.getState() }) },
    {
      method: 'PUT',
      path: '/state',
      handle: (json) => {
        const patch = validated(AtolStatePatch, 'state patch', json);
        return 'reply' in patch ? patch.reply : { status: 200, body: control.setState(patch.value) };
      },
    },
    { method: 'POST', path: '/state/reset', handle: () => ({ status: 200, body: control.resetState() }) },
    { method: 'GET', path: '/log', handle: () => ({ status: 200, body: control.log() }) },
    {
      method: 'POST',
      path: '/log/clear',
      handle: () => {
        control.clearLog();
        return { status: 200, body: {} };
      },
    },
    { method: 'GET', path: '/stats', handle: () => ({ status: 200, body: control.stats() }) },
  ];
  return startJsonRoutes(routes, options);
}
