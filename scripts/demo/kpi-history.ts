// Five weeks of the demo stores' past tickets, so the KPI page has weeks to compare and the
// knowledge base has fixes with rates. Each ticket is written the way the live console writes one:
// the console's own ticket rules (TicketEngine, TicketMoves) apply a printer's or fiscal register's
// report, the engineers' takes, reassignments and resolutions, the cashier's report and answer, each
// at its own past time, on a second connection to the console's database. The KPIs are then
// derived from that timeline like any other.
//
// The story the figures tell: the service gets better week by week (faster reaction, fewer
// reassignments), and most paper-outs resolve by themselves once a roll goes in.
// Everything is older than the console's reopen window (3 days), so no live fault of the demo
// reopens a past ticket.
import type { DeviceReport, DiagnosisCode, Finding, Symptom } from '@tillscope/shared';
import { prng } from '../lib/prng';
import type { DemoArticle } from './kb-articles';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** How far back the history goes, and where it stops (past the 3-day reopen window). */
export const KPI_HISTORY = { firstDayAgo: 35, lastDayAgo: 4 } as const;

export interface HistoryRegister {
  key: string;
  agentId: string;
  printerModel: string;
  /** the register's fiscal register model, when it has one (device id `kkt`, as scripts/lib/stack-fiscal.ts names it) */
  fiscalModel?: string;
}

/** What happened to one past ticket. */
export type TicketPath =
  /** the fault went away by itself (a roll loaded, the cover shut) before anyone took it */
  | { kind: 'self'; goneMin: number }
  /** taken, then resolved by the engineer who took it, with the fix they applied */
  | { kind: 'engineer'; engineer: string; takeMin: number; resolveMin: number }
  /** taken in the wrong group, reassigned with a reason, taken again and resolved there */
  | { kind: 'reassigned'; engineer: string; firstEngineer: string; takeMin: number; reassignMin: number; retakeMin: number; resolveMin: number; toGroup: string };

export interface PlannedTicket {
  register: HistoryRegister;
  deviceId: 'printer' | 'kkt';
  model: string;
  code: DiagnosisCode;
  openedAt: Date;
  path: TicketPath;
  /** the cashier also reported it (minutes after it opened) and later answered "is it working?" */
  cashier?: { afterMin: number; symptom: Symptom; note: string; working: boolean; thenFix: HistoryFix };
  /** the fix the engineer named on resolving it (engineer paths) */
  fix?: HistoryFix;
}

/** A fix as the engineer names it on resolve: written, or following a knowledge-base article. */
export interface HistoryFix {
  text: string;
  article?: DemoArticle['key'];
  /** the share of its tickets where the cashier then says it still does not work */
  failShare: number;
}

/** A fault the history can hold: its code, device, how often it happens, whether it clears by itself, and its known fixes. */
interface FaultKind {
  code: DiagnosisCode;
  device: 'printer' | 'fiscal';
  weight: number;
  /** the share that clears by itself before anyone takes it */
  selfShare: number;
  /** wrong group first: its group of first arrival and the right one */
  misroute?: { toGroup: string };
  /** fixes engineers name */
  fixes: readonly HistoryFix[];
  cashier?: { symptom: Symptom; note: string };
}

