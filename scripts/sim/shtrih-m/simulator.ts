import { SerialPort } from 'serialport';
import type { JsonServer } from '../lib/http-json';
import { startPty, type Pty, type PtyDeps } from '../lib/pty';
import { serveTcp, type TcpDeviceServer } from '../lib/tcp-serve';
import { startRegisterControlServer } from './control-server';
import { RegisterLine, type CommandLogEntry, type Output, type RegisterCore } from './register-device';
import { createRegister, lastFdNumber, patchRegister, RegisterStatePatch, type RegisterState } from './register-state';

export { ptyModeAvailable, SocatMissingError } from '../lib/pty';

/** The port a Shtrih-M register listens on in jpos.xml and re-star-ru's driver (devices.md §3.1). */
export const DEFAULT_SHTRIH_TCP_PORT = 7778;

export interface ShtrihSimulatorOptions {
  /** Serve the register on TCP. port 0 = any free port. */
  tcp?: { host?: string; port?: number };
  /** Serve the register on a pseudo-terminal pair made by socat (like a serial or USB-CDC register). */
  pty?: boolean;
  /** Start the HTTP control server. port 0 = any free port. */
  control?: { port?: number };
  /** Initial state; unspecified parts are a healthy register's. */
  state?: RegisterStatePatch;
  /** The clock (real time by default): the register's clock, the shift age and the FD count follow it. */
  now?: () => Date;
  deps?: PtyDeps & { openHolder?: (path: string) => SerialPort };
}

export type LineStats = RegisterCore['stats'];

export interface ShtrihSimulatorStats extends LineStats {
  tcpConnections: number;
  /** TCP connections open right now: a probe that forgot to close shows up here */
  openTcpConnections: number;
  /** connections accepted and dropped at once because the port was busy */
  droppedBusy: number;
  /** the FD number the register would report now */
  lastFdNumber: number;
  /** a slow reply is still on its way (the register ignores input until it is sent) */
  busy: boolean;
  /** bytes the register wrote, on every connection (bytesReceived: the other way) */
  bytesSent: number;
}

export interface ShtrihSimulator {
  tcpPort?: number;
  /** the pseudo-terminal path the AGENT opens, as it would open /dev/ttyACM0 */
  ptyPath?: string;
  controlPort?: number;
  getState(): RegisterState;
  /** Applies a partial state (validated); resolves once a busy-port holder has opened or closed. */
  setState(patch: RegisterStatePatch): Promise<RegisterState>;
  resetState(): Promise<RegisterState>;
  /** Every command frame received, in order, since the start or the last clearLog(). */
  commandLog(): CommandLogEntry[];
  clearLog(): void;
  stats(): ShtrihSimulatorStats;
  close(): Promise<void>;
}

/**
 * Starts a simulated Shtrih-M register (docs/devices.md §3.1) over TCP and/or a socat
 * pseudo-terminal, with its state settable in process and over HTTP.
 *
 * A busy port: over the pty, a holder opens the agent's end with serialport `lock: true`, so the
 * agent's own (locking) open fails as it would with the POS holding the port. Over TCP, new
 * connections are accepted and closed at once, without a byte: refusing them would look exactly
 * like a register that is switched off, and would need the listener closed and reopened on the
 * same port, racing the next connect. How a real register's network module treats a second
 * client is not documented ([U]).
 */
