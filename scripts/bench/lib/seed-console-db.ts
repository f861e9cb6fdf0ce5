// Fills a real console SQLite file with a fleet and its ticket history, fast enough to run before
// every bench (200,000 tickets and 25,000 registers in seconds). The file is opened with
// openConsoleDatabase, so every migration applies and the rows land in the schema the server uses.
// Rows go in as multi-row INSERT statements inside large transactions: with the `sqlite3` package,
// one statement per row caps out at ~5–16k rows/s (perf-reliability.md §1.4). The migrations'
// secondary indexes are dropped for the load and rebuilt afterwards (one sorted build per index is
// cheaper than 200,000 random inserts into each); the schema ends up exactly as the migrations left it.
//
// Deterministic: the same options give the same rows (a seeded PRNG), so runs compare.
import { createHash } from 'node:crypto';
import {
  CATALOGUE,
  SLA_BY_SEVERITY,
  SYMPTOMS,
  type ChecklistAnswer,
  type DeviceHealth,
  type DiagnosisCode,
  type Evidence,
  type RoutingGroup,
  type Symptom,
  type TimelineKind,
} from '@tillscope/shared';
import { PasswordPool } from '../../../console/server/src/auth/password-pool';
import { UserStore } from '../../../console/server/src/auth/user-store';
import { openConsoleDatabase, type SqlConnection } from '../../../console/server/src/db/console-database';
import { prng } from '../../lib/prng';

export interface SeedOptions {
  dataDir: string;
  /** Registers (agents); about five per store. */
  registers: number;
  /** Every ticket, open and closed. */
  tickets: number;
  /** Of those, still `open` or `in_progress` (the queue). Capped by what the fleet can hold. */
  openTickets: number;
  /** Registers not connected (`silent`); default 3 %. */
  silentShare?: number;
  /** How far back the history goes; default 180 days. */
  historyDays?: number;
  /** Domain "now"; default the wall clock (the server under test uses the wall clock too). */
  now?: Date;
  seed?: number;
  /** Progress lines (phase and elapsed time). */
  log?: (message: string) => void;
}

export interface SeedUser {
  username: string;
  password: string;
}

export interface SeedResult {
  stores: number;
  registers: number;
  devices: number;
  tickets: number;
  openTickets: number;
  events: number;
  cashierNotes: number;
  seconds: number;
  /** An engineer who can log in; some open and many resolved tickets are assigned to them. */
  login: SeedUser;
  /** Useful look-ups for a bench: stores, tickets and registers that exist, spread over the data. */
  sample: {
    storeIds: string[];
    openTicketIds: number[];
    resolvedTicketIds: number[];
    /** Ids of registers, for register look-ups. */
    agentIds: string[];
  };
}

export const SEED_LOGIN: SeedUser = { username: 'bench-engineer', password: 'bench-engineer-password' };

/** Registers whose `last_seen_at` is this recent were seeded as connected (see markSeededAgentsConnected). */
const CONNECTED_SEEN_WITHIN_MS = 60_000;
const REGIONS = ['msk', 'spb', 'ekb', 'nsk', 'kzn', 'nnv', 'smr', 'rnd', 'ufa', 'krs'] as const;
const ENGINEERS = Array.from({ length: 40 }, (_, i) => `eng-${String(i + 1).padStart(2, '0')}`);
const PRINTER_MODELS = ['Epson TM-T20II', 'Epson TM-T20III', 'Epson TM-m30III', 'Citizen CT-S310II', 'Star TSP143IV', null] as const;
const ROWS_PER_STATEMENT = 1_000;
/** Rows per transaction: large enough that commits do not matter, small enough to bound the JS heap. */
const ROWS_PER_TRANSACTION = 20_000;

type Weighted<T> = readonly (readonly [T, number])[];

function picker<T>(random: () => number, table: Weighted<T>): () => T {
  const total = table.reduce((sum, [, weight]) => sum + weight, 0);
  return () => {
    let x = random() * total;
    for (const [value, weight] of table) {
      x -= weight;
      if (x < 0) return value;
    }
    return table[table.length - 1]![0];
  };
}

