// Fault to finding on the agent: from a simulated printer applying a fault (`setFaults`) to the
// `health` message that carries the finding arriving at the WebSocket endpoint, per printer family,
// transport and status mode (issue 9): ESC/POS by poll and by Automatic Status Back, Star line mode
// by poll; each over loopback TCP and a socat pseudo-terminal (when socat is installed).
//
// Real parts: the simulators (scripts/sim/escpos, scripts/sim/star), a real agent built by
// createAgent per printer (probe loop, TCP/serial transport, the SQLite outbox, the WebSocket link)
// and a real WebSocket endpoint (agent/src/link/fake-console-server.ts: enrollment, /ws/agent, acks),
// so the figure is the agent's own, not the console's ingestion. The rig is scripts/bench/lib/fault-rig.ts.
//
// Each sample alternates a fault on and off (cover open, paper end, cutter error in turn), so each
// is a change, injected at a random moment: in poll mode uniformly over one probe interval, so the
// fault lands at any phase of the probe cycle. Baseline in the same run: one DLE EOT 1 round trip
// to the simulator over a plain TCP socket. USB is not measured: without hardware its path here is
// a replay of recorded transfers, whose timing says nothing about a real printer.
import { startFakeConsoleServer } from '../../../agent/src/link/fake-console-server';
import { ptyModeAvailable } from '../../sim/escpos/simulator';
import { Arrivals, baselineRoundTrips, sample, startRegister, type Link, type PrinterFamily, type Register, type Rig, type Sampled, type StatusMode } from '../lib/fault-rig';
import { LatencySamples, type BenchContext, type BenchSuite, type Measurement } from '../measurement';

const POLL_INTERVAL_SEC = 1;
/** ASB mode keeps the default probe interval for its safety-net poll: the frame, not the poll, should report. */
const ASB_INTERVAL_SEC = 10;
const ASB_BUDGET_MS = 50;
const POLL_SLACK_MS = 50;
const ANCHOR_ASB = 'wire floor 4 ms at 9600 baud; USB-serial adapters add up to 16 ms';
const ANCHOR_POLL = 'one probe interval + 50 ms; Zabbix 45–60 s, Uptime Kuma ≥ 20 s';
/**
 * A Star probe first listens this long for a frame the printer sends by itself (automatic status:
 * Star forbids asking then; star-line options.listenMs default), so its budget is that much longer.
 */
const STAR_LISTEN_MS = 100;

interface Combo {
  family: PrinterFamily;
  mode: StatusMode;
  link: Link;
}

interface Plan {
  /** injections per combination (issue 9: at least 200 in the full run) */
  samples: number;
  /** poll mode: registers measured side by side (each its own agent and printer), splitting the samples */
  pollRegisters: number;
  baselineRoundTrips: number;
}

const QUICK: Plan = { samples: 10, pollRegisters: 2, baselineRoundTrips: 200 };
const FULL: Plan = { samples: 200, pollRegisters: 4, baselineRoundTrips: 1_000 };

const COMBOS: readonly Combo[] = [
  { family: 'escpos', mode: 'asb', link: 'tcp' },
  { family: 'escpos', mode: 'asb', link: 'pty' },
  { family: 'escpos', mode: 'poll', link: 'tcp' },
  { family: 'escpos', mode: 'poll', link: 'pty' },
  { family: 'star', mode: 'poll', link: 'tcp' },
  { family: 'star', mode: 'poll', link: 'pty' },
];

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const LINK_WORDS: Record<Link, string> = { tcp: 'TCP', pty: 'serial (pty)' };
const FAMILY_WORDS: Record<PrinterFamily, string> = { escpos: 'ESC/POS', star: 'Star line mode' };

