import { describe, expect, it } from 'vitest';
import { LOGIN_LIMITS } from '../auth/login-throttle';
import { ADMIN, consoleForEachTest, ENGINEER } from '../test-support/console-harness';
import { cookieHeaderOf, httpJson, type HttpAnswer } from '../test-support/http-from';

// Real server, real HTTP from distinct loopback source addresses (127.0.0.0/8), the domain clock
// moved by hand: every wait is asserted as a Retry-After value, never measured.

const fresh = consoleForEachTest();

const ADDRESS_FREE = LOGIN_LIMITS.address.freeFailures;
const ACCOUNT_FREE = LOGIN_LIMITS.account.freeFailures;
// The issue saw 200 (199 × 401 and a session, never a 429); 30 show the same, and quickly on the old code too.
const ATTEMPTS = 30;

function tryLogin(user: { username: string; password: string }, from: string, cookie?: string): Promise<HttpAnswer> {
  return httpJson(fresh.url, 'POST', '/api/auth/login', user, { from, cookie });
}

function tally(answers: HttpAnswer[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

function expectThrottled(answer: HttpAnswer): number {
  expect({ status: answer.status, code: answer.json?.code }).toEqual({ status: 429, code: 'rate_limited' });
  const retryAfter = Number(answer.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
  return retryAfter;
}

/** Logs in from `from` and returns the device cookie (`name=value`) the server set, if any. */
async function knownDevice(user: { username: string; password: string }, from: string): Promise<string> {
  const answer = await tryLogin(user, from);
  expect(answer.status).toBe(200);
  return cookieHeaderOf(answer.setCookies, 'tillscope_device_');
}

describe('login attempts are counted before the password is hashed', () => {
  it('limits parallel attempts exactly like sequential ones, the right password last', async () => {
    const passwords = (right: string) => Array.from({ length: ATTEMPTS }, (_, i) => (i === ATTEMPTS - 1 ? right : `guess-${i}`));
    const sequential: HttpAnswer[] = [];
    for (const password of passwords(ENGINEER.password)) sequential.push(await tryLogin({ username: ENGINEER.username, password }, '127.0.0.2'));
    const parallel = await Promise.all(passwords(ADMIN.password).map((password) => tryLogin({ username: ADMIN.username, password }, '127.0.0.3')));

    expect(tally(parallel)).toEqual(tally(sequential));
    expect(tally(parallel)).toEqual({ 401: ADDRESS_FREE, 429: ATTEMPTS - ADDRESS_FREE });
    // No session for the right password at the end, and the refused attempts ran no hash.
    expect(parallel.flatMap((answer) => answer.setCookies)).toEqual([]);
    // 2 users created by the harness + the free failures of each run: nothing else was hashed.
    expect(fresh.test.server.passwordHashingStats().derived).toBe(2 + 2 * ADDRESS_FREE);
    parallel.filter((answer) => answer.status === 429).forEach(expectThrottled);
  }, 60_000); // before the fix every parallel attempt was hashed: slow on a busy machine
});

describe('an attacker slows themselves, not the account they attack', () => {
  it('hammering the admin from one address: the admin still logs in, with or without a known device', async () => {
    const device = await knownDevice(ADMIN, '127.0.0.2');
    const attacker = '127.0.0.66';
    const burst: HttpAnswer[] = [];
    for (let i = 0; i < 30; i++) burst.push(await tryLogin({ username: ADMIN.username, password: `guess-${i}` }, attacker));

    // A new browser on another address gets in: the attacker's delay is theirs.
    expect((await tryLogin(ADMIN, '127.0.0.3')).status).toBe(200);
    // So does the admin's known browser, even from the attacker's own address (one NAT).
    expect(device).toMatch(/^tillscope_device_[0-9a-f]{16}=\d+\.[\w-]{22}\.[\w-]{43}$/);
    expect((await tryLogin(ADMIN, attacker, device)).status).toBe(200);
    expect((await tryLogin(ADMIN, '127.0.0.2', device)).status).toBe(200);
    // The attacker was refused after their free guesses, without a hash, and told how long to wait.
    expect(burst.slice(0, ADDRESS_FREE).map((answer) => answer.status)).toEqual(Array(ADDRESS_FREE).fill(401));
    expect(burst.slice(ADDRESS_FREE).map(expectThrottled)).toEqual(Array(30 - ADDRESS_FREE).fill(1));

    // Each guess the attacker gets through doubles their own wait.
    const waits: number[] = [];
    let wait = 1;
    for (let round = 0; round < 3; round++) {
      fresh.test.clock.advanceSeconds(wait);
      expect((await tryLogin({ username: ADMIN.username, password: `late-${round}` }, attacker)).status).toBe(401);
      wait = expectThrottled(await tryLogin({ username: ADMIN.username, password: `late-${round}-again` }, attacker));
      waits.push(wait);
    }
    expect(waits).toEqual([2, 4, 8]);
    expect((await tryLogin(ADMIN, attacker, device)).status).toBe(200);
  });

  it('guesses from many addresses delay new browsers of the account a little, never its known devices', async () => {
    const device = await knownDevice(ENGINEER, '127.0.0.2');
    for (let i = 0; i < ACCOUNT_FREE; i++) {
      expect((await tryLogin({ username: ENGINEER.username, password: `guess-${i}` }, `127.0.1.${i + 1}`)).status).toBe(401);
    }
    expect((await tryLogin(ENGINEER, '127.0.0.3', device)).status).toBe(200);
    const wait = expectThrottled(await tryLogin(ENGINEER, '127.0.0.3'));
    // A forged or altered device cookie counts as none.
    const [name, value] = device.split('=') as [string, string];
    expectThrottled(await tryLogin(ENGINEER, '127.0.0.3', `${name}=${value.slice(0, -2)}AA`));
    // Another account's device cookie does not vouch for this one.
    const adminDevice = await knownDevice(ADMIN, '127.0.0.4');
    expectThrottled(await tryLogin(ENGINEER, '127.0.0.3', adminDevice.replace(/^[^=]+/, name)));

    fresh.test.clock.advanceSeconds(wait);
    expect((await tryLogin(ENGINEER, '127.0.0.3')).status).toBe(200);
  });

  it('a stolen device cookie is throttled on its own, without slowing the account elsewhere', async () => {
    const device = await knownDevice(ENGINEER, '127.0.0.2');
    const answers: HttpAnswer[] = [];
    for (let i = 0; i < 8; i++) answers.push(await tryLogin({ username: ENGINEER.username, password: `guess-${i}` }, '127.0.0.9', device));
    expect(answers.map((answer) => answer.status)).toEqual([...Array(LOGIN_LIMITS.device.freeFailures).fill(401), ...Array(8 - LOGIN_LIMITS.device.freeFailures).fill(429)]);
    expect((await tryLogin(ENGINEER, '127.0.0.5')).status).toBe(200);
  });
});
