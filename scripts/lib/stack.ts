import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CommandVerb, type EnrollmentTokenCreated } from '@tillscope/shared';
import { AGENT_BUNDLE, AGENT_NODE_FLAGS, buildAgent } from '../../agent/build';
import { loadConfig } from '../../agent/src/config';
import { createAgent, type Agent } from '../../agent/src/create-agent';
import type { Logger } from '../../agent/src/logger';
import { startConsoleServer, type ConsoleServer, type ConsoleServerOptions } from '../../console/server/src/start-console-server';
import type { DemoRegister } from '../demo/timeline';
import { SIMULATED_QUEUE, startCupsSimulator, type CupsSimulator } from '../sim/cups/simulator';
import { startEscPosSimulator, type EscPosSimulator } from '../sim/escpos/simulator';
import { SIM_CONFIG_FILE, startHostSimulator, type HostSimulator } from '../sim/host/simulator';
import { freePort } from './ports';
import { startDemoFiscal, startPrinterOnFiscalPort, type StackFiscal } from './stack-fiscal';
import { startDemoStar, type StartedStar } from './stack-star';

// A whole Tillscope store on loopback: the console server, and per register a simulated printer and
// a real agent. Used by `npm start` (agents as separate processes, as on real tills) and by the
// integration and end-to-end tests (agents in-process: the same code, fewer processes).

export const DEMO_USERS = {
  engineer: { username: 'engineer', password: 'engineer-demo', displayName: 'Инженер Демо', role: 'engineer' as const },
  admin: { username: 'admin', password: 'admin-demo', displayName: 'Администратор', role: 'admin' as const },
};

const repoRoot = resolve(import.meta.dirname, '../..');

export interface StackOptions {
  dataDir: string;
  /** 0 picks any free port */
  consolePort?: number;
  registers: DemoRegister[];
  probeIntervalSec?: number;
  reportIntervalSec?: number;
  agentMode: 'process' | 'in-process';
  /** cashier page port per register, in order; missing ones get any free port */
  cashierPorts?: number[];
  offlineAfterSec?: number;
  /** false when socat is missing: pty registers then get a TCP printer instead */
  ptyAvailable?: boolean;
  /** start each simulator's HTTP fault-control server (for driving a stack from another process) */
  simulatorControl?: boolean;
  /** where agent and server log lines go (default: dropped) */
  log?: (line: string) => void;
  /**
   * Run the agents' host probes (default off): on this machine's OS, with a host simulator per
   * register (scripts/sim/host) standing in for its USB tree, PPD folder and POS config file.
   */
  hostProbes?: boolean;
  /** every agent's config `host.configFiles` (what a diagnostics bundle carries, redacted) */
  hostConfigFiles?: { name: string; path: string }[];
  /** the host probes' interval (default 10 s, the shortest the agent takes) */
  hostIntervalSec?: number;
  /** the console's noise settings until an admin saves some (default: the shipped holds, flapping and reopen rules) */
  noise?: ConsoleServerOptions['noise'];
}

export interface StackRegister {
  key: string;
  spec: DemoRegister;
  /** how the agent actually reaches the printer (pty registers fall back to tcp without socat) */
  printerTransport: 'tcp' | 'pty';
  simulator: EscPosSimulator;
  /** the register's simulated fiscal register, when its spec has one */
  fiscal?: StackFiscal;
  /** the register's second printer, a Star in line mode, when its spec has one */
  star?: StartedStar;
  /** the simulated CUPS queue of the register's printer, when its spec has `printQueue` */
  cups?: CupsSimulator;
  /** the register's simulated host parts (USB tree, PPD folder, POS config), when the stack runs host probes */
  host?: HostSimulator;
  cashierUrl: string;
  /**
   * A power cut at the till: its agent stops (SIGTERM for a process agent, as a shutdown would;
   * the console sees the connection close) while its simulators keep running. Resolves once stopped.
   */
  powerOff(): Promise<void>;
  /** Power back: the same agent config and data folder, so it reconnects with its credential and outbox. */
  powerOn(): Promise<void>;
  /** whether its agent is running (false between powerOff and powerOn) */
  powered(): boolean;
}

export interface Stack {
  consoleUrl: () => string;
  registers: Map<string, StackRegister>;
  /** an admin-issued enrollment token, for enrolling more agents into this stack */
  enrollment: EnrollmentTokenCreated;
  register(key: string): StackRegister;
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? (() => {});
  await mkdir(options.dataDir, { recursive: true });
  const serverDir = join(options.dataDir, 'console');
  let consolePort = options.consolePort ?? 0;

