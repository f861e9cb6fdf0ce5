import { vi } from 'vitest';

/** Polls until `check` holds; fails the test with `what` if it never does. Test code only (imports vitest). */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await check())) throw new Error(`still waiting for: ${what}`);
    },
    { timeout: timeoutMs, interval: 10 },
  );
}