export async function startShtrihSimulator(options: ShtrihSimulatorOptions = {}): Promise<ShtrihSimulator> {
  const now = options.now ?? (() => new Date());
  const log: CommandLogEntry[] = [];
  const core: RegisterCore = {
    register: createRegister(now(), options.state ?? {}),
    held: null,
    busyUntil: 0,
    log: (entry) => {
      if (log.length < 100_000) log.push(entry);
    },
    stats: { bytesReceived: 0, framesReceived: 0, repliesSent: 0, enqReceived: 0, ignoredWhileBusy: 0 },
  };
  let droppedBusy = 0;
  const sent = { bytes: 0 };
  let tcp: TcpDeviceServer | undefined;
  const closers: (() => Promise<void>)[] = [];
  let pty: Pty | undefined;
  let holder: SerialPort | undefined;

  const syncHolder = async () => {
    if (!pty) return;
    const busy = core.register.state.portBusy;
    if (busy && !holder) {
      const open = options.deps?.openHolder ?? ((path: string) => new SerialPort({ path, baudRate: 9600, autoOpen: false, lock: true }));
      const port = open(pty.agentPath);
      await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
      port.on('error', () => undefined);
      port.on('data', () => undefined); // the holder reads and drops what the register sends it
      holder = port;
    } else if (!busy && holder) {
      const port = holder;
      holder = undefined;
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    }
  };

  const counted = (write: (bytes: readonly number[]) => void) => (bytes: readonly number[]) => {
    sent.bytes += bytes.length;
    write(bytes);
  };

  const control = {
    getState: (): RegisterState => structuredClone(core.register.state),
    setState: async (patch: RegisterStatePatch) => {
      patchRegister(core.register, RegisterStatePatch.parse(patch), now());
      await syncHolder();
      return control.getState();
    },
    resetState: async () => {
      core.register = createRegister(now());
      core.held = null;
      core.busyUntil = 0;
      await syncHolder();
      return control.getState();
    },
    commandLog: () => log.map((entry) => ({ ...entry })),
    clearLog: () => {
      log.length = 0;
    },
    stats: (): ShtrihSimulatorStats => ({
      ...core.stats,
      tcpConnections: tcp?.connections() ?? 0,
      openTcpConnections: tcp?.openConnections() ?? 0,
      droppedBusy,
      lastFdNumber: lastFdNumber(core.register, now()),
      busy: now().getTime() < core.busyUntil,
      bytesSent: sent.bytes,
    }),
  };

  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  };
  const sim: ShtrihSimulator = { ...control, close: closeAll };
  try {
    if (options.tcp) {
      tcp = await serveTcp(options.tcp.host ?? '127.0.0.1', options.tcp.port ?? DEFAULT_SHTRIH_TCP_PORT, (write) => {
        if (!core.register.state.portBusy) return serveLine(core, now, counted(write));
        droppedBusy += 1;
        return undefined;
      });
      sim.tcpPort = tcp.port;
      closers.push(tcp.close);
    }
    if (options.pty) {
      const started = await startPty('shtrih', options.deps ?? {});
      pty = started;
      closers.push(started.close);
      sim.ptyPath = started.agentPath;
      const line = serveLine(
        core,
        now,
        counted((bytes) => {
          if (started.port.isOpen) started.port.write(Buffer.from(bytes));
        }),
      );
      started.port.on('data', (chunk: Buffer) => line.receive(chunk));
      closers.push(async () => {
        line.stop();
        if (holder?.isOpen) await new Promise<void>((resolve) => holder!.close(() => resolve()));
      });
      await syncHolder();
    }
    if (options.control) {
      const server: JsonServer = await startRegisterControlServer(control, { port: options.control.port ?? 0 });
      sim.controlPort = server.port;
      closers.push(server.close);
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return sim;
}

/** Wires a RegisterLine to one byte stream: writes its outputs in order, each after its delay. */
function serveLine(core: RegisterCore, now: () => Date, write: (bytes: readonly number[]) => void) {
  const line = new RegisterLine(core);
  const timers = new Set<NodeJS.Timeout>();
  // Outputs leave in order even when one waits (a slow reply): later ones queue behind it.
  let tail = Promise.resolve();
  const send = (output: Output) => {
    tail = tail.then(
      () =>
        new Promise<void>((resolve) => {
          if (output.delayMs <= 0) {
            write(output.bytes);
            return resolve();
          }
          const timer = setTimeout(() => {
            timers.delete(timer);
            write(output.bytes);
            resolve();
          }, output.delayMs);
          timers.add(timer);
        }),
    );
  };
  return {
    receive: (chunk: Uint8Array) => line.receive(chunk, now()).forEach(send),
    stop: () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
