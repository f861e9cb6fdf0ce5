// The remote actions of the demo's live part, timed to its fault timeline (runActionsDemo in
// actions-demo.ts asks the ones a connected register answers at once):
// - done: a restart of spb-002/pos-2's print service (its CUPS stand-in restarts; no real service on
//   this machine is touched);
// - queued for an offline register: during ekb-003's power cut a re-probe of ekb-003/pos-1 waits,
//   and runs once when the register is back;
// - failed: a port discovery queued for ekb-003/pos-2 in the same outage, after which an admin turns
//   discovery off in ekb-003 (the per-store switch): it ends `failed` / `disabled` on reconnection.
import { setTimeout as sleep } from 'node:timers/promises';
import { ActionAccepted, RegisterList, StoreActionBlocks, type ActionRequest } from '@tillscope/shared';
import type { Stack } from '../lib/stack';
import type { ConsoleApi } from './console-api';

/** The store whose power cut holds the queued actions (DEMO_POWER_TIMELINE). */
const OUTAGE_STORE = 'ekb-003';

async function agentIdOf(api: ConsoleApi, key: string): Promise<string | undefined> {
  const [storeId, registerId] = key.split('/');
  const list = await api.get(`/api/registers?storeId=${storeId}`, (v) => RegisterList.parse(v));
  return list?.registers.find((r) => r.registerId === registerId)?.agentId;
}

/** Asks an action of a register; the line says what the console answered. */
async function ask(api: ConsoleApi, key: string, request: ActionRequest): Promise<string> {
  const agentId = await agentIdOf(api, key);
  if (!agentId) return `${key}: not enrolled, no ${request.verb}`;
  const accepted = await api.send('POST', `/api/registers/${agentId}/actions`, request, (v) => ActionAccepted.parse(v));
  if (!accepted) return 'remote actions: not in this build yet';
  return `${key}: ${request.verb} asked (${accepted.commandId}, ${accepted.action.state})`;
}

async function waitUntil(test: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const until = Date.now() + timeoutMs; Date.now() < until; await sleep(1000)) if (test()) return true;
  return test();
}

/**
 * Runs in the background while the demo plays; `say` prints a line as each part happens. Resolves
 * when the outage's actions are queued (or the outage never came within `outageWithinMs`).
 */
export async function playOutageActions(options: { stack: Stack; engineer: ConsoleApi; admin: ConsoleApi; say: (line: string) => void; outageWithinMs: number }): Promise<void> {
  const { stack, engineer, admin, say } = options;
  if (stack.registers.get('spb-002/pos-2')?.cups) {
    say(`  actions: ${await ask(engineer, 'spb-002/pos-2', { verb: 'restart_print_service' })}; the agent restarts its CUPS (a simulator's stand-in) and reports done`);
  }
  const dark = stack.registers.get(`${OUTAGE_STORE}/pos-1`);
  if (!dark || !(await waitUntil(() => !dark.powered(), options.outageWithinMs))) return;
  // The console knows the registers are gone once their sockets closed: a moment after the power cut.
  await sleep(3000);
  say(`  actions: ${await ask(engineer, `${OUTAGE_STORE}/pos-1`, { verb: 'probe_now' })} while the store has no power: queued, it runs once the register is back`);
  say(`  actions: ${await ask(engineer, `${OUTAGE_STORE}/pos-2`, { verb: 'discover' })} in the same outage`);
  const blocks = await admin.send('PUT', `/api/actions/stores/${OUTAGE_STORE}`, { disabled: ['discover'] }, (v) => StoreActionBlocks.parse(v));
  if (blocks) say(`  actions: admin turns discovery off in ${OUTAGE_STORE} (Сервис → Действия): the queued discovery ends failed / disabled when pos-2 reconnects`);
}
