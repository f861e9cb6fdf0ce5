import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allowedVerbs, ConfigError, loadConfig, parseConfig } from './config';
import { deviceEndpoint } from './devices/bind-device';
import { noMemory, type DeviceDriver, type DriverRegistry } from './devices/driver';
import { escposDriver } from './devices/receipt-printer/escpos';
import type { HostProbe, HostProbeRegistry } from './devices/host-probe';
import { createDriverRegistry } from './devices/registry';
import { isWithinTradingHours } from './host-config';
import { fakeHostProbe } from './probe-loop/fake-host-probe';

const valid = {
  server: 'https://console.example.ru',
  storeId: 'store-17',
  registerId: 'till-2',
  enrollmentToken: 'tok-12345678',
  dataDir: 'data',
  devices: [{ id: 'printer', driver: 'escpos', transport: { kind: 'tcp', host: '192.168.1.50' } }],
};

function load(content: unknown, file = '/etc/tillscope/agent.json') {
  const text = typeof content === 'string' ? content : JSON.stringify(content);
  return loadConfig(file, { readFile: async () => text });
}

describe('loadConfig', () => {
  it('fills the defaults and resolves dataDir against the config file folder', async () => {
    const config = await load(valid);
    expect(config.dataDir).toBe(path.resolve('/etc/tillscope', 'data'));
    expect(config.probeIntervalSec).toBe(10);
    expect(config.reportIntervalSec).toBe(60);
    expect(config.cashierPage).toEqual({ port: 8765, enabled: true });
    expect(config.devices[0]!.transport).toMatchObject({ kind: 'tcp', port: 9100 });
    expect(allowedVerbs(config)).toEqual(['probe_now', 'test_print', 'discover', 'collect_bundle', 'restart_print_service']);
  });

  it('takes an allow-list of remote actions, empty included, and names a verb it does not know', async () => {
    expect(allowedVerbs(await load({ ...valid, actions: { allow: ['probe_now'] } }))).toEqual(['probe_now']);
    expect(allowedVerbs(await load({ ...valid, actions: { allow: [] } }))).toEqual([]);
    expect(allowedVerbs(await load({ ...valid, actions: {} }))).toHaveLength(5);
    expect((await load({ ...valid, actions: { printServiceTool: '/opt/sim/systemctl' } })).actions?.printServiceTool).toBe('/opt/sim/systemctl');
    await expect(load({ ...valid, actions: { allow: ['probe_now', 'run_shell'] } })).rejects.toThrow(/^config error: actions\.allow\.1: /);
    await expect(load({ ...valid, actions: { deny: ['discover'] } })).rejects.toThrow(/^config error: actions: /);
  });

  it("gives a TCP device without a port its driver's own port: 7778 for a Shtrih-M register, 9100 for a printer", async () => {
    const kkt = { id: 'kkt', driver: 'shtrih-m', transport: { kind: 'tcp', host: '192.168.1.60' } };
    const config = await load({ ...valid, devices: [valid.devices[0], kkt, { ...kkt, id: 'kkt-2', transport: { ...kkt.transport, port: 12345 } }] });
    expect(config.devices.map((d) => d.transport)).toMatchObject([{ port: 9100 }, { port: 7778 }, { port: 12345 }]);
  });

  it('names the offending field', async () => {
    const bad = { ...valid, devices: [{ ...valid.devices[0], transport: { kind: 'tcp', host: 'x', port: 70000 } }] };
    await expect(load(bad)).rejects.toThrow(/^config error: devices\.0\.transport\.port: .*65535/);
  });

  it.each([
    [{ ...valid, server: 'ftp://x' }, 'server'],
    [{ ...valid, storeId: 'магазин 1' }, 'storeId'],
    [{ ...valid, probeIntervalSec: 0 }, 'probeIntervalSec'],
    [{ ...valid, cashierPage: { port: -1 } }, 'cashierPage.port'],
    [{ ...valid, reserveBytes: -1 }, 'reserveBytes'],
    [{ ...valid, reserveBytes: 1.5 }, 'reserveBytes'],
    [{ ...valid, devices: [valid.devices[0], valid.devices[0]] }, 'devices.1.id'],
    [(({ registerId: _omit, ...rest }) => rest)(valid), 'registerId'],
  ])('rejects %j naming %s', async (config, field) => {
    await expect(load(config)).rejects.toThrow(new RegExp(`config error: ${field.replace(/\./g, '\\.')}: `));
  });

  it('two devices on one serial path or one tcp host:port: a ConfigError naming both', async () => {
    const serial = { kind: 'serial', path: '/dev/ttyUSB0' };
    const onePath = { ...valid, devices: [{ id: 'printer', driver: 'escpos', transport: serial }, { id: 'kkt', driver: 'shtrih-m', transport: serial }] };
    await expect(load(onePath)).rejects.toThrow('config error: devices.1.transport: devices "printer" and "kkt" are both on serial port /dev/ttyUSB0');
    const tcp = (host: string, port: number) => ({ kind: 'tcp', host, port });
    const oneHost = { ...valid, devices: [{ id: 'a', driver: 'escpos', transport: tcp('10.0.0.5', 9100) }, { id: 'b', driver: 'escpos', transport: tcp('10.0.0.5', 9100) }] };
    await expect(load(oneHost)).rejects.toThrow(/devices "a" and "b" are both on tcp 10\.0\.0\.5:9100/);
    const twoPorts = { ...valid, devices: [{ id: 'a', driver: 'escpos', transport: tcp('10.0.0.5', 9100) }, { id: 'b', driver: 'shtrih-m', transport: tcp('10.0.0.5', 7778) }] };
    await expect(load(twoPorts)).resolves.toBeDefined();
  });

  it('reports a missing file and invalid JSON as config errors', async () => {
    const missing = loadConfig('/nope/agent.json', {
      readFile: async () => {
        throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      },
    });
    await expect(missing).rejects.toThrow(ConfigError);
    await expect(missing).rejects.toThrow(/cannot read \/nope\/agent\.json \(ENOENT\)/);
    await expect(load('{ "server": ')).rejects.toThrow(/not valid JSON/);
  });

  it('accepts a file saved with a BOM and no enrollment token', async () => {
    const { enrollmentToken: _t, ...rest } = valid;
    await expect(load(`\uFEFF${JSON.stringify(rest)}`)).resolves.toMatchObject({ storeId: 'store-17' });
  });
});

