import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { closeConsoleServices, createApp, createConsoleServices } from '../create-app';
import { openConsoleDatabase } from '../db/console-database';
import { ADMIN, recordingLogger, startTestConsole, type TestConsole } from '../test-support/console-harness';
import { httpJson, type HttpAnswer } from '../test-support/http-from';

// Every case is a real login over a real socket; the Set-Cookie lines are read as sent.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function started(overrides: Parameters<typeof startTestConsole>[0] = {}): Promise<TestConsole> {
  const test = await startTestConsole(overrides);
  cleanups.push(() => test.dispose());
  return test;
}

/** The Secure flag of the session and device cookies of one answer (undefined: no such cookie). */
function secureFlags(answer: HttpAnswer): { session?: boolean; device?: boolean } {
  expect(answer.status).toBe(200);
  const flag = (prefix: string) => {
    const line = answer.setCookies.find((cookie) => cookie.startsWith(prefix));
    return line === undefined ? undefined : /;\s*Secure(;|$)/i.test(line);
  };
  return { session: flag('tillscope_session='), device: flag('tillscope_device_') };
}

const loginAs = (url: string, headers: Record<string, string> = {}, ca?: string) => httpJson(url, 'POST', '/api/auth/login', ADMIN, { headers, ca });
const NOT_SECURE = { session: false, device: false };
const SECURE = { session: true, device: true };

describe('Secure cookies', () => {
  it('over plain HTTP are not Secure, and X-Forwarded-Proto from an untrusted client changes nothing', async () => {
    const { server } = await started();
    expect(secureFlags(await loginAs(server.url))).toEqual(NOT_SECURE);
    expect(secureFlags(await loginAs(server.url, { 'x-forwarded-proto': 'https' }))).toEqual(NOT_SECURE);
  });

  it('behind a trusted proxy follow X-Forwarded-Proto, on login and logout', async () => {
    const { server } = await started({ trustProxy: 'loopback' });
    expect(secureFlags(await loginAs(server.url))).toEqual(NOT_SECURE);
    const overHttps = await loginAs(server.url, { 'x-forwarded-proto': 'https' });
    expect(secureFlags(overHttps)).toEqual(SECURE);
    const session = overHttps.setCookies.find((line) => line.startsWith('tillscope_session='))!.split(';')[0]!;
    const logout = await httpJson(server.url, 'POST', '/api/auth/logout', {}, { cookie: session, headers: { 'x-forwarded-proto': 'https' } });
    expect(logout.setCookies[0]).toMatch(/^tillscope_session=;.*;\s*Secure/i);
  });

  it('with secureCookies are always Secure', async () => {
    const { server } = await started({ secureCookies: true });
    expect(secureFlags(await loginAs(server.url))).toEqual(SECURE);
  });

  it('served over HTTPS directly are Secure without any option', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tillscope-https-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const { key, cert } = await selfSignedCertificate(dir);
    const db = await openConsoleDatabase(dir);
    const services = createConsoleServices({
      db, now: () => new Date(), logger: recordingLogger(), heartbeatIntervalMs: 30_000, allowedOrigins: [],
    });
    const server = createServer({ key, cert }, createApp(services, { rendererDir: dir }));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeConsoleServices(services);
      await db.close();
    });
    await services.users.createUser({ ...ADMIN, displayName: 'Admin', role: 'admin', groups: [] });
    expect(secureFlags(await loginAs(`https://127.0.0.1:${(server.address() as AddressInfo).port}`, {}, cert))).toEqual(SECURE);
  });
});

describe('the command line', () => {
  it('--secure-cookies makes every cookie Secure; --trust-proxy lets a proxy say the request was HTTPS', async () => {
    const secure = await startCli(['--secure-cookies']);
    expect(secureFlags(await loginAs(secure.url))).toEqual(SECURE);

    const proxied = await startCli(['--trust-proxy', 'loopback']);
    expect(secureFlags(await loginAs(proxied.url))).toEqual(NOT_SECURE);
    expect(secureFlags(await loginAs(proxied.url, { 'x-forwarded-proto': 'https' }))).toEqual(SECURE);
  }, 60_000);
});

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

/** Runs `tsx console/server/src/main.ts` as `npm run console` does, on a free port and a fresh data dir. */
async function startCli(args: string[]): Promise<{ url: string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tillscope-cli-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', MAIN, '--data-dir', dataDir, '--port', '0', '--create-admin', `${ADMIN.username}:${ADMIN.password}`, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    await rm(dataDir, { recursive: true, force: true });
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let stdout = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Tillscope console at (http:\/\/\S+)/.exec(stdout);
      if (match) resolve({ url: match[1]! });
    });
    child.once('exit', (code) => reject(new Error(`console exited (${code}) before listening: ${stderr}`)));
  });
}

/** A throwaway certificate for localhost and 127.0.0.1, made with the openssl command line. */
async function selfSignedCertificate(dir: string): Promise<{ key: string; cert: string }> {
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', keyFile, '-out', certFile,
  ]);
  return { key: await readFile(keyFile, 'utf8'), cert: await readFile(certFile, 'utf8') };
}