interface SeedAgent {
  id: string;
  storeId: string;
  registerId: string;
  connected: boolean;
  devices: { deviceId: string; transport: 'tcp' | 'serial' | 'usb'; target: string; model: string | null }[];
}

interface SeedTicket {
  agent: SeedAgent;
  deviceId: string | null;
  code: DiagnosisCode;
  group: RoutingGroup;
  status: 'open' | 'in_progress' | 'resolved' | 'closed';
  openedMs: number;
  resolvedMs: number | null;
  closedMs: number | null;
  assignee: string | null;
  autoResolved: boolean;
  active: boolean;
  touched: boolean;
  cashier: Symptom | null;
  occurrences: number;
}

const PRINTER_CODES: Weighted<DiagnosisCode> = [
  ['printer.paper_end', 30],
  ['printer.paper_near_end', 25],
  ['printer.cover_open', 15],
  ['printer.no_reply', 8],
  ['printer.offline', 5],
  ['printer.cutter_error', 4],
  ['printer.recoverable_error', 3],
  ['printer.auto_recoverable_error', 3],
  ['printer.unrecoverable_error', 1],
];

/** Fills `dataDir/console.db`; the directory should be empty (a fresh file). */
export async function seedConsoleDatabase(options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const random = prng(options.seed ?? 20261122);
  const nowMs = (options.now ?? new Date()).getTime();
  const historyMs = (options.historyDays ?? 180) * 86_400_000;
  const silentShare = options.silentShare ?? 0.03;
  const iso = (ms: number) => new Date(ms).toISOString();

  // --- the fleet: ~5 registers per store (3–7), 1–2 devices each -------------------------------
  const agents: SeedAgent[] = [];
  const storeIds: string[] = [];
  for (let store = 0; agents.length < options.registers; store++) {
    const storeId = `${REGIONS[store % REGIONS.length]}-${String(Math.floor(store / REGIONS.length) + 1).padStart(4, '0')}`;
    storeIds.push(storeId);
    const count = Math.min(3 + Math.floor(random() * 5), options.registers - agents.length);
    for (let r = 1; r <= count; r++) {
      const n = agents.length;
      const devices: SeedAgent['devices'] = [];
      const serial = random() < 0.3;
      devices.push({
        deviceId: 'printer-1',
        transport: serial ? 'serial' : 'tcp',
        target: serial ? '/dev/ttyUSB0 @ 9600' : `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}:9100`,
        model: PRINTER_MODELS[Math.floor(random() * PRINTER_MODELS.length)] ?? null,
      });
      if (random() < 0.35) devices.push({ deviceId: 'printer-2', transport: 'usb', target: 'usb:04b8:0202', model: 'Epson TM-T20III' });
      agents.push({
        id: `agt_${createHash('sha256').update(`${storeId}/${r}`).digest('hex').slice(0, 18)}`,
        storeId,
        registerId: `pos-${r}`,
        connected: random() >= silentShare,
        devices,
      });
    }
  }

  // --- tickets: a recent open queue, and months of resolved and closed history ------------------
  const pickPrinterCode = picker(random, PRINTER_CODES);
  const pickSymptom = picker<Symptom>(random, [['no_receipt', 60], ['fiscal_error', 20], ['scanner', 10], ['other', 10]]);
  const openKeys = new Set<string>();
  let takenCount = 0;
  const tickets: SeedTicket[] = [];
  const openTarget = Math.min(options.openTickets, options.tickets);

  const newTicket = (open: boolean): SeedTicket | null => {
    const agent = agents[Math.floor(random() * agents.length)]!;
    const kind = random();
    let code: DiagnosisCode;
    let deviceId: string | null;
    let cashier: Symptom | null = null;
    if (kind < (agent.connected ? 0.02 : 0.5)) {
      code = 'agent.offline';
      deviceId = null;
    } else if (kind < 0.92) {
      code = pickPrinterCode();
      deviceId = agent.devices[Math.floor(random() * agent.devices.length)]!.deviceId;
    } else {
      code = 'cashier.problem_reported';
      deviceId = null;
    }
    if (code === 'cashier.problem_reported' || random() < 0.05) cashier = pickSymptom();
    const group = code === 'cashier.problem_reported' ? SYMPTOMS[cashier ?? 'other'].group : CATALOGUE[code].group;
    if (open) {
      const key = `${agent.id}|${deviceId ?? ''}|${code}`;
      if (openKeys.has(key)) return null; // one open ticket per finding (a unique index)
      openKeys.add(key);
      // Skewed to the last hours: most of the queue is young, a tail is days old.
      const openedMs = nowMs - Math.floor(random() ** 2 * 3 * 86_400_000) - 60_000;
      const taken = random() < 0.3;
      if (taken) takenCount++;
      return {
        agent, deviceId, code, group, status: taken ? 'in_progress' : 'open', openedMs, resolvedMs: null, closedMs: null,
        // Every 12th taken ticket is the login user's: a "mine" view of ~8 % of the work in progress.
        assignee: taken ? (takenCount % 12 === 1 ? SEED_LOGIN.username : ENGINEERS[Math.floor(random() * ENGINEERS.length)]!) : null,
        autoResolved: false, active: code === 'cashier.problem_reported' || random() < 0.85, touched: taken, cashier,
        occurrences: 1 + Math.floor(random() ** 3 * 40),
      };
    }
    const openedMs = nowMs - 3 * 86_400_000 - Math.floor(random() * (historyMs - 3 * 86_400_000));
    const auto = CATALOGUE[code].autoResolve && random() < 0.6;
    const resolvedMs = openedMs + 60_000 + Math.floor(random() ** 2 * 8 * 3_600_000);
    const closed = !auto && random() < 0.5;
    return {
      agent, deviceId, code, group, status: closed ? 'closed' : 'resolved', openedMs, resolvedMs,
      closedMs: closed ? resolvedMs + Math.floor(random() * 1_800_000) : null,
      assignee: auto ? null : random() < 0.04 ? SEED_LOGIN.username : ENGINEERS[Math.floor(random() * ENGINEERS.length)]!,
      autoResolved: auto, active: false, touched: !auto, cashier, occurrences: 1 + Math.floor(random() ** 3 * 20),
    };
  };
  for (let attempts = 0; tickets.length < openTarget && attempts < openTarget * 20; attempts++) {
    const ticket = newTicket(true);
    if (ticket) tickets.push(ticket);
  }
  const openCount = tickets.length;
  while (tickets.length < options.tickets) tickets.push(newTicket(false)!);
  // Ids follow creation time, as they do in a live console.
  tickets.sort((a, b) => a.openedMs - b.openedMs);

  // Devices report the faults their open tickets show.
  const deviceCodes = new Map<string, DiagnosisCode[]>();
  for (const ticket of tickets) {
    if (ticket.active && ticket.deviceId && (ticket.status === 'open' || ticket.status === 'in_progress')) {
      const key = `${ticket.agent.id}|${ticket.deviceId}`;
      deviceCodes.set(key, [...(deviceCodes.get(key) ?? []), ticket.code]);
    }
  }

  const T = (label: string) => options.log?.(`seed: ${label} at ${((performance.now() - started) / 1000).toFixed(1)} s`);
  T('generated');
  // --- write ----------------------------------------------------------------------------------
  const db = await openConsoleDatabase(options.dataDir);
  let events = 0;
  let notes = 0;
  let deviceCount = 0;
  try {
    const sql = db.sql;
    const indexes = await sql.all<{ name: string; sql: string }[]>(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('agents', 'devices', 'tickets', 'ticket_events', 'cashier_notes')",
    );
    for (const index of indexes) await sql.exec(`DROP INDEX ${index.name}`);
    // A fresh file that nobody reads yet: no journal, no fsync, a large page cache. The server
    // re-applies its own pragmas (WAL, synchronous=NORMAL) when it opens the file.
    await sql.exec('PRAGMA journal_mode = OFF');
    await sql.exec('PRAGMA synchronous = OFF');
    await sql.exec('PRAGMA cache_size = -262144');

    const agentRows: unknown[][] = agents.map((agent, n) => {
      const seenMs = agent.connected ? nowMs - Math.floor(random() * 30_000) : nowMs - 3_600_000 - Math.floor(random() * 5 * 86_400_000);
      return [
        agent.id, agent.storeId, agent.registerId, `${agent.storeId}-${agent.registerId}`, '1.4.2', n % 3 === 0 ? 'win32' : 'linux', '',
        createHash('sha256').update(agent.id).digest('hex'), agent.connected ? 1 : 0, iso(seenMs),
        agent.connected ? null : iso(seenMs), iso(nowMs - historyMs - 86_400_000),
      ];
    });
    await db.write((tx) => insertRows(tx, 'agents', ['id', 'store_id', 'register_id', 'hostname', 'agent_version', 'os_platform', 'os_release', 'credential_hash', 'connected', 'last_seen_at', 'disconnected_at', 'enrolled_at'], agentRows));

    const deviceRows: unknown[][] = [];
    for (const agent of agents) {
      for (const device of agent.devices) {
        const codes = deviceCodes.get(`${agent.id}|${device.deviceId}`) ?? [];
        const health: DeviceHealth = codes.length === 0 ? (random() < 0.01 ? 'unknown' : 'ok')
          : codes.some((code) => CATALOGUE[code].severity === 'critical' || CATALOGUE[code].severity === 'major') ? 'fault' : 'warning';
        deviceRows.push([agent.id, device.deviceId, 'receipt-printer', 'escpos', device.transport, device.target, device.model, health, JSON.stringify(codes), iso(nowMs - Math.floor(random() * 60_000))]);
      }
    }
    deviceCount = deviceRows.length;
    await db.write((tx) => insertRows(tx, 'devices', ['agent_id', 'device_id', 'kind', 'driver', 'transport', 'target', 'model', 'health', 'codes_json', 'probed_at'], deviceRows));

    const ticketColumns = ['id', 'agent_id', 'device_id', 'code', 'status', 'severity', 'priority', 'group_name', 'opened_at', 'updated_at', 'resolved_at', 'closed_at',
      'react_by', 'resolve_by', 'assignee', 'active', 'touched', 'auto_resolved', 'has_cashier_report', 'occurrences', 'detail', 'checklist_json', 'evidence_json',
      'device_kind', 'device_driver', 'device_model'];
    const eventColumns = ['ticket_id', 'at', 'kind', 'actor', 'text'];
    const noteColumns = ['ticket_id', 'report_msg_id', 'at', 'symptom', 'note', 'locale'];
    let previousBatch: Promise<void> = Promise.resolve();
    for (let from = 0; from < tickets.length; from += ROWS_PER_TRANSACTION) {
      const ticketRows: unknown[][] = [];
      const eventRows: unknown[][] = [];
      const noteRows: unknown[][] = [];
      tickets.slice(from, from + ROWS_PER_TRANSACTION).forEach((ticket, k) => {
        const id = from + k + 1;
        const entry = CATALOGUE[ticket.code];
        const sla = SLA_BY_SEVERITY[entry.severity];
        const device = ticket.deviceId ? ticket.agent.devices.find((d) => d.deviceId === ticket.deviceId)! : null;
        const text = findingText(ticket.code);
        const event = (atMs: number, kind: TimelineKind, actor: string | null, eventText = '') => eventRows.push([id, iso(atMs), kind, actor, eventText]);
        event(ticket.openedMs, 'opened', null, text);
        let updatedMs = ticket.openedMs;
        if (ticket.cashier) {
          const atMs = ticket.openedMs + 30_000;
          noteRows.push([id, `msg-seed-${id}`, iso(atMs), ticket.cashier, random() < 0.7 ? CASHIER_WORDS[Math.floor(random() * CASHIER_WORDS.length)]! : '', 'ru']);
          event(atMs, 'cashier_report', null, noteRows[noteRows.length - 1]![4] as string);
          updatedMs = atMs;
        }
        if (ticket.assignee) {
          const atMs = ticket.openedMs + 120_000 + Math.floor(random() * 1_200_000);
          event(Math.min(atMs, ticket.resolvedMs ?? atMs, nowMs), 'taken', ticket.assignee);
          updatedMs = Math.max(updatedMs, Math.min(atMs, nowMs));
        }
        if (ticket.resolvedMs !== null) {
          if (ticket.autoResolved) {
            event(ticket.resolvedMs, 'recovered', null);
            event(ticket.resolvedMs, 'auto_resolved', null);
          } else {
            event(ticket.resolvedMs, 'resolved', ticket.assignee, 'replaced the paper roll');
          }
          updatedMs = ticket.resolvedMs;
        }
        if (ticket.closedMs !== null) {
          event(ticket.closedMs, 'cashier_confirmed', null);
          updatedMs = ticket.closedMs;
        }
        ticketRows.push([
          id, ticket.agent.id, ticket.deviceId, ticket.code, ticket.status, entry.severity, sla.priority, ticket.group,
          iso(ticket.openedMs), iso(updatedMs), ticket.resolvedMs === null ? null : iso(ticket.resolvedMs), ticket.closedMs === null ? null : iso(ticket.closedMs),
          iso(ticket.openedMs + sla.reactMinutes * 60_000), iso(ticket.openedMs + sla.resolveMinutes * 60_000), ticket.assignee,
          ticket.active ? 1 : 0, ticket.touched ? 1 : 0, ticket.autoResolved ? 1 : 0, ticket.cashier ? 1 : 0, ticket.occurrences, text,
          device ? CHECKLIST_JSON[ticket.code] ?? '[]' : '[]', device ? evidenceJson(ticket.code, device.transport, device.target) : null,
          device ? 'receipt-printer' : null, device ? 'escpos' : null, device?.model ?? null,
        ]);
      });
      // The next batch is generated while this one is written (db.write queues transactions).
      await previousBatch;
      previousBatch = db.write(async (tx) => {
        await Promise.all([
          insertRows(tx, 'tickets', ticketColumns, ticketRows),
          insertRows(tx, 'ticket_events', eventColumns, eventRows),
          insertRows(tx, 'cashier_notes', noteColumns, noteRows),
        ]);
      });
      events += eventRows.length;
      notes += noteRows.length;
    }
    await previousBatch;

    T('inserted');
    for (const index of indexes) await sql.exec(index.sql);
    T('indexed');
    // No ANALYZE: a console in the field never runs it, so the planner here must choose as it does there.
    await sql.exec('PRAGMA journal_mode = WAL');
    await sql.exec('PRAGMA synchronous = NORMAL');
    const passwords = PasswordPool.create();
    try {
      await new UserStore(db, () => new Date(nowMs), passwords).createUser({
        ...SEED_LOGIN, displayName: 'Bench Engineer', role: 'engineer', groups: ['printers'],
      });
    } finally {
      await passwords.close();
    }
  } finally {
    await db.close();
  }

  const openIds: number[] = [];
  const resolvedIds: number[] = [];
  tickets.forEach((ticket, k) => (ticket.status === 'open' || ticket.status === 'in_progress' ? openIds : resolvedIds).push(k + 1));
  const spread = <T>(list: T[], n: number) => Array.from({ length: Math.min(n, list.length) }, (_, i) => list[Math.floor((i * list.length) / Math.min(n, list.length))]!);
  return {
    stores: storeIds.length,
    registers: agents.length,
    devices: deviceCount,
    tickets: tickets.length,
    openTickets: openCount,
    events,
    cashierNotes: notes,
    seconds: (performance.now() - started) / 1000,
    login: SEED_LOGIN,
    sample: {
      storeIds: spread(storeIds, 50),
      openTicketIds: spread(openIds, 200),
      resolvedTicketIds: spread(resolvedIds, 200),
      agentIds: spread(agents.map((a) => a.id), 50),
    },
  };
}

