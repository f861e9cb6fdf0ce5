// A login flood in its own process, so its 300 request loops do not share an event loop with the
// bench's measuring client. Started by login-flood.ts with `fork(…, { execArgv: ['--import', 'tsx'] })`:
// argv[2] is `{ url, concurrency }`; the IPC message 'stop' ends the loops, and the process answers
// with its counts of answers by status and exits.
import { httpJson } from '../../../console/server/src/test-support/http-from';

export interface LoginFloodCounts {
  /** Answers by HTTP status ('error' for a failed connection). */
  byStatus: Record<string, number>;
  seconds: number;
}

/** Source address of the i-th attempt: 127.77.0.1 … 127.77.255.255, a botnet on loopback. */
function addressOf(i: number): string {
  const n = (i % 65_535) + 1;
  return `127.77.${n >> 8}.${n & 255}`;
}

async function main(): Promise<void> {
  const { url, concurrency } = JSON.parse(process.argv[2] ?? '{}') as { url: string; concurrency: number };
  const byStatus: Record<string, number> = {};
  let stopping = false;
  let next = 0;
  const started = performance.now();
  const loop = async () => {
    while (!stopping) {
      const i = next++;
      const status = await httpJson(url, 'POST', '/api/auth/login', { username: `ghost-${i}`, password: 'not-the-password' }, { from: addressOf(i) }).then(
        (answer) => String(answer.status),
        () => 'error',
      );
      byStatus[status] = (byStatus[status] ?? 0) + 1;
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  process.once('message', () => {
    stopping = true;
    void Promise.all(loops).then(() => {
      const counts: LoginFloodCounts = { byStatus, seconds: (performance.now() - started) / 1000 };
      process.send?.(counts, () => process.exit(0));
    });
  });
  process.send?.('flooding');
}

process.on('disconnect', () => process.exit(0));
void main();
