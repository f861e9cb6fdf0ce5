import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { onCleared, onPresent, type PendingState } from './pending-state';

const settings = { flapThreshold: 3, flapWindowSec: 1_800 };

/** Runs a sequence of [present?, seconds until the next report] through the hold; returns the verdicts of the present reports. */
function run(steps: readonly [boolean, number][], holdSec: number): string[] {
  let state: PendingState | undefined;
  let now = 0;
  const verdicts: string[] = [];
  for (const [present, gapSec] of steps) {
    if (present) {
      const decision = onPresent(state, now, holdSec, settings);
      verdicts.push(decision.verdict);
      if (decision.verdict !== 'held') return verdicts; // a ticket opened: the hold forgets it
      state = decision.state;
    } else if (state) {
      state = onCleared(state, now);
    }
    now += gapSec * 1000;
  }
  return verdicts;
}

describe('pending state (the hold as a pure function)', () => {
  it('opens at once with no hold, and after the hold when the condition stands', () => {
    expect(run([[true, 0]], 0)).toEqual(['open']);
    expect(run([[true, 119], [true, 1], [true, 0]], 120)).toEqual(['held', 'held', 'open']);
  });

  it('flaps on the third return within the window, and not when the returns are spread wider', () => {
    const flap: [boolean, number][] = [[true, 10], [false, 10], [true, 10], [false, 10], [true, 10], [false, 10], [true, 10]];
    expect(run(flap, 120)).toEqual(['held', 'held', 'held', 'flapping']);
    const spread: [boolean, number][] = flap.map(([present]) => [present, 1_000]);
    expect(run(spread, 120)).toEqual(['held', 'held', 'held', 'held']);
  });

  it('never opens a blip shorter than the hold when blips are further apart than the flap window', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 3_600 }),
      fc.array(fc.tuple(fc.double({ min: 0, max: 0.999, noNaN: true }), fc.integer({ min: 1_801, max: 100_000 })), { minLength: 1, maxLength: 50 }),
      (holdSec, blips) => {
        const steps = blips.flatMap(([share, gapSec]): [boolean, number][] => [[true, share * holdSec], [false, gapSec]]);
        return run(steps, holdSec).every((verdict) => verdict === 'held');
      },
    ));
  });
});
