import type { ConsoleDatabase } from '../db/console-database';
import { DEFAULT_RETRY, type RetryPolicy } from './backoff';
import { createSenders, type SenderOptions } from './channels/index';
import type { ChannelSenders } from './channels/sender';
import { deliverDue, type DeliveryOutcome } from './delivery-sweep';
import { pruneDeliveries } from './delivery-views';
import { DEFAULT_SETTLE_MS, scanTimeline } from './notify-scan';

export interface NotifierOptions {
  /** how old a timeline event must be before it is read (see ScanOptions.settleMs); default 30 s */
  settleMs?: number;
  /** older timeline events raise nothing (see ScanOptions.maxAgeMs); default 1 hour */
  maxAgeMs?: number;
  /** finished deliveries are forgotten after this many days (checked once an hour); default 90 */
  keepDays?: number;
  retry?: Partial<RetryPolicy>;
  /** the console's public address, for the ticket link in messages */
  consoleUrl?: string | null;
  /** the channel senders; default the real ones (with `senderOptions`) */
  senders?: ChannelSenders;
  senderOptions?: SenderOptions;
  random?: () => number;
}

export interface NotifySweepOutcome extends DeliveryOutcome {
  /** deliveries the scan queued */
  queued: number;
}

/** Queues what the timeline owes (scan) and sends what is due (delivery sweep). */
export interface Notifier {
  /**
   * One pass: scan, then deliver. Passes may overlap: a channel still sending from an earlier pass
   * is passed over by the next (its lane goes on), every other channel is served.
   */
  sweep(): Promise<NotifySweepOutcome>;
  /** Resolves once no pass is running (before the database closes). */
  settled(): Promise<void>;
}

const PRUNE_EVERY_MS = 60 * 60_000;

export function createNotifier(db: ConsoleDatabase, now: () => Date, options: NotifierOptions = {}): Notifier {
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const senders = options.senders ?? createSenders({ ...options.senderOptions, webhook: { now, ...options.senderOptions?.webhook } });
  const random = options.random ?? Math.random;
  const busy = new Set<number>();
  const running = new Set<Promise<unknown>>();
  const keepMs = (options.keepDays ?? 90) * 86_400_000;
  let prunedAt = -Infinity;

  async function pass(): Promise<NotifySweepOutcome> {
    const nowMs = now().getTime();
    if (nowMs - prunedAt >= PRUNE_EVERY_MS) {
      prunedAt = nowMs;
      await db.write((sql) => pruneDeliveries(sql, new Date(nowMs - keepMs).toISOString()));
    }
    const queued = await db.write((sql) => scanTimeline(sql, now(), { settleMs, maxAgeMs: options.maxAgeMs }));
    const delivered = await deliverDue({ db, now, senders, retry, random, consoleUrl: options.consoleUrl ?? null, busy });
    return { queued, ...delivered };
  }

  return {
    sweep() {
      const current = pass();
      const tracked = current.catch(() => undefined).finally(() => running.delete(tracked));
      running.add(tracked);
      return current;
    },
    async settled() {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