/**
 * A server starting up marks every register disconnected (no socket is open to it yet). A bench
 * that wants the seeded fleet's mix of connected and silent registers calls this after the server
 * started: registers seeded as connected were seen within the last minute.
 */
export async function markSeededAgentsConnected(sql: SqlConnection, now = new Date()): Promise<number> {
  const result = await sql.run(
    'UPDATE agents SET connected = 1, disconnected_at = NULL WHERE last_seen_at >= ?',
    new Date(now.getTime() - CONNECTED_SEEN_WITHIN_MS - 300_000).toISOString(),
  );
  return result.changes ?? 0;
}

/**
 * INSERT … VALUES (…), (…), … with the values written as SQL literals, ~1,000 rows per statement.
 * Binding parameters costs about twice as much per value in the `sqlite3` package, and every value
 * here is generated by this file (numbers, nulls and strings, quoted by sqlLiteral), never input.
 */
async function insertRows(sql: SqlConnection, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  // Not awaited one by one: the statements queue on the connection, so the next one is built in
  // JS while SQLite (on libuv's thread pool) runs the previous one.
  const pending: Promise<void>[] = [];
  for (let at = 0; at < rows.length; at += ROWS_PER_STATEMENT) {
    pending.push(sql.exec(head + rows.slice(at, at + ROWS_PER_STATEMENT).map((row) => `(${row.map(sqlLiteral).join(',')})`).join(',')));
  }
  await Promise.all(pending);
}

