import { defineConfig } from 'vitest/config';

const INCLUDE = ['{agent,console,shared,scripts,test}/**/*.test.{ts,tsx}'];
const EXCLUDE = ['**/node_modules/**', '**/dist/**', 'test/e2e/**'];
/** Files that mock modules (the desktop's faked `electron`) or run in jsdom: each in a fresh process. */
const ISOLATED = ['console/desktop/**/*.test.ts', '**/*.dom.test.{ts,tsx}'];

export default defineConfig({
  test: {
    // sqlite3 and serialport are native modules: test files run in child processes.
    pool: 'forks',
    // Two files at a time even on a 2-core machine (vitest's default there is one): most
    // integration files wait on probe intervals and sockets, not the CPU. Measured on 2 cores:
    // 491 s with one worker, 342 s with two; three were faster still (265 s) but left short-timer
    // tests too little headroom.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      // The code has no import-time side effects or singletons (one create…() per app), so files
      // may share a process and its loaded modules: importing them again in each of 280 files took
      // 197 s of 487 (2 cores); shared, 35 s of 375.
      { extends: true, test: { name: 'shared-process', include: INCLUDE, exclude: [...EXCLUDE, ...ISOLATED], isolate: false } },
      { extends: true, test: { name: 'isolated', include: ISOLATED, exclude: EXCLUDE } },
    ],
  },
});
