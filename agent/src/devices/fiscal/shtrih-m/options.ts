import { z } from 'zod';
import { FiscalThresholds } from '../../common/fiscal-rules';
import { DEFAULT_LIMITS } from './exchange';
import { DEFAULT_PASSWORD } from './protocol';

/**
 * The shtrih-m driver's `options` in the agent config, e.g.
 * `"options": { "password": 30, "replyTimeoutMs": 1500, "thresholds": { "clockDriftSeconds": 120 } }`.
 * Every field has a default; see README "Options" for which facts behind them are unverified.
 */
export const ShtrihOptions = z.strictObject({
  /** The password sent with every command but 0xFC (4 bytes LE). javapos and pyshtrih use 30, the system administrator's. */
  password: z.number().int().min(0).max(0xffff_ffff).default(DEFAULT_PASSWORD),
  /**
   * The exchange protocol. Only 1 (ENQ/ACK/NAK, javapos PrinterProtocol_1) is implemented; the
   * frame-numbered protocol 2 exists (devices.md §3.1) and is refused here rather than misread.
   */
  protocol: z.literal(1, { error: 'only protocol 1 (ENQ/ACK/NAK) is supported; the frame-numbered protocol 2 is not' }).default(1),
  /** Gap allowed between bytes of a frame, and the wait for ACK/NAK (javapos: 100 ms). */
  byteTimeoutMs: z.number().int().min(20).max(5_000).default(DEFAULT_LIMITS.byteTimeoutMs),
  /** Wait for each reply frame once the command was acknowledged. */
  replyTimeoutMs: z.number().int().min(100).max(30_000).default(DEFAULT_LIMITS.replyTimeoutMs),
  /** ENQs without an answer before "no connection". */
  maxEnq: z.number().int().min(1).max(10).default(DEFAULT_LIMITS.maxEnq),
  /** Resends of a command frame the register NAKed. */
  maxCommandResends: z.number().int().min(0).max(10).default(DEFAULT_LIMITS.maxCommandResends),
  /** Re-asks (NAK, ENQ) for a reply frame with a bad LRC. */
  maxReplyRetries: z.number().int().min(0).max(10).default(DEFAULT_LIMITS.maxReplyRetries),
  /** Unread previous answers read and discarded before giving up. */
  maxUnreadAnswers: z.number().int().min(0).max(10).default(DEFAULT_LIMITS.maxUnreadAnswers),
  /** Which FN warning bit means "critical FN error": 7 in several codebases, 6 in one ([S], devices.md §3.1). */
  criticalErrorBit: z.union([z.literal(6), z.literal(7)], { error: 'must be 7 (the default) or 6' }).default(7),
  /**
   * Read paper from the FR flags (bit 1 receipt roll, bit 7 receipt optical sensor) besides the
   * submode. Which flag bits a model drives is model-specific: turn off for a model that leaves
   * them at 0 (the submode still reports "no paper").
   */
  paperFromFlags: z.boolean().default(true),
  /** Read the cover from FR flags bit 10 (not driven on every model, e.g. pyshtrih masks it for COMBO-FR-K). */
  coverFromFlags: z.boolean().default(true),
  /** The 54-FZ thresholds (shift, FN, OFD backlog, clock drift), common to every fiscal driver. */
  thresholds: FiscalThresholds.prefault({}),
});
export type ShtrihOptions = z.output<typeof ShtrihOptions>;
