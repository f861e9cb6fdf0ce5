import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../config';
import { DEFAULT_FISCAL_THRESHOLDS } from '../../common/fiscal-rules';
import { ShtrihOptions } from './options';

/** The README's example config, with `options` replaced. */
const config = (options: unknown) =>
  JSON.stringify({
    server: 'http://127.0.0.1:8080',
    storeId: 'msk-001',
    registerId: 'pos-1',
    dataDir: '.',
    devices: [{ id: 'kkt', driver: 'shtrih-m', model: 'Штрих-М-01Ф', transport: { kind: 'tcp', host: '192.168.1.60', port: 7778 }, options }],
  });

describe('shtrih-m options', () => {
  it('all default: password 30, protocol 1, 100 ms between bytes, the devices.md thresholds', () => {
    expect(ShtrihOptions.parse({})).toMatchObject({ password: 30, protocol: 1, byteTimeoutMs: 100, replyTimeoutMs: 1000, criticalErrorBit: 7, paperFromFlags: true, coverFromFlags: true, thresholds: DEFAULT_FISCAL_THRESHOLDS });
    expect(ShtrihOptions.parse({ thresholds: { clockDriftSeconds: 60 } }).thresholds).toEqual({ ...DEFAULT_FISCAL_THRESHOLDS, clockDriftSeconds: 60 });
  });

  it('the README example config loads', () => {
    expect(parseConfig(config({ password: 30 }), 'agent.json').devices[0]).toMatchObject({ driver: 'shtrih-m', options: { password: 30 } });
  });

  it.each([
    [{ password: -1 }, 'devices.0.options.password'],
    [{ protocol: 2 }, 'devices.0.options.protocol: only protocol 1'],
    [{ criticalErrorBit: 5 }, 'devices.0.options.criticalErrorBit: must be 7 (the default) or 6'],
    [{ thresholds: { fnUrgentDays: 40 } }, 'devices.0.options.thresholds'],
    [{ pasword: 30 }, 'devices.0.options'],
  ])('a bad option stops the agent naming the field: %j', (options, named) => {
    expect(() => parseConfig(config(options), 'agent.json')).toThrow(named);
  });

  it('a Shtrih-M register needs a byte transport, not http', () => {
    expect(() => parseConfig(config({}).replace(/"transport":\{[^}]*\},/, ''), 'agent.json')).toThrow('devices.0.transport: required for driver "shtrih-m"');
  });
});
