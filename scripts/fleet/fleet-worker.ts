// One fleet worker process: hosts thousands of virtual agents and talks to its parent (fleet.ts)
// over the IPC channel only. Started with `fork(…, { execArgv: ['--import', 'tsx'] })`.
import { enrollAgent } from './enroll';
import { VirtualAgent, type VirtualAgentEvent, type VirtualAgentIdentity } from './virtual-agent';
import type { WorkerCounters, WorkerReply, WorkerRequest } from './worker-protocol';

const agents: VirtualAgent[] = [];
const timers: NodeJS.Timeout[] = [];
const reportTimers: NodeJS.Timeout[] = [];
let healthLatencies: number[] = [];
let cashierLatencies: number[] = [];
const counters: WorkerCounters = {
  connects: 0, disconnects: 0, connectFailures: 0, acked: 0, rejected: 0, protocolErrors: 0, generated: 0,
};

function send(reply: WorkerReply): void {
  process.send?.(reply);
}

function onEvent(event: VirtualAgentEvent): void {
  switch (event) {
    case 'connected': counters.connects += 1; break;
    case 'disconnected': counters.disconnects += 1; break;
    case 'connect_failed': counters.connectFailures += 1; break;
    case 'acked': counters.acked += 1; break;
    case 'rejected': counters.rejected += 1; break;
    case 'protocol_error': counters.protocolErrors += 1; break;
  }
}

async function enrollAll(request: Extract<WorkerRequest, { op: 'enroll' }>): Promise<void> {
  const identities: VirtualAgentIdentity[] = new Array<VirtualAgentIdentity>(request.jobs.length);
  const errors: string[] = [];
  let next = 0;
  const lanes = Array.from({ length: Math.min(request.concurrency, request.jobs.length) }, async () => {
    while (next < request.jobs.length) {
      const index = next;
      next += 1;
      const job = request.jobs[index];
      if (!job) continue;
      try {
        identities[index] = await enrollAgent(request.server, job);
      } catch (error) {
        errors.push(error instanceof Error ? error.message : String(error));
      }
    }
  });
  await Promise.all(lanes);
  send({ op: 'enrolled', identities: identities.filter(Boolean), errors });
}

function run(request: Extract<WorkerRequest, { op: 'run' }>): void {
  const reportIntervalMs = request.reportIntervalSec * 1000;
  for (const spec of request.agents) {
    const agent = new VirtualAgent({
      url: request.url,
      identity: spec.identity,
      localAddress: spec.localAddress,
      faulting: spec.faulting,
      ...(spec.fiscal ? { fiscal: spec.fiscal } : {}),
      ...(spec.host ? { host: spec.host } : {}),
      backoff: request.backoff,
      onEvent,
      onAckLatency: (milliseconds, type) => (type === 'cashier_report' ? cashierLatencies : healthLatencies).push(milliseconds),
    });
    agents.push(agent);
  }
  // Connections ramp up at the requested rate (a fleet of registers does not boot in one millisecond).
  const perTick = Math.max(1, Math.round(request.connectRatePerSec / 100));
  let connected = 0;
  const ramp = setInterval(() => {
    for (let index = 0; index < perTick && connected < agents.length; index += 1) agents[connected++]?.connect();
    if (connected >= agents.length) clearInterval(ramp);
  }, 10);
  timers.push(ramp);
  // Each agent reports every interval at its own random phase, like registers booted at different times.
  for (const agent of agents) {
    const first = setTimeout(() => {
      if (!agent.silent) {
        agent.report();
        counters.generated += 1;
      }
      const every = setInterval(() => {
        if (agent.silent) return; // a register without power reports nothing
        agent.report();
        counters.generated += 1;
        if (request.cashierReportsPerHour > 0 && Math.random() < (request.cashierReportsPerHour * request.reportIntervalSec) / 3600) {
          agent.cashierReport();
          counters.generated += 1;
        }
      }, reportIntervalMs);
      reportTimers.push(every);
    }, Math.random() * reportIntervalMs);
    reportTimers.push(first);
  }
  send({ op: 'running', agents: agents.length });
}

function stats(reset: boolean): void {
  let connected = 0;
  let pending = 0;
  for (const agent of agents) {
    if (agent.connected) connected += 1;
    pending += agent.pending;
  }
  const laggards = agents.filter((agent) => !agent.connected || agent.pending > 0).slice(0, 3).map((agent) => agent.describe());
  send({ op: 'stats', connected, pending, agents: agents.length, counters: { ...counters }, healthLatencies, cashierLatencies, rssBytes: process.memoryUsage().rss, laggards });
  if (reset) {
    healthLatencies = [];
    cashierLatencies = [];
  }
}

process.on('message', (raw: unknown) => {
  const request = raw as WorkerRequest;
  switch (request.op) {
    case 'enroll':
      void enrollAll(request);
      break;
    case 'run':
      run(request);
      break;
    case 'stats':
      stats(request.reset);
      break;
    case 'report_now':
      for (const index of request.indexes) {
        if (request.faulting !== undefined) agents[index]?.setFaulting(request.faulting);
        agents[index]?.report();
        counters.generated += 1;
      }
      send({ op: 'ok' });
      break;
    case 'stop_reporting':
      for (const timer of reportTimers) clearTimeout(timer);
      reportTimers.length = 0;
      send({ op: 'ok' });
      break;
    case 'silence_store':
      for (const agent of agents.filter((candidate) => candidate.storeId === request.storeId)) {
        if (request.silent) agent.stop();
        else agent.resume();
      }
      send({ op: 'ok' });
      break;
    case 'drop_connections':
      // A client-side reconnect storm: every socket closes at once and reconnects with backoff.
      for (const agent of agents) agent.dropConnection();
      send({ op: 'ok' });
      break;
    case 'stop':
      for (const timer of [...timers, ...reportTimers]) clearTimeout(timer);
      for (const agent of agents) agent.stop();
      send({ op: 'stopped' });
      setTimeout(() => process.exit(0), 50);
      break;
  }
});

// The parent went away: do not linger as an orphan holding thousands of sockets.
process.on('disconnect', () => process.exit(0));