function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  throw new Error(`no SQL literal for ${typeof value}`);
}

const CASHIER_WORDS = ['чек не печатается', 'принтер пищит', 'бумага кончилась, запасной нет', 'горит красная лампочка', 'касса зависла', 'не идёт чек'];

function findingText(code: DiagnosisCode): string {
  switch (code) {
    case 'printer.paper_end': return 'DLE EOT 4 = 0x72: paper end sensor: no paper';
    case 'printer.paper_near_end': return 'DLE EOT 4 = 0x1e: paper near-end sensor: paper low';
    case 'printer.cover_open': return 'DLE EOT 2 = 0x16: cover is open';
    case 'printer.no_reply': return 'no reply to DLE EOT 1 within 1500 ms';
    case 'agent.offline': return 'no connection from the register for 90 s';
    case 'cashier.problem_reported': return 'reported by the cashier';
    default: return `DLE EOT 3 = 0x52: ${code.split('.')[1]!.replace(/_/g, ' ')}`;
  }
}

const CHECKLIST_JSON: Partial<Record<DiagnosisCode, string>> = Object.fromEntries(
  (Object.keys(CATALOGUE) as DiagnosisCode[]).map((code) => [
    code,
    JSON.stringify(CATALOGUE[code].checklist.map((step, i): ChecklistAnswer => ({
      step,
      result: i === 0 ? 'passed' : step === 'printer.test_print' ? 'unknown' : i === 2 ? 'failed' : 'passed',
      observed: i === 0 ? 'replied to DLE EOT 1 in 12 ms' : '',
    }))),
  ]),
);

