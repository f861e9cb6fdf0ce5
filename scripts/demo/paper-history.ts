// Seeds the demo with a month of paper history for one register, so its register panel and its
// paper tickets show the paper-supply hint ("бумага заканчивалась N раз за 30 дней"). The history is
// written the way ingestion writes it: the console's own ticket rules (TicketEngine) apply past
// reports of the printer (paper near end, then out, then back), on a second connection to the
// console's database (WAL), each at its own past time.
import type { DeviceReport, Finding } from '@tillscope/shared';
import { openConsoleDatabase } from '../../console/server/src/db/console-database';
import { ChangeSet } from '../../console/server/src/tickets/change-set';
import { TicketEngine } from '../../console/server/src/tickets/ticket-engine';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Days ago the paper ran low; four times in 30 days is past the hint's restock threshold. */
export const PAPER_HISTORY_DAYS_AGO = [26, 19, 11, 4] as const;

export interface PaperHistoryTarget {
  /** the console's data folder (its database file is inside) */
  consoleDataDir: string;
  storeId: string;
  registerId: string;
  deviceId: string;
  model: string;
  now: Date;
  /** how long to wait for the register's agent to enroll (default 30 s) */
  waitMs?: number;
}

function report(deviceId: string, model: string, at: Date, findings: Finding[]): DeviceReport {
  return {
    deviceId, kind: 'receipt-printer', driver: 'escpos', model,
    health: findings.length ? (findings.some((f) => f.code === 'printer.paper_end') ? 'fault' : 'warning') : 'ok',
    findings, checklist: [], evidence: { transport: 'tcp', target: 'demo history', exchanges: [] },
    probedAt: at.toISOString(), durationMs: 20,
  };
}

/** Writes the history; resolves false (and writes nothing) when the register never enrolled. */
export async function seedPaperHistory(target: PaperHistoryTarget): Promise<boolean> {
  const db = await openConsoleDatabase(target.consoleDataDir);
  try {
    const agentId = await waitForAgent(db.sql, target, Date.now() + (target.waitMs ?? 30_000));
    if (!agentId) return false;
    let clock = target.now;
    const engine = new TicketEngine(() => clock);
    const nearEnd: Finding = { code: 'printer.paper_near_end', detail: 'DLE EOT 4 = 0x1e: paper near end (demo history)' };
    const out: Finding = { code: 'printer.paper_end', detail: 'DLE EOT 4 = 0x7e: paper end (demo history)' };
    for (const daysAgo of PAPER_HISTORY_DAYS_AGO) {
      const start = target.now.getTime() - daysAgo * DAY_MS;
      for (const [offsetMin, findings] of [[0, [nearEnd]], [25, [nearEnd, out]], [40, []]] as const) {
        clock = new Date(start + offsetMin * MINUTE_MS);
        await db.write((sql) => engine.applyDeviceReports(sql, agentId, `demo-history-${daysAgo}-${offsetMin}`, [report(target.deviceId, target.model, clock, [...findings])], new ChangeSet()));
      }
    }
    return true;
  } finally {
    await db.close();
  }
}

/** The agent id of a register, once it has enrolled; undefined if it has not by `until` (epoch ms). */
export async function waitForAgent(sql: Awaited<ReturnType<typeof openConsoleDatabase>>['sql'], target: { storeId: string; registerId: string }, until: number): Promise<string | undefined> {
  for (;;) {
    const row = await sql.get<{ id: string }>('SELECT id FROM agents WHERE store_id = ? AND register_id = ?', target.storeId, target.registerId);
    if (row || Date.now() > until) return row?.id;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