describe('devices checked against the driver registry', () => {
  const serviceDriver: DeviceDriver<{ url: string }, undefined> = {
    id: 'escpos', // the wire knows only escpos yet; the id does not matter to the config rules
    kind: 'fiscal',
    transports: ['http'],
    codes: ['fiscal.no_reply'],
    options: z.strictObject({ url: z.url().default('http://127.0.0.1:16732') }),
    createMemory: noMemory,
    serviceUrl: (options) => options.url,
    probe: () => Promise.reject(new Error('not probed here')),
  };
  const withDevice = (device: Record<string, unknown>) => JSON.stringify({ ...valid, devices: [{ id: 'dev', driver: 'escpos', ...device }] });
  const parseWith = (drivers: DriverRegistry, device: Record<string, unknown>) => parseConfig(withDevice(device), '/etc/agent.json', drivers);

  it('accepts only the registry\'s driver ids, and says which it has', () => {
    expect(() => parseWith(new Map(), { transport: { kind: 'tcp', host: 'x' } })).toThrow(/^config error: devices\.0\.driver: driver "escpos" is not in this agent \(it has: \)/);
    expect(() => parseWith(createDriverRegistry(), { driver: 'epson', transport: { kind: 'tcp', host: 'x' } })).toThrow(/^config error: devices\.0\.driver: must be one of: "escpos"/);
  });

  it('requires a transport of a kind the driver supports', () => {
    const escpos = createDriverRegistry();
    expect(() => parseWith(escpos, {})).toThrow(/^config error: devices\.0\.transport: required for driver "escpos" \(kind tcp or serial or usb\)/);
    const tcpOnly = new Map([['escpos' as const, { ...escposDriver, transports: ['tcp'] as const }]]);
    expect(() => parseWith(tcpOnly, { transport: { kind: 'serial', path: '/dev/ttyS0' } })).toThrow(/^config error: devices\.0\.transport\.kind: driver "escpos" supports "tcp", not "serial"/);
  });

  it('a driver reached over http has no transport; its options carry the URL, validated by its schema', () => {
    const drivers: DriverRegistry = new Map([['escpos', serviceDriver]]);
    expect(parseWith(drivers, {}).devices[0]).toMatchObject({ options: {} });
    expect(deviceEndpoint(parseWith(drivers, {}).devices[0]!, serviceDriver)).toEqual({ transport: 'http', target: 'http://127.0.0.1:16732' });
    expect(() => parseWith(drivers, { transport: { kind: 'tcp', host: 'x' } })).toThrow(/^config error: devices\.0\.transport: driver "escpos" is reached through its local HTTP service/);
    expect(() => parseWith(drivers, { options: { url: 'nope' } })).toThrow(/^config error: devices\.0\.options\.url: /);
  });
});

