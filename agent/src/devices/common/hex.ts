// Byte <-> text formats of evidence and findings, shared by every byte driver. Pure.

/** "10 04 01": the evidence format (space-separated lower-case hex), as shared's Exchange expects. */
export function toHex(bytes: Uint8Array | readonly number[]): string {
  return Array.from(bytes, (b) => (b & 0xff).toString(16).padStart(2, '0')).join(' ');
}

/** "0x72": how a single byte is quoted in findings. */
export function byteHex(byte: number): string {
  return `0x${(byte & 0xff).toString(16).padStart(2, '0')}`;
}

/** The inverse of toHex: "10 04 01" to bytes. Whitespace-separated pairs; "" is no bytes. */
export function parseHex(hex: string): Uint8Array {
  const trimmed = hex.trim();
  if (trimmed === '') return new Uint8Array(0);
  return Uint8Array.from(trimmed.split(/\s+/), (pair) => Number.parseInt(pair, 16) & 0xff);
}

/**
 * Discarded bytes kept per exchange as evidence. Shared's Exchange schema bounds `discarded` (3 KiB
 * of hex = 1,024 bytes), and the console refuses a whole message over it: a device flooding the
 * line must not cost the report (nor the other devices' reports sent with it).
 */
export const MAX_DISCARDED_BYTES = 1024;
