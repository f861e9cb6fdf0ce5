// Plays the demo's timelines on the stack's simulators and agents, cycle after cycle, and prints
// each step as it plays. Faults are set on the simulated devices only (or an agent is stopped, for a
// power cut); everything after that (probe, finding, report, ticket, live feed) is the real path.
import { setTimeout as sleep } from 'node:timers/promises';
import { NoiseSettings } from '@tillscope/shared';
import type { Stack } from '../lib/stack';
import {
  DEMO_CYCLE_SEC, DEMO_FISCAL_TIMELINE, DEMO_HOST_TIMELINE, DEMO_PAPER_CHANGE, DEMO_POWER_CYCLE_SEC, DEMO_POWER_TIMELINE, DEMO_QUEUE_TIMELINE, DEMO_STAR_TIMELINE,
  DEMO_TIMELINE, paperChangeRegister, type FiscalStep, type HostStep, type PaperChange,
} from './timeline';

interface Step {
  atSec: number;
  /** printed once it played (a function: read then); empty: nothing printed */
  say: string | (() => string);
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

/** The console's flapping rule as a new console has it: a paper change may come back one time fewer than that within its window. */
const FLAP_DEFAULTS = NoiseSettings.parse({});
const PAPER_CHANGE_LIMITS = { perWindow: FLAP_DEFAULTS.flapThreshold - 1, windowSec: FLAP_DEFAULTS.flapWindowSec };

/**
 * The paper change of cycle `cycle` (played: those before it): the register is picked when it
 * plays, among those whose agent is running then; the cover shuts again `openSec` later.
 */
function paperChangeStep(stack: Stack, cycle: number, played: PaperChange[], holds: boolean): Step {
  const { atSec, openSec } = DEMO_PAPER_CHANGE;
  let key: string | undefined;
  return {
    atSec,
    say: () => (key
      ? `${key}: a cashier changes the paper roll (cover open ${openSec} s): ${holds ? 'shorter than its hold, so no ticket opens (the register\'s history keeps it)' : 'this build has no hold times, so a ticket opens and resolves'}`
      : ''),
    run: async () => {
      const demoSec = cycle * DEMO_CYCLE_SEC + atSec;
      key = paperChangeRegister(played, demoSec, (candidate) => stack.registers.get(candidate)?.powered() === true, PAPER_CHANGE_LIMITS);
      if (!key) return;
      played.push({ key, atSec: demoSec });
      const printer = stack.register(key).simulator;
      printer.setFaults({ coverOpen: true });
      await sleep(openSec * 1000, undefined, { ref: false });
      printer.setFaults({ coverOpen: false });
    },
  };
}

function cycleSteps(stack: Stack, cycle: number, played: PaperChange[], holds: boolean): Step[] {
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
    paperChangeStep(stack, cycle, played, holds),
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
    const text = () => (typeof step.say === 'string' ? step.say : step.say());
    Promise.resolve().then(step.run).then(() => say(text()), (error: unknown) => say(`could not play "${text()}": ${String(error)}`));
  };
  const repeat = (cycleSec: number, steps: (cycle: number) => Step[]) => {
    const run = (cycleStart: number, cycle: number) => {
      for (const step of steps(cycle)) later(cycleStart + step.atSec * 1000, () => play(step));
      later(cycleStart + cycleSec * 1000, () => run(cycleStart + cycleSec * 1000, cycle + 1));
    };
    run(startedAt, 0);
  };
  const paperChanges: PaperChange[] = [];
  repeat(DEMO_CYCLE_SEC, (cycle) => cycleSteps(stack, cycle, paperChanges, holds));
  repeat(DEMO_POWER_CYCLE_SEC, () => powerSteps(stack));
  return () => {
    for (const timer of pending) clearTimeout(timer);
    pending.clear();
  };
}
