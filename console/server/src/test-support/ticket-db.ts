import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AgentRegistry } from '../agents/agent-registry';
import { openConsoleDatabase, type ConsoleDatabase } from '../db/console-database';
import type { TicketFinding } from '../tickets/stages/finding';
import { ManualClock } from './console-harness';
import { PAPER_END, printerReport } from './device-reports';

/** A real console database in a temp dir with enrolled registers: for the ticket stages' own tests. */
export interface TicketTestDb {
  /** The data directory (a second connection may open it, as another process would). */
  dir: string;
  db: ConsoleDatabase;
  clock: ManualClock;
  agentIds: string[];
  dispose(): Promise<void>;
}

export async function openTicketTestDb(registers = 1, storeId = 'store-1'): Promise<TicketTestDb> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tillscope-stages-'));
  const db = await openConsoleDatabase(dir);
  const clock = new ManualClock();
  const registry = new AgentRegistry(db, clock.now);
  const { token } = await registry.createEnrollmentToken({ note: '', maxUses: registers, ttlHours: 1 }, null);
  const agentIds: string[] = [];
  for (let index = 0; index < registers; index += 1) {
    agentIds.push((await registry.enroll({ token, storeId, registerId: `till-${index}`, hostname: 'h' })).agentId);
  }
  return {
    dir, db, clock, agentIds,
    async dispose() {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A paper-end finding of printer-1 as a device report carries it. */
export function paperEndFinding(agentId: string, detail = PAPER_END.detail): TicketFinding {
  const report = printerReport({ findings: [{ ...PAPER_END, detail }] });
  return {
    agentId, deviceId: report.deviceId, code: 'printer.paper_end', detail,
    checklist: report.checklist, evidence: report.evidence,
    device: { kind: report.kind, driver: report.driver, model: report.model ?? null },
    source: { kind: 'report', report },
  };
}
