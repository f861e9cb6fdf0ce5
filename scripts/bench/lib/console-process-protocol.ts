import type { CreateUserRequest } from '@tillscope/shared';
import type { IngestStats } from '../../../console/server/src/agents/ingest-batcher';

export type ConsoleProcessRequest =
  /** `gc`: a full garbage collection first, so heapUsedBytes is the live heap. */
  | { op: 'metrics'; reset: boolean; gc?: boolean }
  | { op: 'create_user'; user: CreateUserRequest }
  | { op: 'create_tokens'; count: number; maxUses: number }
  | { op: 'stop' };

export type ConsoleProcessReply =
  | { op: 'listening'; url: string }
  | {
    op: 'metrics';
    /** Event-loop delay since the last reset (perf_hooks.monitorEventLoopDelay, 10 ms resolution). */
    eventLoopP99Ms: number;
    eventLoopMaxMs: number;
    rssBytes: number;
    heapUsedBytes: number;
    /** CPU time over wall time since the last reset; 100 = one core busy. */
    cpuPercent: number;
    ingest: IngestStats;
    /** Agent upgrades admitted and answered 503 since the process started. */
    agentAdmission: { admitted: number; refused: number };
  }
  | { op: 'tokens'; tokens: string[] }
  | { op: 'ok' }
  | { op: 'stopped' }
  | { op: 'error'; message: string };
