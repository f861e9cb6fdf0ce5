// WebSocket close codes the console sends on /ws/agent and /ws/feed besides the RFC 6455 ones
// (1003 unsupported data, 1007 invalid payload, 1009 too big). Private range 4000–4999; the
// agent reads them to log what happened. Never renumber one, only add.

/** A newer connection of the same agent took over (the old one is usually a half-dead TCP session). */
export const CLOSE_REPLACED = 4000;
/** The agent's credential was replaced by a new enrollment. */
export const CLOSE_REENROLLED = 4001;
/**
 * The peer stopped reading: what the server had to send it (acks, commands, feed messages)
 * piled up past the cap, or nothing drained for too long. It may reconnect at once; an agent's
 * unacked messages are resent and applied once.
 */
export const CLOSE_TOO_SLOW = 4008;
