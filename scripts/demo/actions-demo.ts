// Remote actions in the demo, asked as an engineer and an admin would, over the REST API: a re-probe
// and a diagnostics bundle from open tickets of connected registers (the agents run them: done),
// a test print from a printer ticket (the agent refuses it while the printer is out of paper: the
// result says so), an action queued for a register that is offline (sent once when it returns,
// unless it expires), and the print-service restart turned off in one store (Сервис → Действия).
import { ActionAccepted, RegisterList, StoreActionBlocks, TicketList, type CommandVerb } from '@tillscope/shared';
import type { ConsoleApi } from './console-api';

export interface ActionsDemoOptions {
  /** the store where an admin turns restart_print_service off (default: the first store listed) */
  blockedStoreId?: string;
}

export interface ActionsDemo {
  /** what was asked, one line each, for the demo's start-up text */
  lines: string[];
  commandIds: string[];
}

/**
 * Asks the actions through `engineer` and sets the store switch through `admin`. Each step is
 * skipped (with a line saying why) when the fleet has nothing to ask it of; nothing here waits for
 * an agent: the states move on in the console as the registers answer.
 */
export async function runActionsDemo(engineer: ConsoleApi, admin: ConsoleApi, options: ActionsDemoOptions = {}): Promise<ActionsDemo> {
  const lines: string[] = [];
  const commandIds: string[] = [];
  const registers = (await engineer.get('/api/registers?limit=1000', (v) => RegisterList.parse(v)))?.registers ?? [];
  const tickets = (await engineer.get('/api/tickets?status=active&limit=1000', (v) => TicketList.parse(v)))?.tickets ?? [];
  const connected = new Set(registers.filter((r) => r.connected).map((r) => `${r.storeId}/${r.registerId}`));
  const ask = async (path: string, verb: CommandVerb, why: string) => {
    const answer = await engineer.send('POST', path, { verb }, (v) => ActionAccepted.parse(v)).catch((error: unknown) => {
      lines.push(`${verb}: not asked (${String(error).slice(0, 160)})`);
      return undefined;
    });
    if (!answer) return;
    commandIds.push(answer.commandId);
    lines.push(`${verb} ${why}: ${answer.action.state}`);
  };

  const online = tickets.filter((t) => connected.has(`${t.storeId}/${t.registerId}`));
  const first = online[0];
  if (first) {
    await ask(`/api/tickets/${first.id}/actions`, 'probe_now', `from ticket ${first.id}`);
    await ask(`/api/tickets/${first.id}/actions`, 'collect_bundle', `from ticket ${first.id}`);
  } else lines.push('probe_now, collect_bundle: no open ticket on a connected register');
  const paper = online.find((t) => t.code === 'printer.paper_end');
  if (paper) await ask(`/api/tickets/${paper.id}/actions`, 'test_print', `from ticket ${paper.id} (out of paper: refused by the agent)`);
  const offline = registers.find((r) => !r.connected);
  if (offline) await ask(`/api/registers/${encodeURIComponent(offline.agentId)}/actions`, 'probe_now', `for offline register ${offline.storeId}/${offline.registerId} (queued until it returns)`);
  else lines.push('no offline register now: nothing queued');

  const storeId = options.blockedStoreId ?? registers[0]?.storeId;
  if (storeId) {
    const saved = await admin.send('PUT', `/api/actions/stores/${encodeURIComponent(storeId)}`, { disabled: ['restart_print_service'] }, (v) => StoreActionBlocks.parse(v));
    if (saved) lines.push(`restart_print_service turned off in store ${storeId} (Сервис → Действия)`);
  }
  return { lines, commandIds };
}
