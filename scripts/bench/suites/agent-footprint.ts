// The agent's idle footprint, as it runs on a till: the BUILT agent (agent/dist/agent.cjs, plain
// node, the production flags) in its own process, enrolled with a real console server, connected
// over /ws/agent, probing a simulated ESC/POS printer on TCP at the default interval (10 s), with
// its SQLite outbox open. Measured from /proc: PSS, RSS, threads, CPU over a window.
//
// Baseline, same run, same measurement: a bare `node` that only requires `ws` and holds one
// connected client (deflate off). Context row: the same agent run through tsx, as `npm run agent`
// does, to show what shipping compiled JS saves.
//
// The console server and the simulators run in this (the bench) process, never in a measured one.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { WebSocketServer } from 'ws';
import { EnrollResponse, type EnrollRequest, type RegisterList } from '@tillscope/shared';
import { AGENT_BUNDLE, AGENT_NODE_FLAGS, buildAgent } from '../../../agent/build';
import { createCredentialStore } from '../../../agent/src/credential-store';
import { startConsoleServer, type ConsoleServer } from '../../../console/server/src/start-console-server';
import { freePort } from '../../lib/ports';
import { startEscPosSimulator, type EscPosSimulator } from '../../sim/escpos/simulator';
import {
  assertProcAvailable,
  clockTicksPerSecond,
  cpuPercentOfOneCore,
  sampleProcess,
  summarizeThreadNames,
  threadNames,
  type ProcSample,
} from '../lib/proc-stats';
import type { BenchContext, BenchSuite, Measurement } from '../measurement';
import { loginCookie } from '../lib/console-login';

const repoRoot = resolve(import.meta.dirname, '../../..');
const ADMIN = { username: 'bench-admin', password: 'bench-admin-password' };
const MB = 1024; // kB per MB (MiB, as /proc counts)

const ANCHOR_PSS = 'MeshAgent 14–32 MB; Node + ws ≈ 20 MB PSS';
const ANCHOR_RSS = 'Telegraf 84 MB; osquery kills at 200 MB';
const ANCHOR_THREADS = 'bare Node 20: 7 threads';
const ANCHOR_CPU = 'osquery kills at 10 % CPU';

interface Timing {
  /** after connected and reported, before measuring */
  settleMs: number;
  /**
   * The agent's age at the start of the window at least. Start-up garbage stays in the heap until
   * V8's memory reducer runs, ~8 s after start (measured: private memory 17 → 11 MB at that GC).
   */
  minAgeMs: number;
  /** the CPU window; memory is sampled along it */
  windowMs: number;
  sampleEveryMs: number;
}

// minAgeMs: the host probes' first round (15 s after start, then every 300 s) is over before the window.
const FULL: Timing = { settleMs: 10_000, minAgeMs: 30_000, windowMs: 60_000, sampleEveryMs: 5_000 };
const QUICK: Timing = { settleMs: 3_000, minAgeMs: 22_000, windowMs: 10_000, sampleEveryMs: 5_000 };

/** A child process whose output is kept (last lines) for error messages, and that is always stopped. */
class Child {
  readonly process: ChildProcess;
  /** performance.now() at spawn */
  readonly startedAt = performance.now();
  private readonly lines: string[] = [];
  private readonly killOnExit = () => this.process.kill('SIGKILL');