export const HISTORY_FAULTS: readonly FaultKind[] = [
  {
    code: 'printer.paper_end', device: 'printer', weight: 6, selfShare: 0.5,
    fixes: [
      { text: 'Вставили новый рулон термослоем к головке / Loaded a new roll, thermal side to the head', article: 'paper', failShare: 0.08 },
      { text: 'Очистили датчик конца бумаги / Cleaned the paper-end sensor', failShare: 0.3 },
    ],
    cashier: { symptom: 'no_receipt', note: 'Чек не печатается, лампочка мигает' },
  },
  {
    code: 'printer.cover_open', device: 'printer', weight: 3, selfShare: 0.6,
    fixes: [
      { text: 'Закрыли крышку до щелчка / Shut the cover until it clicked', article: 'cover', failShare: 0.1 },
      { text: 'Заменили защёлку крышки / Replaced the cover latch', failShare: 0.05 },
    ],
    cashier: { symptom: 'no_receipt', note: 'Принтер пищит, чек не идёт' },
  },
  {
    code: 'printer.cutter_error', device: 'printer', weight: 2, selfShare: 0, misroute: { toGroup: 'hardware' },
    fixes: [
      { text: 'Извлекли замятую бумагу из отрезчика / Cleared the paper jammed in the cutter', failShare: 0.15 },
      { text: 'Заменили нож автоотреза / Replaced the auto-cutter blade', failShare: 0.05 },
    ],
  },
  {
    code: 'fiscal.shift_over_23h', device: 'fiscal', weight: 2, selfShare: 0.3,
    fixes: [{ text: 'Кассир закрыл смену (Z-отчёт) и открыл новую / The cashier closed the shift (Z report) and opened a new one', article: 'shift', failShare: 0.05 }],
    cashier: { symptom: 'fiscal_error', note: 'Касса пишет, что смена больше 24 часов' },
  },
  {
    code: 'fiscal.ofd_unsent_warning', device: 'fiscal', weight: 1, selfShare: 0.2, misroute: { toGroup: 'network' },
    fixes: [
      { text: 'Восстановили интернет на кассе, очередь ушла в ОФД / Restored the register\'s internet link; the queue reached the OFD', article: 'ofd', failShare: 0.1 },
      { text: 'Исправили адрес ОФД в настройках ККТ / Corrected the OFD address in the register settings', failShare: 0.1 },
    ],
  },
];

const ENGINEERS = ['engineer', 'ivanova', 'petrov'] as const;

/** Minutes to first reaction in week `week` (0 = oldest): the team gets faster week by week. */
function reactionMinutes(week: number, rng: () => number): number {
  const mean = Math.max(6, 45 - week * 8);
  return Math.round(mean * (0.5 + rng()));
}

function pick<T extends { weight: number }>(items: readonly T[], rng: () => number): T {
  let left = rng() * items.reduce((sum, item) => sum + item.weight, 0);
  for (const item of items) if ((left -= item.weight) < 0) return item;
  return items[items.length - 1]!;
}

/**
 * The history to write, deterministic for a seed: 6–10 tickets a day from `firstDayAgo` to
 * `lastDayAgo`, opened in working hours (UTC 06–15, daytime in every demo store), on registers that
 * have the faulting device.
 */
export function planKpiHistory(registers: readonly HistoryRegister[], now: Date, seed = 12): PlannedTicket[] {
  const rng = prng(seed);
  const plan: PlannedTicket[] = [];
  const startOfToday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (let dayAgo = KPI_HISTORY.firstDayAgo; dayAgo >= KPI_HISTORY.lastDayAgo; dayAgo -= 1) {
    const week = Math.floor((KPI_HISTORY.firstDayAgo - dayAgo) / 7);
    const count = 6 + Math.floor(rng() * 5);
    for (let index = 0; index < count; index += 1) {
      const fault = pick(HISTORY_FAULTS, rng);
      const candidates = registers.filter((r) => fault.device === 'printer' || r.fiscalModel);
      const register = candidates[Math.floor(rng() * candidates.length)];
      if (!register) continue;
      const openedAt = new Date(startOfToday - dayAgo * DAY_MS + (6 * 60 + Math.floor(rng() * 9 * 60)) * MINUTE_MS);
      const ticket = planTicket(fault, register, openedAt, week, rng);
      // One open ticket per fault of a device: a second one meanwhile would merge into the first.
      if (!plan.some((other) => overlaps(other, ticket))) plan.push(ticket);
    }
  }
  return plan.sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime());
}

/** The minute a ticket's story ends (the cashier's last answer included). */
function lastMinute(ticket: PlannedTicket): number {
  return ticket.path.kind === 'self' ? ticket.path.goneMin : ticket.path.resolveMin + 60;
}

