// Fault to finding on the agent: from the simulated printer applying a fault (`setFaults`) to the
// `health` message that carries the finding arriving at the WebSocket endpoint, in poll mode and
// in Automatic Status Back mode.
//
// Real parts: the ESC/POS simulator on loopback TCP (and on a socat pseudo-terminal when socat is
// installed), a real agent built by createAgent (probe loop, TCP/serial transport, the SQLite
// outbox, the WebSocket link), and a real WebSocket endpoint: agent/src/link/fake-console-server.ts
// (enrollment, /ws/agent, acks), so the figure is the agent's own, not the console's ingestion.
// Everything runs in this process: the arrival time is taken in the endpoint's `message` event on
// the same clock as `setFaults`.
//
// Each sample alternates a fault on and off (cover open, paper end, cutter error in turn), so each
// is a change, injected at a random moment: in poll mode uniformly over one probe interval, so the
// fault lands at any phase of the probe cycle. Baseline in the same run: one DLE EOT 1 round trip
// to the simulator over a plain TCP socket.
import { connect, type Socket } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { DeviceReport } from '@tillscope/shared';
import type { WebSocket } from 'ws';
import type { AgentConfig } from '../../../agent/src/config';
import { createAgent, type Agent } from '../../../agent/src/create-agent';
import type { DeviceConfig } from '../../../agent/src/devices/driver';
import type { StatusMode } from '../../../agent/src/devices/receipt-printer/escpos/options';
import { startFakeConsoleServer, type FakeConsoleServer } from '../../../agent/src/link/fake-console-server';
import type { Logger } from '../../../agent/src/logger';
import type { PrinterFaultsPatch } from '../../sim/escpos/printer-state';
import { ptyModeAvailable, startEscPosSimulator, type EscPosSimulator } from '../../sim/escpos/simulator';
import { LatencySamples, type BenchContext, type BenchSuite, type Measurement } from '../measurement';

const POLL_INTERVAL_SEC = 1;
/** ASB mode keeps the default probe interval for its safety-net poll: the frame, not the poll, should report. */
const ASB_INTERVAL_SEC = 10;
const ASB_BUDGET_MS = 50;
const POLL_SLACK_MS = 50;
const ANCHOR_ASB = 'wire floor 4 ms at 9600 baud; USB-serial adapters add up to 16 ms';
const ANCHOR_POLL = 'one probe interval + 50 ms; Zabbix 45–60 s, Uptime Kuma ≥ 20 s';

interface Plan {
  asbSamples: number;
  asbSerialSamples: number;
  /** poll mode: registers measured side by side (each its own agent and printer), samples each */
  pollRegisters: number;
  pollSamplesEach: number;
  baselineRoundTrips: number;
}

const QUICK: Plan = { asbSamples: 20, asbSerialSamples: 20, pollRegisters: 2, pollSamplesEach: 10, baselineRoundTrips: 200 };
const FULL: Plan = { asbSamples: 200, asbSerialSamples: 100, pollRegisters: 4, pollSamplesEach: 50, baselineRoundTrips: 1_000 };

const FAULTS: readonly { patch: keyof PrinterFaultsPatch; code: string }[] = [
  { patch: 'coverOpen', code: 'printer.cover_open' },
  { patch: 'paperEnd', code: 'printer.paper_end' },
  { patch: 'cutterError', code: 'printer.cutter_error' },
];

/** Health messages as they reach the endpoint: arrival time per device, matched against what a sample waits for. */
class Arrivals {
  private readonly watched = new WeakSet<WebSocket>();
  private readonly waiting = new Map<string, { codes: string; resolve: (at: number) => void }>();

  constructor(private readonly server: FakeConsoleServer) {}

  /** Listens on every agent connection (new ones too: call it again after agents connect). */
  attach(): number {
    const clients = this.server.clients();
    for (const ws of clients) {
      if (this.watched.has(ws)) continue;
      this.watched.add(ws);
      ws.on('message', (data) => this.onMessage(data.toString(), performance.now()));
    }
    return clients.length;
  }

