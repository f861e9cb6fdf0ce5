// The ingest bench's service-desk run (issue 11): the same health reports through the console's
// whole write path as createConsoleServices wires it for a running server (ingest batcher, ticket
// stages), with the service desk configured as a chain would have it: stores in several time zones
// with their hours, a chain holiday calendar, maintenance windows on 1 % of stores, every code's
// catalogue hold in force. Rows go in with raw SQL: this is a bench's seed, not a product path.
import path from 'node:path';
import { closeConsoleServices, createConsoleServices } from '../../../console/server/src/create-app';
import { openConsoleDatabase, type ConsoleDatabase } from '../../../console/server/src/db/console-database';
import { runMultiRow } from '../../../console/server/src/db/multi-row';
import { createStderrLogger } from '../../../console/server/src/logger';
import { healthPayload } from '../../fleet/reports';
import { submitHealthReports } from './submit-reports';

/** Registers are grouped five to a store: agt_bench_0…4 in store-0, and so on. */
export async function seedAgents(db: ConsoleDatabase, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, index) => `agt_bench_${index}`);
  const now = new Date().toISOString();
  await db.write((sql) => runMultiRow(
    sql, 'INSERT INTO agents (id, store_id, register_id, credential_hash, enrolled_at, connected)', 6,
    ids.map((id, index) => [id, `store-${Math.floor(index / 5)}`, `pos-${index % 5}`, 'x', now, 1]),
  ));
  return ids;
}

const ZONES = ['Europe/Moscow', 'Asia/Yekaterinburg', 'Asia/Novosibirsk', 'Europe/Samara', 'Asia/Vladivostok'];
const DAY = (open: string, close: string) => ({ open, close });
const SHOP_HOURS = JSON.stringify([...Array.from({ length: 6 }, () => DAY('08:00', '22:00')), DAY('09:00', '21:00')]);
const ROUND_THE_CLOCK = JSON.stringify(Array.from({ length: 7 }, () => DAY('00:00', '24:00')));

/**
 * A synthetic chain calendar (the bench needs days to look up, not the true ones): the New Year
 * week and a few single days off, short days before them, one weekend day worked.
 */
function benchCalendar(year: number): [string, string, string, string][] {
  const day = (month: number, date: number) => `${year}-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}`;
  const holidays = [[1, 1], [1, 2], [1, 3], [1, 4], [1, 5], [1, 6], [1, 7], [1, 8], [2, 23], [3, 9], [5, 1], [5, 11], [6, 12], [11, 4], [12, 31]];
  return [
    ...holidays.map(([m, d]): [string, string, string, string] => ['chain', day(m!, d!), 'holiday', 'bench']),
    ['chain', day(4, 30), 'short', 'bench'],
    ['chain', day(11, 3), 'short', 'bench'],
    ['chain', day(12, 27), 'working', 'bench'],
  ];
}

async function seedServiceDesk(db: ConsoleDatabase, storeCount: number): Promise<void> {
  const nowMs = Date.now();
  const year = new Date(nowMs).getUTCFullYear();
  await db.write(async (sql) => {
    const stores = Array.from({ length: storeCount }, (_, index) => [
      `store-${index}`, `Bench store ${index}`, ZONES[index % ZONES.length]!, index % 20 === 0 ? ROUND_THE_CLOCK : SHOP_HOURS, 'chain',
    ]);
    for (let start = 0; start < stores.length; start += 2_000) {
      await runMultiRow(sql, 'INSERT OR REPLACE INTO stores (id, name, time_zone, hours_json, calendar)', 5, stores.slice(start, start + 2_000));
    }
    await runMultiRow(sql, 'INSERT OR REPLACE INTO calendar_days (calendar_id, date, kind, note)', 4, [...benchCalendar(year), ...benchCalendar(year + 1)]);
    const windows = Array.from({ length: Math.max(1, Math.floor(storeCount / 100)) }, (_, index) => [
      `store-${index * 100 + 7}`, new Date(nowMs - 3_600_000).toISOString(), new Date(nowMs + 3 * 3_600_000).toISOString(), 'bench: planned works', 'bench', new Date(nowMs).toISOString(),
    ]);
    await runMultiRow(sql, 'INSERT INTO maintenance_windows (store_id, starts_at, ends_at, reason, created_by, created_at)', 6, windows);
  });
}

/**
 * Submits `total` reports (1 % of registers out of paper, after a warm-up pass that starts their
 * holds) through a console wired as startConsoleServer wires it; returns the timed pass's seconds.
 */
export async function ingestWithServiceDesk(scratchDir: string, agentCount: number, total: number): Promise<number> {
  const db = await openConsoleDatabase(path.join(scratchDir, 'service-desk'));
  const logger = createStderrLogger('error');
  try {
    const agents = await seedAgents(db, agentCount);
    await seedServiceDesk(db, Math.ceil(agentCount / 5));
    const services = createConsoleServices({ db, now: () => new Date(), logger, heartbeatIntervalMs: 30_000, allowedOrigins: [] });
    try {
      const report = (index: number): [string, ReturnType<typeof healthPayload>] => [agents[index % agents.length] ?? '', healthPayload((index % agents.length) % 100 === 0)];
      await submitHealthReports(services.ingest, agentCount, report);
      return await submitHealthReports(services.ingest, total, report);
    } finally {
      await closeConsoleServices(services);
    }
  } finally {
    await db.close();
  }
}
