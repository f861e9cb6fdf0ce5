import { describe, expect, it } from 'vitest';
import { toolExchange } from './host-report';

describe('a tool run as evidence', () => {
  const ok = { kind: 'ok' as const, stdout: 'secret command line --password=x\n', stderr: '' };

  it('keeps the start of the output by default', () => {
    expect(toolExchange('ps', ['-e'], ok, 5).reply).toBe('secret command line --password=x\n');
  });

  it("keeps the probe's own evidence instead when it gives one (what matched, counts), as plain JSON", () => {
    const exchange = toolExchange('ps', ['-e'], ok, 5, (stdout) => ({ lines: stdout.split('\n').length - 1, matched: ['1cv8c'], skipped: undefined }));
    expect(exchange.reply).toEqual({ lines: 1, matched: ['1cv8c'] });
    expect(JSON.stringify(exchange)).not.toContain('password');
  });

  it("bounds the probe's evidence like raw output: too large becomes the start of its text", () => {
    const exchange = toolExchange('ps', ['-e'], ok, 5, () => ({ big: 'x'.repeat(20_000) }));
    expect(typeof exchange.reply).toBe('string');
    expect(JSON.stringify(exchange.reply).length).toBeLessThanOrEqual(8 * 1024);
  });

  it('has no reply for a run that printed nothing it could keep (missing, timeout)', () => {
    expect(toolExchange('ps', ['-e'], { kind: 'missing', message: 'ps not found' }, 0, () => 'never').reply).toBeNull();
  });
});
