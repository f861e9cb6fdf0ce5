import { setTimeout as sleep } from 'node:timers/promises';
import { EnrollResponse } from '@tillscope/shared';
import type { VirtualAgentIdentity } from './virtual-agent';

/**
 * Enrolls one register over the console's real HTTP API (POST /api/agents/enroll), as a fresh till
 * does; a failed connection or a 5xx is retried up to 5 times with backoff, a 4xx is final.
 */
export async function enrollAgent(server: string, job: { token: string; storeId: string; registerId: string }): Promise<VirtualAgentIdentity> {
  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      const response = await fetch(`${server}/api/agents/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: job.token, storeId: job.storeId, registerId: job.registerId, hostname: `${job.storeId}-${job.registerId}` }),
      });
      const body: unknown = await response.json();
      if (response.status === 201) {
        const { agentId, credential } = EnrollResponse.parse(body);
        return { agentId, credential, storeId: job.storeId, registerId: job.registerId };
      }
      lastError = `HTTP ${response.status}: ${JSON.stringify(body)}`;
      if (response.status < 500) break;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await sleep(200 * 2 ** attempt);
  }
  throw new Error(`enrollment of ${job.storeId}/${job.registerId} failed: ${lastError}`);
}
