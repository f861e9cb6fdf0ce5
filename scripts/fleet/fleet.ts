import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ChildChannel, unrefSleep } from '../lib/child-channel';
import type { ReconnectPolicyOptions } from '../../agent/src/link/reconnect-policy';
import { fiscalProfile } from './fiscal-reports';
import { hostProfile } from './host-reports';
import type { VirtualAgentIdentity } from './virtual-agent';
import type { WorkerCounters, WorkerReply, WorkerRequest } from './worker-protocol';

export interface FleetOptions {
  /** Console base URL, e.g. http://127.0.0.1:8080 */
  server: string;
  /** Enrollment tokens; each is used for up to `usesPerToken` registers, in order. */
  tokens: string[];
  usesPerToken?: number;
  count: number;
  workers?: number;
  /** Registers per store (store-00001/pos-1 …). */
  registersPerStore?: number;
  /** Parallel enrollments per worker. */
  enrollConcurrency?: number;
  /** Reuse these identities instead of enrolling (e.g. from an earlier run on the same database). */
  identities?: VirtualAgentIdentity[];
  log?: (message: string) => void;
}

export interface FleetRunOptions {
  reportIntervalSec: number;
  /** Share of registers whose printer is out of paper for the whole run (0.01 = 1 %). */
  faultRate: number;
  cashierReportsPerHour?: number;
  /** How fast the fleet opens its first connections, across all workers. */
  connectRatePerSec?: number;
  /** The real agent's reconnect policy (agent/src/link/reconnect-policy.ts); its defaults where not given. */
  backoff?: Partial<ReconnectPolicyOptions>;
  /** Loopback source addresses 127.0.0.2 … are spread over this many addresses (0: the OS picks). */
  sourceAddresses?: number;
  /** Share of registers with a fiscal register beside the printer (fiscal-reports.ts; default 0). */
  fiscalShare?: number;
  /** Share of registers whose health reports carry the six host probes' reports (host-reports.ts; default 0). */
  hostShare?: number;
}

export interface FleetStats {
  agents: number;
  connected: number;
  pending: number;
  counters: WorkerCounters;
  healthLatencies: number[];
  cashierLatencies: number[];
  workerRssBytes: number[];
  laggards: string[];
}

const WORKER_FILE = fileURLToPath(new URL('./fleet-worker.ts', import.meta.url));

type WorkerHandle = ChildChannel<WorkerRequest, WorkerReply>;

/**
 * A fleet of virtual registers in a few worker processes, speaking the real agent protocol to a
 * real console: enrollment over HTTP, then `hello`, `health` every interval, the odd
 * `cashier_report`, acks, reconnects with the real agent's backoff (503 + Retry-After honoured)
 * and resends of unacked messages.
 */
export class Fleet {
  private constructor(
    private readonly server: string,
    private readonly workers: WorkerHandle[],
    readonly identities: VirtualAgentIdentity[],
    /** Agent index → worker index and index inside that worker. */
    private readonly placement: [number, number][],
  ) {}

