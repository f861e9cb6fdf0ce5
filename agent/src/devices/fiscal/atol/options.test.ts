import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../config';
import { DEFAULT_FISCAL_THRESHOLDS } from '../../common/fiscal-rules';
import { deviceEndpoint } from '../../bind-device';
import { atolDriver } from './index';
import { AtolOptions, atolServiceUrl } from './options';

const config = (device: Record<string, unknown>) =>
  JSON.stringify({ server: 'https://console.example.ru', storeId: 'store-17', registerId: 'till-2', enrollmentToken: 'tok-12345678', dataDir: 'data', devices: [{ id: 'kkt', driver: 'atol', ...device }] });

describe('atol options', () => {
  it('defaults: the local web server, deviceID as a header, 2 s per request, devices.md thresholds', () => {
    expect(AtolOptions.parse({})).toEqual({
      url: 'http://127.0.0.1:16732',
      deviceIdIn: 'header',
      taskDeadlineMs: 2000,
      pollIntervalMs: 100,
      ismExchange: true,
      documentOpenField: 'receiptType',
      thresholds: DEFAULT_FISCAL_THRESHOLDS,
    });
    expect(AtolOptions.parse({ thresholds: { clockDriftSeconds: 60 } }).thresholds).toEqual({ ...DEFAULT_FISCAL_THRESHOLDS, clockDriftSeconds: 60 });
  });

  it('a device config without transport loads; the evidence target is the service URL', () => {
    const parsed = parseConfig(config({ options: { url: 'http://10.0.0.7:16732', deviceId: 'kkt-2' } }), '/etc/agent.json');
    const device = parsed.devices[0]!;
    expect(deviceEndpoint(device, atolDriver)).toEqual({ transport: 'http', target: 'http://10.0.0.7:16732 deviceID=kkt-2' });
    expect(atolServiceUrl(AtolOptions.parse({}))).toBe('http://127.0.0.1:16732');
  });

  it('a bad option stops the agent naming the field', () => {
    const error = (options: unknown, extra: Record<string, unknown> = {}) => {
      try {
        parseConfig(config({ options, ...extra }), '/etc/agent.json');
        return 'loaded';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(error({ url: 'ftp://x' })).toMatch(/^config error: devices\.0\.options\.url: must be an http:\/\/ or https:\/\/ URL/);
    expect(error({ url: 'http://agent:secret@127.0.0.1:16732' })).toMatch(/devices\.0\.options\.url: must not carry a user or password/);
    expect(error({ url: 'http://127.0.0.1:16732/api/v2' })).toMatch(/devices\.0\.options\.url: must be the server only/);
    expect(error({ user: 'agent' })).toMatch(/devices\.0\.options\.password: user and password go together/);
    expect(error({ deviceIdIn: 'cookie' })).toMatch(/devices\.0\.options\.deviceIdIn: must be "header"/);
    expect(error({ pollIntervalMs: 5000, taskDeadlineMs: 1000 })).toMatch(/devices\.0\.options\.pollIntervalMs: must be less than taskDeadlineMs/);
    expect(error({ thresholds: { fnUrgentDays: 40 } })).toMatch(/devices\.0\.options\.thresholds/);
    expect(error({ colour: 'red' })).toMatch(/devices\.0\.options/);
    expect(error({}, { transport: { kind: 'tcp', host: '127.0.0.1', port: 16732 } })).toMatch(/devices\.0\.transport: driver "atol" is reached through its local HTTP service/);
  });
});
