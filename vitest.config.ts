import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{agent,console,shared,scripts,test}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', '**/dist/**', 'test/e2e/**'],
    // sqlite3 and serialport are native modules: keep each test file in its own process.
    pool: 'forks',
    // Two files at a time even on a 2-core machine (vitest's default there is one): most
    // integration files wait on probe intervals and sockets, not the CPU. Measured on 2 cores:
    // 491 s with one worker, 342 s with two; three were faster still (265 s) but left short-timer
    // tests too little headroom.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
