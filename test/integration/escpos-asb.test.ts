// Real I/O, ESC/POS Automatic Status Back: a real agent (createAgent) watches the printer simulator
// over real TCP and, with socat, a real pseudo-terminal, and reports to a real WebSocket endpoint.
// The probe interval is an hour, so a finding that arrives came from the printer's own ASB frame,
// not from a poll. No test asserts a duration.
import type { DeviceReport } from '@tillscope/shared';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentConfig } from '../../agent/src/config';
import { createAgent, type Agent } from '../../agent/src/create-agent';
import { hostProbesOff } from '../../agent/src/host-config';
import type { DeviceConfig } from '../../agent/src/devices/driver';
import { startFakeConsoleServer, type FakeConsoleServer } from '../../agent/src/link/fake-console-server';
import { waitFor } from '../../agent/src/test-support/wait-for';
import { recordingLogger } from '../../agent/src/logger';
import type { TransportTarget } from '../../agent/src/transports/transport';
import { ptyModeAvailable, startEscPosSimulator, type EscPosSimulator, type EscPosSimulatorOptions } from '../../scripts/sim/escpos/simulator';

const hasSocat = ptyModeAvailable();

let dir: string;
let server: FakeConsoleServer;
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tillscope-asb-'));
  server = await startFakeConsoleServer();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function simulator(options: EscPosSimulatorOptions): Promise<EscPosSimulator> {
  const sim = await startEscPosSimulator(options);
  cleanups.push(() => sim.close());
  return sim;
}

async function agent(transport: TransportTarget, probeIntervalSec = 3600) {
  const logger = recordingLogger();
  const device: DeviceConfig = { id: 'printer', driver: 'escpos', options: { status: 'asb' }, model: 'Epson TM-T88V', transport };
  const config: AgentConfig = {
    server: server.url,
    storeId: 'store-1',
    registerId: 'till-1',
    enrollmentToken: 'enroll-token-1',
    dataDir: dir,
    probeIntervalSec,
    reportIntervalSec: 3600,
    cashierPage: { port: 0, enabled: false },
    devices: [device],
    host: hostProbesOff(),
  };
  const started: Agent = createAgent({ config, logger, link: { backoff: { baseMs: 10, capMs: 50 }, initialDelayMs: 0 } });
  cleanups.push(() => started.stop());
  await started.start();
  return { agent: started, logger };
}

/** Every health report of the printer the endpoint received, in order. */
function printerReports(): DeviceReport[] {
  return server.frames
    .filter((f) => f.type === 'health')
    .flatMap((f) => (f.payload as { devices: DeviceReport[] }).devices.filter((d) => d.deviceId === 'printer'));
}

const codes = (report: DeviceReport | undefined) => report?.findings.map((f) => f.code) ?? [];
const latest = () => printerReports().at(-1);
const fromAsb = (report: DeviceReport | undefined) => report?.evidence.exchanges[0]?.label.startsWith('ASB frame') === true;