describe('config host section', () => {
  const hostProbes: HostProbeRegistry = new Map([['host-os', fakeHostProbe('host-os') as HostProbe]]);
  const parse = (host: unknown, extra: Record<string, unknown> = {}) => parseConfig(JSON.stringify({ ...valid, ...extra, host }), '/etc/agent.json', createDriverRegistry(), hostProbes);

  it('turns host probes on by default, each at its own default interval, no trading hours (always trading)', () => {
    const config = parseConfig(JSON.stringify(valid), '/etc/agent.json', createDriverRegistry(), hostProbes);
    expect(config.host).toEqual({ enabled: true, configFiles: [], probes: {} });
    expect(isWithinTradingHours(config.host.tradingHours, new Date())).toBe(true);
  });

  it('splits a probe entry into scheduling and the probe\'s own options, checked by its schema', () => {
    expect(parse({ intervalSec: 600, probes: { 'host-os': { intervalSec: 60, label: 'x' } } }).host).toMatchObject({
      intervalSec: 600,
      probes: { 'host-os': { enabled: true, intervalSec: 60, options: { label: 'x' } } },
    });
    expect(parse({ probes: { 'host-os': { enabled: false } } }).host.probes['host-os']).toEqual({ enabled: false, options: {} });
    expect(() => parse({ probes: { 'host-os': { lable: 'x' } } })).toThrow(/^config error: host\.probes\.host-os: Unrecognized key: "lable"/);
    expect(() => parse({ probes: { 'host-os': { intervalSec: 1 } } })).toThrow(/^config error: host\.probes\.host-os\.intervalSec: Too small/);
    expect(() => parse({ probes: { 'host-print': {} } })).toThrow(/^config error: host\.probes\.host-print: "host-print" is not in this agent \(it has: host-os\)/);
    expect(() => parse({ probes: { 'host-disk': {} } })).toThrow(/^config error: host\.probes\.host-disk: "host-disk" is not a host probe/);
    expect(() => parse({ probes: { 'host-os': 5 } })).toThrow(/^config error: host\.probes\.host-os: must be an object/);
    expect(() => parse({ enabeld: false })).toThrow(/^config error: host: Unrecognized key: "enabeld"/);
    expect(() => parse({ intervalSec: 5 })).toThrow(/^config error: host\.intervalSec: Too small/);
  });

  it('checks trading hours, the POS application and config file names', () => {
    expect(parse({ tradingHours: { from: '08:00', to: '22:00', days: [1, 2, 3, 4, 5] }, posApp: 'frontol', configFiles: [{ name: 'frontol.ini', path: 'C:\\Frontol\\frontol.ini' }] }).host).toMatchObject({
      tradingHours: { from: '08:00', to: '22:00' },
      posApp: 'frontol',
    });
    expect(() => parse({ tradingHours: { from: '8:00', to: '22:00' } })).toThrow(/^config error: host\.tradingHours\.from: a time of day "HH:MM"/);
    expect(() => parse({ tradingHours: { from: '08:00', to: '22:00', timeZone: 'Mars/Olympus' } })).toThrow(/host\.tradingHours\.timeZone: an IANA time zone/);
    expect(() => parse({ posApp: 'kassa' })).toThrow(/^config error: host\.posApp:/);
    const twice = [{ name: 'a.ini', path: '/a' }, { name: 'a.ini', path: '/b' }];
    expect(() => parse({ configFiles: twice })).toThrow(/^config error: host\.configFiles\.1\.name: duplicate config file name "a\.ini"/);
  });

  it('refuses a device named like a host probe (their reports share deviceIds)', () => {
    expect(() => parse(undefined, { devices: [{ ...valid.devices[0], id: 'host-os' }] })).toThrow(/^config error: devices\.0\.id: "host-os" is the name of a host probe's reports/);
  });
});

describe('trading hours', () => {
  // 2026-03-02 is a Monday; Europe/Moscow is UTC+3 all year.
  const at = (iso: string) => new Date(iso);
  it('holds within from..to, runs past midnight when to < from, and keeps to its weekdays', () => {
    const day = { from: '08:00', to: '22:00', timeZone: 'Europe/Moscow' };
    expect(isWithinTradingHours(day, at('2026-03-02T05:00:00Z'))).toBe(true); // 08:00 MSK
    expect(isWithinTradingHours(day, at('2026-03-02T04:59:00Z'))).toBe(false);
    expect(isWithinTradingHours(day, at('2026-03-02T19:00:00Z'))).toBe(false); // 22:00 MSK: closed
    const night = { from: '20:00', to: '02:00', timeZone: 'Europe/Moscow' };
    expect(isWithinTradingHours(night, at('2026-03-02T22:30:00Z'))).toBe(true); // 01:30 MSK
    expect(isWithinTradingHours(night, at('2026-03-02T12:00:00Z'))).toBe(false);
    const weekdays = { ...day, days: [1, 2, 3, 4, 5] };
    expect(isWithinTradingHours(weekdays, at('2026-03-02T09:00:00Z'))).toBe(true); // Monday
    expect(isWithinTradingHours(weekdays, at('2026-03-01T09:00:00Z'))).toBe(false); // Sunday
    expect(isWithinTradingHours({ from: '00:00', to: '00:00' }, at('2026-03-01T03:00:00Z'))).toBe(true);
  });
});
