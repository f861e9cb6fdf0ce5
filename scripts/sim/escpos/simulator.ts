import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { existsSync as nodeExistsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { startFaultControlServer, type ControlServer } from './control-server';
import { executableOnPath } from '../../../agent/src/transports/serial/serial-list';
import {
  applyFaults,
  asbFrame,
  asbItemsChanged,
  effectiveAsbMask,
  HEALTHY_PRINTER,
  PrinterFaultsPatch,
  PrinterResponder,
  type AsbSetting,
  type PlannedReply,
  type PrinterFaults,
  type ResponderStats,
} from './printer-state';

export interface EscPosSimulatorOptions {
  /** Serve the printer on TCP (like a networked printer on 9100). port 0 = any free port. */
  tcp?: { host?: string; port?: number };
  /** Serve the printer on a pseudo-terminal pair made by socat (like a serial printer). */
  pty?: boolean;
  /** Start the HTTP fault-control server. port 0 = any free port. */
  control?: { port?: number };
  /** Initial faults; unspecified ones are healthy. */
  faults?: PrinterFaultsPatch;
  deps?: SimulatorDeps;
}

export interface SimulatorDeps {
  spawn?: typeof nodeSpawn;
  existsSync?: (path: string) => boolean;
  makeTempDir?: () => string;
  removeDir?: (path: string) => void;
  /** opens the simulator's end of the pty pair */
  openSerial?: (path: string) => SerialPort;
}

export interface SimulatorStats extends ResponderStats {
  /** ASB frames written, on every stream (enabling, status changes, connection opens) */
  asbFramesSent: number;
  /** the printer's current `GS a` mask (0: off); the `asb` fault overrides it with 0xff */
  asbMask: number;
  tcpConnections: number;
  /** TCP connections open right now: a probe that forgot to close shows up here */
  openTcpConnections: number;
}

export interface EscPosSimulator {
  /** the TCP port the printer listens on (127.0.0.1 unless told otherwise) */
  tcpPort?: number;
  /** the pseudo-terminal path the AGENT opens, as it would open /dev/ttyUSB0 */
  ptyPath?: string;
  controlPort?: number;
  setFaults(patch: PrinterFaultsPatch): PrinterFaults;
  getFaults(): PrinterFaults;
  resetFaults(): PrinterFaults;
  stats(): SimulatorStats;
  close(): Promise<void>;
}

/** Whether the pty mode can run here: socat makes the pseudo-terminal pair. */
export function ptyModeAvailable(): boolean {
  return executableOnPath('socat');
}

/** Thrown when the pty mode is asked for on a machine without socat. */
export class SocatMissingError extends Error {
  constructor(cause?: unknown) {
    super('socat is not installed: the serial (pty) printer simulator needs it; install the Debian package `socat` (apt-get install socat)', { cause });
    this.name = 'SocatMissingError';
  }
}

const LINK_WAIT_MS = 5_000;

/**
 * Starts a simulated ESC/POS printer that answers DLE EOT 1..4 per the Epson tables for its
 * current faults, over TCP and/or a socat pseudo-terminal. Everything it starts is stopped by
 * close(); if starting fails halfway, what was started is stopped before the error is thrown.
 */
export async function startEscPosSimulator(options: EscPosSimulatorOptions = {}): Promise<EscPosSimulator> {
  let faults: PrinterFaults = applyFaults(HEALTHY_PRINTER, PrinterFaultsPatch.parse(options.faults ?? {}));
  const responders: PrinterResponder[] = [];
  // One ASB setting for the printer, whichever stream sent GS a; frames go out on every stream.
  const asbSetting: AsbSetting = { mask: 0 };
  const asb = { framesSent: 0 };
  const faultListeners = new Set<(before: PrinterFaults, after: PrinterFaults) => void>();
  const closers: (() => Promise<void>)[] = [];
  let tcpConnections = 0;
  const openSockets = new Set<Socket>();

  const newResponder = () => {
    const responder = new PrinterResponder(() => faults, asbSetting);
    responders.push(responder);
    return responder;
  };

  const control = {
    getFaults: () => ({ ...faults }),
    setFaults: (patch: PrinterFaultsPatch) => {
      const before = faults;
      faults = applyFaults(faults, PrinterFaultsPatch.parse(patch));
      if (JSON.stringify(before) !== JSON.stringify(faults)) for (const listener of faultListeners) listener(before, faults);
      return { ...faults };
    },
    resetFaults: () => control.setFaults({ ...HEALTHY_PRINTER }),
    stats: (): SimulatorStats => {
      const sum = (key: keyof ResponderStats) => responders.reduce((total, r) => total + r.stats[key], 0);
      return {
        bytesReceived: sum('bytesReceived'),
        statusQueries: sum('statusQueries'),
        repliesSent: sum('repliesSent'),
        asbCommands: sum('asbCommands'),
        asbFramesSent: asb.framesSent,
        asbMask: asbSetting.mask,
        tcpConnections,
        openTcpConnections: openSockets.size,
      };
    },
  };
  const stream = (responder: PrinterResponder, write: (bytes: number[]) => unknown) =>
    serveStream(responder, write, { faults: () => faults, setting: asbSetting, listeners: faultListeners, counter: asb });

  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  };

  const sim: EscPosSimulator = { ...control, close: closeAll };
  try {
    if (options.tcp) {
      const server = createServer((socket) => {
        tcpConnections += 1;
        openSockets.add(socket);
        const link = stream(newResponder(), (bytes) => !socket.destroyed && socket.write(Uint8Array.from(bytes)));
        socket.on('data', (chunk: Buffer) => link.receive(chunk));
        socket.on('error', () => undefined);
        socket.on('close', () => {
          openSockets.delete(socket);
          link.stop();
        });
      });
      sim.tcpPort = await listen(server, options.tcp.host ?? '127.0.0.1', options.tcp.port ?? 0);
      closers.push(async () => {
        for (const socket of openSockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      });
    }
    if (options.pty) {
      const pty = await startPty(options.deps ?? {});
      closers.push(pty.close);
      sim.ptyPath = pty.agentPath;
      const link = stream(newResponder(), (bytes) => pty.port.isOpen && pty.port.write(Buffer.from(bytes)));
      pty.port.on('data', (chunk: Buffer) => link.receive(chunk));
      closers.push(async () => link.stop());
    }
    if (options.control) {
      const server: ControlServer = await startFaultControlServer(control, { port: options.control.port ?? 0 });
      sim.controlPort = server.port;
      closers.push(server.close);
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return sim;
}

interface AsbWiring {
  faults: () => PrinterFaults;
  setting: AsbSetting;
  listeners: Set<(before: PrinterFaults, after: PrinterFaults) => void>;
  counter: { framesSent: number };
}

/**
 * Wires a responder to one byte stream: delayed DLE EOT replies, the frame `GS a n` answers with,
 * and an ASB frame whenever an enabled item changes (docs/devices.md §1.3), or when the `asb`
 * fault is switched on or finds the stream already open.
 */
function serveStream(responder: PrinterResponder, write: (bytes: number[]) => unknown, asb: AsbWiring) {
  const timers = new Set<NodeJS.Timeout>();
  const sendFrame = (f: PrinterFaults) => {
    asb.counter.framesSent += 1;
    write(asbFrame(f));
  };
  const sendReply = (reply: PlannedReply) => {
    if (reply.query === 'asb') asb.counter.framesSent += 1;
    if (reply.delayMs <= 0) return void write(reply.bytes);
    const timer = setTimeout(() => {
      timers.delete(timer);
      write(reply.bytes);
    }, reply.delayMs);
    timers.add(timer);
  };
  const onFaults = (before: PrinterFaults, after: PrinterFaults) => {
    const mask = effectiveAsbMask(after, asb.setting);
    if (mask === 0) return;
    const switchedOn = after.asb && !before.asb;
    if (switchedOn || (asbItemsChanged(before, after) & mask) !== 0) sendFrame(after);
  };
  asb.listeners.add(onFaults);
  const initial = asb.faults();
  if (initial.asb && effectiveAsbMask(initial, asb.setting) !== 0) sendFrame(initial);
  return {
    receive: (chunk: Uint8Array) => responder.receive(chunk).forEach(sendReply),
    stop: () => {
      asb.listeners.delete(onFaults);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

interface Pty {
  agentPath: string;
  port: SerialPort;
  close: () => Promise<void>;
}

async function startPty(deps: SimulatorDeps): Promise<Pty> {
  const spawn = deps.spawn ?? nodeSpawn;
  const existsSync = deps.existsSync ?? nodeExistsSync;
  const dir = (deps.makeTempDir ?? (() => mkdtempSync(join(tmpdir(), 'tillscope-escpos-'))))();
  const removeDir = deps.removeDir ?? ((path: string) => rmSync(path, { recursive: true, force: true }));
  const agentPath = join(dir, 'printer-agent');
  const simPath = join(dir, 'printer-sim');

  const child: ChildProcess = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${agentPath}`, `pty,raw,echo=0,link=${simPath}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  const killSocat = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000))]);
    removeDir(dir);
  };

  const spawnError = await new Promise<Error | undefined>((resolve) => {
    child.once('error', resolve);
    child.once('spawn', () => resolve(undefined));
  });
  if (spawnError) {
    removeDir(dir);
    throw (spawnError as NodeJS.ErrnoException).code === 'ENOENT' ? new SocatMissingError(spawnError) : spawnError;
  }

  const deadline = Date.now() + LINK_WAIT_MS;
  while (!(existsSync(agentPath) && existsSync(simPath))) {
    if (exitedEarly || Date.now() > deadline) {
      await killSocat();
      throw new Error(`socat did not create the pty links in ${dir}${exitedEarly ? ' (it exited)' : ''}: ${stderr.trim() || 'no output'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  const openSerial = deps.openSerial ?? ((path: string) => new SerialPort({ path, baudRate: 9600, autoOpen: false }));
  const port = openSerial(simPath);
  try {
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  } catch (error) {
    await killSocat();
    throw error;
  }
  port.on('error', () => undefined);
  return {
    agentPath,
    port,
    close: async () => {
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
      await killSocat();
    },
  };
}
