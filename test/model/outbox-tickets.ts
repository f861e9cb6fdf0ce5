// Model-based test of the agent's outbox and the console's ingest + ticket engine (fast-check
// asyncModelRun over ./outbox-tickets-system.ts). Random sequences of device reports, cashier
// reports, sends, acks, agent crashes, console restarts, disk full on/off and restarts; after
// every step and once everything is delivered, the promises hold:
// - nothing the outbox called saved (enqueue → on_disk, or later `saved: true`) is lost: once the
//   disk is back and sends complete, each such cashier report reached the console exactly once;
//   a report held in memory reaches it too unless the agent crashed meanwhile (the cashier was
//   told it was not saved), and never twice;
// - nothing is applied twice: a resend of a message the console committed changes no row;
// - one open ticket per (register, device, code).
import type { AgentMessage, DiagnosisCode, Symptom } from '@tillscope/shared';
import fc from 'fast-check';
import { cashierReportMessage, finding, healthMessage, printerReport } from '../../console/server/src/test-support/device-reports';
import { ModelSystem } from './outbox-tickets-system';

export interface Model {
  /** Cashier reports the outbox said were saved: they must reach the console exactly once. */
  saved: Set<string>;
  /** Cashier reports held in memory only, the agent running since: they must still arrive (it keeps retrying). */
  held: Set<string>;
  /** Held in memory when the agent crashed: may be lost (the cashier was told), never doubled. */
  forfeited: Set<string>;
  /** Message ids the console committed (an ok ack came out of the ingest). */
  committed: Set<string>;
  diskFull: boolean;
}

type Command = fc.AsyncCommand<Model, ModelSystem>;

const DEVICES = ['p1', 'p2'] as const;
const CODES: readonly DiagnosisCode[] = ['printer.paper_end', 'printer.cover_open', 'printer.paper_near_end'];

/** Rows a resend must not change: every table the ingest writes for health and cashier reports. */
async function footprint(system: ModelSystem): Promise<string> {
  const row = await system.sql.get<Record<string, number>>(
    `SELECT (SELECT COUNT(*) FROM tickets) AS tickets, (SELECT COALESCE(SUM(occurrences), 0) FROM tickets) AS occurrences,
            (SELECT COUNT(*) FROM ticket_events) AS events, (SELECT COUNT(*) FROM cashier_notes) AS notes,
            (SELECT COUNT(*) FROM device_reports) AS reports, (SELECT COUNT(*) FROM processed_messages) AS processed`,
  );
  return JSON.stringify(row);
}

/** Promotes held reports the outbox has since written to disk (a retry): from then on they are promised. */
async function reconcile(model: Model, system: ModelSystem): Promise<void> {
  for (const id of model.held) {
    const state = await system.outbox.cashierReport(id);
    if (!state) throw new Error(`cashier report ${id}, held in memory, is unknown to the outbox while the agent runs`);
    if (state.saved) {
      model.held.delete(id);
      model.saved.add(id);
    }
  }
}

/** The invariants that hold after every step. */
async function checkAlways(model: Model, system: ModelSystem): Promise<void> {
  const doubled = await system.sql.all<{ agent_id: string; device_id: string | null; code: string; n: number }[]>(
    `SELECT agent_id, device_id, code, COUNT(*) AS n FROM tickets WHERE status IN ('open', 'in_progress') GROUP BY agent_id, IFNULL(device_id, ''), code HAVING n > 1`,
  );
  if (doubled.length > 0) throw new Error(`more than one open ticket for ${JSON.stringify(doubled)}`);
  const notes = await system.sql.all<{ id: string; n: number }[]>('SELECT report_msg_id AS id, COUNT(*) AS n FROM cashier_notes GROUP BY report_msg_id HAVING n > 1');
  if (notes.length > 0) throw new Error(`cashier reports applied more than once: ${JSON.stringify(notes)}`);
  for (const id of model.saved) {
    const state = await system.outbox.cashierReport(id);
    if (!state?.saved) throw new Error(`cashier report ${id} was said to be saved, and now the outbox has ${JSON.stringify(state)}`);
  }
  if (system.consoleLogger.errors.length > 0) throw new Error(`console errors: ${system.consoleLogger.errors.join('; ')}`);
}

function step(name: string, check: (m: Model) => boolean, run: (m: Model, s: ModelSystem) => Promise<void>): Command {
  return {
    check,
    async run(model, system) {
      system.clock.advanceSeconds(30);
      await run(model, system);
      await reconcile(model, system);
      await checkAlways(model, system);
    },
    toString: () => name,
  };
}

async function enqueueReport(model: Model, system: ModelSystem, message: AgentMessage & { type: 'cashier_report' }): Promise<void> {
  const stored = await system.outbox.enqueue(message);
  const state = await system.outbox.cashierReport(message.id);
  if (state?.saved !== (stored === 'on_disk')) throw new Error(`enqueue said ${stored}, the page would show saved=${state?.saved}`);
  if (stored === 'on_disk') model.saved.add(message.id);
  else if (model.diskFull) model.held.add(message.id);
  else throw new Error(`a cashier report was not saved on a disk with room: ${stored}`);
}

