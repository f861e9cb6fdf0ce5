import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CreateUserRequest } from '@tillscope/shared';
import { ChildChannel } from '../../lib/child-channel';
import type { ConsoleProcessReply, ConsoleProcessRequest } from './console-process-protocol';

const ENTRY = fileURLToPath(new URL('./console-process.ts', import.meta.url));

export type MetricsReply = Extract<ConsoleProcessReply, { op: 'metrics' }>;

/** A console server in a child process, on a fixed port and data dir so it can be restarted in place. */
export class ConsoleUnderTest {
  private constructor(private readonly channel: ChildChannel<ConsoleProcessRequest, ConsoleProcessReply>, readonly url: string) {}

  static async start(options: { dataDir: string; port: number; offlineAfterSec?: number }): Promise<ConsoleUnderTest> {
    const child = fork(ENTRY, [JSON.stringify(options)], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`console under test exited with ${code} before listening`)));
      child.once('message', (reply: ConsoleProcessReply) => (reply.op === 'listening' ? resolve(reply.url) : reject(new Error(`unexpected ${reply.op}`))));
    });
    child.removeAllListeners('exit');
    return new ConsoleUnderTest(new ChildChannel(child, 'console under test'), url);
  }

  /** One request, one reply of the expected kind; an `error` reply rejects with the child's message. */
  private async request<Op extends ConsoleProcessReply['op']>(request: ConsoleProcessRequest, expected: Op): Promise<Extract<ConsoleProcessReply, { op: Op }>> {
    const reply = await this.channel.request(request);
    if (reply.op === 'error') throw new Error(reply.message);
    if (reply.op !== expected) throw new Error(`console under test answered ${reply.op} to ${request.op}`);
    return reply as Extract<ConsoleProcessReply, { op: Op }>;
  }

  /** The server process's id, for reading its memory from /proc. */
  get pid(): number {
    const { pid } = this.channel.child;
    if (pid === undefined) throw new Error('console under test has no pid');
    return pid;
  }

  /** With `gc`, a full garbage collection runs first: heapUsedBytes is then the live heap. */
  metrics(reset: boolean, gc = false): Promise<MetricsReply> {
    return this.request({ op: 'metrics', reset, gc }, 'metrics');
  }

  async createUser(user: CreateUserRequest): Promise<void> {
    await this.request({ op: 'create_user', user }, 'ok');
  }

  async createTokens(count: number, maxUses: number): Promise<string[]> {
    return (await this.request({ op: 'create_tokens', count, maxUses }, 'tokens')).tokens;
  }

  /** A crash: SIGKILL, nothing flushed or closed; resolves once the process is gone. */
  async kill(): Promise<void> {
    const { child } = this.channel;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Graceful stop: sockets closed, queued ingest committed, database closed. */
  stop(): Promise<void> {
    return this.channel.stop({ op: 'stop' }, 30_000);
  }
}
