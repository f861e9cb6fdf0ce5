// Plays the demo's timelines on the stack's simulators and agents, cycle after cycle, and prints
// each step as it plays. Faults are set on the simulated devices only (or an agent is stopped, for a
// power cut); everything after that (probe, finding, report, ticket, live feed) is the real path.
import type { Stack } from '../lib/stack';
import {
  DEMO_CYCLE_SEC, DEMO_FISCAL_TIMELINE, DEMO_HOST_TIMELINE, DEMO_PAPER_CHANGE, DEMO_POWER_CYCLE_SEC, DEMO_POWER_TIMELINE, DEMO_QUEUE_TIMELINE, DEMO_STAR_TIMELINE,
  DEMO_TIMELINE, type FiscalStep, type HostStep,
} from './timeline';

interface Step {
  atSec: number;
  say: string;
  run: () => unknown;
}

/** Applies one fiscal step to the register's simulated fiscal register. */
async function playFiscalStep(stack: Stack, step: FiscalStep): Promise<void> {
  const fiscal = stack.register(step.register).fiscal;
  if (step.driver === 'atol' && fiscal?.driver === 'atol') fiscal.simulator.setState(step.state(new Date()));
  else if (step.driver === 'shtrih-m' && fiscal?.driver === 'shtrih-m') await fiscal.simulator.setState(step.state(new Date()));
  else throw new Error(`${step.register} has no ${step.driver} fiscal register in this demo`);
}

/** Applies one change to the register's simulated host parts. */
async function playHostStep(stack: Stack, step: HostStep): Promise<void> {
  const host = stack.register(step.register).host;
  if (!host) throw new Error('no simulated host parts');
  if ('driverVersion' in step.change) await host.setDriverVersion(step.change.driverVersion);
  else await host.setAttached(step.change.usb, step.change.attached);
}

/** The paper change of cycle `cycle`: on the next register of its list whose agent is running. */
function paperChangeSteps(stack: Stack, cycle: number, holds: boolean): Step[] {
  const { registers, atSec, openSec } = DEMO_PAPER_CHANGE;
  const powered = registers.filter((key) => stack.registers.get(key)?.powered());
  const key = powered[cycle % Math.max(1, powered.length)];
  if (!key) return [];
  const printer = stack.register(key).simulator;
  return [
    { atSec, run: () => printer.setFaults({ coverOpen: true }), say: `${key}: a cashier changes the paper roll (cover open ${openSec} s): ${holds ? 'shorter than its hold, so no ticket opens (the register\'s history keeps it)' : 'this build has no hold times, so a ticket opens and resolves'}` },
    { atSec: atSec + openSec, run: () => printer.setFaults({ coverOpen: false }), say: '' },
  ];
}

function cycleSteps(stack: Stack, cycle: number, holds: boolean): Step[] {
  return [
    ...DEMO_TIMELINE.map((step) => ({ atSec: step.atSec, say: step.say, run: () => stack.register(step.register).simulator.setFaults(step.faults) })),
    ...DEMO_STAR_TIMELINE.map((step) => ({
      atSec: step.atSec, say: step.say,
      run: () => {
        const star = stack.register(step.register).star;
        if (!star) throw new Error('no Star printer');
        star.simulator.setFaults(step.faults);
      },
    })),
    ...DEMO_FISCAL_TIMELINE.map((step) => ({ atSec: step.atSec, say: step.say, run: () => playFiscalStep(stack, step) })),
    ...DEMO_QUEUE_TIMELINE.map((step) => ({
      atSec: step.atSec, say: step.say,
      run: () => {
        const cups = stack.register(step.register).cups;
        if (!cups) throw new Error('no simulated CUPS queue');
        return cups.setState(step.state);
      },
    })),
    ...DEMO_HOST_TIMELINE.map((step) => ({ atSec: step.atSec, say: step.say, run: () => playHostStep(stack, step) })),
    ...paperChangeSteps(stack, cycle, holds),
  ];
}

function powerSteps(stack: Stack): Step[] {
  return DEMO_POWER_TIMELINE.map((step) => ({
    atSec: step.atSec,
    say: step.say,
    run: () => Promise.all([...stack.registers.values()].filter((r) => r.spec.storeId === step.storeId).map((r) => (step.power === 'off' ? r.powerOff() : r.powerOn()))),
  }));
}

/** Plays every timeline, each on its own cycle, from now; returns its stop. `holds`: the console holds findings (noise settings). */
export function playTimeline(stack: Stack, print: (line: string) => void, { holds }: { holds: boolean }): () => void {
  const startedAt = Date.now();
  const pending = new Set<NodeJS.Timeout>();
  const later = (atMs: number, task: () => void) => {
    const timer = setTimeout(() => {
      pending.delete(timer);
      task();
    }, Math.max(0, atMs - Date.now()));
    pending.add(timer);
  };
  const say = (text: string) => {
    if (text) print(`  [${String(Math.round((Date.now() - startedAt) / 1000)).padStart(4)} s] ${text}`);
  };
  const play = (step: Step) => {
    Promise.resolve().then(step.run).then(() => say(step.say), (error: unknown) => say(`could not play "${step.say}": ${String(error)}`));
  };
  const repeat = (cycleSec: number, steps: (cycle: number) => Step[]) => {
    const run = (cycleStart: number, cycle: number) => {
      for (const step of steps(cycle)) later(cycleStart + step.atSec * 1000, () => play(step));
      later(cycleStart + cycleSec * 1000, () => run(cycleStart + cycleSec * 1000, cycle + 1));
    };
    run(startedAt, 0);
  };
  repeat(DEMO_CYCLE_SEC, (cycle) => cycleSteps(stack, cycle, holds));
  repeat(DEMO_POWER_CYCLE_SEC, () => powerSteps(stack));
  return () => {
    for (const timer of pending) clearTimeout(timer);
    pending.clear();
  };
}
