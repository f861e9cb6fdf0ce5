// The cost of one ATOL fiscal probe: the registered atol driver probing the simulated web requests
// server (scripts/sim/atol) over real HTTP on loopback, sequentially: time per probe (p50, p95)
// and bytes on the wire each way, counted on the simulator's sockets (HTTP headers included).
// A probe is two requests (getDeviceStatus, then the six other read-only tasks), each a POST and
// GETs until final, so its time is mostly the poll interval: the rows show it at the default
// (100 ms) and at 10 ms. Baseline in the same run: one bare HTTP round trip to the same server.
import type { DeviceReport } from '@tillscope/shared';
import { probeContextFor } from '../../../agent/src/devices/bind-device';
import { atolDriver } from '../../../agent/src/devices/fiscal/atol';
import { startAtolSimulator, type AtolSimulator } from '../../sim/atol/simulator';
import { LatencySamples, type BenchContext, type BenchSuite, type Measurement } from '../measurement';

const QUICK = { probes: 20, roundTrips: 100 };
const FULL = { probes: 200, roundTrips: 1_000 };
const DEFAULT_POLL_MS = 100;
/** Two requests, each done at its first or second GET: at most four poll intervals, plus slack. */
const TIME_BUDGET_MS = 4 * DEFAULT_POLL_MS + 100;
const BYTES_OUT_BUDGET = 4 * 1024;
const BYTES_IN_BUDGET = 16 * 1024;
const ANCHOR_TIME = 'bounded by the poll interval: 2 requests × 1–2 GETs × 100 ms';
const ANCHOR_BYTES = 'two POSTs and a few GETs of a few KB: an ATOL answer is small JSON';

async function probeOnce(sim: AtolSimulator, pollIntervalMs: number): Promise<DeviceReport> {
  const device = { id: 'kkt', driver: 'atol' as const, options: { url: sim.baseUrl, pollIntervalMs } };
  const ctx = probeContextFor(atolDriver, device, { openTransport: () => Promise.reject(new Error('http driver')), now: () => new Date(), signal: new AbortController().signal });
  return atolDriver.probe(ctx);
}

async function probeSeries(sim: AtolSimulator, probes: number, pollIntervalMs: number) {
  const samples = new LatencySamples();
  const before = sim.stats();
  for (let i = 0; i < probes; i += 1) {
    const started = performance.now();
    const report = await probeOnce(sim, pollIntervalMs);
    samples.recordMs(performance.now() - started);
    if (report.health !== 'ok') throw new Error(`probe ${i}: health ${report.health} (${report.findings.map((f) => f.detail).join('; ')})`);
  }
  const after = sim.stats();
  return { samples, bytesOut: (after.bytesIn - before.bytesIn) / probes, bytesIn: (after.bytesOut - before.bytesOut) / probes, posts: (after.posts - before.posts) / probes, gets: (after.gets - before.gets) / probes };
}

export const atolProbeSuite: BenchSuite = {
  id: 'atol-probe',
  title: 'ATOL fiscal probe: time and bytes against the simulated web requests server',
  async run({ quick, log }: BenchContext): Promise<Measurement[]> {
    const plan = quick ? QUICK : FULL;
    const sim = await startAtolSimulator({ port: 0 });
    try {
      const floor = new LatencySamples();
      for (let i = 0; i < plan.roundTrips; i += 1) {
        const started = performance.now();
        await (await fetch(`${sim.baseUrl}/api/v2/requests/none`)).arrayBuffer();
        floor.recordMs(performance.now() - started);
      }
      const baseline = { label: 'one HTTP round trip p50', value: floor.percentileMs(50), unit: 'ms' };
      const normal = await probeSeries(sim, plan.probes, DEFAULT_POLL_MS);
      const fast = await probeSeries(sim, plan.probes, 10);
      const calls = `${normal.posts.toFixed(0)} POSTs and ${normal.gets.toFixed(1)} GETs per probe`;
      log(`default poll: p50 ${normal.samples.percentileMs(50).toFixed(1)} ms, p95 ${normal.samples.percentileMs(95).toFixed(1)} ms, ${calls}; 10 ms poll: p50 ${fast.samples.percentileMs(50).toFixed(1)} ms`);
      const note = `${plan.probes} sequential probes, simulator on loopback with no task delay; ${calls}`;
      return [
        { id: 'atol.probe.p50', figure: 'one ATOL probe p50 (poll 100 ms)', value: normal.samples.percentileMs(50), unit: 'ms', budget: null, anchor: ANCHOR_TIME, baseline, note },
        { id: 'atol.probe.p95', figure: 'one ATOL probe p95 (poll 100 ms)', value: normal.samples.percentileMs(95), unit: 'ms', budget: { op: '<=', limit: TIME_BUDGET_MS }, anchor: ANCHOR_TIME, baseline, note },
        { id: 'atol.probe.fast_poll.p95', figure: 'one ATOL probe p95 (poll 10 ms)', value: fast.samples.percentileMs(95), unit: 'ms', budget: null, anchor: 'the floor: what the poll interval costs', baseline, note: `${plan.probes} probes` },
        { id: 'atol.probe.bytes_out', figure: 'bytes agent → web server per probe', value: Math.round(normal.bytesOut), unit: 'B', budget: { op: '<=', limit: BYTES_OUT_BUDGET }, anchor: ANCHOR_BYTES, note: 'HTTP requests with headers, on the server socket' },
        { id: 'atol.probe.bytes_in', figure: 'bytes web server → agent per probe', value: Math.round(normal.bytesIn), unit: 'B', budget: { op: '<=', limit: BYTES_IN_BUDGET }, anchor: ANCHOR_BYTES, note: 'HTTP answers with headers, on the server socket' },
      ];
    } finally {
      await sim.close();
    }
  },
};
