import { describe, expect, it } from 'vitest';
import { createRunCommand, describeCommandFailure, type CommandRequest } from './run-command';

// Real child processes (node itself as the tool): the seam is the one place that meets the OS.
const run = createRunCommand();
const node = (script: string, extra: Partial<CommandRequest> = {}): CommandRequest => ({
  file: process.execPath,
  args: ['-e', script],
  timeoutMs: 5_000,
  maxOutputBytes: 64 * 1024,
  ...extra,
});

describe('runCommand', () => {
  it('returns stdout and stderr of a tool that exits 0, with the request env over the base env', async () => {
    const script = 'process.stdout.write(process.env.LC_ALL + "|" + process.argv[1]); process.stderr.write("note")';
    const result = await run(node(script, { args: ['-e', script, 'a b;$(x)'], env: { LC_ALL: 'C' } }));
    // the argument with a space, a semicolon and $( ) arrives as one argument: no shell
    expect(result).toEqual({ kind: 'ok', stdout: 'C|a b;$(x)', stderr: 'note' });
  });

  it('tells a non-zero exit with its stderr', async () => {
    const result = await run(node('process.stderr.write("lpstat: Invalid destination name\\n"); process.exit(1)'));
    expect(result).toEqual({ kind: 'exit', exitCode: 1, stdout: '', stderr: 'lpstat: Invalid destination name\n' });
    if (result.kind === 'exit') expect(describeCommandFailure('lpstat', result)).toBe('lpstat exited with code 1: lpstat: Invalid destination name');
  });

  it('tells a missing tool (ENOENT)', async () => {
    const result = await run({ file: 'tillscope-no-such-tool', args: [], timeoutMs: 5_000, maxOutputBytes: 1024 });
    expect(result.kind).toBe('missing');
  });

  it('kills a hanging tool at its timeout', async () => {
    const result = await run(node('setInterval(() => {}, 1000)', { timeoutMs: 300 }));
    expect(result).toEqual({ kind: 'timeout', timeoutMs: 300 });
  });

  it('kills a tool that writes more than the bound', async () => {
    const result = await run(node('process.stdout.write("x".repeat(100000)); setInterval(() => {}, 1000)', { maxOutputBytes: 1000 }));
    expect(result).toEqual({ kind: 'too_large', maxOutputBytes: 1000 });
  });

  it('kills a tool when the caller aborts', async () => {
    const controller = new AbortController();
    const pending = run(node('setInterval(() => {}, 1000)', { signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);
    expect(await pending).toEqual({ kind: 'canceled' });
  });
});
