// The simulated web server's task queue (docs/devices.md §3.2 [S]): requests run in arrival
// order, one task at a time: wait → inProgress → ready | error | blocked. A failed task
// interrupts the rest of its request; a blocked one (result unknown) stops the whole queue until
// an operator cancels it (here: the control interface clearing the fault). Timers come in as a
// parameter, so the queue can be driven step by step in tests.
import { runTask, SIM_READ_ONLY_TASKS, type AtolRegisterState, type SimReadOnlyTask } from './register-state';

export type SimTaskStatus = 'wait' | 'inProgress' | 'ready' | 'error' | 'interrupted' | 'blocked' | 'canceled';

export interface SimTask {
  type: string;
  status: SimTaskStatus;
  result?: unknown;
  error?: { code: number; description: string };
}

export interface SimRequest {
  uuid: string;
  tasks: SimTask[];
  /** a task of another client, put there by the `blockedQueue` fault (never received over HTTP) */
  foreign: boolean;
}

export interface QueueDeps {
  state: () => AtolRegisterState;
  now: () => Date;
  /** runs `fn` after `ms`; returns a cancel */
  setTimer: (fn: () => void, ms: number) => () => void;
}

/**
 * Simulator's choice (no ATOL code is documented for it): a task type the simulator does not
 * run, or that is not read-only, ends `error` with this code, and is logged.
 */
export const REFUSED_TASK_CODE = 9999;
const MAX_KEPT_REQUESTS = 500;
const FOREIGN_UUID = 'foreign-blocked-task';
const READ_ONLY = new Set<string>(SIM_READ_ONLY_TASKS);

export class TaskQueue {
  private readonly requests = new Map<string, SimRequest>();
  private running: { cancel: () => void } | undefined;
  private closed = false;

  constructor(private readonly deps: QueueDeps) {}

  /** Queues a request's tasks. `undefined` when the uuid is already known (the simulator answers 409). */
  submit(uuid: string, types: readonly string[]): { number: number; isBlocked: boolean; blockedUUID?: string } | undefined {
    if (this.requests.has(uuid)) return undefined;
    this.requests.set(uuid, { uuid, foreign: false, tasks: types.map((type) => ({ type, status: 'wait' })) });
    this.forgetOld();
    const blocked = this.blockedTask();
    this.pump();
    return { number: this.requests.size, isBlocked: blocked !== undefined, ...(blocked ? { blockedUUID: blocked.uuid } : {}) };
  }

  get(uuid: string): SimRequest | undefined {
    const request = this.requests.get(uuid);
    return request && !request.foreign ? request : undefined;
  }

  /** DELETE: cancels the request's tasks that have not ended (a blocked one included). */
  cancel(uuid: string): boolean {
    const request = this.get(uuid);
    if (!request) return false;
    for (const task of request.tasks) if (task.status === 'wait' || task.status === 'blocked') task.status = 'canceled';
    this.pump();
    return true;
  }

  /** The `blockedQueue` fault: another client's task blocked at the head of the queue, or gone. */
  setForeignBlock(on: boolean): void {
    const present = this.requests.has(FOREIGN_UUID);
    if (on && !present) {
      const rest = [...this.requests.entries()];
      this.requests.clear();
      this.requests.set(FOREIGN_UUID, { uuid: FOREIGN_UUID, foreign: true, tasks: [{ type: 'sell', status: 'blocked' }] });
      for (const [uuid, request] of rest) this.requests.set(uuid, request);
    } else if (!on && present) {
      this.requests.delete(FOREIGN_UUID);
      this.pump();
    }
  }

  /** An operator cancels every blocked task (the fault was cleared); the queue runs again. */
  unblockAll(): void {
    for (const request of this.requests.values()) for (const task of request.tasks) if (task.status === 'blocked') task.status = 'canceled';
    this.requests.delete(FOREIGN_UUID);
    this.pump();
  }

  close(): void {
    this.closed = true;
    this.running?.cancel();
    this.running = undefined;
  }

  private blockedTask(): SimRequest | undefined {
    for (const request of this.requests.values()) if (request.tasks.some((t) => t.status === 'blocked')) return request;
    return undefined;
  }

  /** Starts the next waiting task, unless one runs, the queue is blocked, or it is closed. */
  private pump(): void {
    if (this.running || this.closed || this.blockedTask()) return;
    for (const request of this.requests.values()) {
      const index = request.tasks.findIndex((t) => t.status === 'wait');
      if (index < 0) continue;
      const task = request.tasks[index]!;
      task.status = 'inProgress';
      const cancel = this.deps.setTimer(() => {
        this.running = undefined;
        this.finish(request, index);
        this.pump();
      }, this.deps.state().taskDelayMs);
      this.running = { cancel };
      return;
    }
  }

  private finish(request: SimRequest, index: number): void {
    const task = request.tasks[index]!;
    if (task.status !== 'inProgress') return;
    const outcome = READ_ONLY.has(task.type)
      ? runTask(task.type as SimReadOnlyTask, this.deps.state(), this.deps.now())
      : ({ status: 'error', error: { code: REFUSED_TASK_CODE, description: `симулятор: задание "${task.type}" не выполняется (не только чтение)` } } as const);
    task.status = outcome.status;
    if (outcome.status === 'ready') task.result = outcome.result;
    if (outcome.status === 'error') {
      task.error = outcome.error;
      for (const later of request.tasks.slice(index + 1)) if (later.status === 'wait') later.status = 'interrupted';
    }
  }

  private forgetOld(): void {
    for (const [uuid, request] of this.requests) {
      if (this.requests.size <= MAX_KEPT_REQUESTS) return;
      if (!request.foreign && request.tasks.every((t) => t.status !== 'wait' && t.status !== 'inProgress' && t.status !== 'blocked')) this.requests.delete(uuid);
    }
  }
}