  /** Resolves with the arrival time of the next health report of `deviceId` with exactly these codes. */
  next(deviceId: string, codes: string[], timeoutMs: number): Promise<number | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(deviceId);
        resolve(null);
      }, timeoutMs);
      this.waiting.set(deviceId, {
        codes: [...codes].sort().join(','),
        resolve: (at) => {
          clearTimeout(timer);
          this.waiting.delete(deviceId);
          resolve(at);
        },
      });
    });
  }

  private onMessage(text: string, at: number): void {
    let frame: { type?: string; payload?: { devices?: DeviceReport[] } };
    try {
      frame = JSON.parse(text) as typeof frame;
    } catch {
      return;
    }
    if (frame.type !== 'health') return;
    for (const report of frame.payload?.devices ?? []) {
      const waiter = this.waiting.get(report.deviceId);
      if (waiter && report.findings.map((f) => f.code).sort().join(',') === waiter.codes) waiter.resolve(at);
    }
  }
}

interface Register {
  deviceId: string;
  sim: EscPosSimulator;
  agent: Agent;
}

interface Rig {
  server: FakeConsoleServer;
  arrivals: Arrivals;
  closers: (() => Promise<void>)[];
  context: BenchContext;
}

function benchLogger(context: BenchContext, key: string): Logger {
  const line = (level: string) => (module: string, message: string) => context.log(`${key} ${level} ${module}: ${message}`);
  return { info: () => {}, warn: line('WARN'), error: line('ERROR') };
}

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await delay(10);
  }
}

async function startRegister(rig: Rig, key: string, mode: StatusMode, transport: 'tcp' | 'pty'): Promise<Register> {
  const sim = await startEscPosSimulator(transport === 'tcp' ? { tcp: { port: 0 } } : { pty: true });
  rig.closers.push(() => sim.close());
  const deviceId = `printer-${key}`;
  const device: DeviceConfig = {
    id: deviceId,
    driver: 'escpos',
    options: { status: mode },
    transport:
      transport === 'tcp'
        ? { kind: 'tcp', host: '127.0.0.1', port: sim.tcpPort!, connectTimeoutMs: 1500 }
        : { kind: 'serial', path: sim.ptyPath!, baudRate: 9600 },
  };
  const dataDir = join(rig.context.scratchDir, key);
  await mkdir(dataDir, { recursive: true });
  const config: AgentConfig = {
    server: rig.server.url,
    storeId: 'bench',
    registerId: key,
    enrollmentToken: 'enroll-token-1',
    dataDir,
    probeIntervalSec: mode === 'asb' ? ASB_INTERVAL_SEC : POLL_INTERVAL_SEC,
    reportIntervalSec: 3600,
    cashierPage: { port: 0, enabled: false },
    devices: [device],
  };
  const agent = createAgent({ config, logger: benchLogger(rig.context, key), link: { initialDelayMs: 0, backoff: { baseMs: 50, capMs: 500 } } });
  rig.closers.push(() => agent.stop());
  await agent.start();
  // Enrolled, connected, probed: its first report reached the endpoint.
  const reported = () =>
    rig.server.frames.some((f) => f.type === 'health' && (f.payload as { devices?: DeviceReport[] }).devices?.some((d) => d.deviceId === deviceId && d.health === 'ok'));
  await until(`${key}'s first healthy report`, reported, 15_000);
  rig.arrivals.attach();
  // The first round's probe (over the held connection in ASB mode) is done, so it does not overlap the first sample.
  await until(`${key}'s first probe`, () => sim.stats().statusQueries >= 4);
  if (mode === 'asb') await until(`${key} to enable ASB`, () => sim.stats().asbMask !== 0);
  return { deviceId, sim, agent };
}

interface Sampled {
  samples: LatencySamples;
  timeouts: number;
}

/**
 * Injects `count` faults on one register, alternately on and off, each after a random wait drawn by
 * `wait()`, and records setFaults → matching health message at the endpoint.
 */
