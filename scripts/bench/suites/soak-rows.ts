// The soak's rows of the bench table, from what suites/soak.ts measured and counted.
import type { FleetStats } from '../../fleet/fleet';
import type { CashierReportCheck, LossCount, SeriesSummary, Trend } from '../lib/soak-figures';
import type { Measurement } from '../measurement';

/** How long a reconnect is waited for after a restart; longer shows as "not back" (Infinity, —). */
export const RECONNECT_LIMIT_SEC = 180;

/** Samples per floor bucket: the trends fit the lowest of each, and the heap is collected once per bucket. */
export const FLOOR_SAMPLES = 6;

export interface SoakScale {
  minutes: number;
  agents: number;
  /** Mean seconds between console kills; 0: never. */
  restartEverySec: number;
  sampleEverySec: number;
  /** Bucket of the compact series printed and kept. */
  seriesEverySec: number;
  reportIntervalSec: number;
  flapEverySec: number;
  flapCount: number;
  printerFlapSec: number;
  cashierEverySec: number;
  /** Console samples this soon after a restart stay out of its trend. */
  settleSec: number;
  workers: number;
}

export interface Restart {
  atSec: number;
  /** SIGKILL to listening again. */
  upSec: number;
  /** From listening to every virtual agent connected (NaN: not within the limit). */
  fleetBackSec: number;
  /** From listening to the real agent's cashier page showing it connected. */
  agentBackSec: number;
}

export interface SoakOutcome {
  scale: SoakScale;
  durationSec: number;
  /** The console's SQLite file and its WAL after a graceful stop. */
  databaseBytes: number;
  restarts: Restart[];
  cashierAccepted: string[];
  /** Cashier page answers other than 201, "status body". */
  cashierRefused: string[];
  fleetToggles: number;
  printerChanges: number;
  loopErrors: number;
  fleet: { stats: FleetStats; loss: LossCount };
  cashier: { check: CashierReportCheck; notDelivered: string[] };
  /** Real agent messages created before the drain, still in its outbox and not on the console. */
  agentUnsent: { id: string; type: string; ts: string }[];
  agentDroppedHealth: number;
  duplicateOpenFindings: number;
  mismatches: { missingTicket: string[]; staleTicket: string[] };
  trends: Record<'consoleRss' | 'consoleHeap' | 'agentRss' | 'agentHeap', Trend>;
  summaries: Record<'consoleRss' | 'consoleHeap' | 'agentRss' | 'agentHeap', SeriesSummary>;
}

const f1 = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '—');
const maxOf = (values: number[]) => (values.length === 0 ? 0 : values.some((value) => !Number.isFinite(value)) ? Number.POSITIVE_INFINITY : Math.max(...values));

function trendRow(id: string, figure: string, trend: Trend, summary: SeriesSummary, limit: number, anchor: string, scale: SoakScale, settleSec: number): Measurement {
  const skipped = settleSec > 0 ? `, and the first ${settleSec} s after each restart` : '';
  const through = id.endsWith('heap_trend')
    ? `${trend.points} readings of the live heap (right after a full collection, one every ${scale.sampleEverySec * FLOOR_SAMPLES} s)`
    : `${trend.points} floors (lowest sample of each ${scale.sampleEverySec * FLOOR_SAMPLES} s)`;
  return {
    id, figure, value: trend.mbPerHour, unit: 'MB/h', budget: { op: '<=', limit }, anchor,
    note: `least-squares slope ±${f1(trend.stdErrorMbPerHour)} MB/h (1 σ) through ${through} spanning ${f1(trend.spanSec / 60)} min `
      + `(first 10 % of the run left out${skipped}); samples: first ${f1(summary.firstMb)} MB, last ${f1(summary.lastMb)} MB, max ${f1(summary.maxMb)} MB`,
  };
}

