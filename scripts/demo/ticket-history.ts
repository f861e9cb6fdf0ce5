// The 24/7 hypermarket's recent past, so the service desk's screens have something in the demo's
// first minutes: an overdue ticket nobody took, an amber one being worked on, a printer fault
// escalated to the vendor with its hand-off pack, and tickets moved between groups. The tickets are
// written as ingestion writes them: the console's own ticket rules (TicketEngine) apply a cashier's
// reports and a printer's report at past times, on a second connection to the console's database;
// the moves are then made over the REST API as the demo engineer would make them.
//
// The store is open round the clock, so its business time is wall time and the due dates the rules
// give at those past moments are the ones its calendar gives.
import { setTimeout as sleep } from 'node:timers/promises';
import { RegisterList, type DeviceReport, type Finding, type Symptom } from '@tillscope/shared';
import { openConsoleDatabase } from '../../console/server/src/db/console-database';
import { ChangeSet } from '../../console/server/src/tickets/change-set';
import { TicketEngine } from '../../console/server/src/tickets/ticket-engine';
import type { Stack } from '../lib/stack';
import type { ConsoleApi } from './console-api';
import { waitForAgent } from './paper-history';

const MINUTE_MS = 60_000;

export const HISTORY_STORE = 'nsk-004';

/** One past event on a register of the store: a cashier's report, or its printer's finding. */
interface PastTicket {
  key: 'overdue' | 'amber' | 'vendor';
  registerId: string;
  /** minutes before now that it opened */
  openedMinAgo: number;
  /** minutes before now that the demo engineer took it (undefined: nobody did) */
  takenMinAgo?: number;
  cashier?: { symptom: Symptom; note: string };
  printerFinding?: Finding;
}

/**
 * P2 cashier tickets (react 30 min, resolve 8 h) and a P1 printer fault (15 min, 4 h). A printer
 * finding here must be the one the live printer keeps reporting (its simulator is set to it before
 * the agent comes back), or the next live report would resolve the ticket.
 */
export const PAST_TICKETS: readonly PastTicket[] = [
  {
    key: 'overdue', registerId: 'pos-1', openedMinAgo: 10 * 60,
    cashier: { symptom: 'other', note: 'Касса зависает при оплате картой, приходится перезагружать' },
  },
  {
    key: 'amber', registerId: 'pos-2', openedMinAgo: 6 * 60 + 30, takenMinAgo: 6 * 60 + 20,
    cashier: { symptom: 'scanner', note: 'Сканер пищит, но товар не добавляется в чек' },
  },
  {
    key: 'vendor', registerId: 'pos-1', openedMinAgo: 3 * 60, takenMinAgo: 2 * 60 + 50,
    printerFinding: { code: 'printer.unrecoverable_error', detail: 'DLE EOT 3 = 0x32: unrecoverable error' },
  },
];

/** The live printer fault that keeps the vendor ticket open: set on nsk-004/pos-1's simulated printer. */
export const STANDING_PRINTER_FAULT = { registerId: 'pos-1', faults: { unrecoverableError: true } } as const;

function printerReport(model: string, at: Date, finding: Finding): DeviceReport {
  return {
    deviceId: 'printer', kind: 'receipt-printer', driver: 'escpos', model, health: 'fault', findings: [finding],
    checklist: [
      { step: 'printer.answers', result: 'passed', observed: 'replied to DLE EOT 1' },
      { step: 'printer.error', result: 'failed', observed: 'unrecoverable error (DLE EOT 3 bit 5)' },
    ],
    evidence: {
      transport: 'tcp', target: 'nsk-004 pos-1 printer',
      exchanges: [{
        label: 'DLE EOT 3: error cause', request: '10 04 03', reply: '32', discarded: '', valid: true, elapsedMs: 7,
        decoded: [{ field: 'bit 5', set: true, meaning: { ru: 'Неустранимая ошибка', en: 'unrecoverable error' }, alarm: true }],
      }],
    },
    probedAt: at.toISOString(), durationMs: 40,
  };
}

export interface SeededTickets {
  /** ticket id per PAST_TICKETS key */
  ids: Partial<Record<PastTicket['key'], number>>;
}

/**
 * Writes the past tickets (their registers' agents must be stopped meanwhile, so no live report
 * races the past one); resolves with their ids, or undefined when a register never enrolled.
 */