/** Measures one combination: ASB on one register with faults 20–70 ms apart; poll on several registers side by side. */
async function measure(rig: Rig, combo: Combo, plan: Plan): Promise<Sampled> {
  const sampled: Sampled = { samples: new LatencySamples(), timeouts: 0 };
  const prefix = `${combo.family}-${combo.mode}-${combo.link}`;
  if (combo.mode === 'asb') {
    const register = await startRegister(rig, { key: prefix, ...combo, probeIntervalSec: ASB_INTERVAL_SEC });
    await sample(rig, register, plan.samples, () => 20 + Math.random() * 50, 2_000, sampled);
    await register.agent.stop();
    return sampled;
  }
  const intervalMs = POLL_INTERVAL_SEC * 1000;
  const registers: Register[] = [];
  for (let i = 0; i < plan.pollRegisters; i += 1) registers.push(await startRegister(rig, { key: `${prefix}-${i}`, ...combo, probeIntervalSec: POLL_INTERVAL_SEC }));
  const each = Math.ceil(plan.samples / plan.pollRegisters);
  await Promise.all(registers.map((register) => sample(rig, register, each, () => Math.random() * intervalMs, 3 * intervalMs + 2_000, sampled)));
  for (const register of registers) await register.agent.stop();
  return sampled;
}

function rowsOf(combo: Combo, sampled: Sampled, plan: Plan, base: (p: number) => Measurement['baseline']): Measurement[] {
  const id = `agent.fault_to_finding.${combo.family}.${combo.mode}.${combo.link}`;
  const what = `Fault → finding, ${FAMILY_WORDS[combo.family]}, ${combo.mode === 'asb' ? 'ASB' : `poll ${POLL_INTERVAL_SEC} s`}, ${LINK_WORDS[combo.link]}`;
  const asb = combo.mode === 'asb';
  const { samples } = sampled;
  const timeouts = sampled.timeouts > 0 ? ` ${sampled.timeouts} sample(s) saw no matching report in time and count at their timeout.` : '';
  const how = asb
    ? `faults 20–70 ms apart on one held connection (GS a, safety-net poll every ${ASB_INTERVAL_SEC} s)`
    : `${plan.pollRegisters} registers side by side, each fault at a uniformly random moment of the ${POLL_INTERVAL_SEC} s probe cycle (the config minimum; at the default 10 s the budget is 10 050 ms)`;
  const anchor = asb ? ANCHOR_ASB : ANCHOR_POLL;
  return [
    {
      id: `${id}.p99`,
      figure: `${what}, p99`,
      value: samples.percentileMs(99),
      unit: 'ms',
      budget: { op: '<=', limit: asb ? ASB_BUDGET_MS : POLL_INTERVAL_SEC * 1000 + POLL_SLACK_MS + (combo.family === 'star' ? STAR_LISTEN_MS : 0) },
      anchor,
      baseline: base(99),
      note: `${samples.count} injections, ${how}${combo.family === 'star' ? `; budget + ${STAR_LISTEN_MS} ms: each Star probe first listens that long for an unasked frame (automatic status)` : ''}; p50 ${fmt(samples.percentileMs(50))} ms, max ${fmt(samples.maxMs())} ms.${timeouts}`,
    },
    { id: `${id}.p50`, figure: `${what}, median`, value: samples.percentileMs(50), unit: 'ms', budget: null, anchor: asb ? anchor : 'half an interval expected for a uniformly random fault', baseline: base(50) },
    { id: `${id}.max`, figure: `${what}, max`, value: samples.maxMs(), unit: 'ms', budget: null, anchor },
  ];
}

async function run(context: BenchContext): Promise<Measurement[]> {
  const plan = context.quick ? QUICK : FULL;
  const server = await startFakeConsoleServer();
  const rig: Rig = { server, arrivals: new Arrivals(server), closers: [], context };
  try {
    const baseline = await baselineRoundTrips(rig, plan.baselineRoundTrips);
    const base = (p: number) => ({ label: `DLE EOT round trip, plain TCP, p${p}`, value: baseline.percentileMs(p), unit: 'ms' });
    const rows: Measurement[] = [];
    for (const combo of COMBOS) {
      if (combo.link === 'pty' && !ptyModeAvailable()) {
        context.log(`socat is not installed: no ${combo.family} ${combo.mode} serial (pty) row`);
        continue;
      }
      context.log(`${combo.family} ${combo.mode} over ${combo.link}: ${plan.samples} faults`);
      rows.push(...rowsOf(combo, await measure(rig, combo, plan), plan, base));
    }
    return rows;
  } finally {
    for (const close of rig.closers.splice(0).reverse()) await close().catch(() => undefined);
    await server.close().catch(() => undefined);
  }
}

export const faultToFindingSuite: BenchSuite = {
  id: 'fault-to-finding',
  title: 'Fault to finding on the agent: ESC/POS poll and Automatic Status Back, Star poll, over TCP and serial',
  run,
};
