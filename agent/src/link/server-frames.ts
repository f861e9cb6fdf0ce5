import { CommandVerb, MessageId, PROTOCOL_VERSION, parseFrame, ServerMessage } from '@tillscope/shared';
import { randomUUID } from 'node:crypto';
import { errorText, type ModuleLogger } from '../logger';
import type { Outbox } from '../outbox/outbox';
import type { CommandResultPayload, LinkOptions } from './link';
import type { LinkConnection } from './link-connection';

/** Bad frames logged per connection; the rest are only counted (in the close's log line). */
export const MAX_LOGGED_BAD_FRAMES = 5;

export interface ServerFrameDeps {
  outbox: Outbox;
  onCommand: LinkOptions['onCommand'];
  log: ModuleLogger;
}

/** A fresh `{ v, type, id, ts, payload }` envelope for a message the agent sends. */
export function agentMessage<T extends string, P>(type: T, payload: P) {
  return { v: PROTOCOL_VERSION, type, id: randomUUID(), ts: new Date().toISOString(), payload };
}

/**
 * A command whose verb is outside the compiled-in allow-list fails the schema; the server still
 * deserves an answer, so it is refused by commandId rather than ignored.
 */
function answerUnsupportedCommand(conn: LinkConnection, raw: string, log: ModuleLogger): boolean {
  let data: { type?: unknown; payload?: { commandId?: unknown; verb?: unknown } };
  try {
    data = JSON.parse(raw) as typeof data;
  } catch {
    return false;
  }
  const commandId = MessageId.safeParse(data?.payload?.commandId);
  if (data?.type !== 'command' || !commandId.success || CommandVerb.safeParse(data.payload?.verb).success) return false;
  const verb = (JSON.stringify(data.payload?.verb) ?? 'undefined').slice(0, 64); // never String(): {"toString": null} throws
  log.warn(`refused command ${commandId.data}: verb ${verb} is not allowed on this agent`);
  const result: CommandResultPayload = { commandId: commandId.data, ok: false, code: 'unsupported', message: `verb ${verb} is not supported` };
  if (conn.open) conn.send(JSON.stringify(agentMessage('command_result', result)));
  return true;
}

/**
 * Acts on one text frame from the server: acks leave the outbox, commands go to `onCommand`,
 * ticket updates reach the cashier's report; a frame that is not valid is counted in `badFrames`
 * (the first few logged). Resolves true when the frame was valid.
 */
export async function handleServerFrame(conn: LinkConnection, raw: string, badFrames: { count: number }, deps: ServerFrameDeps): Promise<boolean> {
  const { log } = deps;
  const parsed = parseFrame(raw, ServerMessage, ['ack', 'command', 'ticket_update']);
  if (!parsed.ok) {
    if (parsed.code === 'bad_request' && answerUnsupportedCommand(conn, raw, log)) return true;
    badFrames.count += 1;
    if (badFrames.count <= MAX_LOGGED_BAD_FRAMES) {
      log.warn(`ignored a frame from the server (${parsed.code}: ${parsed.message.slice(0, 200)})`);
    }
    return false;
  }
  const message = parsed.value;
  switch (message.type) {
    case 'ack': {
      const ack = message.payload;
      if (!ack.ok) log.warn(`server rejected message ${ack.ackOf} (${ack.code}: ${ack.message}); dropping it`);
      await deps.outbox.ack(ack);
      conn.acked(ack.ackOf);
      return true;
    }
    case 'command': {
      const live = (frame: { type: string; id: string }) => {
        if (!conn.open) return false;
        conn.send(JSON.stringify(frame));
        return true;
      };
      try {
        await deps.onCommand(message.payload, live);
      } catch (error) {
        log.error(`command ${message.payload.commandId}: ${errorText(error)}`);
      }
      return true;
    }
    case 'ticket_update': {
      const matched = await deps.outbox.updateTicket(message.payload.reportId, message.payload.ticket);
      if (!matched) log.info(`ticket_update for ticket ${message.payload.ticket.ticketId} matches no cashier report here`);
      return true;
    }
  }
}
