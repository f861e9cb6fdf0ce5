import { describe, expect, it } from 'vitest';
import { PrinterModel } from './models';
import { HEALTHY_PRINTER, PrinterResponder, type PrinterFaults } from './printer-state';
import { runCli } from './cli';
import { startEscPosSimulator } from './simulator';

/** What a model answers to `bytes`, in order (all replies' bytes concatenated). */
function answers(model: PrinterModel, bytes: number[], faults: Partial<PrinterFaults> = {}): number[] {
  const responder = new PrinterResponder(() => ({ ...HEALTHY_PRINTER, ...faults }), { mask: 0 }, () => model);
  return responder.receive(Uint8Array.from(bytes)).flatMap((r) => r.bytes);
}

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

describe('simulator models, byte for byte', () => {
  it('epson: DLE EOT 1..4, GS I 1/2/3 (1-byte IDs 0xx0xxxx) and blocks 65..68 (5F … 00)', () => {
    expect(answers('epson', [0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4])).toEqual([0x12, 0x12, 0x12, 0x12]);
    expect(answers('epson', [0x1d, 0x49, 1, 0x1d, 0x49, 2, 0x1d, 0x49, 3])).toEqual([0x20, 0x02, 0x01]);
    expect(answers('epson', [0x1d, 0x49, 65])).toEqual([0x5f, ...ascii('1.28'), 0x00]);
    expect(answers('epson', [0x1d, 0x49, 66])).toEqual([0x5f, ...ascii('EPSON'), 0x00]);
    expect(answers('epson', [0x1d, 0x49, 67])).toEqual([0x5f, ...ascii('TM-T88V'), 0x00]);
    expect(answers('epson', [0x1d, 0x49, 68])).toEqual([0x5f, ...ascii('SIM0000001'), 0x00]);
    expect(answers('epson', [0x1d, 0x61, 0x0f])).toEqual([0x10, 0x00, 0x00, 0x00]);
  });

  it('epson: GS g 2 0 nL nH, the cumulative maintenance counters as decimal ASCII blocks', () => {
    expect(answers('epson', [0x1d, 0x67, 0x32, 0x00, 178, 0x00])).toEqual([0x5f, ...ascii('4321'), 0x00]);
    expect(answers('epson', [0x1d, 0x67, 0x32, 0x00, 20, 0x00])).toEqual([]);
  });

  it('epson: GS I and GS g 2 wait behind print data: not answered while offline', () => {
    expect(answers('epson', [0x1d, 0x49, 1, 0x10, 0x04, 1], { paperEnd: true })).toEqual([0x1a]);
  });

  it('clone: DLE EOT 1 and 4 only; no ASB, no GS I', () => {
    expect(answers('clone', [0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4], { paperEnd: true })).toEqual([0x1a, 0x72]);
    expect(answers('clone', [0x1d, 0x61, 0x0f, 0x1d, 0x49, 1, 0x1d, 0x49, 67])).toEqual([]);
  });

  it('silent: nothing, whatever it is sent', () => {
    expect(answers('silent', [0x10, 0x04, 1, 0x1d, 0x49, 1, 0x1d, 0x61, 0x0f, 0x05])).toEqual([]);
  });

  it('every model swallows a standalone ENQ (05) as print data', () => {
    for (const model of PrinterModel.options) expect(answers(model, [0x05])).toEqual([]);
  });
});

describe('switching the model through the control interface', () => {
  it('GET/PUT /model; a bad model is 400; faults survive a switch', async () => {
    const sim = await startEscPosSimulator({ control: { port: 0 }, model: 'clone', faults: { paperEnd: true } });
    try {
      const url = `http://127.0.0.1:${sim.controlPort}/model`;
      expect(await (await fetch(url)).json()).toEqual({ model: 'clone' });
      const put = await fetch(url, { method: 'PUT', body: JSON.stringify({ model: 'epson' }) });
      expect(await put.json()).toEqual({ model: 'epson' });
      expect(sim.getModel()).toBe('epson');
      expect((await fetch(url, { method: 'PUT', body: '{"model":"star"}' })).status).toBe(400);
      expect(sim.getFaults().paperEnd).toBe(true);
    } finally {
      await sim.close();
    }
  });
});

describe('npm run sim:printer -- --model', () => {
  const io = (lines: string[]) => ({ log: (line: string) => lines.push(line), onStop: () => {} });
  it('--help documents the models; an unknown model is a clear error', async () => {
    const lines: string[] = [];
    await runCli(['--help'], io(lines));
    expect(lines.join('\n')).toMatch(/--model epson\|clone\|silent/);
    await expect(runCli(['--model', 'star', '--help'], io([]))).rejects.toThrow('--model must be epson, clone or silent, not "star"');
  });
});
