// The cashier loop's open ends in the demo: two cashier reports an engineer resolved and nobody at
// the register has answered "Работает? / Is it working now?" yet. One was resolved 40 minutes ago
// and waits for its answer (it closes by itself after the admin's autoCloseHours, 24 h unless
// changed); the other was resolved a day and an hour ago, so the console's no-answer sweep closes it
// within a minute of the demo's start (a `cashier_auto_closed` entry on its timeline).
// Written through the console's own rules at their past times, like the rest of the demo's past.
import type { Symptom } from '@tillscope/shared';
import type { ConsoleDatabase } from '../../console/server/src/db/console-database';
import { OPEN_STATUSES } from '../../console/server/src/db/rows';
import { ChangeSet } from '../../console/server/src/tickets/change-set';
import { TicketEngine } from '../../console/server/src/tickets/ticket-engine';

const MINUTE_MS = 60_000;

interface AwaitingTicket {
  registerKey: string;
  symptom: Symptom;
  note: string;
  reportedMinAgo: number;
  resolvedMinAgo: number;
  resolution: string;
}

export const AWAITING_ANSWER: readonly AwaitingTicket[] = [
  {
    registerKey: 'ekb-003/pos-2', symptom: 'scanner', note: 'Сканер не читает коды с телефона',
    reportedMinAgo: 3 * 60, resolvedMinAgo: 40,
    resolution: 'Включили чтение штрихкодов с экрана в настройках сканера / Turned on reading codes from screens in the scanner settings',
  },
  {
    registerKey: 'ekb-003/pos-3', symptom: 'other', note: 'Не открывается денежный ящик',
    reportedMinAgo: 26 * 60, resolvedMinAgo: 25 * 60,
    resolution: 'Кабель ящика был выдернут из принтера, подключили / The drawer cable was out of the printer; plugged it back',
  },
];

/** Writes each ticket unless its register has an open ticket (a live report must not get a past note). Returns the ids written. */
export async function seedAwaitingAnswers(db: ConsoleDatabase, agents: ReadonlyMap<string, string>, engineer: string, now: Date): Promise<number[]> {
  const ids: number[] = [];
  for (const awaiting of AWAITING_ANSWER) {
    const agentId = agents.get(awaiting.registerKey);
    if (!agentId) continue;
    let clock = new Date(now.getTime() - awaiting.reportedMinAgo * MINUTE_MS);
    const engine = new TicketEngine(() => clock);
    const id = await db.write(async (sql) => {
      if (await sql.get(`SELECT 1 FROM tickets WHERE agent_id = ? AND status IN ${OPEN_STATUSES}`, agentId)) return undefined;
      const report = { symptom: awaiting.symptom, note: awaiting.note, locale: 'ru' as const, reportedAt: clock.toISOString(), diagnosis: [] };
      const ticketId = await engine.applyCashierReport(sql, agentId, `demo-awaiting-${awaiting.registerKey}`, report, new ChangeSet());
      clock = new Date(clock.getTime() + 10 * MINUTE_MS);
      await engine.take(sql, ticketId, { username: engineer }, new ChangeSet());
      clock = new Date(now.getTime() - awaiting.resolvedMinAgo * MINUTE_MS);
      await engine.resolve(sql, ticketId, { username: engineer }, awaiting.resolution, new ChangeSet());
      return ticketId;
    });
    if (id !== undefined) ids.push(id);
  }
  return ids;
}
