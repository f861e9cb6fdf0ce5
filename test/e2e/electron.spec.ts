import { _electron as electron } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { expect, test } from './stack';

// The Electron binary cannot be downloaded on these machines. Where it is installed (a developer's
// desktop, a packaging job), this launches the real desktop app against a running console; here it
// is reported as skipped, by name, rather than silently absent.
function electronBinary(): string | null {
  if (process.env.TILLSCOPE_ELECTRON_PATH) return existsSync(process.env.TILLSCOPE_ELECTRON_PATH) ? process.env.TILLSCOPE_ELECTRON_PATH : null;
  // Never `require('electron')` to find it: with the binary missing, that starts a download.
  try {
    const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const pathFile = join(packageDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
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
