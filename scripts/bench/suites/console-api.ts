// Issue 3, "Database: list and filter APIs over 200,000 tickets and 25,000 registers: p95 ≤ 50 ms".
// Seeds a real console file, starts the real server on loopback, logs in over HTTP and times every
// list and filter call an engineer's screens make (built with the renderer's own query builders and
// page sizes: first pages, next pages, filters, details), one request at a time (latency, not
// throughput): from the request leaving the client to the last byte of the body (not parsed). The
// client runs in the server's process, so its share (undici, reading the body) is included; the
// `http floor` row (GET /api/auth/me: session lookup plus a tiny JSON) shows what every call pays
// for HTTP alone.
import path from 'node:path';
import { DEFAULT_FILTER, filterToApiQuery, QUEUE_FIRST_PAGE_SIZE, QUEUE_PAGE_SIZE, type QueueFilter } from '../../../console/renderer/src/logic/filters';
import { DEFAULT_FLEET_FILTER, FLEET_PAGE_SIZE, fleetFilterToApiQuery, type FleetFilter } from '../../../console/renderer/src/logic/fleet-filter';
import { openConsoleDatabase } from '../../../console/server/src/db/console-database';
import { startConsoleServer } from '../../../console/server/src/start-console-server';
import { markSeededAgentsConnected, seedConsoleDatabase, type SeedResult } from '../lib/seed-console-db';
import { seedFiscalFleet } from '../lib/seed-fiscal';
import { replacementsCsvHref } from '../../../console/renderer/src/api/client';
import { LatencySamples, type BenchContext, type BenchSuite, type Measurement } from '../measurement';
import { loginCookie } from '../lib/console-login';

const BUDGET_MS = 50;
/** The sweep runs inside the write queue: agents' group commits wait for it (perf-reliability.md: ack within a second). */
const SWEEP_BUDGET_MS = 100;
const CSV_BUDGET_MS = 1_000;
const ANCHOR = 'Uptime Kuma: 882 monitors → 15 s load (#6181)';

interface Call {
  id: string;
  figure: string;
  /** The path of the i-th request (filters rotate through sample stores, tickets, registers). */
  path: (i: number) => string;
}

/** The `nextCursor`s of every page of a list, walked once before measuring "next page" calls. */
interface Cursors {
  queue: string[];
  resolved: string[];
  fleet: string[];
}

/** Every list call the renderer makes, with the renderer's own query builders and page sizes. */
function callsFor(seed: SeedResult, cursors: Cursors): Call[] {
  const queue = (patch: Partial<QueueFilter>, after?: string) =>
    `/api/tickets?${filterToApiQuery({ ...DEFAULT_FILTER, ...patch }, { after, limit: after ? QUEUE_PAGE_SIZE : QUEUE_FIRST_PAGE_SIZE })}`;
  const fleet = (patch: Partial<FleetFilter>, after?: string) => `/api/registers?${fleetFilterToApiQuery({ ...DEFAULT_FLEET_FILTER, ...patch }, { after, limit: FLEET_PAGE_SIZE })}`;
  const pick = <T>(list: T[], i: number) => list[i % list.length]!;
  const groups = ['printers', 'helpdesk', 'network'] as const;
  return [
    { id: 'tickets.queue', figure: 'queue: first page of open tickets', path: () => queue({}) },
    { id: 'tickets.queue_next', figure: 'queue: a next page (the renderer loads all)', path: (i) => queue({}, pick(cursors.queue, i)) },
    { id: 'tickets.group', figure: 'open tickets of a group', path: (i) => queue({ group: pick([...groups], i) }) },
    { id: 'tickets.store', figure: 'open tickets of a store', path: (i) => queue({ storeId: pick(seed.sample.storeIds, i) }) },
    { id: 'tickets.mine', figure: 'open tickets: mine', path: () => queue({ mine: true }) },
    { id: 'tickets.resolved', figure: 'resolved tickets: first page', path: () => queue({ status: 'resolved' }) },
    { id: 'tickets.resolved_next', figure: 'resolved tickets: a next page', path: (i) => queue({ status: 'resolved' }, pick(cursors.resolved, i)) },
    { id: 'tickets.resolved_group', figure: 'resolved tickets of a group', path: (i) => queue({ status: 'resolved', group: pick([...groups], i) }) },
    { id: 'tickets.resolved_store', figure: 'resolved tickets of a store', path: (i) => queue({ status: 'resolved', storeId: pick(seed.sample.storeIds, i) }) },
    { id: 'tickets.resolved_mine', figure: 'resolved tickets: mine', path: () => queue({ status: 'resolved', mine: true }) },
    { id: 'tickets.all', figure: 'all tickets: first page', path: () => queue({ status: 'all' }) },
    { id: 'ticket.detail_open', figure: 'ticket detail (open ticket)', path: (i) => `/api/tickets/${pick(seed.sample.openTicketIds, i)}` },
    { id: 'ticket.detail_resolved', figure: 'ticket detail (resolved ticket)', path: (i) => `/api/tickets/${pick(seed.sample.resolvedTicketIds, i)}` },
    { id: 'registers.fleet', figure: 'registers: fleet, first page', path: () => fleet({}) },
    { id: 'registers.fleet_next', figure: 'registers: fleet, a next page', path: (i) => fleet({}, pick(cursors.fleet, i)) },
    { id: 'registers.store', figure: 'registers of a store (fleet, ticket screen)', path: (i) => fleet({ storeId: pick(seed.sample.storeIds, i) }) },
    { id: 'registers.silent', figure: 'registers: silent', path: () => fleet({ connected: 'silent' }) },
    { id: 'registers.fault', figure: 'registers with a faulty device', path: () => fleet({ health: 'fault' }) },
    { id: 'registers.warning', figure: 'registers with a device in warning', path: () => fleet({ health: 'warning' }) },
    { id: 'registers.open', figure: 'registers with open tickets', path: () => fleet({ openTickets: true }) },
  ];
}

