import { describe, expect, it } from 'vitest';
import { slaClock } from './sla-clock';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 12, 9, minute)).toISOString();
const nowAt = (minute: number) => Date.UTC(2026, 0, 12, 9, minute);
const running = { startAt: at(0), dueAt: at(40), doneAt: null, pausedAt: null };

describe('slaClock', () => {
  it('runs ok, turns amber with a quarter left, red with a tenth left, then overdue', () => {
    expect(slaClock(running, nowAt(29)).state).toBe('ok');
    expect(slaClock(running, nowAt(30)).state).toBe('amber');
    expect(slaClock(running, nowAt(36)).state).toBe('red');
    expect(slaClock(running, nowAt(40)).state).toBe('red');
    expect(slaClock(running, nowAt(41))).toEqual({ state: 'overdue', remainingMs: -60_000 });
  });

  it('freezes what was left while paused, whatever the time now', () => {
    expect(slaClock({ ...running, pausedAt: at(10) }, nowAt(90))).toEqual({ state: 'paused', remainingMs: 30 * 60_000 });
  });

  it('is met when done in time, overdue when done late', () => {
    expect(slaClock({ ...running, doneAt: at(12) }, nowAt(90))).toEqual({ state: 'met', remainingMs: 28 * 60_000 });
    expect(slaClock({ ...running, doneAt: at(45) }, nowAt(90)).state).toBe('overdue');
  });
});