export function soakRows(outcome: SoakOutcome, seriesFile: string): Measurement[] {
  const { fleet, cashier, restarts, scale } = outcome;
  const counters = fleet.stats.counters;
  const lost = fleet.loss.total + cashier.check.missing.length + outcome.agentUnsent.length;
  const scaleNote = `${scale.agents.toLocaleString('en-US')} virtual agents + 1 real agent for ${f1(outcome.durationSec / 60)} min, ${restarts.length} console kills (SIGKILL); series in ${seriesFile}`;
  const fleetBack = restarts.map((restart) => restart.fleetBackSec);
  const agentBack = restarts.map((restart) => restart.agentBackSec);
  const mismatched = outcome.mismatches.missingTicket.length + outcome.mismatches.staleTicket.length;
  return [
    {
      id: 'soak.lost', figure: 'Soak: reports lost', value: lost, unit: 'reports', budget: { op: '<=', limit: 0 },
      anchor: 'at-least-once: every message acked and stored, nothing left unsent',
      note: `${scaleNote}. Fleet: ${counters.generated} created, ${counters.acked} acked, ${counters.rejected} rejected, ${fleet.stats.pending} still pending after the drain, `
        + `${fleet.loss.ackedNotStored} acked but not stored. Real agent: ${outcome.cashierAccepted.length} cashier reports accepted (201), ${cashier.check.missing.length} missing on the console, `
        + `${cashier.notDelivered.length} not shown delivered on its page; ${outcome.agentUnsent.length} outbox messages from before the drain never reached the console; `
        + `${outcome.agentDroppedHealth} health snapshots dropped by the outbox's bound (by design)`
        + (outcome.cashierRefused.length > 0 ? `; the cashier page refused ${outcome.cashierRefused.length} report(s), e.g. ${outcome.cashierRefused[0]}` : ''),
    },
    {
      id: 'soak.cashier_reports_lost', figure: 'Soak: cashier reports lost (accepted by the page, not on the console)', value: cashier.check.missing.length, unit: 'reports',
      budget: { op: '<=', limit: 0 }, anchor: 'a cashier told "saved" is never wrong',
      note: `${outcome.cashierAccepted.length} reports posted to the real agent's cashier page over the run, one every ~${scale.cashierEverySec} s, through ${restarts.length} console kills`,
    },
    {
      id: 'soak.cashier_reports_twice', figure: 'Soak: cashier reports stored twice', value: cashier.check.duplicated.length, unit: 'reports',
      budget: { op: '<=', limit: 0 }, anchor: 'idempotent by message id', note: 'cashier notes per report id in the console database',
    },
    {
      id: 'soak.duplicate_tickets', figure: 'Soak: duplicate open tickets', value: outcome.duplicateOpenFindings, unit: 'findings',
      budget: { op: '<=', limit: 0 }, anchor: 'one open ticket per register, device and code',
      note: `(register, device, code) with more than one open ticket; ${outcome.fleetToggles} fleet fault changes and ${outcome.printerChanges} printer fault changes over the run`,
    },
    {
      id: 'soak.tickets_disagreeing', figure: 'Soak: paper-end tickets disagreeing with the last report', value: mismatched, unit: 'registers',
      budget: { op: '<=', limit: 0 }, anchor: 'a ticket opens on a fault and resolves itself on recovery',
      note: `${outcome.mismatches.missingTicket.length} faulting registers without an open ticket, ${outcome.mismatches.staleTicket.length} healthy ones with one still open`,
    },
    {
      id: 'soak.restarts', figure: 'Soak: console kills (SIGKILL) and restarts', value: restarts.length, unit: '', budget: null,
      anchor: `every ~${scale.restartEverySec} s ±25 %`,
      note: `kill → listening again: ${restarts.map((restart) => f1(restart.upSec)).join(', ') || 'none'} s`,
    },
    {
      id: 'soak.fleet_back_max', figure: 'Soak: fleet back after a restart, worst', value: maxOf(fleetBack), unit: 's',
      budget: { op: '<=', limit: 60 }, anchor: 'issue 7: a reconnect storm completes within 60 s',
      note: `every virtual agent connected, per restart: ${fleetBack.map(f1).join(', ') || 'none'} s after the console listened again (—: not within ${RECONNECT_LIMIT_SEC} s)`,
    },
    {
      id: 'soak.agent_back_max', figure: 'Soak: real agent back after a restart, worst', value: maxOf(agentBack), unit: 's',
      budget: { op: '<=', limit: 10 }, anchor: 'issue 7: one agent back within 10 s of the console\'s return',
      note: `the real agent's cashier page showing it connected, per restart: ${agentBack.map(f1).join(', ') || 'none'} s (—: not within ${RECONNECT_LIMIT_SEC} s)`,
    },
    {
      id: 'soak.database_size', figure: 'Soak: console database at the end', value: outcome.databaseBytes / 2 ** 20, unit: 'MB', budget: null,
      anchor: 'processed_messages kept 7 days, device_reports 90 days',
      note: `${f1(outcome.databaseBytes / 2 ** 20 / (outcome.durationSec / 3600))} MB per hour of this soak, ${counters.generated.toLocaleString('en-US')} fleet reports`,
    },
    trendRow('soak.console_rss_trend', 'Soak: console RSS trend', outcome.trends.consoleRss, outcome.summaries.consoleRss, 20,
      '24 h at this slope: +480 MB, inside the server\'s 1 GB', scale, scale.settleSec),
    trendRow('soak.console_heap_trend', 'Soak: console heap trend', outcome.trends.consoleHeap, outcome.summaries.consoleHeap, 10,
      '24 h at this slope: +240 MB of heap, inside the server\'s 1 GB', scale, scale.settleSec),
    trendRow('soak.agent_rss_trend', 'Soak: real agent RSS trend', outcome.trends.agentRss, outcome.summaries.agentRss, 1,
      '24 h at this slope: +24 MB; MeshAgent leaked 200 MB → 1 GB over days', scale, 0),
    trendRow('soak.agent_heap_trend', 'Soak: real agent heap trend', outcome.trends.agentHeap, outcome.summaries.agentHeap, 0.5,
      '24 h at this slope: +12 MB on a ~10 MB heap', scale, 0),
  ];
}
