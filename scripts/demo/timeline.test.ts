import { NoiseSettings } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { DEMO_HOLD_SEC } from './service-desk';
import {
  DEMO_CYCLE_SEC, DEMO_OFFLINE_AFTER_SEC, DEMO_PAPER_CHANGE, DEMO_POWER_CYCLE_SEC, DEMO_POWER_TIMELINE, DEMO_TIMELINE, paperChangeRegister, storePoweredAt, type PaperChange,
} from './timeline';

// The demo's printed timeline makes promises about what the console will do with each step; these
// hold only while the steps' timing fits the console's rules (hold, flapping, offline threshold).
const noise = NoiseSettings.parse({});
/** start-console-server.ts's default offline sweep interval */
const OFFLINE_SWEEP_SEC = 15;

/** The cover's open spans of one register in one cycle, from DEMO_TIMELINE's on/off steps. */
function coverSpans(register: string): { from: number; to: number }[] {
  const steps = DEMO_TIMELINE.filter((step) => step.register === register && step.faults.coverOpen !== undefined).sort((a, b) => a.atSec - b.atSec);
  const spans: { from: number; to: number }[] = [];
  for (const step of steps) {
    if (step.faults.coverOpen) spans.push({ from: step.atSec, to: Number.POSITIVE_INFINITY });
    else if (spans.at(-1)) spans.at(-1)!.to = step.atSec;
  }
  return spans;
}

describe('the demo timeline', () => {
  it('flaps msk-001/pos-2\'s cover often enough, each time shorter than the hold: one flapping ticket', () => {
    const spans = coverSpans('msk-001/pos-2');
    expect(spans.length).toBeGreaterThanOrEqual(noise.flapThreshold);
    for (const span of spans) expect(span.to - span.from).toBeLessThan(DEMO_HOLD_SEC);
    expect(spans.at(-1)!.from - spans[0]!.from).toBeLessThan(noise.flapWindowSec);
  });

  it('keeps a paper change shorter than the hold, and every announced fault longer', () => {
    expect(DEMO_PAPER_CHANGE.openSec).toBeLessThan(DEMO_HOLD_SEC);
    expect(coverSpans('spb-002/pos-2').every((span) => span.to - span.from > DEMO_HOLD_SEC)).toBe(true);
  });

  it('cuts the power longer than the offline threshold and a sweep, and gives it back within the cycle', () => {
    const off = DEMO_POWER_TIMELINE.find((step) => step.power === 'off')!;
    const on = DEMO_POWER_TIMELINE.find((step) => step.power === 'on' && step.storeId === off.storeId)!;
    expect(on.atSec - off.atSec).toBeGreaterThan(DEMO_OFFLINE_AFTER_SEC + OFFLINE_SWEEP_SEC);
    expect(on.atSec).toBeLessThan(DEMO_POWER_CYCLE_SEC);
    expect(storePoweredAt(off.storeId, off.atSec + 1)).toBe(false);
    expect(storePoweredAt(off.storeId, on.atSec + 1 + DEMO_POWER_CYCLE_SEC)).toBe(true);
    expect(storePoweredAt('nsk-004', off.atSec + 1)).toBe(true);
  });

  it('spreads the paper changes over six hours so that no printer\'s count as flapping, and skips few cycles', () => {
    const limits = { perWindow: noise.flapThreshold - 1, windowSec: noise.flapWindowSec };
    const played: PaperChange[] = [];
    const cycles = (6 * 3600) / DEMO_CYCLE_SEC;
    for (let cycle = 0; cycle < cycles; cycle += 1) {
      const atSec = cycle * DEMO_CYCLE_SEC + DEMO_PAPER_CHANGE.atSec;
      const key = paperChangeRegister(played, atSec, (candidate) => storePoweredAt(candidate.split('/')[0]!, atSec), limits);
      if (!key) continue;
      expect(storePoweredAt(key.split('/')[0]!, atSec)).toBe(true);
      played.push({ key, atSec });
    }
    for (const change of played) {
      const within = played.filter((other) => other.key === change.key && other.atSec >= change.atSec && other.atSec < change.atSec + noise.flapWindowSec);
      expect(within.length, `${change.key} from ${change.atSec} s`).toBeLessThan(noise.flapThreshold);
    }
    expect(played.length).toBeGreaterThan(cycles * 0.9);
  });
});
