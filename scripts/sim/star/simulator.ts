// A simulated Star printer in line mode over TCP and/or a socat pseudo-terminal, with an HTTP
// fault-control interface.
import { startJsonRoutes, validated, type JsonRoute } from '../lib/json-routes';
import { startPty, type PtyDeps } from '../lib/pty';
import { serveTcp, type ConnectionHandler, type TcpDeviceServer } from '../lib/tcp-serve';
import { applyStarFaults, HEALTHY_STAR, StarFaultsPatch, StarResponder, statusFrame, type PlannedAnswer, type StarFaults, type StarResponderStats, type StarStatusVersion } from './printer-state';

export { ptyModeAvailable, SocatMissingError } from '../lib/pty';

export interface StarSimulatorOptions {
  /** Serve on TCP (like a LAN board on 9100); port 0 = any free port. */
  tcp?: { host?: string; port?: number };
  /** Serve on a pseudo-terminal pair made by socat (like a serial printer). */
  pty?: boolean;
  /** Start the HTTP fault-control server; port 0 = any free port. */
  control?: { port?: number };
  faults?: StarFaultsPatch;
  /** The status version the frames carry (1: 7 bytes, 2: 9 bytes, the default). */
  statusVersion?: StarStatusVersion;
  deps?: PtyDeps;
}

export interface StarSimulatorStats extends StarResponderStats {
  /** frames sent unasked (automatic status) */
  automaticFramesSent: number;
  tcpConnections: number;
  /** TCP connections open right now: a probe that forgot to close shows up here */
  openTcpConnections: number;
}

export interface StarSimulator {
  tcpPort?: number;
  /** the pseudo-terminal path the AGENT opens, as it would open /dev/ttyUSB0 */
  ptyPath?: string;
  controlPort?: number;
  getFaults(): StarFaults;
  setFaults(patch: StarFaultsPatch): StarFaults;
  resetFaults(): StarFaults;
  stats(): StarSimulatorStats;
  close(): Promise<void>;
}

/** The printer's state shared by every stream: faults, stats, and who hears automatic frames. */
function createStarPrinter(initial: StarFaultsPatch, version: StarStatusVersion) {
  let faults: StarFaults = applyStarFaults(HEALTHY_STAR, StarFaultsPatch.parse(initial));
  const responders: StarResponder[] = [];
  const streams = new Set<(frame: number[]) => void>();
  let automaticFramesSent = 0;
  const broadcast = () => {
    if (!faults.automaticStatus || faults.noReply) return;
    for (const send of streams) {
      automaticFramesSent += 1;
      send(statusFrame(faults, version));
    }
  };
  const setFaults = (patch: StarFaultsPatch) => {
    const before = JSON.stringify(statusFrame(faults, version)) + String(faults.automaticStatus);
    faults = applyStarFaults(faults, StarFaultsPatch.parse(patch));
    if (before !== JSON.stringify(statusFrame(faults, version)) + String(faults.automaticStatus)) broadcast();
    return { ...faults };
  };
  return {
    getFaults: () => ({ ...faults }),
    setFaults,
    resetFaults: () => setFaults({ ...HEALTHY_STAR }),
    responderStats: (): StarResponderStats & { automaticFramesSent: number } => {
      const sum = (key: keyof StarResponderStats) => responders.reduce((total, r) => total + r.stats[key], 0);
      return { bytesReceived: sum('bytesReceived'), statusRequests: sum('statusRequests'), requestsWhileAutomatic: sum('requestsWhileAutomatic'), dleEotIgnored: sum('dleEotIgnored'), automaticFramesSent };
    },
    /** One stream's handler: answers requests (after slowReplyMs), hears automatic frames, one on open. */
    stream(write: (bytes: readonly number[]) => unknown): ConnectionHandler {
      const responder = new StarResponder(() => faults, version);
      responders.push(responder);
      const timers = new Set<NodeJS.Timeout>();
      const send = (answer: PlannedAnswer) => {
        if (answer.delayMs <= 0) return void write(answer.bytes);
        const timer = setTimeout(() => (timers.delete(timer), write(answer.bytes)), answer.delayMs);
        timers.add(timer);
      };
      const hear = (frame: number[]) => write(frame);
      streams.add(hear);
      if (faults.automaticStatus && !faults.noReply) {
        automaticFramesSent += 1;
        write(statusFrame(faults, version));
      }
      return {
        receive: (chunk) => responder.receive(chunk).forEach(send),
        stop: () => {
          streams.delete(hear);
          for (const timer of timers) clearTimeout(timer);
        },
      };
    },
  };
}

function controlRoutes(printer: ReturnType<typeof createStarPrinter>, stats: () => StarSimulatorStats): JsonRoute[] {
  return [
    { method: 'GET', path: '/faults', handle: () => ({ status: 200, body: printer.getFaults() }) },
    {
      method: 'PUT',
      path: '/faults',
      handle: (json) => {
        const patch = validated(StarFaultsPatch, 'fault patch', json ?? {});
        return 'reply' in patch ? patch.reply : { status: 200, body: printer.setFaults(patch.value) };
      },
    },
    { method: 'POST', path: '/faults/reset', handle: () => ({ status: 200, body: printer.resetFaults() }) },
    { method: 'GET', path: '/stats', handle: () => ({ status: 200, body: stats() }) },
  ];
}

/**
 * Starts a simulated Star printer answering ESC ACK SOH with its automatic status frame for its
 * current faults, never answering DLE EOT. Everything it starts is stopped by close(); if
 * starting fails halfway, what was started is stopped before the error is thrown.
 */
export async function startStarSimulator(options: StarSimulatorOptions = {}): Promise<StarSimulator> {
  const printer = createStarPrinter(options.faults ?? {}, options.statusVersion ?? 2);
  const closers: (() => Promise<void>)[] = [];
  let tcp: TcpDeviceServer | undefined;
  const stats = (): StarSimulatorStats => ({ ...printer.responderStats(), tcpConnections: tcp?.connections() ?? 0, openTcpConnections: tcp?.openConnections() ?? 0 });
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer().catch(() => undefined);
  };
  const sim: StarSimulator = { getFaults: printer.getFaults, setFaults: printer.setFaults, resetFaults: printer.resetFaults, stats, close };
  try {
    if (options.tcp) {
      tcp = await serveTcp(options.tcp.host ?? '127.0.0.1', options.tcp.port ?? 0, (write) => printer.stream(write));
      sim.tcpPort = tcp.port;
      closers.push(tcp.close);
    }
    if (options.pty) {
      const pty = await startPty('star', options.deps ?? {});
      closers.push(pty.close);
      sim.ptyPath = pty.agentPath;
      const link = printer.stream((bytes) => pty.port.isOpen && pty.port.write(Buffer.from(bytes)));
      pty.port.on('data', (chunk: Buffer) => link.receive(chunk));
      closers.push(async () => link.stop());
    }
    if (options.control) {
      const server = await startJsonRoutes(controlRoutes(printer, stats), { port: options.control.port ?? 0 });
      sim.controlPort = server.port;
      closers.push(server.close);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return sim;
}
