import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const DEVICE_COOKIE_PREFIX = 'tillscope_device_';
export const DEVICE_COOKIE_TTL_MS = 180 * 24 * 60 * 60_000;

export interface IssuedDeviceCookie {
  name: string;
  value: string;
  expiresAt: Date;
}

/**
 * Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a browser that
 * logged in as a user gets `<issuedAt>.<nonce>.<HMAC(key, user, issuedAt, nonce)>`; its later
 * attempts for that user are throttled in a bucket of their own (see LoginThrottle). One cookie per
 * account, named after an HMAC of the username, so a shared browser keeps one per engineer and the
 * name does not spell the username. Forged, altered, expired or other users' cookies are ignored.
 */
export class DeviceCookies {
  constructor(
    private readonly key: Buffer,
    private readonly nowMs: () => number,
    private readonly random: (bytes: number) => Buffer = randomBytes,
  ) {
    if (key.length < 32) throw new Error('device cookie key must be at least 32 bytes');
  }

  nameFor(username: string): string {
    return DEVICE_COOKIE_PREFIX + this.mac(`name\n${username.toLowerCase()}`).subarray(0, 8).toString('hex');
  }

  issue(username: string): IssuedDeviceCookie {
    const issuedAtSec = Math.floor(this.nowMs() / 1000);
    const nonce = this.random(16).toString('base64url');
    const mac = this.mac(this.payload(username, issuedAtSec, nonce)).toString('base64url');
    return { name: this.nameFor(username), value: `${issuedAtSec}.${nonce}.${mac}`, expiresAt: new Date(issuedAtSec * 1000 + DEVICE_COOKIE_TTL_MS) };
  }

  /** The cookie's nonce when `value` is a valid, unexpired device cookie for `username`. */
  nonceOf(value: string | undefined, username: string): string | undefined {
    if (!value || value.length > 200) return undefined;
    const match = /^(\d{1,12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(value);
    if (!match) return undefined;
    const [, issuedAt, nonce, mac] = match as unknown as [string, string, string, string];
    const issuedAtSec = Number(issuedAt);
    const ageMs = this.nowMs() - issuedAtSec * 1000;
    if (ageMs < -60_000 || ageMs > DEVICE_COOKIE_TTL_MS) return undefined;
    const expected = this.mac(this.payload(username, issuedAtSec, nonce));
    const actual = Buffer.from(mac, 'base64url');
    return actual.length === expected.length && timingSafeEqual(actual, expected) ? nonce : undefined;
  }

  private payload(username: string, issuedAtSec: number, nonce: string): string {
    return `device\n${username.toLowerCase()}\n${issuedAtSec}\n${nonce}`;
  }

  private mac(text: string): Buffer {
    return createHmac('sha256', this.key).update(text, 'utf8').digest();
  }
}