  const launchServer = async () => {
    const server = await startConsoleServer({
      dataDir: serverDir,
      port: consolePort,
      offlineAfterSec: options.offlineAfterSec,
      noise: options.noise,
      logger: lineLogger(log, 'console'),
    });
    consolePort = server.port;
    return server;
  };

  let server: ConsoleServer | null = await launchServer();
  const cleanups: (() => Promise<void>)[] = [];
  const registers = new Map<string, StackRegister>();
  let enrollment: EnrollmentTokenCreated;
  try {
    for (const user of Object.values(DEMO_USERS)) await server.createUser({ ...user, groups: [] });
    enrollment = await server.createEnrollmentToken({ maxUses: options.registers.length * 4, ttlHours: 24, note: 'demo store' });

    // Agent processes run what a till runs: the bundle, rebuilt here (~0.3 s) so it never lags the source.
    if (options.agentMode === 'process') await buildAgent();
    for (const [index, spec] of options.registers.entries()) {
      const register = await startRegister(spec, { options, consolePort, enrollmentToken: enrollment.token, cashierPort: options.cashierPorts?.[index], cleanups, log });
      registers.set(register.key, register);
    }
  } catch (error) {
    await runCleanups(cleanups, log);
    await server.close();
    throw error;
  }

  const stack: Stack = {
    consoleUrl: () => `http://127.0.0.1:${consolePort}`,
    registers,
    enrollment,
    register(key) {
      const found = registers.get(key);
      if (!found) throw new Error(`no register ${key} in this stack`);
      return found;
    },
    async stopServer() {
      const running = server;
      server = null;
      await running?.close();
    },
    async startServer() {
      if (!server) server = await launchServer();
    },
    async stop() {
      await runCleanups(cleanups, log);
      await stack.stopServer();
    },
  };
  return stack;
}

interface RegisterContext {
  options: StackOptions;
  consolePort: number;
  enrollmentToken: string;
  cashierPort: number | undefined;
  /** what the register started is stopped through these (last first) */
  cleanups: (() => Promise<void>)[];
  log: (line: string) => void;
}

/** One register: its simulators, its agent's config file and its agent. */
async function startRegister(spec: DemoRegister, { options, consolePort, enrollmentToken, cashierPort, cleanups, log }: RegisterContext): Promise<StackRegister> {
  const key = `${spec.storeId}/${spec.registerId}`;
  const ptyAvailable = options.ptyAvailable !== false;
  const control = options.simulatorControl === true;
  const usePty = spec.printer === 'pty' && ptyAvailable;
  const simulator = await startEscPosSimulator({
    ...(usePty ? { pty: true } : { tcp: { host: '127.0.0.1', port: 0 } }),
    ...(spec.printerSim ? { model: spec.printerSim } : {}),
    ...(control ? { control: { port: 0 } } : {}),
  });
  cleanups.push(() => simulator.close());
  const fiscal = spec.fiscal ? await startDemoFiscal(spec.fiscal, { ptyAvailable, control }) : undefined;
  if (fiscal) cleanups.push(fiscal.close);
  const star = spec.starPrinter ? await startDemoStar(spec.starPrinter, { ptyAvailable, control }) : undefined;
  if (star) cleanups.push(star.close);
  const misplaced = spec.printerOnFiscalPort ? await startPrinterOnFiscalPort({ ptyAvailable }) : undefined;
  if (misplaced) cleanups.push(misplaced.close);
  const spare = spec.sparePrinter && ptyAvailable ? await startEscPosSimulator({ pty: true }) : undefined;
  if (spare) cleanups.push(() => spare.close());
  const port = cashierPort ?? (await freePort());
  const agentDir = join(options.dataDir, 'agents', `${spec.storeId}-${spec.registerId}`);
  await mkdir(agentDir, { recursive: true });
  const configPath = join(agentDir, 'agent.json');
  const transport =
    usePty && simulator.ptyPath
      ? { kind: 'serial', path: simulator.ptyPath, baudRate: 9600 }
      : { kind: 'tcp', host: '127.0.0.1', port: simulator.tcpPort, connectTimeoutMs: 1000 };
  const cups = spec.printQueue ? await startCupsSimulator({ binDir: join(agentDir, 'cups-sim') }) : undefined;
  if (cups) cleanups.push(() => cups.close());
  const printQueue = cups ? { printQueue: { name: SIMULATED_QUEUE, system: 'cups', tool: cups.lpstatPath } } : {};
  const host = options.hostProbes && spec.hostProbes !== false ? await startHostSimulator({ dir: join(agentDir, 'host-sim') }) : undefined;
  if (host) cleanups.push(() => host.close());
  const configJson = {
    server: `http://127.0.0.1:${consolePort}`,
    storeId: spec.storeId,
    registerId: spec.registerId,
    enrollmentToken,
    dataDir: '.',
    probeIntervalSec: options.probeIntervalSec ?? 2,
    reportIntervalSec: options.reportIntervalSec ?? 30,
    cashierPage: { port },
    devices: [{ id: 'printer', driver: 'escpos', model: spec.model, transport, ...printQueue }, ...(fiscal ? [fiscal.device] : []), ...(star ? [star.device] : []), ...(misplaced ? [misplaced.device] : [])],
    ...(spare?.ptyPath ? { discovery: { serialPaths: [spare.ptyPath] } } : {}),
    // restart_print_service restarts the simulated CUPS, never the demo machine's own: a register
    // without one does not allow the verb at all (its agent refuses it with `forbidden`).
    actions: cups ? { printServiceTool: cups.systemctlPath } : { allow: CommandVerb.options.filter((verb) => verb !== 'restart_print_service') },
    host: host
      ? hostSection(host, options.hostIntervalSec, options.hostConfigFiles ?? [])
      : { enabled: false, ...(options.hostConfigFiles ? { configFiles: options.hostConfigFiles } : {}) },
  };
  await writeFile(configPath, `${JSON.stringify(configJson, null, 2)}\n`);
  const startAgent = () => (options.agentMode === 'process' ? startProcessAgent(configPath, key, log) : startInProcessAgent(configPath, key, log));
  let stopAgent: (() => Promise<void>) | null = await startAgent();
  const powerOff = async () => {
    const stop = stopAgent;
    stopAgent = null;
    await stop?.();
  };
  cleanups.push(powerOff);
  return {
    key,
    spec,
    printerTransport: usePty ? 'pty' : 'tcp',
    simulator,
    ...(fiscal ? { fiscal: fiscal.fiscal } : {}),
    ...(star ? { star } : {}),
    ...(cups ? { cups } : {}),
    ...(host ? { host } : {}),
    cashierUrl: `http://127.0.0.1:${port}/`,
    powerOff,
    async powerOn() {
      stopAgent ??= await startAgent();
    },
    powered: () => stopAgent !== null,
  };
}

