import { randomUUID } from 'node:crypto';
import { PROTOCOL_VERSION, type Health } from '@tillscope/shared';
import type { IngestBatcher } from '../../../console/server/src/agents/ingest-batcher';

/** Reports in flight at once, as a fleet's sockets would have them. */
const IN_FLIGHT = 10_000;

/**
 * Submits `total` health reports through the console's real ingest path (IngestBatcher: group
 * commit, acks after COMMIT), at most IN_FLIGHT unacked; `reportAt(i)` gives the i-th report's
 * register and payload. Returns seconds; throws if any report was not acknowledged.
 */
export async function submitHealthReports(batcher: IngestBatcher, total: number, reportAt: (index: number) => [agentId: string, payload: Health['payload']]): Promise<number> {
  const started = performance.now();
  let submitted = 0;
  let settled = 0;
  let failed = 0;
  // One waiter woken per ack; Promise.race over thousands of pending promises would cost O(n) per ack.
  let wake: (() => void) | undefined;
  while (settled < total) {
    while (submitted - settled < IN_FLIGHT && submitted < total) {
      const [agentId, payload] = reportAt(submitted);
      const message: Health = { v: PROTOCOL_VERSION, type: 'health', id: randomUUID(), ts: new Date().toISOString(), payload };
      void batcher.submit(agentId, message).then((ack) => {
        if (!ack?.ok) failed += 1;
        settled += 1;
        wake?.();
      });
      submitted += 1;
    }
    await new Promise<void>((resolve) => (wake = resolve));
  }
  if (failed > 0) throw new Error(`${failed} of ${total} reports were not acknowledged`);
  return (performance.now() - started) / 1000;
}
