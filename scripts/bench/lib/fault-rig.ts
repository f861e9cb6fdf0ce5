// The rig of the fault-to-finding bench (suites/fault-to-finding.ts): a fake console endpoint, one
// real agent (createAgent, in-process) per simulated printer, fault injection on the simulator and
// the arrival of the matching health report at the endpoint, on one clock (performance.now()).
import { connect, type Socket } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { DeviceReport } from '@tillscope/shared';
import type { WebSocket } from 'ws';
import type { AgentConfig } from '../../../agent/src/config';
import { createAgent, type Agent } from '../../../agent/src/create-agent';
import { hostProbesOff } from '../../../agent/src/host-config';
import type { DeviceConfig } from '../../../agent/src/devices/driver';
import type { FakeConsoleServer } from '../../../agent/src/link/fake-console-server';
import type { Logger } from '../../../agent/src/logger';
import { startEscPosSimulator } from '../../sim/escpos/simulator';
import { startStarSimulator } from '../../sim/star/simulator';
import { LatencySamples, type BenchContext } from '../measurement';

/** The printer families measured: Epson-like ESC/POS (poll or ASB) and Star line mode (poll). */
export type PrinterFamily = 'escpos' | 'star';
export type StatusMode = 'poll' | 'asb';
export type Link = 'tcp' | 'pty';

/** What a sample needs of a simulator, whichever family. */
interface SimulatedPrinter {
  tcpPort?: number;
  ptyPath?: string;
  setFaults(patch: Record<string, boolean>): unknown;
  resetFaults(): unknown;
  /** status requests answered so far (DLE EOT n, or ESC ACK SOH) */
  requests(): number;
  /** ASB enabled by the agent (escpos only) */
  asbEnabled(): boolean;
  close(): Promise<void>;
}

async function startPrinter(family: PrinterFamily, link: Link): Promise<SimulatedPrinter> {
  const where = link === 'tcp' ? { tcp: { port: 0 } } : { pty: true };
  if (family === 'escpos') {
    const sim = await startEscPosSimulator(where);
    return {
      tcpPort: sim.tcpPort, ptyPath: sim.ptyPath,
      setFaults: (patch) => sim.setFaults(patch), resetFaults: () => sim.resetFaults(),
      requests: () => sim.stats().statusQueries, asbEnabled: () => sim.stats().asbMask !== 0, close: () => sim.close(),
    };
  }
  const sim = await startStarSimulator(where);
  return {
    tcpPort: sim.tcpPort, ptyPath: sim.ptyPath,
    setFaults: (patch) => sim.setFaults(patch), resetFaults: () => sim.resetFaults(),
    requests: () => sim.stats().statusRequests, asbEnabled: () => false, close: () => sim.close(),
  };
}

/** Faults alternate on and off in this order; every family's simulator names them alike. */
const FAULTS: readonly { patch: string; code: string }[] = [
  { patch: 'coverOpen', code: 'printer.cover_open' },
  { patch: 'paperEnd', code: 'printer.paper_end' },
  { patch: 'cutterError', code: 'printer.cutter_error' },
];

/** Health messages as they reach the endpoint: arrival time per device, matched against what a sample waits for. */
export class Arrivals {
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

export interface Register {
  deviceId: string;
  sim: SimulatedPrinter;
  agent: Agent;
}

export interface Rig {
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

export interface RegisterSpec {
  key: string;
  family: PrinterFamily;
  mode: StatusMode;
  link: Link;
  probeIntervalSec: number;
}

/** A simulated printer and a real agent probing it, enrolled at the rig's endpoint and past its first probe. */
export async function startRegister(rig: Rig, spec: RegisterSpec): Promise<Register> {
  const { key, family, mode, link } = spec;
  const sim = await startPrinter(family, link);
  rig.closers.push(() => sim.close());
  const deviceId = `printer-${key}`;
  const device: DeviceConfig = {
    id: deviceId,
    driver: family === 'escpos' ? 'escpos' : 'star-line',
    options: family === 'escpos' ? { status: mode } : {},
    transport:
      link === 'tcp'
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
    probeIntervalSec: spec.probeIntervalSec,
    reportIntervalSec: 3600,
    cashierPage: { port: 0, enabled: false },
    devices: [device],
    // the rig measures fault-to-finding of devices; host probes would only add OS tool runs
    host: hostProbesOff(),
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
  await until(`${key}'s first probe`, () => sim.requests() >= (family === 'escpos' ? 4 : 1));
  if (mode === 'asb') await until(`${key} to enable ASB`, () => sim.asbEnabled());
  return { deviceId, sim, agent };
}

export interface Sampled {
  samples: LatencySamples;
  timeouts: number;
}

/**
 * Injects `count` faults on one register, alternately on and off, each after a random wait drawn by
 * `wait()`, and records setFaults → matching health message at the endpoint.
 */
export async function sample(rig: Rig, register: Register, count: number, wait: () => number, timeoutMs: number, into: Sampled): Promise<void> {
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
export async function baselineRoundTrips(rig: Rig, count: number): Promise<LatencySamples> {
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

