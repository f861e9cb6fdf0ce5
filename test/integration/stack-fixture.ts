// One in-process stack per describe block for end-to-end tests (scripts/lib/stack.ts): a fresh data
// folder, the agent probing every second and reporting every two, started before the block's tests;
// stopped and its folder removed after them. Read `stack` and `api` inside tests and hooks only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { NO_HOLDS } from '../../console/server/src/noise/noise-settings';
import { startStack, type Stack, type StackOptions } from '../../scripts/lib/stack';
import { consoleClient } from './console-client';

export interface EndToEndStack {
  readonly stack: Stack;
  readonly api: ReturnType<typeof consoleClient>;
}

export function useEndToEndStack(
  name: string,
  options: Pick<StackOptions, 'registers' | 'ptyAvailable' | 'hostConfigFiles' | 'noise'>,
  /** runs before the stack stops, e.g. to collect what its simulators received */
  beforeStop?: (stack: Stack) => void,
): EndToEndStack {
  let dataDir: string | undefined;
  let started: EndToEndStack | undefined;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), `tillscope-${name}-`));
    // Tickets open at once: these tests are about the path from a device to the console, not about holds.
    const stack = await startStack({ dataDir, agentMode: 'in-process', probeIntervalSec: 1, reportIntervalSec: 2, noise: NO_HOLDS, ...options });
    started = { stack, api: consoleClient(stack) };
  });
  afterAll(async () => {
    if (started) beforeStop?.(started.stack);
    await started?.stack.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  const get = (): EndToEndStack => {
    if (!started) throw new Error(`the ${name} stack is read before it started`);
    return started;
  };
  return {
    get stack() {
      return get().stack;
    },
    get api() {
      return get().api;
    },
  };
}
