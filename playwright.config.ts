import { defineConfig } from '@playwright/test';

// Browsers cannot be downloaded here: Playwright drives Debian's Chromium. The flags keep Chromium
// from reaching for Google services on a closed network.
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

export default defineConfig({
  testDir: 'test/e2e',
  // The suite starts real servers, agents and simulators; one worker keeps a 2-core machine calm.
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    headless: true,
    launchOptions: chromiumLaunchOptions,
    trace: 'off',
  },
});
