// The cost of one Shtrih-M probe: how long the agent holds the register's port (time from open to
// close, p50/p95) and the bytes on the wire each way, against the register simulator over
// loopback TCP. Real parts: the driver's probe, the agent's TCP transport, the simulator.
//
// Steady state: the device's memory is kept across probes, as the probe loop keeps it, so 0xFC
// (asked once per device) is not in the figures; the first probe is a warm-up. Bytes are counted
// at the simulator (what it received and what it wrote) and checked against the agent's own
// evidence. Baseline in the same run: the same wire work without the agent: a plain socket opened,
// seven raw 0x10 exchanges (ENQ, NAK, frame, ACK + reply, ACK), closed.
import { connect, type Socket } from 'node:net';
import { probeContextFor } from '../../../agent/src/devices/bind-device';
import type { DeviceConfig } from '../../../agent/src/devices/driver';
import { shtrihDriver } from '../../../agent/src/devices/fiscal/shtrih-m';
import { probeShtrih } from '../../../agent/src/devices/fiscal/shtrih-m/probe';
import { requestFrame } from '../../../agent/src/devices/fiscal/shtrih-m/protocol';
import { createOpenTransport } from '../../../agent/src/transports/open-transport';
import { startShtrihSimulator, type ShtrihSimulator } from '../../sim/shtrih-m/simulator';
import { LatencySamples, type BenchContext, type BenchSuite, type Measurement } from '../measurement';

const QUICK = { probes: 30, baselineRuns: 30 };
const FULL = { probes: 500, baselineRuns: 500 };
const EXCHANGES_PER_PROBE = 7;
const PROBE_BUDGET_MS = 250;
const ANCHOR_TIME = 'javapos byte timeout 100 ms per byte gap; the POS waits while the agent holds the port';

/** One raw 0x10 exchange on an open socket; resolves once the reply frame (16 + 3 bytes) is in. */
function rawExchange(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    let got = 0;
    let sentFrame = false;
    const onData = (chunk: Buffer) => {
      got += chunk.length;
      if (!sentFrame && chunk.includes(0x15)) {
        sentFrame = true;
        socket.write(requestFrame(0x10));
        return;
      }
      if (sentFrame && got >= 1 + 1 + 19) {
        socket.off('data', onData);
        socket.write(Uint8Array.of(0x06));
        resolve();
      }
    };
    socket.on('data', onData);
    socket.write(Uint8Array.of(0x05));
  });
}

/** Open, seven raw exchanges, close: what a probe costs on the wire alone. */
async function baseline(sim: ShtrihSimulator, runs: number): Promise<LatencySamples> {
  const samples = new LatencySamples();
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    const socket = connect({ host: '127.0.0.1', port: sim.tcpPort! });
    socket.setNoDelay(true);
    try {
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      for (let n = 0; n < EXCHANGES_PER_PROBE; n += 1) await rawExchange(socket);
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.end();
      });
    } finally {
      socket.destroy();
    }
    samples.recordMs(performance.now() - started);
  }
  return samples;
}

async function run(context: BenchContext): Promise<Measurement[]> {
  const plan = context.quick ? QUICK : FULL;
  const sim = await startShtrihSimulator({ tcp: { port: 0 }, state: { shiftOpenedAt: new Date(Date.now() - 3_600_000).toISOString(), ofdUnsentCount: 2, ofdFirstUnsentNumber: 10, ofdFirstUnsentAt: new Date(Date.now() - 86_400_000).toISOString() } });
  try {
    const device: DeviceConfig = { id: 'kkt', driver: 'shtrih-m', transport: { kind: 'tcp', host: '127.0.0.1', port: sim.tcpPort!, connectTimeoutMs: 1000 }, options: {} };
    const openTransport = createOpenTransport();
    const memory = shtrihDriver.createMemory();
    const probeOnce = async () => {
      const ctx = { ...probeContextFor(shtrihDriver, device, { openTransport, now: () => new Date(), signal: new AbortController().signal }), memory };
      const report = await probeShtrih(ctx);
      if (report.health === 'unknown' || report.findings.some((f) => f.code === 'fiscal.no_reply')) throw new Error(`probe failed: ${JSON.stringify(report.findings)}`);
      return report;
    };
    await probeOnce(); // warm-up, and 0xFC into memory

    const times = new LatencySamples();
    const before = sim.stats();
    let agentSent = 0;
    for (let i = 0; i < plan.probes; i += 1) {
      const started = performance.now();
      const report = await probeOnce();
      times.recordMs(performance.now() - started);
      for (const exchange of report.evidence.exchanges) if (!('type' in exchange) || exchange.type !== 'structured') agentSent += exchange.request.split(' ').length;
    }
    const after = sim.stats();
    const toDevice = (after.bytesReceived - before.bytesReceived) / plan.probes;
    const fromDevice = (after.bytesSent - before.bytesSent) / plan.probes;
    if (Math.abs(agentSent / plan.probes - toDevice) > 0.01) throw new Error(`the agent's evidence says ${agentSent / plan.probes} bytes sent per probe, the simulator received ${toDevice}`);
    const base = await baseline(sim, plan.baselineRuns);
    const exchanges = sim.commandLog().length;
    context.log(`shtrih-probe: ${plan.probes} probes, ${exchanges} command frames in all`);

    const note = `${plan.probes} probes after one warm-up, loopback TCP, 7 exchanges each (0xFC only on the first probe of a device)`;
    return [
      {
        id: 'agent.shtrih_probe.time.p95',
        figure: 'one Shtrih-M probe, open to close, p95',
        value: times.percentileMs(95),
        unit: 'ms',
        budget: { op: '<=', limit: PROBE_BUDGET_MS },
        anchor: ANCHOR_TIME,
        baseline: { label: 'plain socket, 7 raw exchanges, open to close, p95', value: base.percentileMs(95), unit: 'ms' },
        note,
      },
      {
        id: 'agent.shtrih_probe.time.p50',
        figure: 'one Shtrih-M probe, open to close, p50',
        value: times.percentileMs(50),
        unit: 'ms',
        budget: null,
        anchor: ANCHOR_TIME,
        baseline: { label: 'plain socket, 7 raw exchanges, open to close, p50', value: base.percentileMs(50), unit: 'ms' },
        note,
      },
      {
        id: 'agent.shtrih_probe.bytes_to_register',
        figure: 'bytes the agent sends per probe (ENQ, frames, ACK)',
        value: toDevice,
        unit: 'B',
        budget: { op: '<=', limit: 100 },
        anchor: '2 frames of 8 B + 5 of 9 B, an ENQ and an ACK each: 75 B',
        note: 'counted at the simulator; equal to the agent\'s own evidence',
      },
      {
        id: 'agent.shtrih_probe.bytes_from_register',
        figure: 'bytes the register sends per probe (NAK, ACK, reply frames)',
        value: fromDevice,
        unit: 'B',
        budget: { op: '<=', limit: 200 },
        anchor: 'reply layouts of devices.md §3.1: 155 B of frames + a NAK and an ACK each: 169 B',
        note: 'counted at the simulator',
      },
    ];
  } finally {
    await sim.close();
  }
}

export const shtrihProbeSuite: BenchSuite = { id: 'shtrih-probe', title: 'Shtrih-M probe cost (time the port is held, bytes on the wire)', run };
