import type { JsonServer } from '../lib/http-json';
import { startJsonRoutes, validated } from '../lib/json-routes';
import type { CommandLogEntry } from './register-device';
import { RegisterStatePatch, type RegisterState } from './register-state';

/** What the control server drives; the simulator implements it. */
export interface RegisterControl {
  getState(): RegisterState;
  setState(patch: RegisterStatePatch): Promise<RegisterState>;
  resetState(): Promise<RegisterState>;
  commandLog(): CommandLogEntry[];
  clearLog(): void;
  stats(): unknown;
}

/**
 * The simulated register's control interface, JSON over HTTP on 127.0.0.1:
 *
 *   GET    /state         → 200 the state
 *   PUT    /state         → 200 the state after applying a JSON partial; 400 { error, issues } on bad input
 *   POST   /state/reset   → 200 a healthy register's state
 *   GET    /log           → 200 every command frame received: { at, code, command, frame, answer }
 *   DELETE /log           → 200 { cleared: n }
 *   GET    /stats         → 200 counters
 */
export function startRegisterControlServer(control: RegisterControl, options: { host?: string; port?: number } = {}): Promise<JsonServer> {
  return startJsonRoutes(
    [
      { method: 'GET', path: '/state', handle: () => ({ status: 200, body: control.getState() }) },
      {
        method: 'PUT',
        path: '/state',
        handle: async (json) => {
          const checked = validated(RegisterStatePatch, 'state patch', json);
          return 'reply' in checked ? checked.reply : { status: 200, body: await control.setState(checked.value) };
        },
      },
      { method: 'POST', path: '/state/reset', handle: async () => ({ status: 200, body: await control.resetState() }) },
      { method: 'GET', path: '/log', handle: () => ({ status: 200, body: control.commandLog() }) },
      {
        method: 'DELETE',
        path: '/log',
        handle: () => {
          const cleared = control.commandLog().length;
          control.clearLog();
          return { status: 200, body: { cleared } };
        },
      },
      { method: 'GET', path: '/stats', handle: () => ({ status: 200, body: control.stats() }) },
    ],
    options,
  );
}