  static async enroll(options: FleetOptions): Promise<Fleet> {
    const workerCount = Math.max(1, Math.min(options.workers ?? 4, options.count));
    const workers: WorkerHandle[] = Array.from({ length: workerCount }, () => new ChildChannel(fork(WORKER_FILE, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }), 'fleet worker'));
    const fleet = async (): Promise<Fleet> => {
      let identities = options.identities?.slice(0, options.count) ?? [];
      if (identities.length < options.count) {
        const perStore = options.registersPerStore ?? 5;
        const perToken = options.usesPerToken ?? 10_000;
        const jobs = Array.from({ length: options.count - identities.length }, (_, offset) => {
          const index = identities.length + offset;
          const token = options.tokens[Math.floor(index / perToken)];
          if (!token) throw new Error(`not enough enrollment tokens for ${options.count} registers (${perToken} each)`);
          return { token, storeId: `store-${String(Math.floor(index / perStore) + 1).padStart(5, '0')}`, registerId: `pos-${(index % perStore) + 1}` };
        });
        const started = performance.now();
        const replies = await Promise.all(workers.map((worker, workerIndex) => worker.request({
          op: 'enroll', server: options.server, concurrency: options.enrollConcurrency ?? 16,
          jobs: jobs.filter((_, index) => index % workerCount === workerIndex),
        })));
        const errors = replies.flatMap((reply) => (reply.op === 'enrolled' ? reply.errors : []));
        if (errors.length > 0) throw new Error(`${errors.length} enrollment(s) failed, e.g. ${errors[0]}`);
        identities = [...identities, ...replies.flatMap((reply) => (reply.op === 'enrolled' ? reply.identities : []))];
        options.log?.(`enrolled ${jobs.length} registers in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
      const placement = identities.map((_, index): [number, number] => [index % workerCount, Math.floor(index / workerCount)]);
      return new Fleet(options.server, workers, identities, placement);
    };
    try {
      return await fleet();
    } catch (error) {
      for (const worker of workers) worker.child.kill();
      throw error;
    }
  }

  /** Starts every agent: connections ramp up, reports begin at random phases. */
  async run(options: FleetRunOptions): Promise<void> {
    const url = `${this.server.replace(/^http/, 'ws')}/ws/agent`;
    const faulting = this.faulting;
    faulting.clear();
    const wanted = Math.round(this.identities.length * options.faultRate);
    // Evenly spread, deterministic: agent 0, k, 2k … fault.
    for (let index = 0; index < wanted; index += 1) faulting.add(Math.floor((index * this.identities.length) / wanted));
    const addresses = options.sourceAddresses ?? 0;
    const fiscalEvery = options.fiscalShare ? 1 / options.fiscalShare : Number.POSITIVE_INFINITY;
    const hostEvery = options.hostShare ? 1 / options.hostShare : Number.POSITIVE_INFINITY;
    const nowMs = Date.now();
    await Promise.all(this.workers.map((worker, workerIndex) => worker.request({
      op: 'run',
      url,
      reportIntervalSec: options.reportIntervalSec,
      cashierReportsPerHour: options.cashierReportsPerHour ?? 0,
      connectRatePerSec: (options.connectRatePerSec ?? 2_000) / this.workers.length,
      backoff: options.backoff ?? {},
      agents: this.identities
        .map((identity, index) => ({ identity, index }))
        .filter(({ index }) => index % this.workers.length === workerIndex)
        .map(({ identity, index }) => ({
          identity,
          faulting: faulting.has(index),
          // Evenly spread, deterministic, as the faulting ones: agent 0, k, 2k … have a fiscal register.
          ...(index % fiscalEvery < 1 ? { fiscal: fiscalProfile(index, nowMs) } : {}),
          ...(index % hostEvery < 1 ? { host: hostProfile(index, `${identity.storeId}-${identity.registerId}`, nowMs) } : {}),
          ...(addresses > 0 ? { localAddress: `127.0.${1 + Math.floor((index % addresses) / 250)}.${2 + ((index % addresses) % 250)}` } : {}),
        })),
    })));
  }

  /** Indexes (into `identities`) of the registers whose printer is out of paper from the start. */
  readonly faulting = new Set<number>();

  /** Sums every worker's counters; `reset` hands over the latency samples collected since the last reset. */
  async stats(reset = true): Promise<FleetStats> {
    const replies = await Promise.all(this.workers.map((worker) => worker.request({ op: 'stats', reset })));
    const total: FleetStats = {
      agents: 0, connected: 0, pending: 0, healthLatencies: [], cashierLatencies: [], workerRssBytes: [], laggards: [],
      counters: { connects: 0, disconnects: 0, connectFailures: 0, acked: 0, rejected: 0, protocolErrors: 0, generated: 0 },
    };
    for (const reply of replies) {
      if (reply.op !== 'stats') continue;
      total.agents += reply.agents;
      total.connected += reply.connected;
      total.pending += reply.pending;
      for (const name of Object.keys(total.counters) as (keyof WorkerCounters)[]) total.counters[name] += reply.counters[name];
      total.healthLatencies.push(...reply.healthLatencies);
      total.cashierLatencies.push(...reply.cashierLatencies);
      total.workerRssBytes.push(reply.rssBytes);
      total.laggards.push(...reply.laggards);
    }
    return total;
  }

  /** These agents report at once (outside their schedule); with `faulting`, their printer's state changes first. */
  async reportNow(indexes: number[], faulting?: boolean): Promise<void> {
    await Promise.all(this.byWorker(indexes).map(([worker, local]) => worker.request({ op: 'report_now', indexes: local, ...(faulting === undefined ? {} : { faulting }) })));
  }

  /** Scheduled reports stop; connections stay and outboxes drain, so the run can be counted. */
  async stopReporting(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.request({ op: 'stop_reporting' })));
  }

  /** A store's power cut: its registers' connections close and they send nothing until `silent` is false again. */
  async silenceStore(storeId: string, silent: boolean): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.request({ op: 'silence_store', storeId, silent })));
  }

  /** A client-side reconnect storm: every agent's connection drops at once. */
  async dropConnections(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.request({ op: 'drop_connections' })));
  }

  /** Polls stats until `done` holds; returns the last stats, or throws after `timeoutMs`. */
  async waitFor(done: (stats: FleetStats) => boolean, timeoutMs: number, pollMs = 250): Promise<FleetStats> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const stats = await this.stats(false);
      if (done(stats)) return stats;
      if (performance.now() > deadline) throw new Error(`fleet condition not reached in ${timeoutMs} ms (connected ${stats.connected}/${stats.agents}, pending ${stats.pending}); e.g. ${stats.laggards.join('; ')}`);
      await unrefSleep(pollMs);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop({ op: 'stop' }, 5_000)));
  }

  private byWorker(indexes: number[]): [WorkerHandle, number[]][] {
    const groups = new Map<number, number[]>();
    for (const index of indexes) {
      const place = this.placement[index];
      if (!place) continue;
      groups.set(place[0], [...(groups.get(place[0]) ?? []), place[1]]);
    }
    return [...groups].map(([workerIndex, local]) => [this.workers[workerIndex] as WorkerHandle, local]);
  }
}
