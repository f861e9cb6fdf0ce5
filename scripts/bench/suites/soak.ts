// The soak (issue 7): a console process on a real SQLite file, a fleet of virtual registers whose
// faults come and go, and one real agent (the built bundle) whose simulated printer flaps and whose
// cashier page takes a report now and then; the console is killed with SIGKILL every few minutes
// and restarted on the same file and port. Memory of the console and the real agent is sampled
// throughout; at the end every queue drains and the console's database is checked: nothing lost,
// nothing twice, one open ticket per finding. Runs only on request:
//   npm run bench -- --only soak [--soak-minutes 30] [--soak-agents 1000] [--restart-every-sec 240]
import { readFileSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildAgent } from '../../../agent/build';
import { DATABASE_FILE_NAME } from '../../../console/server/src/db/console-database';
import { Fleet, type FleetStats } from '../../fleet/fleet';
import { within } from '../../lib/child-channel';
import { freePort } from '../../lib/ports';
import { ConsoleUnderTest } from '../lib/console-under-test';
import { assertProcAvailable, parseStatus } from '../lib/proc-stats';
import { readAgentOutbox, readConsoleFindings } from '../lib/soak-checks';
import { SoakAgent } from '../lib/soak-agent';
import {
  checkCashierReports, compactSeries, fleetLoss, memoryTrend, nextRestartDelaySec, summarizeSeries, ticketMismatches,
  type MemorySample, type TrendWindow,
} from '../lib/soak-figures';
import type { BenchContext, BenchSuite, Measurement } from '../measurement';
import { FLOOR_SAMPLES, RECONNECT_LIMIT_SEC, soakRows, type SoakOutcome, type SoakScale } from './soak-rows';

function scaleFor(context: BenchContext): SoakScale {
  const { quick, soak } = context;
  // Quick: a two-minute smoke of the same machinery, for checking the harness, not for its figures.
  const base: SoakScale = quick
    ? { minutes: 2, agents: 200, restartEverySec: 40, sampleEverySec: 2, seriesEverySec: 30, reportIntervalSec: 10, flapEverySec: 3, flapCount: 3, printerFlapSec: 8, cashierEverySec: 10, settleSec: 10, workers: 2 }
    : { minutes: 30, agents: 1_000, restartEverySec: 240, sampleEverySec: 10, seriesEverySec: 300, reportIntervalSec: 30, flapEverySec: 10, flapCount: 5, printerFlapSec: 30, cashierEverySec: 60, settleSec: 60, workers: 2 };
  const agents = soak.agents ?? base.agents;
  return {
    ...base,
    minutes: soak.minutes ?? base.minutes,
    agents,
    restartEverySec: soak.restartEverySec ?? base.restartEverySec,
    workers: Math.max(base.workers, Math.ceil(agents / 5_000)),
  };
}

const rssOf = (pid: number) => parseStatus(readFileSync(`/proc/${pid}/status`, 'utf8')).vmRssKb * 1024;

/** The running parts, shared by the loops that drive and watch them until the deadline. */
class Soak {
  console: ConsoleUnderTest | undefined;
  consoleStartedAt = performance.now();
  readonly startedAt = performance.now();
  readonly stop = new AbortController();
  readonly consoleSamples: MemorySample[] = [];
  readonly agentSamples: MemorySample[] = [];
  /** The fleet at each sample, for the JSON series: a stuck queue or a worker growing shows there. */
  readonly fleetSamples: { atSec: number; connected: number; pending: number; acked: number; workerRssMb: number[] }[] = [];
  /** What the loops count while the soak runs; the rest of SoakOutcome is read at the end. */
  readonly outcome: Pick<SoakOutcome, 'restarts' | 'cashierAccepted' | 'cashierRefused' | 'fleetToggles' | 'printerChanges' | 'loopErrors'> = {
    restarts: [], cashierAccepted: [], cashierRefused: [], fleetToggles: 0, printerChanges: 0, loopErrors: 0,
  };
  readonly faulting = new Set<number>();
  private samples = 0;

  constructor(
    readonly scale: SoakScale,
    readonly fleet: Fleet,
    readonly agent: SoakAgent,
    private readonly startConsole: () => Promise<ConsoleUnderTest>,
    private readonly log: (message: string) => void,
  ) {}

