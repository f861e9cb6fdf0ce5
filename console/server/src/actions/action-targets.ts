import { CommandVerb, type TicketActions } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import { ActionConflict, InvalidAction } from './action-errors';
import { blockedVerbs } from './action-settings';

/** The verbs that act on one device (the rest act on the register as a whole and take no deviceId). */
const DEVICE_VERBS: ReadonlySet<CommandVerb> = new Set(['probe_now', 'test_print']);

async function deviceKind(sql: SqlConnection, agentId: string, deviceId: string): Promise<string | undefined> {
  return (await sql.get<{ kind: string }>('SELECT kind FROM devices WHERE agent_id = ? AND device_id = ?', agentId, deviceId))?.kind;
}

/**
 * The device an action will be sent with, checked before it is queued (the agent checks again:
 * its own allow-list and parameter rules are the last word). test_print needs a receipt printer of
 * the register (the ticket's own when none is named); probe_now may name one device; the other
 * verbs take none. A ticket's device is only a default, never forced on a register-wide verb.
 */
export async function actionDevice(sql: SqlConnection, agentId: string, verb: CommandVerb, asked: string | undefined, ticketDevice: string | null): Promise<string | undefined> {
  if (!DEVICE_VERBS.has(verb)) {
    if (asked !== undefined) throw new InvalidAction(`${verb} takes no deviceId`);
    return undefined;
  }
  const deviceId = asked ?? (verb === 'test_print' ? ticketDevice ?? undefined : undefined);
  if (deviceId === undefined) {
    if (verb === 'test_print') throw new InvalidAction('test_print needs the deviceId of a receipt printer');
    return undefined;
  }
  const kind = await deviceKind(sql, agentId, deviceId);
  if (kind === undefined) throw new InvalidAction(`register ${agentId} has no device ${deviceId}`);
  if (verb === 'test_print' && kind !== 'receipt-printer') throw new InvalidAction(`test_print needs a receipt printer; ${deviceId} is a ${kind}`);
  return deviceId;
}

/** Live (queued, sent, running) verbs of a register with their device: the same action is not asked twice at once. */
async function liveVerbs(sql: SqlConnection, agentId: string): Promise<{ verb: string; device_id: string | null }[]> {
  return sql.all<{ verb: string; device_id: string | null }[]>(
    "SELECT verb, device_id FROM commands WHERE agent_id = ? AND state IN ('queued', 'sent', 'running')", agentId,
  );
}

/** Refuses an action while the same one (verb and device) of the register is still queued, sent or running. */
export async function refuseDuplicate(sql: SqlConnection, agentId: string, verb: CommandVerb, deviceId: string | undefined): Promise<void> {
  const live = await liveVerbs(sql, agentId);
  if (live.some((row) => row.verb === verb && row.device_id === (deviceId ?? null))) {
    throw new ActionConflict(`${verb}${deviceId ? ` (${deviceId})` : ''} is already waiting or running on register ${agentId}`);
  }
}

/** What the ticket page offers: every verb, and why one cannot be asked now. */
export async function verbAvailability(
  sql: SqlConnection, ticket: { agentId: string; storeId: string; deviceId: string | null; deviceKind: string | null },
): Promise<TicketActions['verbs']> {
  const blocked = await blockedVerbs(sql, ticket.storeId);
  const live = await liveVerbs(sql, ticket.agentId);
  return CommandVerb.options.map((verb) => {
    if (blocked.has(verb)) return { verb, available: false, reason: 'disabled' as const };
    if (verb === 'test_print' && ticket.deviceKind !== 'receipt-printer') return { verb, available: false, reason: 'needs_receipt_printer' as const };
    const device = verb === 'test_print' ? ticket.deviceId : null;
    if (live.some((row) => row.verb === verb && row.device_id === device)) return { verb, available: false, reason: 'pending' as const };
    return { verb, available: true };
  });
}
