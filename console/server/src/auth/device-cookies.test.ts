import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEVICE_COOKIE_TTL_MS, DeviceCookies } from './device-cookies';
import { loadOrCreateKeyFile } from './secrets';

describe('DeviceCookies', () => {
  it('accepts its own cookie for the same user only, until it expires', () => {
    let nowMs = Date.parse('2026-11-22T10:00:00Z');
    const cookies = new DeviceCookies(randomBytes(32), () => nowMs);
    const issued = cookies.issue('Eve');
    expect(issued.name).toBe(cookies.nameFor('eve'));
    expect(issued.name).not.toBe(cookies.nameFor('admin'));
    const nonce = cookies.nonceOf(issued.value, 'eve');
    expect(nonce).toMatch(/^[\w-]{22}$/);
    expect(cookies.nonceOf(issued.value, 'admin')).toBeUndefined();
    expect(cookies.nonceOf(issued.value.replace(/^\d+/, (issuedAt) => String(Number(issuedAt) + 1)), 'eve')).toBeUndefined();
    expect(cookies.nonceOf(issued.value.slice(0, -1) + (issued.value.endsWith('A') ? 'B' : 'A'), 'eve')).toBeUndefined();
    expect(new DeviceCookies(randomBytes(32), () => nowMs).nonceOf(issued.value, 'eve')).toBeUndefined();
    expect(cookies.nonceOf(undefined, 'eve')).toBeUndefined();
    nowMs += DEVICE_COOKIE_TTL_MS + 1000;
    expect(cookies.nonceOf(issued.value, 'eve')).toBeUndefined();
  });
});

describe('loadOrCreateKeyFile', () => {
  it('creates a 0600 key once and reads the same key afterwards', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tillscope-key-'));
    try {
      const file = path.join(dir, 'device-cookie.key');
      const first = await loadOrCreateKeyFile(file);
      expect(first).toHaveLength(32);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await loadOrCreateKeyFile(file)).equals(first)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
