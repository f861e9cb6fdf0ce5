// The host probes' cost and weight (issue 10): each of the six run as the agent runs them (one at a
// time, the real HostOs, this machine's OS tools), with the host simulator (scripts/sim/host)
// standing in for the USB tree, the PPD folder and CUPS so that every probe has facts to report.
// Per round: wall time, the agent's own CPU and its OS tools' CPU (waited-for children,
// /proc/self/stat), and the bytes of the host reports as they go on the wire in a health message.
// The idle agent with host probes on at their default intervals is the agent-footprint suite (host
// probes are on by default); a round every 300 s at the CPU measured here is its share.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceReport } from '@tillscope/shared';
import { createHostProbeRegistry } from '../../../agent/src/devices/registry';
import type { HostContext, HostProbe } from '../../../agent/src/devices/host-probe';
import { createHostOs } from '../../../agent/src/os/host-os-real';
import { hostProfile, hostReports } from '../../fleet/host-reports';
import { startHostSimulator } from '../../sim/host/simulator';
import { clockTicksPerSecond, parseChildStat, parseStat, type ProcCpuTicks } from '../lib/proc-stats';
import { LatencySamples, type BenchContext, type BenchSuite, type Measurement } from '../measurement';

/** The host loop runs probes every 300 s by default (agent/src/host-config.ts, probe-loop/host-loop.ts). */
const DEFAULT_INTERVAL_SEC = 300;

const selfTicks = (): { own: ProcCpuTicks; children: ProcCpuTicks } => {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  return { own: parseStat(stat), children: parseChildStat(stat) };
};
const ticksBetween = (a: ProcCpuTicks, b: ProcCpuTicks) => b.utime + b.stime - (a.utime + a.stime);

interface Round {
  wallMs: number;
  ownCpuMs: number;
  toolsCpuMs: number;
  reports: DeviceReport[];
}

async function runRound(probes: { probe: HostProbe; options: unknown; memory: unknown }[], host: HostContext, ticksPerSecond: number): Promise<Round> {
  const os = createHostOs();
  const before = selfTicks();
  const started = performance.now();
  const reports: DeviceReport[] = [];
  for (const { probe, options, memory } of probes) {
    reports.push(await probe.probe({ options, memory, os, host, now: () => new Date(), signal: AbortSignal.timeout(60_000) }));
  }
  const wallMs = performance.now() - started;
  const after = selfTicks();
  const toMs = (ticks: number) => (ticks / ticksPerSecond) * 1000;
  return { wallMs, ownCpuMs: toMs(ticksBetween(before.own, after.own)), toolsCpuMs: toMs(ticksBetween(before.children, after.children)), reports };
}

async function run({ quick, scratchDir, log }: BenchContext): Promise<Measurement[]> {
  const sim = await startHostSimulator({ dir: join(scratchDir, 'host-sim') });
  try {
    const registry = createHostProbeRegistry();
    const optionsById: Record<string, Record<string, unknown>> = {
      'host-print': sim.probeOptions['host-print'],
      'host-peripherals': { ...sim.probeOptions['host-peripherals'], hotplug: false },
    };
    const probes = [...registry.values()].map((probe) => ({ probe, options: probe.options.parse(optionsById[probe.id] ?? {}), memory: probe.createMemory() }));
    const host = { isTradingHours: () => true, devices: [], fiscalAttached: true, agentVersion: 'bench', configFiles: [{ name: 'frontol.ini', path: sim.configFile }] } as HostContext;
    const ticksPerSecond = clockTicksPerSecond();
    await runRound(probes, host, ticksPerSecond); // warm-up: module loads, first systeminformation calls
    const rounds: Round[] = [];
    for (let i = 0; i < (quick ? 2 : 8); i += 1) rounds.push(await runRound(probes, host, ticksPerSecond));
    const wall = new LatencySamples();
    for (const round of rounds) wall.recordMs(round.wallMs);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const cpuMs = median(rounds.map((r) => r.ownCpuMs + r.toolsCpuMs));
    const ownMs = median(rounds.map((r) => r.ownCpuMs));
    const last = rounds.at(-1)!.reports;
    const sizes = last.map((report) => ({ id: report.deviceId, bytes: Buffer.byteLength(JSON.stringify(report)) }));
    const totalBytes = sizes.reduce((sum, s) => sum + s.bytes, 0);
    const largest = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    const fleetBytes = Buffer.byteLength(JSON.stringify(hostReports(hostProfile(0, 'bench', Date.now()), Date.now())));
    log(`rounds: ${rounds.map((r) => `${r.wallMs.toFixed(0)} ms`).join(', ')}; sizes: ${sizes.map((s) => `${s.id} ${s.bytes} B`).join(', ')}`);
    const note = `${rounds.length} rounds of the six probes, one at a time, real HostOs on this machine (Debian 12, no systemd: timedatectl and journalctl answer "could not check"), `
      + 'the host simulator for the USB tree, PPD folder and CUPS tools';
    return [
      {
        id: 'host.round.p95', figure: 'Host probes: one round, wall time (p95)', value: wall.percentileMs(95), unit: 'ms',
        budget: { op: '<=', limit: 10_000 }, anchor: 'the host loop gives each probe 60 s; a round every 300 s',
        note,
      },
      {
        id: 'host.round.cpu', figure: 'Host probes: one round, CPU (agent + its OS tools)', value: cpuMs, unit: 'ms',
        budget: { op: '<=', limit: 1_500 }, anchor: 'PowerShell alone costs ~1 CPU-second per start on a till (Windows rounds run 5 of them)',
        note: `median; the agent's own share ${ownMs.toFixed(0)} ms. At the default interval (${DEFAULT_INTERVAL_SEC} s) this is ${((cpuMs / (DEFAULT_INTERVAL_SEC * 1000)) * 100).toFixed(3)} % of one core on average`,
      },
      {
        id: 'host.report.bytes', figure: 'Host probes: the six reports on the wire', value: totalBytes / 1024, unit: 'KiB',
        budget: { op: '<=', limit: 64 }, anchor: 'a frame carries at most 256 KiB (MAX_FRAME_BYTES)',
        baseline: { label: 'the fleet simulator\'s six (a Windows register)', value: fleetBytes / 1024, unit: 'KiB' },
        note: `JSON of each report with its evidence; largest ${largest.id} ${(largest.bytes / 1024).toFixed(1)} KiB; ${sizes.map((s) => `${s.id} ${s.bytes} B`).join(', ')}`,
      },
    ];
  } finally {
    await sim.close();
  }
}

export const hostProbesSuite: BenchSuite = {
  id: 'host-probes',
  title: 'Host probes: a round\'s time and CPU, the host reports\' size',
  run,
};