export async function seedTicketHistory(options: { consoleDataDir: string; now: Date; engineer: string; models: Record<string, string> }): Promise<SeededTickets | undefined> {
  const db = await openConsoleDatabase(options.consoleDataDir);
  try {
    let clock = options.now;
    const engine = new TicketEngine(() => clock);
    const ids: SeededTickets['ids'] = {};
    for (const past of [...PAST_TICKETS].sort((a, b) => b.openedMinAgo - a.openedMinAgo)) {
      const agentId = await waitForAgent(db.sql, { storeId: HISTORY_STORE, registerId: past.registerId }, Date.now() + 30_000);
      if (!agentId) return undefined;
      clock = new Date(options.now.getTime() - past.openedMinAgo * MINUTE_MS);
      const msgId = `demo-history-${past.key}`;
      const ticketId = await db.write(async (sql) => {
        const changes = new ChangeSet();
        if (past.cashier) {
          return engine.applyCashierReport(sql, agentId, msgId, { ...past.cashier, locale: 'ru', reportedAt: clock.toISOString(), diagnosis: [] }, changes);
        }
        const finding = past.printerFinding!;
        await engine.applyDeviceReports(sql, agentId, msgId, [printerReport(options.models[past.registerId] ?? 'Epson', clock, finding)], changes);
        const row = await sql.get<{ id: number }>("SELECT id FROM tickets WHERE agent_id = ? AND code = ? AND status IN ('open', 'in_progress')", agentId, finding.code);
        if (!row) throw new Error(`no ticket opened for ${finding.code}`);
        return row.id;
      });
      ids[past.key] = ticketId;
      if (past.takenMinAgo !== undefined) {
        clock = new Date(options.now.getTime() - past.takenMinAgo * MINUTE_MS);
        await db.write((sql) => engine.take(sql, ticketId, { username: options.engineer }, new ChangeSet()));
      }
    }
    return { ids };
  } finally {
    await db.close();
  }
}

/** What the demo engineer did with the seeded tickets since, as moves with reasons (routing API). */
async function moveSeededTickets(api: ConsoleApi, ids: SeededTickets['ids'], now: Date): Promise<string[]> {
  const moves: { id: number | undefined; path: string; body: unknown; say: string }[] = [
    {
      id: ids.vendor, path: 'escalate', say: 'the print-head failure escalated to the vendor (Epson service centre, case EPS-2611-0457, vendor due in 2 days): its hand-off pack is on the ticket',
      body: {
        to: 'vendor', vendor: 'Epson — авторизованный сервисный центр', reference: 'EPS-2611-0457', vendorDueAt: new Date(now.getTime() + 2 * 86_400_000).toISOString(),
        reason: 'Неустранимая ошибка печатающей головки после перезагрузки и чистки: гарантийная замена / print head fails after restart and cleaning: warranty replacement',
      },
    },
    {
      id: ids.amber, path: 'reassign', say: 'the scanner report reassigned to POS software',
      body: { group: 'pos_software', reason: 'Сканер читает коды, касса их не принимает: настройка кассовой программы / the scanner reads, the POS rejects the codes: a POS setting' },
    },
    {
      id: ids.overdue, path: 'reassign', say: 'the "freezes on card payment" report reassigned to the network group',
      body: { group: 'network', reason: 'Зависает только при оплате картой: терминал теряет связь с банком / only card payments hang: the terminal loses its bank link' },
    },
  ];
  const lines: string[] = [];
  for (const move of moves) {
    if (move.id === undefined) continue;
    const done = await api.send('POST', `/api/tickets/${move.id}/${move.path}`, move.body, (v) => v);
    if (done === undefined) return [...lines, 'moves (reassign, escalate): not in this build yet'];
    lines.push(`ticket #${move.id}: ${move.say}`);
  }
  return lines;
}

async function registersConnected(api: ConsoleApi, count: number, until: number): Promise<boolean> {
  for (;;) {
    const list = await api.get(`/api/registers?storeId=${HISTORY_STORE}`, (v) => RegisterList.parse(v));
    if (!list || (list.registers.length === count && list.registers.every((r) => r.connected))) return list !== undefined;
    if (Date.now() > until) return false;
    await sleep(500);
  }
}

/**
 * The hypermarket's past: its registers' agents stop for a moment (so no live report races the
 * past ones), its pos-1 printer is set to the fault it keeps reporting, the history is written, the
 * agents start again, and the engineer's moves follow. Resolves with the lines the demo prints.
 */
export async function seedHypermarketHistory(options: { stack: Stack; consoleDataDir: string; engineer: ConsoleApi; engineerName: string }): Promise<string[]> {
  const registers = [...options.stack.registers.values()].filter((r) => r.spec.storeId === HISTORY_STORE);
  if (registers.length === 0) return [];
  // Enrolled and connected first: a register stopped before it enrolled would have no past to hold.
  if (!(await registersConnected(options.engineer, registers.length, Date.now() + 60_000))) return [`${HISTORY_STORE}: its registers never connected, no history seeded`];
  const now = new Date();
  await Promise.all(registers.map((r) => r.powerOff()));
  let seeded: SeededTickets | undefined;
  try {
    options.stack.register(`${HISTORY_STORE}/${STANDING_PRINTER_FAULT.registerId}`).simulator.setFaults(STANDING_PRINTER_FAULT.faults);
    const models = Object.fromEntries(registers.map((r) => [r.spec.registerId, r.spec.model]));
    seeded = await seedTicketHistory({ consoleDataDir: options.consoleDataDir, now, engineer: options.engineerName, models });
  } finally {
    await Promise.all(registers.map((r) => r.powerOn()));
  }
  if (!seeded) return [`${HISTORY_STORE}: its registers never enrolled, no history seeded`];
  const { ids } = seeded;
  return [
    `${HISTORY_STORE} (24/7) has a past: ticket #${ids.overdue} overdue (a cashier's report 10 h ago nobody took), #${ids.amber} amber (taken, 1.5 h of 8 left), `
      + `#${ids.vendor} a printer fault 3 h old`,
    ...(await moveSeededTickets(options.engineer, ids, now)),
  ];
}