async function sample(rig: Rig, register: Register, count: number, wait: () => number, timeoutMs: number, into: Sampled): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const fault = FAULTS[Math.floor(i / 2) % FAULTS.length]!;
    const on = i % 2 === 0;
    await delay(wait());
    rig.arrivals.attach();
    const arrival = rig.arrivals.next(register.deviceId, on ? [fault.code] : [], timeoutMs);
    const injectedAt = performance.now();
    register.sim.setFaults({ [fault.patch]: on });
    const at = await arrival;
    if (at === null) into.timeouts += 1;
    into.samples.recordMs((at ?? performance.now()) - injectedAt);
  }
  register.sim.resetFaults();
}

/** DLE EOT 1 round trips to a fresh simulator over a plain TCP socket: the floor this machine allows. */
async function baselineRoundTrips(rig: Rig, count: number): Promise<LatencySamples> {
  const sim = await startEscPosSimulator({ tcp: { port: 0 } });
  rig.closers.push(() => sim.close());
  const socket: Socket = connect({ host: '127.0.0.1', port: sim.tcpPort! });
  rig.closers.push(async () => void socket.destroy());
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  const samples = new LatencySamples();
  let onByte: (() => void) | undefined;
  socket.on('data', () => onByte?.());
  for (let i = 0; i < count; i += 1) {
    const reply = new Promise<void>((resolve) => (onByte = resolve));
    const sentAt = performance.now();
    socket.write(Uint8Array.of(0x10, 0x04, 0x01));
    await reply;
    samples.recordMs(performance.now() - sentAt);
  }
  return samples;
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

async function run(context: BenchContext): Promise<Measurement[]> {
  const plan = context.quick ? QUICK : FULL;
  const server = await startFakeConsoleServer();
  const rig: Rig = { server, arrivals: new Arrivals(server), closers: [], context };
  try {
    const baseline = await baselineRoundTrips(rig, plan.baselineRoundTrips);
    const base = (p: number) => ({ label: `DLE EOT round trip, plain TCP, p${p}`, value: baseline.percentileMs(p), unit: 'ms' });

    // ASB over TCP: the agent holds one connection; faults land 20–70 ms apart.
    const asbWait = () => 20 + Math.random() * 50;
    const asbTcp = await startRegister(rig, 'asb-tcp', 'asb', 'tcp');
    const asb: Sampled = { samples: new LatencySamples(), timeouts: 0 };
    context.log(`ASB over TCP: ${plan.asbSamples} faults`);
    await sample(rig, asbTcp, plan.asbSamples, asbWait, 2_000, asb);
    await asbTcp.agent.stop();

    let asbSerial: Sampled | undefined;
    if (ptyModeAvailable()) {
      const register = await startRegister(rig, 'asb-pty', 'asb', 'pty');
      asbSerial = { samples: new LatencySamples(), timeouts: 0 };
      context.log(`ASB over a socat pty: ${plan.asbSerialSamples} faults`);
      await sample(rig, register, plan.asbSerialSamples, asbWait, 2_000, asbSerial);
      await register.agent.stop();
    } else {
      context.log('socat is not installed: no serial (pty) ASB row');
    }

    // Poll mode: registers side by side, each fault at a uniformly random phase of its probe cycle.
    const intervalMs = POLL_INTERVAL_SEC * 1000;
    const poll: Sampled = { samples: new LatencySamples(), timeouts: 0 };
    const registers: Register[] = [];
    for (let i = 0; i < plan.pollRegisters; i += 1) registers.push(await startRegister(rig, `poll-${i}`, 'poll', 'tcp'));
    context.log(`poll mode: ${plan.pollRegisters} registers × ${plan.pollSamplesEach} faults, probe interval ${POLL_INTERVAL_SEC} s`);
    await Promise.all(registers.map((register) => sample(rig, register, plan.pollSamplesEach, () => Math.random() * intervalMs, 3 * intervalMs + 2_000, poll)));

    const timeoutNote = (s: Sampled) => (s.timeouts > 0 ? ` ${s.timeouts} sample(s) saw no matching report in time and count at their timeout.` : '');
    const setup =
      'Real agent (createAgent, in-process: probe loop, transport, SQLite outbox, WebSocket link) reporting to agent/src/link/fake-console-server.ts; ' +
      'simulator on loopback; faults alternate on/off (cover open, paper end, cutter error), each sample a change.';
    const rows: Measurement[] = [
      {
        id: 'agent.fault_to_finding.asb.p99',
        figure: 'Fault → finding at the endpoint, ASB mode, TCP, p99',
        value: asb.samples.percentileMs(99),
        unit: 'ms',
        budget: { op: '<=', limit: ASB_BUDGET_MS },
        anchor: ANCHOR_ASB,
        baseline: base(99),
        note:
          `${asb.samples.count} faults 20–70 ms apart; p50 ${fmt(asb.samples.percentileMs(50))} ms, max ${fmt(asb.samples.maxMs())} ms; ` +
          `status "asb" (GS a 0x0f on one held connection, safety-net poll every ${ASB_INTERVAL_SEC} s). ${setup}${timeoutNote(asb)}`,
      },
      {
        id: 'agent.fault_to_finding.asb.p50',
        figure: 'Fault → finding at the endpoint, ASB mode, TCP, p50',
        value: asb.samples.percentileMs(50),
        unit: 'ms',
        budget: null,
        anchor: ANCHOR_ASB,
        baseline: base(50),
      },
    ];
    if (asbSerial) {
      rows.push({
        id: 'agent.fault_to_finding.asb_serial.p99',
        figure: 'Fault → finding at the endpoint, ASB mode, serial (pty), p99',
        value: asbSerial.samples.percentileMs(99),
        unit: 'ms',
        budget: { op: '<=', limit: ASB_BUDGET_MS },
        anchor: ANCHOR_ASB,
        note:
          `${asbSerial.samples.count} faults through a socat pseudo-terminal and the real serialport transport; p50 ${fmt(asbSerial.samples.percentileMs(50))} ms. ` +
          `A pty has no baud rate and no USB latency timer: on a real 9600-baud USB-serial line add ~4 ms for the 4-byte frame and up to 16 ms for the adapter.${timeoutNote(asbSerial)}`,
      });
    }
    rows.push(
      {
        id: 'agent.fault_to_finding.poll.p99',
        figure: `Fault → finding at the endpoint, poll mode, probe interval ${POLL_INTERVAL_SEC} s, p99`,
        value: poll.samples.percentileMs(99),
        unit: 'ms',
        budget: { op: '<=', limit: intervalMs + POLL_SLACK_MS },
        anchor: ANCHOR_POLL,
        note:
          `probeIntervalSec ${POLL_INTERVAL_SEC} (the config minimum; the default is 10 s, whose budget would be 10 050 ms), budget = interval + ${POLL_SLACK_MS} ms; ` +
          `${poll.samples.count} faults over ${plan.pollRegisters} registers side by side, each at a uniformly random moment of the probe cycle; ` +
          `p50 ${fmt(poll.samples.percentileMs(50))} ms, max ${fmt(poll.samples.maxMs())} ms. ${setup}${timeoutNote(poll)}`,
      },
      {
        id: 'agent.fault_to_finding.poll.p50',
        figure: `Fault → finding at the endpoint, poll mode, probe interval ${POLL_INTERVAL_SEC} s, p50`,
        value: poll.samples.percentileMs(50),
        unit: 'ms',
        budget: null,
        anchor: 'half an interval expected for a uniformly random fault',
      },
    );
    return rows;
  } finally {
    for (const close of rig.closers.splice(0).reverse()) await close().catch(() => undefined);
    await server.close().catch(() => undefined);
  }
}

export const faultToFindingSuite: BenchSuite = {
  id: 'fault-to-finding',
  title: 'Fault to finding on the agent: poll mode and Automatic Status Back, simulator to WebSocket endpoint',
  run,
};
