import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{agent,console,shared,scripts,test}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', '**/dist/**', 'test/e2e/**'],
    // sqlite3 and serialport are native modules: keep each test file in its own process.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
