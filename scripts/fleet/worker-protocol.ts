import type { ReconnectPolicyOptions } from '../../agent/src/link/reconnect-policy';
import type { FiscalProfile } from './fiscal-reports';
import type { HostProfile } from './host-reports';
import type { VirtualAgentIdentity } from './virtual-agent';

/** Parent → worker. Every request except `stats` is answered once. */
export type WorkerRequest =
  | { op: 'enroll'; server: string; jobs: { token: string; storeId: string; registerId: string }[]; concurrency: number }
  | {
    op: 'run';
    url: string;
    agents: { identity: VirtualAgentIdentity; faulting: boolean; localAddress?: string; fiscal?: FiscalProfile; host?: HostProfile }[];
    reportIntervalSec: number;
    cashierReportsPerHour: number;
    connectRatePerSec: number;
    backoff: Partial<ReconnectPolicyOptions>;
  }
  | { op: 'stats'; reset: boolean }
  /** These agents report at once; `faulting` first changes their printer's state. */
  | { op: 'report_now'; indexes: number[]; faulting?: boolean }
  /** Scheduled reports stop (the outbox still drains), so a run can settle and be counted. */
  | { op: 'stop_reporting' }
  | { op: 'drop_connections' }
  /** A store's power cut (`silent`) or its end: its registers stop, sending nothing, or come back. */
  | { op: 'silence_store'; storeId: string; silent: boolean }
  | { op: 'stop' };

export interface WorkerCounters {
  connects: number;
  disconnects: number;
  connectFailures: number;
  /** Health and cashier reports acknowledged ok (hello acks are not counted: hello is not outboxed). */
  acked: number;
  rejected: number;
  protocolErrors: number;
  /** Health and cashier reports created. Nothing is lost when, at rest, generated = acked + rejected and nothing is pending. */
  generated: number;
}

/** Worker → parent. */
export type WorkerReply =
  | { op: 'enrolled'; identities: VirtualAgentIdentity[]; errors: string[] }
  | { op: 'running'; agents: number }
  | {
    op: 'stats';
    connected: number;
    pending: number;
    agents: number;
    counters: WorkerCounters;
    /** Milliseconds from send to ack since the previous `stats` with reset. */
    healthLatencies: number[];
    cashierLatencies: number[];
    rssBytes: number;
    /** A few registers that are not connected or have messages pending, described. */
    laggards: string[];
  }
  | { op: 'ok' }
  | { op: 'stopped' };
