import { serveTcp, type TcpDeviceServer } from '../lib/tcp-serve';
import { startPty, type PtyDeps } from '../lib/pty';
import { startFaultControlServer, type ControlServer } from './control-server';
import { DEFAULT_MODEL, PrinterModel } from './models';
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
  /** Which printer it is (default `epson`): see models.ts. */
  model?: PrinterModel;
  deps?: SimulatorDeps;
}

/** How the pty mode starts socat and opens its end (tests replace them). */
export type SimulatorDeps = PtyDeps;

export interface SimulatorStats extends ResponderStats {
  /** ASB frames written, on every stream (enabling, status changes, connection opens) */
  asbFramesSent: number;
  /** the printer's current `GS a` mask (0: off); the `asb` fault overrides it with 0xff */
  asbMask: number;
  tcpConnections: number;
  /** TCP connections open right now: a probe that forgot to close shows up here */
  openTcpConnections: number;
  model: PrinterModel;
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
  /** Switches the printer model (the faults stay as they are). */
  setModel(model: PrinterModel): PrinterModel;
  getModel(): PrinterModel;
  stats(): SimulatorStats;
  close(): Promise<void>;
}

export { ptyModeAvailable, SocatMissingError } from '../lib/pty';

/**
 * Starts a simulated ESC/POS printer that answers DLE EOT 1..4 per the Epson tables for its
 * current faults, over TCP and/or a socat pseudo-terminal. Everything it starts is stopped by
 * close(); if starting fails halfway, what was started is stopped before the error is thrown.
 */
export async function startEscPosSimulator(options: EscPosSimulatorOptions = {}): Promise<EscPosSimulator> {
  let faults: PrinterFaults = applyFaults(HEALTHY_PRINTER, PrinterFaultsPatch.parse(options.faults ?? {}));
  let model: PrinterModel = PrinterModel.parse(options.model ?? DEFAULT_MODEL);
  const responders: PrinterResponder[] = [];
  // One ASB setting for the printer, whichever stream sent GS a; frames go out on every stream.
  const asbSetting: AsbSetting = { mask: 0 };
  const asb = { framesSent: 0 };
  const faultListeners = new Set<(before: PrinterFaults, after: PrinterFaults) => void>();
  const closers: (() => Promise<void>)[] = [];
  let tcp: TcpDeviceServer | undefined;

  const newResponder = () => {
    const responder = new PrinterResponder(() => faults, asbSetting, () => model);
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
    setModel: (next: PrinterModel) => (model = PrinterModel.parse(next)),
    getModel: () => model,
    stats: (): SimulatorStats => {
      const sum = (key: keyof ResponderStats) => responders.reduce((total, r) => total + r.stats[key], 0);
      return {
        bytesReceived: sum('bytesReceived'),
        statusQueries: sum('statusQueries'),
        repliesSent: sum('repliesSent'),
        asbCommands: sum('asbCommands'),
        idRequests: sum('idRequests'),
        model,
        asbFramesSent: asb.framesSent,
        asbMask: asbSetting.mask,
        tcpConnections: tcp?.connections() ?? 0,
        openTcpConnections: tcp?.openConnections() ?? 0,
      };
    },
  };
  const stream = (responder: PrinterResponder, write: (bytes: readonly number[]) => unknown) =>
    serveStream(responder, write, { faults: () => faults, model: () => model, setting: asbSetting, listeners: faultListeners, counter: asb });

  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  };

  const sim: EscPosSimulator = { ...control, close: closeAll };
  try {
    if (options.tcp) {
      const server = await serveTcp(options.tcp.host ?? '127.0.0.1', options.tcp.port ?? 0, (write) => stream(newResponder(), write));
      tcp = server;
      sim.tcpPort = server.port;
      closers.push(server.close);
    }
    if (options.pty) {
      const pty = await startPty('printer', options.deps ?? {});
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
  model: () => PrinterModel;
  setting: AsbSetting;
  listeners: Set<(before: PrinterFaults, after: PrinterFaults) => void>;
  counter: { framesSent: number };
}

/**
 * Wires a responder to one byte stream: delayed DLE EOT replies, the frame `GS a n` answers with,
 * and an ASB frame whenever an enabled item changes (docs/devices.md §1.3), or when the `asb`
 * fault is switched on or finds the stream already open.
 */
function serveStream(responder: PrinterResponder, write: (bytes: readonly number[]) => unknown, asb: AsbWiring) {
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
    const mask = effectiveAsbMask(after, asb.setting, asb.model());
    if (mask === 0) return;
    const switchedOn = after.asb && !before.asb;
    if (switchedOn || (asbItemsChanged(before, after) & mask) !== 0) sendFrame(after);
  };
  asb.listeners.add(onFaults);
  const initial = asb.faults();
  if (initial.asb && effectiveAsbMask(initial, asb.setting, asb.model()) !== 0) sendFrame(initial);
  return {
    receive: (chunk: Uint8Array) => responder.receive(chunk).forEach(sendReply),
    stop: () => {
      asb.listeners.delete(onFaults);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
