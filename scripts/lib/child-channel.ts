import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** A timer that does not keep the process alive once nobody waits for it. */
export const unrefSleep = (ms: number) => sleep(ms, undefined, { ref: false });

/** What `promise` gives, or undefined if it has not settled within `ms` (the timer does not keep the process alive). */
export const within = <T>(promise: Promise<T>, ms: number): Promise<T | undefined> => Promise.race([promise, unrefSleep(ms)]);

/**
 * Request and reply over a forked child's IPC channel. The child answers every request with exactly
 * one message, in order; a child that exits first rejects what is still waiting.
 */
export class ChildChannel<Request extends { op: string }, Reply> {
  private readonly waiting: ((reply: Reply) => void)[] = [];

  constructor(readonly child: ChildProcess, private readonly label: string) {
    child.on('message', (reply: Reply) => this.waiting.shift()?.(reply));
  }

  request(request: Request): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${this.label} exited (code ${code}) during ${request.op}`));
      this.child.once('exit', onExit);
      this.waiting.push((reply) => {
        this.child.off('exit', onExit);
        resolve(reply);
      });
      this.child.send(request);
    });
  }

  /** Sends `request` (the child answers, then exits); after `graceMs` without an answer, or 2 s without an exit, kills it. */
  async stop(request: Request, graceMs: number): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await within(this.request(request).catch(() => undefined), graceMs);
    await within(exited, 2_000);
    this.child.kill('SIGKILL');
  }
}
