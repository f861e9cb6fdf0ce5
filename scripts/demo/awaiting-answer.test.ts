import { afterEach, beforeEach, expect, it } from 'vitest';
import { openConsoleDatabase } from '../../console/server/src/db/console-database';
import { finding, printerReport } from '../../console/server/src/test-support/device-reports';
import { enroll, onSecondConnection, startTestConsole, type TestConsole } from '../../console/server/src/test-support/console-harness';
import { ChangeSet } from '../../console/server/src/tickets/change-set';
import { TicketEngine } from '../../console/server/src/tickets/ticket-engine';
import { seedAwaitingAnswers } from './awaiting-answer';

let test: TestConsole;
beforeEach(async () => {
  test = await startTestConsole();
});
afterEach(() => test.dispose());

async function seed(agents: Map<string, string>): Promise<number[]> {
  const db = await openConsoleDatabase(test.dataDir);
  try {
    return await seedAwaitingAnswers(db, agents, 'eve', test.clock.now());
  } finally {
    await db.close();
  }
}

const statuses = (ids: number[]) => onSecondConnection(test.dataDir, (sql) =>
  sql.all<{ id: number; status: string; has_cashier_report: number }[]>(`SELECT id, status, has_cashier_report FROM tickets WHERE id IN (${ids.join(',')}) ORDER BY id`));

it('leaves one resolved cashier ticket waiting for its answer and one the no-answer sweep closes', async () => {
  const agents = new Map([['ekb-003/pos-2', (await enroll(test, 'ekb-003', 'pos-2')).agentId], ['ekb-003/pos-3', (await enroll(test, 'ekb-003', 'pos-3')).agentId]]);
  const ids = await seed(agents);
  expect(ids).toHaveLength(2);
  expect(await statuses(ids)).toEqual(ids.map((id) => ({ id, status: 'resolved', has_cashier_report: 1 })));

  // The console's own sweep (default 24 h without an answer): the day-old one closes, the fresh one waits.
  expect(await test.server.closeUnansweredResolutions()).toEqual([ids[1]]);
  expect((await statuses(ids)).map((row) => row.status)).toEqual(['resolved', 'closed']);
});

it('writes nothing on a register with an open ticket: a live report keeps its own note', async () => {
  const agentId = (await enroll(test, 'ekb-003', 'pos-2')).agentId;
  const db = await openConsoleDatabase(test.dataDir);
  try {
    await db.write((sql) => new TicketEngine(test.clock.now).applyDeviceReports(sql, agentId, 'live', [printerReport({ findings: [finding('printer.cover_open')] })], new ChangeSet()));
  } finally {
    await db.close();
  }
  expect(await seed(new Map([['ekb-003/pos-2', agentId]]))).toEqual([]);
  const notes = await onSecondConnection(test.dataDir, (sql) => sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM cashier_notes'));
  expect(notes?.n).toBe(0);
});
