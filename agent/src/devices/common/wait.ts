// Abortable waits for probes: one timer, one abort listener, both always cleaned up.

export interface WaitOptions {
  /** Resolves early when aborted (never rejects). */
  signal?: AbortSignal;
  /** Resolves early once this holds; checked at the start and each time the waker is called. */
  done?: () => boolean;
  /**
   * Receives the waker: call it when something `done` depends on changed (a chunk arrived, the
   * port closed). A waker called after the wait ended does nothing.
   */
  setWake?: (wake: () => void) => void;
}

/**
 * Resolves after `ms`, on abort, or as soon as `done()` holds when woken. Never rejects; clears
 * its timer and abort listener whichever ends it.
 *
 * @example
 * let wake = () => {};
 * port.onData((chunk) => { reader.push(chunk); wake(); });
 * await waitUntil(timeoutMs, { signal, done: () => reader.hasReply, setWake: (fn) => (wake = fn) });
 */
export function waitUntil(ms: number, options: WaitOptions = {}): Promise<void> {
  const { signal, done = () => false, setWake } = options;
  if (signal?.aborted || done()) return Promise.resolve();
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      resolve();
    };
    const timer = setTimeout(finish, ms);
    signal?.addEventListener('abort', finish, { once: true });
    setWake?.(() => {
      if (done()) finish();
    });
  });
}

/** Resolves after `ms` or on abort, whichever comes first; never rejects. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return waitUntil(ms, signal ? { signal } : {});
}

/**
 * Runs tasks one at a time, in call order: one user of a device at a time (a probe and a watch's
 * reconnect never talk to the device together). A task that throws does not stop later ones; its
 * own promise still rejects.
 */
export function createExclusiveQueue(): { run<T>(task: () => Promise<T>): Promise<T>; idle(): Promise<unknown> } {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      const run = queue.then(task, task);
      queue = run.catch(() => undefined);
      return run;
    },
    idle: () => queue,
  };
}