/** Sends what the outbox lists: first what the console already committed (a resend must change nothing), then the rest. */
async function send(model: Model, system: ModelSystem, limit: number): Promise<void> {
  const pending = await system.outbox.pending(limit);
  const resends = pending.filter((p) => model.committed.has(p.id));
  const before = await footprint(system);
  for (const ack of await Promise.all(resends.map((p) => system.deliver(p.body)))) {
    if (!ack?.ok) throw new Error(`a resend was not acked ok: ${JSON.stringify(ack)}`);
  }
  const after = await footprint(system);
  if (after !== before) throw new Error(`resending ${resends.map((p) => p.id).join(', ')} changed the console: ${before} → ${after}`);
  const fresh = pending.filter((p) => !model.committed.has(p.id));
  const acks = await Promise.all(fresh.map((p) => system.deliver(p.body)));
  fresh.forEach((p, i) => {
    const ack = acks[i];
    if (!ack?.ok) throw new Error(`${p.id} was not acked ok: ${JSON.stringify(ack)}`);
    model.committed.add(p.id);
  });
}

async function applyAcks(system: ModelSystem, count: number): Promise<void> {
  for (const ack of system.transit.splice(0, count)) await system.outbox.ack(ack);
}

const deviceReport = fc
  .record({ device: fc.constantFrom(...DEVICES), codes: fc.subarray([...CODES], { maxLength: 2 }) })
  .map(({ device, codes }) =>
    step(`device ${device} reports [${codes.join(', ')}]`, () => true, async (_m, s) => {
      await s.outbox.enqueue(healthMessage(s.id('h'), [printerReport({ deviceId: device, findings: codes.map((code) => finding(code)) })]));
    }),
  );
const cashierReport = fc.constantFrom<Symptom>('no_receipt', 'other').map((symptom) =>
  step(`cashier reports ${symptom}`, () => true, (m, s) => enqueueReport(m, s, cashierReportMessage(s.id('r'), symptom, 'не печатает', [printerReport({ deviceId: 'p1' })]))),
);
const sendSome = fc.integer({ min: 1, max: 8 }).map((limit) => step(`send up to ${limit}`, () => true, (m, s) => send(m, s, limit)));
const ackSome = fc.integer({ min: 1, max: 8 }).map((count) => step(`agent applies ${count} ack(s)`, () => true, (_m, s) => applyAcks(s, count)));

// Reports, sends and acks twice as likely as each crash or disk change.
const commands: fc.Arbitrary<Command>[] = [
  deviceReport,
  deviceReport,
  cashierReport,
  cashierReport,
  sendSome,
  sendSome,
  ackSome,
  ackSome,
  fc.constant(
    step('agent crash', () => true, async (m, s) => {
      for (const id of m.held) m.forfeited.add(id);
      m.held.clear();
      await s.crashAgent();
    }),
  ),
  fc.constant(step('console crash', () => true, (_m, s) => s.restartConsole())),
  fc.constant(
    step('disk full', (m) => !m.diskFull, async (m, s) => {
      await s.disk.fill();
      m.diskFull = true;
    }),
  ),
  fc.constant(
    step('disk has room again', (m) => m.diskFull, async (m, s) => {
      await s.disk.free(1024 * 1024);
      m.diskFull = false;
      await s.outbox.retryStorage(); // what the agent's retry timer does every few seconds
    }),
  ),
  fc.constant(
    step('restart (agent and console)', () => true, async (m, s) => {
      // A clean stop tries once more to write what is held; what it could not write is gone.
      const wasHeld = [...m.held];
      m.held.clear();
      await s.restartAgent();
      await s.restartConsole();
      for (const id of wasHeld) ((await s.outbox.cashierReport(id))?.saved ? m.saved : m.forfeited).add(id);
    }),
  ),
];

/** Disk back, retries done, everything sent and acked; then every promised report is on the console exactly once. */
async function finish(model: Model, system: ModelSystem): Promise<void> {
  if (model.diskFull) await system.disk.free(1024 * 1024);
  model.diskFull = false;
  await system.outbox.retryStorage();
  await reconcile(model, system);
  for (let round = 0; ; round += 1) {
    await applyAcks(system, system.transit.length);
    if ((await system.outbox.pending(1)).length === 0) break;
    if (round === 20) throw new Error(`still pending after ${round} rounds: ${JSON.stringify((await system.outbox.pending(50)).map((p) => p.id))}`);
    await send(model, system, 50);
  }
  await checkAlways(model, system);
  const notes = new Map((await system.sql.all<{ id: string; n: number }[]>('SELECT report_msg_id AS id, COUNT(*) AS n FROM cashier_notes GROUP BY report_msg_id')).map((r) => [r.id, r.n]));
  for (const id of [...model.saved, ...model.held]) {
    if (notes.get(id) !== 1) throw new Error(`cashier report ${id} (${model.saved.has(id) ? 'saved' : 'held while running'}) reached the console ${notes.get(id) ?? 0} time(s)`);
    const state = await system.outbox.cashierReport(id);
    if (state?.state !== 'delivered' || !state.ticket) throw new Error(`cashier report ${id} delivered but the page shows ${JSON.stringify(state)}`);
  }
}

/** The property: any command sequence, on a fresh system each run. `maxCommands` bounds a sequence. */
export function outboxTicketsProperty(maxCommands: number) {
  // Reserves of one page, a few, and plenty: reports held in memory, saved by the reserve, both.
  const reserveBytes = fc.constantFrom(512, 4 * 1024, 64 * 1024);
  return fc.asyncProperty(reserveBytes, fc.commands(commands, { maxCommands, size: 'max' }), async (reserve, sequence) => {
    const system = await ModelSystem.start(reserve);
    const model: Model = { saved: new Set(), held: new Set(), forfeited: new Set(), committed: new Set(), diskFull: false };
    try {
      await fc.asyncModelRun(() => ({ model, real: system }), sequence);
      await finish(model, system);
    } finally {
      await system.dispose();
    }
  });
}