/** Follows `nextCursor` from `first` and returns every cursor seen (at most `max`). */
async function walkCursors(get: (route: string) => Promise<{ nextCursor: string | null }>, first: (after?: string) => string, max = 400): Promise<string[]> {
  const cursors: string[] = [];
  let page = await get(first());
  while (page.nextCursor && cursors.length < max) {
    cursors.push(page.nextCursor);
    page = await get(first(page.nextCursor));
  }
  return cursors;
}

export const consoleApiSuite: BenchSuite = {
  id: 'console-api',
  title: 'console list and filter APIs at fleet scale',
  async run({ quick, scratchDir, log }: BenchContext): Promise<Measurement[]> {
    const scale = quick ? { registers: 2_500, tickets: 20_000, openTickets: 1_000 } : { registers: 25_000, tickets: 200_000, openTickets: 10_000 };
    const dataDir = path.join(scratchDir, 'console');
    const seed = await seedConsoleDatabase({ dataDir, ...scale, log });
    log(`seeded ${seed.tickets} tickets (${seed.openTickets} open), ${seed.registers} registers in ${seed.stores} stores, ${seed.events} events in ${seed.seconds.toFixed(1)} s`);

    const server = await startConsoleServer({
      dataDir,
      port: 0,
      logger: { info() {}, warn: (m, s) => log(`server warn ${m}: ${s}`), error: (m, s) => log(`server error ${m}: ${s}`) },
      rendererDir: path.join(scratchDir, 'no-renderer'),
      // The seeded registers have no sockets: no offline sweep may turn them into 25,000 tickets.
      offlineAfterSec: 10 * 365 * 86_400,
      offlineSweepIntervalMs: 24 * 3_600_000,
      fiscalSweepIntervalMs: 24 * 3_600_000, // timed below, on request
    });
    try {
      // The server marked every register disconnected at start; restore the seeded mix.
      const side = await openConsoleDatabase(dataDir);
      await side.write((sql) => markSeededAgentsConnected(sql));
      await side.close();

      const cookie = await loginCookie(server.url, seed.login);
      const request = async (route: string) => {
        const started = performance.now();
        const response = await fetch(`${server.url}${route}`, { headers: { cookie, accept: 'application/json' } });
        const body = await response.arrayBuffer();
        const ms = performance.now() - started;
        if (response.status !== 200) throw new Error(`GET ${route}: HTTP ${response.status} ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
        return { ms, bytes: body.byteLength };
      };

      const measure = async (paths: (i: number) => string) => {
        const samples = new LatencySamples();
        let bytes = 0;
        for (let i = 0; i < 3; i++) await request(paths(i)); // warm-up: JIT, page cache
        const started = performance.now();
        const [minSamples, maxSamples, maxMs] = quick ? [15, 40, 800] : [25, 100, 4_000];
        for (let i = 0; i < maxSamples && (i < minSamples || performance.now() - started < maxMs); i++) {
          const result = await request(paths(i));
          samples.recordMs(result.ms);
          bytes += result.bytes;
        }
        return { samples, meanBytes: bytes / samples.count };
      };

      const getJson = async (route: string) => {
        const response = await fetch(`${server.url}${route}`, { headers: { cookie } });
        if (response.status !== 200) throw new Error(`GET ${route}: HTTP ${response.status}`);
        return (await response.json()) as { nextCursor: string | null };
      };
      const ticketPages = (status: QueueFilter['status']) => (after?: string) =>
        `/api/tickets?${filterToApiQuery({ ...DEFAULT_FILTER, status }, { after, limit: after ? QUEUE_PAGE_SIZE : QUEUE_FIRST_PAGE_SIZE })}`;
      const cursors: Cursors = {
        queue: await walkCursors(getJson, ticketPages('active')),
        resolved: await walkCursors(getJson, ticketPages('resolved'), 40),
        fleet: await walkCursors(getJson, (after) => `/api/registers?${fleetFilterToApiQuery(DEFAULT_FLEET_FILTER, { after, limit: FLEET_PAGE_SIZE })}`, 40),
      };
      log(`cursors: ${cursors.queue.length} next pages of the queue, ${cursors.resolved.length} of resolved, ${cursors.fleet.length} of the fleet`);

      const scaleNote = `${seed.tickets.toLocaleString('en-US')} tickets (${seed.openTickets.toLocaleString('en-US')} open), ${seed.registers.toLocaleString('en-US')} registers in ${seed.stores.toLocaleString('en-US')} stores`;
      const measurements: Measurement[] = [];
      const floor = await measure(() => '/api/auth/me');
      measurements.push({
        id: 'db.api.http_floor.p95',
        figure: 'HTTP floor: GET /api/auth/me (session lookup)',
        value: floor.samples.percentileMs(95),
        unit: 'ms',
        budget: null,
        anchor: '',
        note: `${floor.samples.count} requests; what every call below pays before its own query. All rows: ${scaleNote}${quick ? ' (quick: a tenth of the budget scale of 200,000 tickets / 25,000 registers)' : ''}; sequential requests, p95 of each call`,
      });
      for (const call of callsFor(seed, cursors)) {
        const { samples, meanBytes } = await measure(call.path);
        const p95 = samples.percentileMs(95);
        log(`${call.id}: p50 ${samples.percentileMs(50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${samples.maxMs().toFixed(1)} ms, ${formatBytes(meanBytes)} (${samples.count} requests; ${call.path(0)})`);
        measurements.push({
          id: `db.api.${call.id}.p95`,
          figure: `API p95: ${call.figure}`,
          value: p95,
          unit: 'ms',
          budget: { op: '<=', limit: BUDGET_MS },
          anchor: ANCHOR,
          note: `${call.path(0).replace(/after=[^&]+/, 'after=…')}: p50 ${samples.percentileMs(50).toFixed(1)} ms, max ${samples.maxMs().toFixed(1)} ms, ${samples.count} requests, ~${formatBytes(meanBytes)} each`,
        });
      }
      measurements.push(...await measureFiscal({ seed, dataDir, server, measure, getJson, baseline: measurements, scaleNote, log }));
      return measurements;
    } finally {
      await server.close();
    }
  },
};

interface FiscalPhase {
  seed: SeedResult;
  dataDir: string;
  server: { sweepFiscalDeadlines(): Promise<number> };
  measure: (paths: (i: number) => string) => Promise<{ samples: LatencySamples; meanBytes: number }>;
  getJson: (route: string) => Promise<{ nextCursor: string | null }>;
  /** The rows measured before the fleet had fiscal registers: the same-run baselines. */
  baseline: Measurement[];
  scaleNote: string;
  log: (line: string) => void;
}

/**
 * Issue 8, "the forecast columns on the fleet API over 25,000 registers (p95)": every register gets a
 * fiscal register through the console's real ingest path (two readings 12 h apart, lib/seed-fiscal.ts),
 * then the fleet calls that read the forecast, the replacement list (JSON and CSV) and the deadline
 * sweep are timed on the same server. Each fleet row's baseline is the plain fleet page measured
 * above, before any register had fiscal facts.
 */
async function measureFiscal({ seed, dataDir, server, measure, getJson, baseline, scaleNote, log }: FiscalPhase): Promise<Measurement[]> {
  const fiscal = await seedFiscalFleet({ dataDir, log });
  const fleet = (patch: Partial<FleetFilter>, after?: string) => `/api/registers?${fleetFilterToApiQuery({ ...DEFAULT_FLEET_FILTER, ...patch }, { after, limit: FLEET_PAGE_SIZE })}`;
  const within30: Partial<FleetFilter> = { sort: 'blocking', blockingWithinDays: 30 };
  const next30 = await walkCursors(getJson, (after) => fleet(within30, after), 40);
  const replacements = (after?: string) => `/api/fiscal/replacements${after ? `?after=${after}` : ''}`;
  const nextStores = await walkCursors(getJson, replacements, 40);
  const pick = <T>(list: T[], i: number) => list[i % list.length]!;
  const plainFleet = baseline.find((row) => row.id === 'db.api.registers.fleet.p95');
  const floor = baseline.find((row) => row.id === 'db.api.http_floor.p95');
  const calls: { id: string; figure: string; path: (i: number) => string; base: Measurement | undefined; budgetMs?: number; why?: string }[] = [
    { id: 'registers.fiscal_fleet', figure: 'registers: fleet, first page, with forecasts and fiscal facts', path: () => fleet({}), base: plainFleet },
    { id: 'registers.by_blocking', figure: 'registers: sorted by blocking date, first page', path: () => fleet({ sort: 'blocking' }), base: plainFleet },
    { id: 'registers.blocking_30', figure: 'registers: blocked within 30 days, by date', path: () => fleet(within30), base: plainFleet },
    { id: 'registers.blocking_30_next', figure: 'registers: blocked within 30 days, a next page', path: (i) => (next30.length ? fleet(within30, pick(next30, i)) : fleet(within30)), base: plainFleet },
    { id: 'registers.store_order_blocking_30', figure: 'registers: blocked within 30 days, by store', path: () => fleet({ blockingWithinDays: 30 }), base: plainFleet },
    { id: 'registers.detail', figure: 'one register with its fiscal facts (fleet tile, ticket screen)', path: (i) => `/api/registers/${pick(seed.sample.agentIds, i)}`, base: floor },
    { id: 'fiscal.replacements', figure: 'fiscal drives to replace: first page of stores', path: () => replacements(), base: floor },
    { id: 'fiscal.replacements_next', figure: 'fiscal drives to replace: a next page', path: (i) => replacements(nextStores.length ? pick(nextStores, i) : undefined), base: floor },
    {
      id: 'fiscal.replacements_csv', figure: 'fiscal drives to replace: the whole fleet as CSV', path: () => replacementsCsvHref(null, 'comma'), base: floor,
      budgetMs: CSV_BUDGET_MS, why: 'a file download of every store at once, not an interactive list: budget 1 s',
    },
    { id: 'fiscal.replacements_store', figure: 'fiscal drives to replace: one store', path: (i) => `/api/fiscal/replacements?storeId=${pick(seed.sample.storeIds, i)}`, base: floor },
  ];
  const note = `${scaleNote}, every register with a fiscal register (${fiscal.withinDays.d30.toLocaleString('en-US')} blocked within 30 days, `
    + `${fiscal.withinDays.d90.toLocaleString('en-US')} within 90; ${fiscal.openFiscalTickets.toLocaleString('en-US')} open fiscal tickets)`;
  const rows: Measurement[] = [];
  for (const call of calls) {
    const { samples, meanBytes } = await measure(call.path);
    const p95 = samples.percentileMs(95);
    log(`${call.id}: p50 ${samples.percentileMs(50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, ${formatBytes(meanBytes)} (${call.path(0)})`);
    rows.push({
      id: `db.api.${call.id}.p95`,
      figure: `API p95: ${call.figure}`,
      value: p95,
      unit: 'ms',
      budget: { op: '<=', limit: call.budgetMs ?? BUDGET_MS },
      anchor: ANCHOR,
      ...(call.base ? { baseline: { label: call.base === floor ? 'HTTP floor, same run' : 'the fleet page before fiscal facts, same run', value: call.base.value, unit: 'ms' } } : {}),
      note: `${call.path(0).replace(/after=[^&]+/, 'after=…')}: p50 ${samples.percentileMs(50).toFixed(1)} ms, ${samples.count} requests, ~${formatBytes(meanBytes)} each; ${call.why ? `${call.why}; ` : ''}${note}`,
    });
  }
  const sweeps = new LatencySamples();
  for (let i = 0; i < 12; i++) {
    const started = performance.now();
    await server.sweepFiscalDeadlines();
    sweeps.recordMs(performance.now() - started);
  }
  rows.push({
    id: 'db.fiscal.deadline_sweep.p95',
    figure: 'Fiscal deadline sweep (one write transaction)',
    value: sweeps.percentileMs(95),
    unit: 'ms',
    budget: { op: '<=', limit: SWEEP_BUDGET_MS },
    anchor: '',
    ...(floor ? { baseline: { label: 'HTTP floor, same run', value: floor.value, unit: 'ms' } } : {}),
    note: `every 10 minutes; holds the write queue while it runs, so agents' commits wait for it. ${sweeps.count} sweeps over ${fiscal.openFiscalTickets.toLocaleString('en-US')} open fiscal tickets`,
  });
  return rows;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1_048_576) return `${(bytes / 1_048_576).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(0)} KiB`;
  return `${Math.round(bytes)} B`;
}
