import { AgentLogLine } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { recordingLogger } from '../logger';
import { createLogRing } from './log-ring';

describe('log ring', () => {
  it('passes every line on and keeps the last `capacity` of them, oldest first', () => {
    let tick = 0;
    const ring = createLogRing({ capacity: 3, now: () => new Date(Date.UTC(2026, 10, 30, 10, 0, tick++)) });
    const inner = recordingLogger();
    const logger = ring.tee(inner);
    logger.info('link', 'one');
    logger.warn('outbox', 'two');
    expect(ring.lines().map((line) => line.message)).toEqual(['one', 'two']);
    logger.error('probe', 'three');
    logger.info('link', 'four');
    logger.info('link', 'five');
    expect(inner.lines).toEqual(['info link: one', 'warn outbox: two', 'error probe: three', 'info link: four', 'info link: five']);
    const lines = ring.lines();
    expect(lines).toEqual([
      { at: '2026-11-30T10:00:02.000Z', level: 'error', module: 'probe', message: 'three' },
      { at: '2026-11-30T10:00:03.000Z', level: 'info', module: 'link', message: 'four' },
      { at: '2026-11-30T10:00:04.000Z', level: 'info', module: 'link', message: 'five' },
    ]);
    expect(ring.dropped()).toBe(2);
    for (const line of lines) expect(AgentLogLine.safeParse(line).success).toBe(true);
  });

  it('cuts long messages and module names to what the bundle schema takes', () => {
    const ring = createLogRing({ maxMessageChars: 10 });
    ring.tee(recordingLogger()).info('m'.repeat(100), 'x'.repeat(50));
    const [line] = ring.lines();
    expect(line!.message).toBe(`${'x'.repeat(9)}…`);
    expect(line!.module).toHaveLength(64);
  });
});
