import { describe, expect, it } from 'vitest';
import { healthyRegister, type AtolRegisterState } from './register-state';
import { REFUSED_TASK_CODE, TaskQueue } from './task-queue';

/** A queue whose timers fire only when the test says so. */
function steppedQueue(patch: Partial<AtolRegisterState> = {}) {
  const now = new Date('2026-03-02T07:00:00Z');
  const state = { ...healthyRegister(now), ...patch };
  const timers: (() => void)[] = [];
  const queue = new TaskQueue({
    state: () => state,
    now: () => now,
    setTimer: (fn) => {
      timers.push(fn);
      return () => timers.splice(timers.indexOf(fn), 1);
    },
  });
  const statuses = (uuid: string) => queue.get(uuid)?.tasks.map((t) => t.status);
  /** lets the running task finish */
  const step = () => timers.shift()?.();
  return { queue, state, statuses, step, pending: () => timers.length };
}

describe('simulated task queue', () => {
  it('runs one task at a time, in arrival order: wait → inProgress → ready', () => {
    const { queue, statuses, step, pending } = steppedQueue();
    expect(queue.submit('a', ['getDeviceStatus', 'getFnInfo'])).toEqual({ number: 1, isBlocked: false });
    queue.submit('b', ['getShiftStatus']);
    expect([statuses('a'), statuses('b')]).toEqual([['inProgress', 'wait'], ['wait']]);
    expect(pending()).toBe(1);
    step();
    expect([statuses('a'), statuses('b')]).toEqual([['ready', 'inProgress'], ['wait']]);
    step();
    step();
    expect([statuses('a'), statuses('b')]).toEqual([['ready', 'ready'], ['ready']]);
    expect(queue.get('a')?.tasks[0]?.result).toMatchObject({ deviceStatus: { paperPresent: true } });
    expect(queue.submit('a', ['getFnInfo'])).toBeUndefined();
  });

  it('an error interrupts the rest of its request only; unknown and fiscal tasks are refused with an error', () => {
    const { queue, statuses, step } = steppedQueue({ taskFaults: { getDeviceStatus: { error: 3 } } });
    queue.submit('a', ['getDeviceStatus', 'getFnInfo']);
    queue.submit('b', ['reportX', 'getFnInfo']);
    step();
    expect(statuses('a')).toEqual(['error', 'interrupted']);
    expect(queue.get('a')?.tasks[0]?.error).toEqual({ code: 3, description: 'Порт ККТ занят' });
    step();
    expect(statuses('b')).toEqual(['error', 'interrupted']);
    expect(queue.get('b')?.tasks[0]?.error?.code).toBe(REFUSED_TASK_CODE);
  });

  it('a blocked task stops the queue until an operator cancels it', () => {
    const { queue, statuses, step, pending } = steppedQueue({ taskFaults: { getFnStatus: { blocked: true } } });
    queue.submit('a', ['getFnStatus', 'getFnInfo']);
    step();
    queue.submit('b', ['getDeviceStatus']);
    expect([statuses('a'), statuses('b'), pending()]).toEqual([['blocked', 'wait'], ['wait'], 0]);
    expect(queue.submit('c', ['getDeviceStatus'])).toEqual({ number: 3, isBlocked: true, blockedUUID: 'a' });
    queue.unblockAll();
    step();
    step();
    expect([statuses('a'), statuses('b')]).toEqual([['canceled', 'ready'], ['ready']]);
  });

  it('a foreign blocked task at the head: ours wait, and the POST answer says so; removing it resumes', () => {
    const { queue, statuses, step, pending } = steppedQueue();
    queue.setForeignBlock(true);
    expect(queue.submit('a', ['getDeviceStatus'])).toEqual({ number: 2, isBlocked: true, blockedUUID: 'foreign-blocked-task' });
    expect([statuses('a'), pending()]).toEqual([['wait'], 0]);
    expect(queue.get('foreign-blocked-task')).toBeUndefined(); // never visible to clients
    queue.setForeignBlock(false);
    step();
    expect(statuses('a')).toEqual(['ready']);
  });

  it('DELETE cancels what has not ended', () => {
    const { queue, statuses } = steppedQueue();
    queue.submit('a', ['getDeviceStatus', 'getFnInfo']);
    expect(queue.cancel('a')).toBe(true);
    expect(statuses('a')).toEqual(['inProgress', 'canceled']);
    expect(queue.cancel('nope')).toBe(false);
  });
});
