import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CreateUserRequest } from '@tillscope/shared';
import type { ConsoleProcessReply, ConsoleProcessRequest } from './console-process-protocol';

const ENTRY = fileURLToPath(new URL('./console-process.ts', import.meta.url));

type MetricsReply = Extract<ConsoleProcessReply, { op: 'metrics' }>;

/** A console server in a child process, on a fixed port and data dir so it can be restarted in place. */
export class ConsoleUnderTest {
  private readonly waiting: ((reply: ConsoleProcessReply) => void)[] = [];

  private constructor(private readonly child: ChildProcess, readonly url: string) {
    child.on('message', (reply: ConsoleProcessReply) => this.waiting.shift()?.(reply));
  }

  static async start(options: { dataDir: string; port: number; offlineAfterSec?: number }): Promise<ConsoleUnderTest> {
    const child = fork(ENTRY, [JSON.stringify(options)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`console under test exited with ${code} before listening`)));
      child.once('message', (reply: ConsoleProcessReply) => (reply.op === 'listening' ? resolve(reply.url) : reject(new Error(`unexpected ${reply.op}`))));
    });
    child.removeAllListeners('exit');
    return new ConsoleUnderTest(child, url);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  private request(request: ConsoleProcessRequest): Promise<ConsoleProcessReply> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`console under test exited (${code}) during ${request.op}`));
      this.child.once('exit', onExit);
      this.waiting.push((reply) => {
        this.child.off('exit', onExit);
        if (reply.op === 'error') reject(new Error(reply.message));
        else resolve(reply);
      });
      this.child.send(request);
    });
  }

  async metrics(reset: boolean): Promise<MetricsReply> {
    const reply = await this.request({ op: 'metrics', reset });
    if (reply.op !== 'metrics') throw new Error(`unexpected ${reply.op}`);
    return reply;
  }

  async createUser(user: CreateUserRequest): Promise<void> {
    await this.request({ op: 'create_user', user });
  }

  async createTokens(count: number, maxUses: number): Promise<string[]> {
    const reply = await this.request({ op: 'create_tokens', count, maxUses });
    if (reply.op !== 'tokens') throw new Error(`unexpected ${reply.op}`);
    return reply.tokens;
  }

  /** Graceful stop: sockets closed, queued ingest committed, database closed. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await Promise.race([this.request({ op: 'stop' }).catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 30_000))]);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    this.child.kill('SIGKILL');
  }
}