/**
 * The agent's host section: the probes read this machine's OS, except what the host simulator
 * stands in for (the USB tree, the CUPS PPD folder, the POS config file), so the demo and the tests
 * can unplug a printer or update its driver.
 */
function hostSection(host: HostSimulator, intervalSec: number | undefined, configFiles: { name: string; path: string }[]): Record<string, unknown> {
  return {
    enabled: true,
    intervalSec: intervalSec ?? 10,
    configFiles: [{ name: SIM_CONFIG_FILE, path: host.configFile }, ...configFiles],
    probes: host.probeOptions,
  };
}

/** Last started, first stopped; each runs once even if the stack is stopped twice. */
async function runCleanups(cleanups: (() => Promise<void>)[], log: (line: string) => void): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => log(`cleanup: ${String(error)}`));
}

function lineLogger(log: (line: string) => void, prefix: string): Logger {
  const line = (level: string) => (module: string, message: string) => log(`${prefix} ${level} [${module}] ${message}`);
  return { info: line('info'), warn: line('warn'), error: line('error') };
}

/** The same agent code in this process; resolves with its stop. */
async function startInProcessAgent(configPath: string, key: string, log: (line: string) => void): Promise<() => Promise<void>> {
  const agent: Agent = createAgent({ config: await loadConfig(configPath), logger: lineLogger(log, key), configPath });
  await agent.start();
  return () => agent.stop();
}

/**
 * The agent as it runs on a till: the compiled bundle (built by the caller, see buildAgent) in its
 * own Node process with the production flags, stopped with SIGTERM. Resolves with its stop.
 */
async function startProcessAgent(configPath: string, key: string, log: (line: string) => void): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, [...AGENT_NODE_FLAGS, AGENT_BUNDLE, '--config', configPath], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) log(`${key} ${line}`);
  };
  child.stdout.on('data', forward);
  child.stderr.on('data', forward);
  // The agent prints its cashier page line once it is up.
  await new Promise<void>((resolveStart, reject) => {
    const onData = (chunk: Buffer) => {
      if (!chunk.toString('utf8').includes('cashier page:')) return;
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      resolveStart();
    };
    const onExit = (code: number | null) => reject(new Error(`agent ${key} exited with code ${code} during start`));
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
}
