// Gives every register of a seeded console file a fiscal register, through the console's own ingest
// path (IngestBatcher → the ticket rules or the quiet path → fiscal state, forecast, deadlines): two
// readings per register `hoursApart` apart, so every forecast has its document rate, and the
// agent's fiscal findings open fiscal tickets where the facts call for them (an FN ending within
// 30 days, a backlog to the OFD). The reports are the fleet simulator's (scripts/fleet/fiscal-reports.ts).
import { AgentMessageHandler } from '../../../console/server/src/agents/agent-message-handler';
import { AgentRegistry } from '../../../console/server/src/agents/agent-registry';
import { IngestBatcher } from '../../../console/server/src/agents/ingest-batcher';
import { openConsoleDatabase } from '../../../console/server/src/db/console-database';
import { createStderrLogger } from '../../../console/server/src/logger';
import { ChangeBus } from '../../../console/server/src/tickets/change-set';
import { TicketEngine } from '../../../console/server/src/tickets/ticket-engine';
import { fiscalDeviceReport, fiscalProfile } from '../../fleet/fiscal-reports';
import { submitHealthReports } from './submit-reports';

export interface FiscalSeedResult {
  registers: number;
  /** Seconds of the second pass (every register's state already stored): the steady-state cost. */
  secondPassSeconds: number;
  openFiscalTickets: number;
  withinDays: { d30: number; d90: number };
}

/** `dataDir/console.db` may be open in a console server meanwhile (WAL; the server should be idle). */
export async function seedFiscalFleet({ dataDir, hoursApart = 12, log }: { dataDir: string; hoursApart?: number; log: (line: string) => void }): Promise<FiscalSeedResult> {
  const db = await openConsoleDatabase(dataDir);
  try {
    const agents = (await db.sql.all<{ id: string }[]>('SELECT id FROM agents ORDER BY store_id, register_id')).map((row) => row.id);
    const nowMs = Date.now();
    let clockMs = nowMs - hoursApart * 3_600_000;
    const now = () => new Date(clockMs);
    const logger = createStderrLogger('error');
    const registry = new AgentRegistry(db, now);
    const engine = new TicketEngine(now);
    const batcher = new IngestBatcher({ db, registry, engine, logger, now, bus: new ChangeBus(logger), handler: new AgentMessageHandler(registry, engine, now) });
    const profiles = agents.map((_, index) => fiscalProfile(index, nowMs));
    // Built before the clock runs: only the console's side is timed.
    const pass = (atMs: number) => profiles.map((profile) => ({ devices: [fiscalDeviceReport(profile, atMs)] }));
    const first = pass(clockMs);
    await submitHealthReports(batcher, agents.length, (index) => [agents[index]!, first[index]!]);
    clockMs = nowMs;
    const second = pass(clockMs);
    const secondPassSeconds = await submitHealthReports(batcher, agents.length, (index) => [agents[index]!, second[index]!]);
    await batcher.close();
    const count = async (sql: string, ...params: unknown[]) => (await db.sql.get<{ n: number }>(sql, ...params))?.n ?? 0;
    const within = (days: number) => count('SELECT COUNT(*) AS n FROM agents WHERE fiscal_blocking_at <= ?', new Date(nowMs + days * 86_400_000).toISOString());
    const result = {
      registers: agents.length,
      secondPassSeconds,
      openFiscalTickets: await count("SELECT COUNT(*) AS n FROM tickets WHERE code LIKE 'fiscal.%' AND status IN ('open', 'in_progress')"),
      withinDays: { d30: await within(30), d90: await within(90) },
    };
    log(`fiscal seed: ${result.registers} registers, 2 readings ${hoursApart} h apart, second pass ${secondPassSeconds.toFixed(1)} s; `
      + `${result.openFiscalTickets} open fiscal tickets; blocked within 30 d: ${result.withinDays.d30}, within 90 d: ${result.withinDays.d90}`);
    return result;
  } finally {
    await db.close();
  }
}
