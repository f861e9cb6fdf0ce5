import type { NoiseSettings } from '@tillscope/shared';

/**
 * The hold's memory of one condition (register, device, code) that has no open ticket: when it
 * appeared, whether it is there now, and how often it came back within the flap window. Times in ms.
 */
export interface PendingState {
  firstSeenAt: number;
  present: boolean;
  clearedAt: number | null;
  /** returns (cleared, then seen again) since windowStartedAt */
  returns: number;
  windowStartedAt: number;
}

/** 'open': a ticket opens now; 'flapping': one opens, marked flapping; 'held': `state` is kept and nothing opens. */
export type HoldDecision = { verdict: 'open' | 'flapping'; state: null } | { verdict: 'held'; state: PendingState };

type FlapSettings = Pick<NoiseSettings, 'flapThreshold' | 'flapWindowSec'>;

/**
 * The condition is present in a report. It opens once it has stood `holdSec`; one that keeps
 * clearing and coming back (`flapThreshold` returns within `flapWindowSec`, never standing its
 * hold) opens one ticket marked flapping instead of never opening at all.
 */
export function onPresent(state: PendingState | undefined, nowMs: number, holdSec: number, settings: FlapSettings): HoldDecision {
  if (!state) {
    if (holdSec <= 0) return { verdict: 'open', state: null };
    return { verdict: 'held', state: { firstSeenAt: nowMs, present: true, clearedAt: null, returns: 0, windowStartedAt: nowMs } };
  }
  if (state.present) return nowMs - state.firstSeenAt >= holdSec * 1000 ? { verdict: 'open', state: null } : { verdict: 'held', state };
  const windowOver = nowMs - state.windowStartedAt > settings.flapWindowSec * 1000;
  const returns = windowOver ? 1 : state.returns + 1;
  if (returns >= settings.flapThreshold) return { verdict: 'flapping', state: null };
  if (holdSec <= 0) return { verdict: 'open', state: null };
  return { verdict: 'held', state: { firstSeenAt: nowMs, present: true, clearedAt: null, returns, windowStartedAt: windowOver ? nowMs : state.windowStartedAt } };
}

/** A report vouches the condition is gone before it held: remembered as cleared (for flapping). */
export function onCleared(state: PendingState, nowMs: number): PendingState {
  return state.present ? { ...state, present: false, clearedAt: nowMs } : state;
}