const evidenceCache = new Map<string, string>();
function evidenceJson(code: DiagnosisCode, transport: 'tcp' | 'serial' | 'usb', target: string): string {
  const key = `${code}|${transport}`;
  let template = evidenceCache.get(key);
  if (!template) {
    const evidence: Evidence = {
      transport,
      target: '@@TARGET@@',
      exchanges: [
        { label: 'DLE EOT 1: printer status', request: '10 04 01', reply: '16', discarded: '', valid: true, elapsedMs: 11, decoded: [
          { field: 'bit 3', set: false, meaning: { ru: 'принтер в работе', en: 'online' }, alarm: false },
        ] },
        { label: 'DLE EOT 4: roll paper sensor', request: '10 04 04', reply: code === 'printer.paper_end' ? '72' : '12', discarded: '', valid: true, elapsedMs: 9, decoded: [
          { field: 'bits 2,3', set: false, meaning: { ru: 'бумага скоро закончится: нет', en: 'paper near end: no' }, alarm: false },
          { field: 'bits 5,6', set: code === 'printer.paper_end', meaning: { ru: 'бумага закончилась', en: 'paper end' }, alarm: code === 'printer.paper_end' },
        ] },
      ],
    };
    template = JSON.stringify(evidence);
    evidenceCache.set(key, template);
  }
  return template.replace('@@TARGET@@', target);
}
