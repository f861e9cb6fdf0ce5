// Issue 12, "the KPI page on 200,000 tickets (p95)". Seeds a real console file with 200,000 tickets
// and their timelines over 180 days (lib/seed-console-db.ts: the same fleet as console-api), starts
// the real server on loopback and times what the KPI page asks for, built with the renderer's own
// query builder (logic/kpi-filter.ts): its default view, the wider views a manager switches to, and
// the CSV. Before that: the first read, which builds every fact from the timeline (after an upgrade
// to migration 018, or a rebuild), and a read after 1,000 tickets got a new timeline event (the
// incremental refresh a read pays for when the facts are behind), and the memory of the facts' copy
// the reports read. The HTTP floor is the baseline.
import path from 'node:path';
import { DEFAULT_KPI_FILTER, kpiCsvHref, kpiFilterToApiQuery, type KpiFilter } from '../../../console/renderer/src/logic/kpi-filter';
import { openConsoleDatabase } from '../../../console/server/src/db/console-database';
import { startConsoleServer } from '../../../console/server/src/start-console-server';
import { loginCookie } from '../lib/console-login';
import { seedConsoleDatabase } from '../lib/seed-console-db';
import { LatencySamples, type BenchContext, type BenchSuite, type Measurement } from '../measurement';

const PAGE_BUDGET_MS = 500;
const CSV_BUDGET_MS = 1_000;
const BUILD_BUDGET_S = 60;
const REFRESH_BUDGET_MS = 1_000;
/** The copy of kpi_facts the reports read (kpi-columns.ts), at 200,000 tickets: a small share of the console's 1 GB. */
const MEMORY_BUDGET_MB = 32;
const ANCHOR = 'GLPI: averages only, no FCR or reassignment counts; Uptime Kuma: 882 monitors → 15 s load (#6181)';

interface View {
  id: string;
  figure: string;
  filter: KpiFilter;
  csv?: boolean;
}

const VIEWS: View[] = [
  { id: 'page_default', figure: 'KPI page: last 30 days by day, by store (the default view)', filter: { ...DEFAULT_KPI_FILTER } },
  { id: 'page_quarter_engineer', figure: 'KPI page: 90 days by week, by engineer', filter: { ...DEFAULT_KPI_FILTER, days: 90, bucket: 'week', slice: 'engineer' } },
  { id: 'page_half_year_model', figure: 'KPI page: 180 days by month, by model', filter: { ...DEFAULT_KPI_FILTER, days: 180, bucket: 'month', slice: 'model' } },
  { id: 'page_half_year_day', figure: 'KPI page: 180 days by day, all stores together', filter: { ...DEFAULT_KPI_FILTER, days: 180, slice: 'none' } },
  { id: 'csv_quarter_store', figure: 'KPI CSV: 90 days by day, by store', filter: { ...DEFAULT_KPI_FILTER, days: 90 }, csv: true },
];

