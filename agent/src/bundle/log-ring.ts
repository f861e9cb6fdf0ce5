import type { AgentLogLine } from '@tillscope/shared';
import type { Logger } from '../logger';

/**
 * The agent's recent log lines, kept in memory for the diagnostics bundle (the stderr log may go
 * nowhere on a register run as a service). A fixed number of lines; the oldest go first. Messages
 * are cut so a runaway line cannot hold much memory: at most `capacity × maxMessageChars` chars.
 */
export interface LogRing {
  /** A logger that writes to `inner` and keeps the line here; never throws, like every Logger. */
  tee(inner: Logger): Logger;
  /** Oldest first. */
  lines(): AgentLogLine[];
  /** Lines that fell out of the ring since it started. */
  dropped(): number;
}

export interface LogRingOptions {
  capacity?: number;
  maxMessageChars?: number;
  now?: () => Date;
}

export const DEFAULT_LOG_RING_LINES = 1000;
const DEFAULT_MAX_MESSAGE_CHARS = 1000;
const MAX_MODULE_CHARS = 64;

export function createLogRing(options: LogRingOptions = {}): LogRing {
  const capacity = Math.max(1, options.capacity ?? DEFAULT_LOG_RING_LINES);
  const maxMessage = options.maxMessageChars ?? DEFAULT_MAX_MESSAGE_CHARS;
  const now = options.now ?? (() => new Date());
  const ring: (AgentLogLine | undefined)[] = new Array<AgentLogLine | undefined>(capacity);
  let next = 0;
  let total = 0;

  function keep(level: AgentLogLine['level'], module: string, message: string): void {
    try {
      const text = message.length > maxMessage ? `${message.slice(0, maxMessage - 1)}…` : message;
      ring[next] = { at: now().toISOString(), level, module: module.slice(0, MAX_MODULE_CHARS), message: text };
      next = (next + 1) % capacity;
      total += 1;
    } catch {
      // a broken clock must not break logging
    }
  }

  return {
    tee(inner) {
      return {
        info(module, message) {
          keep('info', module, message);
          inner.info(module, message);
        },
        warn(module, message) {
          keep('warn', module, message);
          inner.warn(module, message);
        },
        error(module, message) {
          keep('error', module, message);
          inner.error(module, message);
        },
      };
    },
    lines() {
      const ordered = total < capacity ? ring.slice(0, total) : [...ring.slice(next), ...ring.slice(0, next)];
      return ordered.filter((line): line is AgentLogLine => line !== undefined);
    },
    dropped: () => Math.max(0, total - capacity),
  };
}
