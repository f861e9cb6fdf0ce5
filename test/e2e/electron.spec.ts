import { _electron as electron } from '@playwright/test';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { expect, test } from './stack';

// The Electron binary cannot be downloaded on these machines. Where it is installed (a developer's
// desktop, a packaging job), this launches the real desktop app against a running console; here it
// is reported as skipped, by name, rather than silently absent.
function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const root = resolve(import.meta.dirname, '../..');
const mainScript = resolve(root, 'console/desktop/dist/main.cjs');

test('the Electron desktop app opens the console in a sandboxed window', async ({ stack }) => {
  const binary = electronBinary();
  test.skip(!binary, 'Electron binary not installed (it cannot be downloaded here): desktop launch test skipped');
  test.skip(!existsSync(mainScript), 'desktop not built: run `npm run build:desktop`');

  const app = await electron.launch({
    executablePath: binary ?? undefined,
    args: [mainScript],
    env: { ...process.env, TILLSCOPE_SERVER_URL: stack.consoleUrl },
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByTestId('login-username')).toBeVisible();
    // No Node in the page: nodeIntegration off and contextIsolation on.
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    // Navigation away from the console is blocked by the main process.
    const before = window.url();
    await window.evaluate("location.href = 'https://example.invalid/'");
    await window.waitForTimeout(500);
    expect(window.url()).toBe(before);
  } finally {
    await app.close();
  }
});