  constructor(
    readonly label: string,
    args: string[],
    env: NodeJS.ProcessEnv,
  ) {
    this.process = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.lines.push(line);
      this.lines.splice(0, Math.max(0, this.lines.length - 30));
    };
    this.process.stdout?.on('data', keep);
    this.process.stderr?.on('data', keep);
    this.process.on('error', (error) => this.lines.push(`spawn failed: ${error.message}`));
    // If the bench exits without running the cleanups (process.exit elsewhere), no measured
    // process outlives it. (Ctrl+C reaches the children directly: same process group.)
    process.once('exit', this.killOnExit);
  }

  get pid(): number {
    if (this.process.pid === undefined) throw new Error(`${this.label} did not start`);
    return this.process.pid;
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Throws with the child's last output if it has exited. */
  assertRunning(): void {
    if (!this.running) throw new Error(`${this.label} exited (${this.process.exitCode ?? this.process.signalCode}):\n${this.output()}`);
  }

  output(): string {
    return this.lines.join('\n');
  }

  /** Resolves when a line of stdout/stderr matches; rejects on exit or timeout. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<void> {
    return new Promise((resolveWait, reject) => {
      const timer = setTimeout(() => finish(new Error(`${this.label}: no line matching ${pattern} within ${timeoutMs} ms:\n${this.output()}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        if (pattern.test(chunk.toString('utf8'))) finish();
      };
      const onExit = () => finish(new Error(`${this.label} exited before ${pattern}:\n${this.output()}`));
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.process.stdout?.off('data', onData);
        this.process.stderr?.off('data', onData);
        this.process.off('exit', onExit);
        if (error) reject(error);
        else resolveWait();
      };
      this.process.stdout?.on('data', onData);
      this.process.stderr?.on('data', onData);
      this.process.once('exit', onExit);
    });
  }

  async stop(): Promise<void> {
    process.off('exit', this.killOnExit);
    if (!this.running) return;
    const exited = new Promise<void>((done) => this.process.once('exit', () => done()));
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/** The environment of a measured process: nothing inherited that changes Node's threads or loaders. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.UV_THREADPOOL_SIZE;
  delete env.NODE_OPTIONS;
  return env;
}

/** Polls GET /api/registers until the register is connected and has reported a probed device. */
async function waitUntilReported(server: ConsoleServer, cookie: string, registerId: string, agent: Child, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    agent.assertRunning();
    const response = await fetch(`${server.url}/api/registers`, { headers: { cookie } });
    if (response.ok) {
      const { registers } = (await response.json()) as RegisterList;
      const register = registers.find((r) => r.registerId === registerId);
      if (register?.connected && register.devices.some((d) => d.probedAt !== null)) return;
    }
    await delay(250);
  }
  throw new Error(`${agent.label} did not connect and report within ${timeoutMs} ms:\n${agent.output()}`);
}

/**
 * Enrolls the register the way the agent would and stores its credential in the agent's dataDir:
 * the agent then starts as every till does after its first restart. The first run after
 * enrollment differs by Node's fetch (undici), loaded for the one enrollment request and kept until
 * the agent restarts: measured, 2–3 MB more private memory, within the budgets too.
 */