export const kpiSuite: BenchSuite = {
  id: 'kpi',
  title: 'KPI page on 200,000 tickets (p95)',
  async run({ quick, scratchDir, log }: BenchContext): Promise<Measurement[]> {
    const scale = quick ? { registers: 2_500, tickets: 20_000, openTickets: 1_000 } : { registers: 25_000, tickets: 200_000, openTickets: 10_000 };
    const dataDir = path.join(scratchDir, 'console');
    const now = new Date();
    const seed = await seedConsoleDatabase({ dataDir, ...scale, now, log });
    log(`seeded ${seed.tickets} tickets, ${seed.events} events over 180 days in ${seed.seconds.toFixed(1)} s`);
    const scaleNote = `${seed.tickets.toLocaleString('en-US')} tickets, ${seed.events.toLocaleString('en-US')} timeline events over 180 days${quick ? ' (quick: a tenth of the budget scale)' : ''}`;

    const server = await startConsoleServer({
      dataDir, port: 0,
      logger: { info() {}, warn: (m, s) => log(`server warn ${m}: ${s}`), error: (m, s) => log(`server error ${m}: ${s}`) },
      rendererDir: path.join(scratchDir, 'no-renderer'),
      offlineAfterSec: 10 * 365 * 86_400, offlineSweepIntervalMs: 24 * 3_600_000, fiscalSweepIntervalMs: 24 * 3_600_000,
    });
    try {
      const cookie = await loginCookie(server.url, seed.login);
      const today = now.toISOString().slice(0, 10);
      const request = async (route: string) => {
        const started = performance.now();
        const response = await fetch(`${server.url}${route}`, { headers: { cookie } });
        const body = await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`GET ${route}: HTTP ${response.status} ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
        return { ms: performance.now() - started, bytes: body.byteLength };
      };
      const routeOf = (view: View) => (view.csv ? kpiCsvHref(view.filter, today, 'comma') : `/api/kpi?${kpiFilterToApiQuery(view.filter, today)}`);

      const build = await request(routeOf(VIEWS[0]!));
      log(`first read (every fact built from the timeline): ${(build.ms / 1000).toFixed(1)} s`);
      const measurements: Measurement[] = [{
        id: 'kpi.facts.build', figure: 'KPI facts: first read builds every ticket\'s fact from the timeline', value: build.ms / 1000, unit: 's',
        budget: { op: '<=', limit: BUILD_BUDGET_S }, anchor: '', note: `${scaleNote}; once after an upgrade or a rebuild, in chunks of 2,000 tickets per write transaction`,
      }];

      const memory = server.kpiMemory();
      measurements.push({
        id: 'kpi.memory.columns', figure: 'KPI facts held in memory for the reports (typed columns)', value: memory.columnBytes / 1_048_576, unit: 'MB',
        budget: { op: '<=', limit: MEMORY_BUDGET_MB }, anchor: '',
        note: `${memory.facts.toLocaleString('en-US')} facts, ${(memory.columnBytes / Math.max(1, memory.facts)).toFixed(0)} bytes each as allocated (capacity doubles); plus a Map ticket → row of as many entries, not counted here`,
      });

      const refresh = await refreshAfterChanges(dataDir, 1_000, async () => (await request(routeOf(VIEWS[0]!))).ms);
      measurements.push({
        id: 'kpi.facts.refresh_1000', figure: 'KPI page read after 1,000 tickets got a new event (incremental refresh included)', value: refresh, unit: 'ms',
        budget: { op: '<=', limit: REFRESH_BUDGET_MS }, anchor: '', note: 'one read; the facts of the 1,000 marked tickets are recomputed first',
      });

      const measure = async (route: string) => {
        const samples = new LatencySamples();
        let bytes = 0;
        for (let i = 0; i < 3; i++) await request(route); // warm-up: JIT, page cache
        const started = performance.now();
        const [minSamples, maxSamples, maxMs] = quick ? [10, 30, 1_500] : [20, 60, 6_000];
        for (let i = 0; i < maxSamples && (i < minSamples || performance.now() - started < maxMs); i++) {
          const result = await request(route);
          samples.recordMs(result.ms);
          bytes += result.bytes;
        }
        return { samples, meanBytes: bytes / samples.count };
      };
      const floor = await measure('/api/auth/me');
      const baseline = { label: 'HTTP floor: GET /api/auth/me', value: floor.samples.percentileMs(95), unit: 'ms' };
      for (const view of VIEWS) {
        const route = routeOf(view);
        const { samples, meanBytes } = await measure(route);
        const p95 = samples.percentileMs(95);
        log(`${view.id}: p50 ${samples.percentileMs(50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, ${Math.round(meanBytes / 1024)} KiB (${route})`);
        measurements.push({
          id: `kpi.${view.id}.p95`, figure: `${view.csv ? '' : 'API p95: '}${view.figure}`, value: p95, unit: 'ms',
          budget: { op: '<=', limit: view.csv ? CSV_BUDGET_MS : PAGE_BUDGET_MS }, anchor: ANCHOR, baseline,
          note: `${route}: p50 ${samples.percentileMs(50).toFixed(1)} ms, ${samples.count} requests, ~${Math.round(meanBytes / 1024)} KiB; ${scaleNote}`,
        });
      }
      return measurements;
    } finally {
      await server.close();
    }
  },
};

/**
 * Adds a note event to `tickets` tickets spread over the history (through a second connection to
 * the file, as another writer would: the triggers mark them), then times one KPI read.
 */
async function refreshAfterChanges(dataDir: string, tickets: number, read: () => Promise<number>): Promise<number> {
  const side = await openConsoleDatabase(dataDir);
  try {
    await side.write(async (sql) => {
      const max = (await sql.get<{ n: number }>('SELECT MAX(id) AS n FROM tickets'))?.n ?? 0;
      const step = Math.max(1, Math.floor(max / tickets));
      await sql.run(
        `WITH RECURSIVE pick(id) AS (SELECT 1 UNION ALL SELECT id + ? FROM pick WHERE id + ? <= ?)
         INSERT INTO ticket_events (ticket_id, at, kind, actor, text) SELECT id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'note', 'bench', 'bench note' FROM pick LIMIT ?`,
        step, step, max, tickets,
      );
    });
  } finally {
    await side.close();
  }
  return read();
}