  get elapsedSec(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  /** Sleeps unless the soak is stopping; false once it is. */
  async pause(ms: number): Promise<boolean> {
    if (this.stop.signal.aborted) return false;
    try {
      await sleep(ms, undefined, { signal: this.stop.signal });
      return true;
    } catch {
      return false;
    }
  }

  /** Runs `step` every `everyMs()` until the soak stops; a failing step is logged and counted, never fatal. */
  async every(label: string, everyMs: () => number, step: () => Promise<void>): Promise<void> {
    while (await this.pause(everyMs())) {
      try {
        await step();
      } catch (error) {
        this.outcome.loopErrors += 1;
        if (this.outcome.loopErrors <= 20) this.log(`${label}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  async sample(): Promise<void> {
    const atSec = this.elapsedSec;
    // Once a floor bucket (a minute in full runs), the heap is read again after a full collection.
    const collect = this.samples++ % FLOOR_SAMPLES === 0;
    const server = this.console;
    if (server) {
      const sinceStartSec = (performance.now() - this.consoleStartedAt) / 1000;
      try {
        const rssBytes = rssOf(server.pid);
        const metrics = await within(server.metrics(false), 5_000);
        const live = collect ? await within(server.metrics(false, true), 5_000) : undefined;
        this.consoleSamples.push({ atSec, sinceStartSec, rssBytes, heapUsedBytes: metrics ? metrics.heapUsedBytes : null, liveHeapBytes: live ? live.heapUsedBytes : null });
      } catch {
        // killed while being sampled: this sample is skipped
      }
    }
    const rssBytes = rssOf(this.agent.pid);
    const heapUsedBytes = await this.agent.heapUsedBytes();
    const liveHeapBytes = collect ? await this.agent.heapUsedBytes(true) : null;
    this.agentSamples.push({ atSec, sinceStartSec: atSec, rssBytes, heapUsedBytes, liveHeapBytes });
    // Resetting hands over (and so frees) the workers' ack latencies, which would pile up for a day otherwise.
    const fleet = await this.fleet.stats(true);
    this.fleetSamples.push({ atSec, connected: fleet.connected, pending: fleet.pending, acked: fleet.counters.acked, workerRssMb: fleet.workerRssBytes.map((bytes) => Math.round(bytes / 2 ** 20)) });
  }

  /** Faults come and go: a few registers change state and report at once. */
  async flapFleet(): Promise<void> {
    const on: number[] = [];
    const off: number[] = [];
    for (let n = 0; n < this.scale.flapCount; n += 1) {
      const index = Math.floor(Math.random() * this.fleet.identities.length);
      if (on.includes(index) || off.includes(index)) continue;
      (this.faulting.has(index) ? off : on).push(index);
    }
    for (const index of on) this.faulting.add(index);
    for (const index of off) this.faulting.delete(index);
    await Promise.all([on.length > 0 ? this.fleet.reportNow(on, true) : undefined, off.length > 0 ? this.fleet.reportNow(off, false) : undefined]);
    this.outcome.fleetToggles += on.length + off.length;
  }

  async flapPrinter(): Promise<void> {
    const states = [{}, { paperEnd: true }, { coverOpen: true }, { paperNearEnd: true }];
    const pick = states[Math.floor(Math.random() * states.length)] ?? {};
    await this.agent.setPrinterFaults({ paperEnd: false, coverOpen: false, paperNearEnd: false, ...pick });
    this.outcome.printerChanges += 1;
  }

  async cashierReport(): Promise<void> {
    const submitted = await this.agent.submitCashierReport(`Чек не печатается (soak ${this.outcome.cashierAccepted.length + 1})`);
    if (submitted.accepted) this.outcome.cashierAccepted.push(submitted.reportId);
    else this.outcome.cashierRefused.push(`${submitted.status} ${submitted.body}`);
  }

  /** SIGKILL, restart on the same file and port, then time until the fleet and the real agent are back. */
  async restartConsole(): Promise<void> {
    const atSec = this.elapsedSec;
    const victim = this.console;
    this.console = undefined;
    const killedAt = performance.now();
    await victim?.kill();
    this.console = await this.startConsole();
    this.consoleStartedAt = performance.now();
    const upSec = (this.consoleStartedAt - killedAt) / 1000;
    const limitMs = RECONNECT_LIMIT_SEC * 1000;
    const since = () => (performance.now() - this.consoleStartedAt) / 1000;
    const [fleetBackSec, agentBackSec] = await Promise.all([
      this.fleet.waitFor((stats) => stats.connected === stats.agents, limitMs, 250).then(since, (error: unknown) => {
        this.log(`fleet not back: ${error instanceof Error ? error.message : String(error)}`);
        return Number.NaN;
      }),
      (async () => {
        while (since() * 1000 < limitMs) {
          if (await this.agent.connected().catch(() => false)) return since();
          await sleep(250);
        }
        return Number.NaN;
      })(),
    ]);
    this.outcome.restarts.push({ atSec, upSec, fleetBackSec, agentBackSec });
    this.log(`restart ${this.outcome.restarts.length} at ${Math.round(atSec)} s: console up in ${upSec.toFixed(1)} s; fleet back ${fleetBackSec.toFixed(1)} s, real agent back ${agentBackSec.toFixed(1)} s after`);
  }

  async restartLoop(durationSec: number): Promise<void> {
    const mean = this.scale.restartEverySec;
    if (mean <= 0) return;
    let lastKillSec = 0;
    for (;;) {
      // Kill to kill, not counting the restart and reconnect the last kill caused.
      const waitSec = Math.max(0, lastKillSec + nextRestartDelaySec(mean, Math.random()) - this.elapsedSec);
      // No kill in the last stretch: the run ends on a console that has settled.
      if (this.elapsedSec + waitSec > durationSec - Math.min(60, mean / 2)) return;
      if (!(await this.pause(waitSec * 1000))) return;
      lastKillSec = this.elapsedSec;
      try {
        await this.restartConsole();
      } catch (error) {
        this.outcome.loopErrors += 1;
        this.log(`restart failed: ${error instanceof Error ? error.message : String(error)}`);
        if (!this.console) this.console = await this.startConsole();
      }
    }
  }

  /** Every accepted cashier report leaves `queued` (delivered or rejected), or the time runs out. */
  async waitForCashierReports(timeoutMs: number): Promise<Map<string, string | null>> {
    const deadline = performance.now() + timeoutMs;
    const states = new Map<string, string | null>();
    for (;;) {
      for (const id of this.outcome.cashierAccepted) {
        if (states.get(id) !== 'queued' && states.has(id)) continue;
        states.set(id, await this.agent.reportState(id));
      }
      if (![...states.values()].includes('queued') || performance.now() > deadline) return states;
      await sleep(1_000);
    }
  }
}

async function run(context: BenchContext): Promise<Measurement[]> {
  assertProcAvailable();
  const { log } = context;
  const scale = scaleFor(context);
  const durationSec = scale.minutes * 60;
  await buildAgent();
  const port = await freePort();
  const dataDir = path.join(context.scratchDir, 'console');
  const startConsole = () => ConsoleUnderTest.start({ dataDir, port });
  let server = await startConsole();
  let fleet: Fleet | undefined;
  let agent: SoakAgent | undefined;
  let soak: Soak | undefined;
  try {
    const tokens = await server.createTokens(Math.ceil((scale.agents + 1) / 10_000), 10_000);
    fleet = await Fleet.enroll({ server: server.url, tokens, count: scale.agents, workers: scale.workers, enrollConcurrency: 16, log });
    agent = await SoakAgent.start({
      consoleUrl: server.url, enrollmentToken: tokens[0]!, dir: path.join(context.scratchDir, 'agent'), storeId: 'soak', registerId: 'pos-real',
      probeIntervalSec: 5, reportIntervalSec: 30, log,
    });
    log(`${scale.agents} virtual registers (a report every ${scale.reportIntervalSec} s, 2 % faulting, ${scale.flapCount} fault changes every ${scale.flapEverySec} s) and one real agent; ${scale.minutes} min, console killed every ~${scale.restartEverySec} s`);
    soak = new Soak(scale, fleet, agent, startConsole, log);
    soak.console = server;
    await fleet.run({ reportIntervalSec: scale.reportIntervalSec, faultRate: 0.02, cashierReportsPerHour: 1, connectRatePerSec: 500, sourceAddresses: Math.ceil(scale.agents / 2_000) });
    for (const index of fleet.faulting) soak.faulting.add(index);
    const s = soak;
    const jitter = (sec: number) => () => sec * 1000 * (0.5 + Math.random());
    const progress = setInterval(() => {
      const latest = s.consoleSamples.at(-1);
      log(`${Math.round(s.elapsedSec / 60)} of ${scale.minutes} min: ${s.outcome.restarts.length} restarts, ${s.outcome.cashierAccepted.length} cashier reports, console RSS ${latest ? (latest.rssBytes / 2 ** 20).toFixed(0) : '?'} MB`);
    }, 60_000).unref();
    const loops = [
      s.every('sample', () => scale.sampleEverySec * 1000, () => s.sample()),
      s.every('fleet faults', () => scale.flapEverySec * 1000, () => s.flapFleet()),
      s.every('printer faults', jitter(scale.printerFlapSec), () => s.flapPrinter()),
      s.every('cashier report', jitter(scale.cashierEverySec), () => s.cashierReport()),
      s.restartLoop(durationSec),
    ];
    await s.pause(durationSec * 1000 - s.elapsedSec * 1000);
    s.stop.abort();
    await Promise.all(loops);
    clearInterval(progress);
    server = s.console ?? (await startConsole());
    s.console = server;

    // Drain: scheduled reports stop, every outbox empties, every cashier report is delivered.
    const drainStartedIso = new Date().toISOString();
    log('draining: reports stopped, waiting for every outbox to empty');
    await fleet.stopReporting();
    const drained: FleetStats = await fleet.waitFor((stats) => stats.connected === stats.agents && stats.pending === 0, 300_000, 500)
      .catch(async (error: unknown) => {
        log(`fleet did not drain: ${error instanceof Error ? error.message : String(error)}`);
        return fleet!.stats(false);
      });
    const cashierStates = await s.waitForCashierReports(300_000);
    await s.sample();
    await agent.stop();
    const outbox = await readAgentOutbox(agent.dir);
    await fleet.stop();
    await server.stop();
    const sizeOf = (file: string) => stat(path.join(dataDir, file)).then((info) => info.size, () => 0);
    const databaseBytes = (await sizeOf(DATABASE_FILE_NAME)) + (await sizeOf(`${DATABASE_FILE_NAME}-wal`));

    const fleetAgentIds = fleet.identities.map((identity) => identity.agentId);
    const findings = await readConsoleFindings(dataDir, {
      fleetAgentIds, cashierReportIds: s.outcome.cashierAccepted, messageIds: outbox.pending.map((message) => message.id), code: 'printer.paper_end',
    });
    const window: TrendWindow = { warmupShare: 0.1, settleSec: scale.settleSec, durationSec, floorEverySec: scale.sampleEverySec * FLOOR_SAMPLES };
    const faultingIds = new Set([...s.faulting].map((index) => fleet!.identities[index]!.agentId));
    const inFleet = new Set(fleetAgentIds);
    const fleetOpen = new Set([...findings.openTicketAgents].filter((id) => inFleet.has(id)));
    const outcome: SoakOutcome = {
      ...s.outcome, scale, durationSec, databaseBytes,
      fleet: { stats: drained, loss: fleetLoss({ ...drained.counters, stored: findings.storedFleetMessages }) },
      cashier: { check: checkCashierReports(s.outcome.cashierAccepted, findings.cashierNotes), notDelivered: [...cashierStates].filter(([, state]) => state !== 'delivered').map(([id, state]) => `${id}: ${state}`) },
      agentUnsent: outbox.pending.filter((message) => message.ts < drainStartedIso && !findings.processedIds.has(message.id)),
      agentDroppedHealth: outbox.droppedHealth,
      duplicateOpenFindings: findings.duplicateOpenFindings,
      mismatches: ticketMismatches(faultingIds, fleetOpen),
      trends: {
        consoleRss: memoryTrend(s.consoleSamples, 'rssBytes', window),
        consoleHeap: memoryTrend(s.consoleSamples, 'liveHeapBytes', window),
        agentRss: memoryTrend(s.agentSamples, 'rssBytes', { ...window, settleSec: 0 }),
        agentHeap: memoryTrend(s.agentSamples, 'liveHeapBytes', { ...window, settleSec: 0 }),
      },
      summaries: {
        consoleRss: summarizeSeries(s.consoleSamples, 'rssBytes'), consoleHeap: summarizeSeries(s.consoleSamples, 'liveHeapBytes'),
        agentRss: summarizeSeries(s.agentSamples, 'rssBytes'), agentHeap: summarizeSeries(s.agentSamples, 'liveHeapBytes'),
      },
    };
    const consoleSeries = compactSeries(s.consoleSamples, scale.seriesEverySec, durationSec);
    const agentSeries = compactSeries(s.agentSamples, scale.seriesEverySec, durationSec);
    for (const [index, point] of consoleSeries.entries()) {
      const other = agentSeries[index];
      log(`t=${(point.atSec / 60).toFixed(1)} min: console RSS ${point.rssMb.toFixed(0)} MB, heap ${point.heapMb.toFixed(0)} MB, live ${point.liveHeapMb.toFixed(0)} MB; `
        + `agent RSS ${other?.rssMb.toFixed(1)} MB, heap ${other?.heapMb.toFixed(1)} MB, live ${other?.liveHeapMb.toFixed(1)} MB (bucket maxima)`);
    }
    const file = path.join(context.resultsDir, `soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    await writeFile(file, `${JSON.stringify({ outcome, series: { console: consoleSeries, agent: agentSeries }, samples: { console: s.consoleSamples, agent: s.agentSamples, fleet: s.fleetSamples } }, null, 1)}\n`);
    log(`series: ${path.relative(process.cwd(), file)}`);
    return soakRows(outcome, path.relative(process.cwd(), file));
  } finally {
    soak?.stop.abort();
    await agent?.stop().catch(() => undefined);
    await fleet?.stop().catch(() => undefined);
    await (soak?.console ?? server).stop().catch(() => undefined);
  }
}

export const soakSuite: BenchSuite = {
  id: 'soak',
  title: 'Soak: a fleet and a real agent for half an hour, the console killed every few minutes',
  onRequestOnly: true,
  run,
};