async function enroll(server: ConsoleServer, token: string, registerId: string, dataDir: string): Promise<void> {
  const request: EnrollRequest = { token, storeId: 'bench', registerId, hostname: 'bench' };
  const response = await fetch(`${server.url}/api/agents/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  if (!response.ok) throw new Error(`bench enrollment of ${registerId} failed: HTTP ${response.status} ${await response.text()}`);
  const { agentId, credential } = EnrollResponse.parse(await response.json());
  await createCredentialStore(dataDir).save({ agentId, credential, server: server.url });
}

interface AgentRun {
  child: Child;
  simulator: EscPosSimulator;
  registerId: string;
}

async function startAgent(
  label: string,
  registerId: string,
  nodeArgs: string[],
  server: ConsoleServer,
  enrollmentToken: string,
  scratchDir: string,
  cleanups: (() => Promise<void>)[],
): Promise<AgentRun> {
  const simulator = await startEscPosSimulator({ tcp: { host: '127.0.0.1', port: 0 } });
  cleanups.push(() => simulator.close());
  const dir = join(scratchDir, registerId);
  await mkdir(dir, { recursive: true });
  const config = join(dir, 'agent.json');
  // probeIntervalSec and reportIntervalSec left out: the defaults (10 s, 60 s) are what is budgeted.
  const json = {
    server: server.url,
    storeId: 'bench',
    registerId,
    enrollmentToken,
    dataDir: '.',
    cashierPage: { port: await freePort() },
    devices: [{ id: 'printer', driver: 'escpos', model: 'Epson TM-T20II', transport: { kind: 'tcp', host: '127.0.0.1', port: simulator.tcpPort } }],
  };
  await writeFile(config, `${JSON.stringify(json, null, 2)}\n`);
  await enroll(server, enrollmentToken, registerId, dir);
  const child = new Child(label, [...nodeArgs, '--config', config], cleanEnv());
  cleanups.push(() => child.stop());
  return { child, simulator, registerId };
}

/** A bare node that requires ws and holds one connected client, deflate off. */
const BASELINE_SCRIPT = `
const WebSocket = require('ws');
const ws = new WebSocket(process.argv[1], { perMessageDeflate: false });
ws.on('open', () => process.stdout.write('open\\n'));
ws.on('error', (error) => { process.stderr.write(String(error) + '\\n'); process.exit(1); });
ws.on('close', () => process.exit(0));
`;

interface Observed {
  samples: ProcSample[];
  threadNames: string[];
}

/** Samples every process along one window; CPU from the first and last sample. */
async function observe(children: Child[], timing: Timing, log: (message: string) => void): Promise<Map<Child, Observed>> {
  const observed = new Map<Child, Observed>(children.map((child) => [child, { samples: [], threadNames: [] }]));
  const takeSamples = () => {
    for (const child of children) {
      child.assertRunning();
      observed.get(child)!.samples.push(sampleProcess(child.pid));
    }
  };
  takeSamples();
  const started = performance.now();
  log(`window start: ${children.map((child) => `${child.label} ${(observed.get(child)!.samples[0]!.smaps.pssAnonKb / MB).toFixed(1)} MB private`).join('; ')}`);
  while (performance.now() - started < timing.windowMs) {
    await delay(Math.min(timing.sampleEveryMs, timing.windowMs - (performance.now() - started)));
    takeSamples();
    const line = children.map((child) => {
      const [previous, latest] = observed.get(child)!.samples.slice(-2);
      const ticks = latest!.cpu.utime + latest!.cpu.stime - (previous!.cpu.utime + previous!.cpu.stime);
      return `${child.label} ${(latest!.smaps.pssAnonKb / MB).toFixed(1)} MB private, +${ticks} ticks`;
    });
    log(`${Math.round((performance.now() - started) / 1000)} s of ${timing.windowMs / 1000} s: ${line.join('; ')}`);
  }
  for (const child of children) observed.get(child)!.threadNames = threadNames(child.pid);
  return observed;
}

const max = (values: number[]) => Math.max(...values);
const round1 = (value: number) => Math.round(value * 10) / 10;

interface Footprint {
  pssMb: number;
  rssMb: number;
  pssAnonMb: number;
  threads: number;
  cpuPercent: number;
  windowSec: number;
  sampleCount: number;
  threadSummary: string;
}

function footprintOf(observed: Observed, ticksPerSecond: number): Footprint {
  const { samples } = observed;
  const first = samples[0]!;
  const last = samples.at(-1)!;
  return {
    // The largest of the samples: an idle figure should hold between garbage collections too.
    pssMb: round1(max(samples.map((s) => s.smaps.pssKb)) / MB),
    rssMb: round1(max(samples.map((s) => s.status.vmRssKb)) / MB),
    pssAnonMb: round1(max(samples.map((s) => s.smaps.pssAnonKb)) / MB),
    threads: max(samples.map((s) => s.status.threads)),
    cpuPercent: Math.round(cpuPercentOfOneCore(first.cpu, last.cpu, last.atMs - first.atMs, ticksPerSecond) * 1000) / 1000,
    windowSec: round1((last.atMs - first.atMs) / 1000),
    sampleCount: samples.length,
    threadSummary: summarizeThreadNames(observed.threadNames),
  };
}

async function run({ quick, scratchDir, log }: BenchContext): Promise<Measurement[]> {
  assertProcAvailable();
  const timing = quick ? QUICK : FULL;
  const ticksPerSecond = clockTicksPerSecond();

  const built = performance.now();
  await buildAgent();
  if (!existsSync(AGENT_BUNDLE)) throw new Error(`the build did not write ${AGENT_BUNDLE}`);
  log(`built ${AGENT_BUNDLE} in ${Math.round(performance.now() - built)} ms`);

  const cleanups: (() => Promise<void>)[] = [];
  try {
    const server = await startConsoleServer({
      dataDir: join(scratchDir, 'console'),
      port: 0,
      logger: { info() {}, warn() {}, error: (module, message) => log(`console ${module}: ${message}`) },
    });
    cleanups.push(() => server.close());
    await server.createUser({ ...ADMIN, displayName: 'Bench', role: 'admin', groups: [] });
    const enrollment = await server.createEnrollmentToken({ maxUses: 4, ttlHours: 1, note: 'agent-footprint bench' });
    const cookie = await loginCookie(server.url, ADMIN);

    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
    cleanups.push(() => new Promise<void>((done) => {
      for (const client of wss.clients) client.terminate();
      wss.close(() => done());
    }));
    await new Promise<void>((ready) => wss.once('listening', () => ready()));
    const wsPort = (wss.address() as { port: number }).port;

    const agentArgs = [...AGENT_NODE_FLAGS, AGENT_BUNDLE];
    const agent = await startAgent('built agent', 'pos-built', agentArgs, server, enrollment.token, scratchDir, cleanups);
    const tsxAgent = await startAgent('tsx agent', 'pos-tsx', ['--import', 'tsx', 'agent/src/main.ts'], server, enrollment.token, scratchDir, cleanups);
    const baseline = new Child('baseline (node + ws)', ['-e', BASELINE_SCRIPT, `ws://127.0.0.1:${wsPort}/`], cleanEnv());
    cleanups.push(() => baseline.stop());

    await baseline.waitForLine(/^open$/m, 10_000);
    // The agent waits up to 5 s (random) before its first connection, then enrolls.
    await Promise.all([agent, tsxAgent].map((a) => waitUntilReported(server, cookie, a.registerId, a.child, 30_000)));
    const settleMs = Math.max(timing.settleMs, timing.minAgeMs - (performance.now() - agent.child.startedAt));
    log(`connected and reported; settling ${(settleMs / 1000).toFixed(1)} s`);
    await delay(settleMs);

    const measured = [agent.child, baseline, tsxAgent.child];
    const probesBefore = agent.simulator.stats().tcpConnections;
    const observed = await observe(measured, timing, log);
    const probes = agent.simulator.stats().tcpConnections - probesBefore;

    const a = footprintOf(observed.get(agent.child)!, ticksPerSecond);
    const b = footprintOf(observed.get(baseline)!, ticksPerSecond);
    const t = footprintOf(observed.get(tsxAgent.child)!, ticksPerSecond);
    const base = (value: number, unit: string) => ({ label: 'node + ws', value, unit });
    const built = (value: number, unit: string) => ({ label: 'built agent', value, unit });
    const command = `node ${AGENT_NODE_FLAGS.join(' ')} agent/dist/agent.cjs`;
    const sampling = `max of ${a.sampleCount} samples over ${a.windowSec} s`;
    const resolution = Math.round((100 / ticksPerSecond / a.windowSec) * 1000) / 1000;

    const rows: Measurement[] = [
      {
        id: 'agent.idle.pss',
        figure: 'Agent idle PSS',
        value: a.pssMb,
        unit: 'MB',
        budget: { op: '<=', limit: 40 },
        anchor: ANCHOR_PSS,
        baseline: base(b.pssMb, 'MB'),
        note:
          `${command}, enrolled, connected, 1 TCP printer probed every 10 s (default), host probes on (default: a round every 300 s, the first done before the window), outbox and cashier page open; ${sampling}. ` +
          "PSS divides the node binary's pages among all node processes mapping them (this bench runs at least 4), " +
          'so it is lower here than on a till where the agent is the only one (there PSS ≈ RSS): compare it with the baseline, and see the private row.',
      },
      {
        id: 'agent.idle.rss',
        figure: 'Agent idle RSS',
        value: a.rssMb,
        unit: 'MB',
        budget: { op: '<=', limit: 80 },
        anchor: ANCHOR_RSS,
        baseline: base(b.rssMb, 'MB'),
        note: `${sampling}; includes the touched, clean pages of the ~99 MB node binary, shared or not.`,
      },
      {
        id: 'agent.idle.private',
        figure: 'Agent idle private memory (Pss_Anon)',
        value: a.pssAnonMb,
        unit: 'MB',
        budget: null,
        anchor: 'heap, stacks, malloc: the real cost',
        baseline: base(b.pssAnonMb, 'MB'),
        note: 'anonymous pages only: unlike PSS, independent of how many node processes run beside the agent.',
      },
      {
        id: 'agent.idle.threads',
        figure: 'Agent idle threads',
        value: a.threads,
        unit: '',
        budget: { op: '<=', limit: 8 },
        anchor: ANCHOR_THREADS,
        baseline: base(b.threads, ''),
        note: `agent: ${a.threadSummary}; node + ws: ${b.threadSummary}.`,
      },
      {
        id: 'agent.idle.cpu',
        figure: 'Agent idle CPU, one core',
        value: a.cpuPercent,
        unit: '%',
        budget: { op: '<', limit: 0.5 },
        anchor: ANCHOR_CPU,
        note: `utime + stime over ${a.windowSec} s at ${ticksPerSecond} ticks/s (1 tick = ${resolution} %); ${probes} printer probe(s) in the window; no host round falls in it (one every 300 s: its amortized share is the host-probes suite's row).`,
      },
      {
        id: 'agent.idle.tsx.pss',
        figure: 'Same agent via tsx: PSS',
        value: t.pssMb,
        unit: 'MB',
        budget: null,
        anchor: 'what compiling saves',
        baseline: built(a.pssMb, 'MB'),
        note: `node --import tsx agent/src/main.ts (npm run agent), measured alongside the built agent; private ${t.pssAnonMb} MB; threads: ${t.threadSummary}.`,
      },
      {
        id: 'agent.idle.tsx.rss',
        figure: 'Same agent via tsx: RSS',
        value: t.rssMb,
        unit: 'MB',
        budget: null,
        anchor: 'what compiling saves',
        baseline: built(a.rssMb, 'MB'),
      },
      {
        id: 'agent.idle.tsx.threads',
        figure: 'Same agent via tsx: threads',
        value: t.threads,
        unit: '',
        budget: null,
        anchor: 'what compiling saves',
        baseline: built(a.threads, ''),
      },
    ];
    return rows;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => log(`cleanup: ${String(error)}`));
  }
}

export const agentFootprintSuite: BenchSuite = {
  id: 'agent-footprint',
  title: 'Agent idle footprint: built agent, simulated printer, connected socket, outbox',
  run,
};
