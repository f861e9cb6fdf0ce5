import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// End-to-end tests drive a real stack (console server, agents, simulated printers) started in its
// own process by scripts/lib/stack-cli.ts, and set printer faults through each simulator's HTTP
// control port, exactly as a person driving the demo would.

export interface StackRegisterInfo {
  key: string;
  storeId: string;
  registerId: string;
  cashierUrl: string;
  controlUrl: string;
  printerTransport: 'tcp' | 'pty';
  /** the register's simulated host parts (scripts/sim/host), when the stack runs host probes */
  hostControlUrl?: string;
}
export interface StackInfo {
  consoleUrl: string;
  users: { engineer: { username: string; password: string }; admin: { username: string; password: string } };
  registers: StackRegisterInfo[];
}

const root = resolve(import.meta.dirname, '../..');

async function startStackProcess(dataDir: string, extraArgs: readonly string[]): Promise<{ info: StackInfo; child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/lib/stack-cli.ts', '--data-dir', dataDir, '--registers', '2', '--verbose', ...extraArgs], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The stack's own log (server and agents), kept bounded, for explaining a failed test.
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
  });
  const info = await new Promise<StackInfo>((resolveInfo, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => l.startsWith('STACK '));
      if (line) resolveInfo(JSON.parse(line.slice('STACK '.length)) as StackInfo);
    });
    child.once('exit', (code) => reject(new Error(`stack exited with ${code}:\n${output}`)));
  });
  return { info, child, output: () => output };
}

interface StackProcess {
  info: StackInfo;
  output: () => string;
}

/** A test type whose worker runs one stack, started by stack-cli.ts with `extraArgs`. */
function stackTest(extraArgs: readonly string[]) {
  return base.extend<{ stackDiagnostics: void }, { stackProcess: StackProcess; stack: StackInfo }>({
    stackProcess: [
      async ({}, use) => {
        const dataDir = mkdtempSync(join(tmpdir(), 'tillscope-e2e-'));
        const { info, child, output } = await startStackProcess(dataDir, extraArgs);
        await use({ info, output });
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
        rmSync(dataDir, { recursive: true, force: true });
      },
      { scope: 'worker', timeout: 60_000 },
    ],
    stack: [async ({ stackProcess }, use) => use(stackProcess.info), { scope: 'worker' }],
    // A failed test gets what the server and agents logged while it ran, and the tickets as the
    // API saw them at the end, so a failure on CI can be explained without re-running it.
    stackDiagnostics: [
      async ({ stackProcess }, use, testInfo) => {
        const logFrom = stackProcess.output().length;
        await use();
        if (testInfo.status === testInfo.expectedStatus) return;
        const log = stackProcess.output().slice(logFrom);
        await testInfo.attach('stack.log', { body: log, contentType: 'text/plain' });
        process.stdout.write(`\n--- stack log during "${testInfo.title}" (last 60 lines) ---\n${log.split('\n').slice(-60).join('\n')}\n---\n`);
      },
      { auto: true },
    ],
  });
}

/** The stack most specs share: two registers, no host probes. */
export const test = stackTest([]);
/** A stack whose agents run host probes (every 10 s), with a host simulator per register. */
export const hostTest = stackTest(['--host-probes']);
export { expect };

export function register(stack: StackInfo, key: string): StackRegisterInfo {
  const found = stack.registers.find((r) => r.key === key);
  if (!found) throw new Error(`no register ${key}`);
  return found;
}

/** PUT a JSON body to a simulator's control interface; rejects on anything but a 2xx. */
export async function putJson(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`PUT ${url} failed: ${response.status} ${await response.text()}`);
}

export async function setFaults(target: StackRegisterInfo, patch: Record<string, unknown>): Promise<void> {
  await putJson(`${target.controlUrl}/faults`, patch);
}

export async function loginAsEngineer(page: Page, stack: StackInfo): Promise<void> {
  await loginAs(page, stack, stack.users.engineer);
}

export async function loginAsAdmin(page: Page, stack: StackInfo): Promise<void> {
  await loginAs(page, stack, stack.users.admin);
}

async function loginAs(page: Page, stack: StackInfo, user: { username: string; password: string }): Promise<void> {
  await page.goto(stack.consoleUrl);
  await page.getByTestId('login-username').fill(user.username);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('queue')).toBeVisible();
}