describe('ESC/POS Automatic Status Back, agent and simulator over real TCP', () => {
  it('holds one connection, enables ASB with GS a 0x0f, and reports a fault and its recovery from the frames alone', async () => {
    const sim = await simulator({ tcp: { port: 0 } });
    await agent({ kind: 'tcp', host: '127.0.0.1', port: sim.tcpPort!, connectTimeoutMs: 1500 });
    // The first round's probe runs at start, over the held connection.
    await waitFor('the first round', () => sim.stats().statusQueries >= 4 && latest()?.health === 'ok');
    expect(sim.stats()).toMatchObject({ asbCommands: 1, asbMask: 0x0f, openTcpConnections: 1, tcpConnections: 1 });
    const queriesBefore = sim.stats().statusQueries;

    sim.setFaults({ coverOpen: true });
    await waitFor('the cover-open finding', () => codes(latest()).includes('printer.cover_open'));
    const report = latest()!;
    expect(fromAsb(report)).toBe(true);
    expect(report.evidence.exchanges[0]).toMatchObject({ reply: '38 00 00 00', valid: true });
    expect(report.findings[0]?.detail).toBe('ASB byte 1 = 0x38: cover open');
    expect(report.checklist.find((a) => a.step === 'printer.cover')?.result).toBe('failed');

    sim.setFaults({ coverOpen: false, paperEnd: true });
    await waitFor('the paper-end finding', () => codes(latest()).includes('printer.paper_end'));
    expect(codes(latest())).toEqual(['printer.paper_end']);
    sim.setFaults({ paperEnd: false });
    await waitFor('the recovery', () => latest()?.health === 'ok' && codes(latest()).length === 0);

    // Nothing was polled in between: the hour-long probe interval never came round.
    expect(sim.stats().statusQueries).toBe(queriesBefore);
    expect(sim.stats().tcpConnections).toBe(1);
  });

  it('stopping the agent closes its connection without sending GS a 0', async () => {
    const sim = await simulator({ tcp: { port: 0 } });
    const { agent: a } = await agent({ kind: 'tcp', host: '127.0.0.1', port: sim.tcpPort!, connectTimeoutMs: 1500 });
    await waitFor('ASB enabled', () => sim.stats().asbMask === 0x0f && printerReports().length > 0);
    await a.stop();
    await waitFor('the connection closed', () => sim.stats().openTcpConnections === 0);
    expect(sim.stats().asbMask).toBe(0x0f);
  });

  it('a printer that ignores GS a: the agent logs it once and polls it instead', async () => {
    const sim = await simulator({ tcp: { port: 0 }, faults: { noAsb: true } });
    const { logger } = await agent({ kind: 'tcp', host: '127.0.0.1', port: sim.tcpPort!, connectTimeoutMs: 1500 }, 1);
    await waitFor('the fallback to polling', () => logger.lines.some((l) => /sent no Automatic Status Back frame/.test(l)));
    sim.setFaults({ cutterError: true });
    await waitFor('the cutter finding from a poll', () => codes(latest()).includes('printer.cutter_error'));
    expect(fromAsb(latest())).toBe(false);
    // A poll: DLE EOT 1..4 (a probe that began while the printer was still online also reads its
    // identity and counters once, GS I / GS g 2, after them).
    expect(latest()?.evidence.exchanges.map((e) => e.request).filter((request) => typeof request === 'string' && request.startsWith('10 04'))).toEqual(['10 04 01', '10 04 02', '10 04 03', '10 04 04']);
    expect(logger.lines.filter((l) => /sent no Automatic Status Back frame/.test(l))).toHaveLength(1);
  });

  it('the printer vanishes and comes back: no_reply at once, then ASB again on a new connection', async () => {
    let sim = await simulator({ tcp: { port: 0 } });
    const port = sim.tcpPort!;
    const { logger } = await agent({ kind: 'tcp', host: '127.0.0.1', port, connectTimeoutMs: 1500 });
    await waitFor('ASB enabled', () => sim.stats().asbMask === 0x0f && latest()?.health === 'ok');

    await sim.close();
    await waitFor('no_reply after the drop', () => codes(latest()).includes('printer.no_reply'));
    expect(latest()?.evidence.transportError).toMatch(/cannot connect/);

    sim = await simulator({ tcp: { port }, faults: { paperNearEnd: true } });
    await waitFor('ASB again, with the new state', () => codes(latest()).includes('printer.paper_near_end') && fromAsb(latest()));
    expect(sim.stats()).toMatchObject({ asbCommands: 1, asbMask: 0x0f, openTcpConnections: 1 });
    expect(logger.lines.filter((l) => /^warn asb:/.test(l))).toHaveLength(1);
    expect(logger.lines).toContainEqual(expect.stringMatching(/^info asb: .*Automatic Status Back active again/));
  });
});

describe('ESC/POS Automatic Status Back over a serial pseudo-terminal', () => {
  it.skipIf(!hasSocat)('reports paper end from the frame (pty, needs socat)', async () => {
    const sim = await simulator({ pty: true });
    await agent({ kind: 'serial', path: sim.ptyPath!, baudRate: 9600 });
    await waitFor('ASB enabled', () => sim.stats().asbMask === 0x0f && latest()?.health === 'ok');
    sim.setFaults({ paperEnd: true });
    await waitFor('the paper-end finding', () => codes(latest()).includes('printer.paper_end'));
    expect(fromAsb(latest())).toBe(true);
    expect(latest()?.evidence.transport).toBe('serial');
    expect(latest()?.evidence.exchanges[0]?.reply).toBe('18 00 0c 00');
  });
});
