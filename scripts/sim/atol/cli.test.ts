import { describe, expect, it } from 'vitest';
import { runCli } from './cli';

describe('npm run sim:atol', () => {
  it('starts with the given state, auth and device ids, prints where it listens, and stops', async () => {
    const lines: string[] = [];
    let stop: (() => void) | undefined;
    const done = runCli(['--port', '0', '--state', '{"paperPresent":false}', '--user', 'u', '--password', 'p', '--device-id', 'kkt-1'], { log: (line) => lines.push(line), onStop: (s) => (stop = s) });
    await expect.poll(() => stop).toBeDefined();
    const url = /on (http:\/\/127\.0\.0\.1:\d+)\/api\/v2\/requests/.exec(lines[0] ?? '')?.[1];
    expect(url).toBeDefined();
    expect((await fetch(`${url}/api/v2/requests/x`)).status).toBe(401);
    expect(lines.join('\n')).toContain('"paperPresent":false');
    stop!();
    await done;
    expect(lines.at(-1)).toBe('simulator stopped');
  });

  it('refuses a bad port and a user without a password', async () => {
    const io = { log: () => undefined, onStop: () => undefined };
    await expect(runCli(['--port', '70000'], io)).rejects.toThrow(/port number/);
    await expect(runCli(['--user', 'u'], io)).rejects.toThrow(/go together/);
  });
});