/** Same device and fault, and their lives (plus the rules' 10-minute reopen window) overlap. */
function overlaps(a: PlannedTicket, b: PlannedTicket): boolean {
  if (a.register.agentId !== b.register.agentId || a.deviceId !== b.deviceId || a.code !== b.code) return false;
  const margin = 15 * MINUTE_MS;
  const end = (t: PlannedTicket) => t.openedAt.getTime() + lastMinute(t) * MINUTE_MS + margin;
  return a.openedAt.getTime() < end(b) && b.openedAt.getTime() < end(a);
}

function planTicket(fault: FaultKind, register: HistoryRegister, openedAt: Date, week: number, rng: () => number): PlannedTicket {
  const base = { register, deviceId: fault.device === 'printer' ? 'printer' as const : 'kkt' as const, model: fault.device === 'printer' ? register.printerModel : register.fiscalModel!, code: fault.code, openedAt };
  if (rng() < fault.selfShare) return { ...base, path: { kind: 'self', goneMin: 3 + Math.floor(rng() * 15) } };
  const engineer = ENGINEERS[Math.floor(rng() * ENGINEERS.length)]!;
  const takeMin = reactionMinutes(week, rng);
  const resolveMin = takeMin + 10 + Math.floor(rng() * 90);
  // The first fix of a fault is the usual one (three times in four), the others the exceptions.
  const fix = fault.fixes.length > 1 && rng() >= 0.75 ? fault.fixes[1 + Math.floor(rng() * (fault.fixes.length - 1))]! : fault.fixes[0]!;
  const cashier = fault.cashier && rng() < 0.6
    ? { afterMin: 1 + Math.floor(rng() * 3), ...fault.cashier, working: rng() >= fix.failShare, thenFix: surestFix(fault) }
    : undefined;
  // Misrouted tickets get rarer as the routing table is tuned: half of them in week 0, none by week 4.
  if (fault.misroute && rng() < Math.max(0, 0.5 - week * 0.125)) {
    const firstEngineer = ENGINEERS[(ENGINEERS.indexOf(engineer) + 1) % ENGINEERS.length]!;
    const reassignMin = takeMin + 5 + Math.floor(rng() * 20);
    const retakeMin = reassignMin + reactionMinutes(week, rng);
    const path: TicketPath = { kind: 'reassigned', engineer, firstEngineer, takeMin, reassignMin, retakeMin, resolveMin: retakeMin + 15 + Math.floor(rng() * 60), toGroup: fault.misroute.toGroup };
    return { ...base, path, fix, ...(cashier ? { cashier } : {}) };
  }
  return { ...base, path: { kind: 'engineer', engineer, takeMin, resolveMin }, fix, ...(cashier ? { cashier } : {}) };
}

/** What the engineer does when the cashier says the first fix did not hold: the fix that fails least. */
function surestFix(fault: FaultKind): HistoryFix {
  return [...fault.fixes].sort((a, b) => a.failShare - b.failShare)[0]!;
}

/** The past report of a device: with its finding, or without (recovered). */
export function pastReport(ticket: PlannedTicket, at: Date, finding: Finding | null): DeviceReport {
  const printer = ticket.deviceId === 'printer';
  return {
    deviceId: ticket.deviceId,
    kind: printer ? 'receipt-printer' : 'fiscal',
    driver: printer ? 'escpos' : ticket.model.startsWith('АТОЛ') ? 'atol' : 'shtrih-m',
    model: ticket.model,
    health: finding ? 'fault' : 'ok',
    findings: finding ? [finding] : [],
    // It speaks for its own fault only: a past report must never recover a live ticket of another fault.
    checked: [ticket.code],
    checklist: [],
    evidence: { transport: printer ? 'tcp' : 'serial', target: `${ticket.register.key} (demo history)`, exchanges: [] },
    probedAt: at.toISOString(),
    durationMs: 30,
  };
}
