import type { ConsoleDatabase } from '../db/console-database';
import { DEFAULT_RETRY, type RetryPolicy } from './backoff';
import { createSenders, type SenderOptions } from './channels/index';
import type { ChannelSenders } from './channels/sender';
import { deliverDue, type DeliveryOutcome } from './delivery-sweep';
import { DEFAULT_SETTLE_MS, scanTimeline } from './notify-scan';

export interface NotifierOptions {
  /** how old a timeline event must be before it is read (see ScanOptions.settleMs); default 30 s */
  settleMs?: number;
  /** older timeline events raise nothing (see ScanOptions.maxAgeMs); default 1 hour */
  maxAgeMs?: number;
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

export function createNotifier(db: ConsoleDatabase, now: () => Date, options: NotifierOptions = {}): Notifier {
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const senders = options.senders ?? createSenders({ ...options.senderOptions, webhook: { now, ...options.senderOptions?.webhook } });
  const random = options.random ?? Math.random;
  const busy = new Set<number>();
  const running = new Set<Promise<unknown>>();

  async function pass(): Promise<NotifySweepOutcome> {
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
