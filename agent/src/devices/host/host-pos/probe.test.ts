import { DeviceReport, type PosAppId } from '@tillscope/shared';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHostFixture, replayHostOs, withRuns, type HostFixture } from '../../../os/host-os-replay';
import type { HostProbeContext } from '../../host-probe';
import { HostPosOptions } from './options';
import { probeHostPos } from './probe';
import { LINUX_DPKG, LINUX_PS, WINDOWS_PROCESSES, WINDOWS_UNINSTALL, windowsServices } from './protocol';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const linux = loadHostFixture(FIXTURES, 'linux-recorded');
const win10 = loadHostFixture(FIXTURES, 'win10-frontol-transcribed');
const win11ru = loadHostFixture(FIXTURES, 'win11-ru-1c-transcribed');

interface Setup {
  options?: unknown;
  trading?: boolean;
  posApp?: PosAppId;
  configFiles?: { name: string; path: string }[];
}

async function probe(fixture: HostFixture, setup: Setup = {}) {
  const ctx: HostProbeContext<HostPosOptions> = {
    options: HostPosOptions.parse(setup.options ?? {}),
    memory: undefined,
    os: replayHostOs(fixture),
    host: { isTradingHours: () => setup.trading ?? true, devices: [], fiscalAttached: false, agentVersion: 'test', configFiles: setup.configFiles ?? [], ...(setup.posApp ? { posApp: setup.posApp } : {}) },
    now: () => new Date('2026-11-30T12:00:00Z'),
    signal: new AbortController().signal,
  };
  const report = DeviceReport.parse(await probeHostPos(ctx)); // every report must pass the wire schema
  if (report.host?.section !== 'pos') throw new Error('no pos section');
  return { report, pos: report.host };
}

const codes = (report: DeviceReport) => report.findings.map((f) => f.code);

describe('host-pos on recorded Linux (Debian 12)', () => {
  it('finds 1C running by its process and the ATOL web server by its Java command line; dpkg has neither', async () => {
    const { report, pos } = await probe(linux);
    expect(pos.apps).toEqual([{ id: '1c', name: '1С:Предприятие 8', installed: true, running: true, source: 'process 1cv8c' }]);
    expect(pos.fiscalStack).toEqual([{ id: 'atol-web-server', name: 'АТОЛ: Web-сервер драйвера ККТ v10', installed: true, running: true, source: 'command line with AtolWebServer.jar' }]);
    expect(report.health).toBe('ok');
    expect(report.checked).toEqual(expect.arrayContaining(['host.pos_app_not_running', 'host.check_failed']));
    expect(pos.unchecked).toEqual([]);
  });

  it('keeps no command line in the evidence (they may carry passwords), only what matched', async () => {
    const { report } = await probe(linux);
    const evidence = JSON.stringify(report.evidence);
    expect(evidence).not.toContain('/tmp/rec');
    expect(evidence).not.toContain('-Ddb.directory');
    expect(report.evidence.exchanges.map((e) => e.label)).toEqual([[LINUX_PS.file, ...LINUX_PS.args].join(' '), [LINUX_DPKG.file, ...LINUX_DPKG.args].join(' ')]);
  });

  it('finds Artix by its install folder; running cannot be told without a process to look for, so the code is not vouched for', async () => {
    const { report, pos } = await probe({ ...linux, dirs: { '/linuxcash/cash': ['conf'] } }, { posApp: 'artix' });
    expect(pos.apps.find((a) => a.id === 'artix')).toEqual({ id: 'artix', name: 'Artix', installed: true, running: null, source: 'folder /linuxcash/cash' });
    expect(report.findings).toEqual([]);
    expect(report.checked).not.toContain('host.pos_app_not_running');
  });

  it('an expected application that is neither installed nor running is a finding during trading hours only', async () => {
    const trading = await probe(linux, { posApp: 'frontol' });
    expect(trading.pos.expectedApp).toBe('frontol');
    expect(trading.report.findings).toEqual([{ code: 'host.pos_app_not_running', detail: 'Frontol (not found) is expected but neither installed nor running' }]);
    expect(trading.report.health).toBe('fault');
    const night = await probe(linux, { posApp: 'frontol', trading: false });
    expect(night.report.findings).toEqual([]);
    expect(night.report.checked).toContain('host.pos_app_not_running');
  });

  it('hashes the configured files: a missing one is a fact, an unreadable one could not be checked', async () => {
    const fixture = { ...linux, files: { '/etc/pos/app.conf': { text: 'a=1\n', modifiedAt: '2026-11-01T00:00:00.000Z' }, '/etc/pos/secret.conf': { error: 'denied' as const } } };
    const configFiles = [{ name: 'app.conf', path: '/etc/pos/app.conf' }, { name: 'gone.conf', path: '/etc/pos/gone.conf' }, { name: 'secret.conf', path: '/etc/pos/secret.conf' }];
    const { report, pos } = await probe(fixture, { configFiles });
    expect(pos.configFiles).toEqual([
      { name: 'app.conf', path: '/etc/pos/app.conf', sha256: createHash('sha256').update('a=1\n').digest('hex'), sizeBytes: 4, modifiedAt: '2026-11-01T00:00:00.000Z' },
      { name: 'gone.conf', path: '/etc/pos/gone.conf', sha256: null, error: 'missing' },
      { name: 'secret.conf', path: '/etc/pos/secret.conf', sha256: null, error: 'permission denied' },
    ]);
    expect(pos.unchecked).toEqual([{ fact: 'configFiles.secret.conf', reason: '/etc/pos/secret.conf: permission denied' }]);
    expect(codes(report)).toEqual(['host.check_failed']);
  });
});

describe('host-pos on transcribed Windows', () => {
  it('Windows 10: Frontol running with its version, the ATOL driver v10 installed', async () => {
    const { report, pos } = await probe(win10, { posApp: 'frontol', configFiles: [{ name: 'settings.ini', path: 'D:\\Frontol\\settings.ini' }] });
    expect(pos.apps).toEqual([{ id: 'frontol', name: 'Frontol 6', version: '6.20.2.0', installed: true, running: true, source: 'registry Uninstall: Frontol 6; process frontol' }]);
    expect(pos.fiscalStack).toEqual([{ id: 'atol-driver-10', name: 'АТОЛ: Драйвер ККТ v.10', version: '10.10.4.0', installed: true, running: null, source: 'registry Uninstall: АТОЛ: Драйвер ККТ v.10' }]);
    expect(pos.configFiles[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.health).toBe('ok');
  });

  it('Russian Windows 11: 1С found by its Cyrillic Uninstall name and folder, not running → a finding in trading hours', async () => {
    const { report, pos } = await probe(win11ru);
    expect(pos.apps).toEqual([{ id: '1c', name: '1С:Предприятие 8 (8.3.25.1257)', version: '8.3.25.1257', installed: true, running: false, source: 'registry Uninstall: 1С:Предприятие 8 (8.3.25.1257); folder C:\\Program Files\\1cv8' }]);
    expect(pos.fiscalStack.map((s) => [s.id, s.version])).toEqual([['shtrih-driver', '5.18.0.1042']]);
    expect(codes(report)).toEqual(['host.pos_app_not_running']);
  });

  it('reads configured services (only those) and counts a running one as running', async () => {
    const options = { fiscalStack: { 'atol-web-server': { label: 'ATOL web server', services: ['ExampleFiscalService'] } } };
    const services = windowsServices(['ExampleFiscalService']);
    const fixture = withRuns(win11ru, { ...services, exitCode: 0, stdout: '{"Name":"ExampleFiscalService","DisplayName":"Пример","Status":"Running","StartType":"Automatic"}' });
    const { pos } = await probe(fixture, { options });
    expect(pos.fiscalStack.find((s) => s.id === 'atol-web-server')).toEqual({ id: 'atol-web-server', name: 'ATOL web server', installed: true, running: true, source: 'service ExampleFiscalService (running, auto); service ExampleFiscalService running' });
  });
});

describe('host-pos when a tool fails: "could not check", never a crash or a false OK', () => {
  it('PowerShell missing: nothing read, running unknown, no pos_app finding and no clearing it', async () => {
    const fixture = withRuns(win11ru, { ...WINDOWS_PROCESSES, result: 'missing' }, { ...WINDOWS_UNINSTALL, result: 'missing' });
    const { report, pos } = await probe(fixture);
    expect(pos.apps).toEqual([{ id: '1c', name: '1С:Предприятие 8', installed: true, running: null, source: 'folder C:\\Program Files\\1cv8' }]);
    expect(pos.unchecked.map((u) => u.fact)).toEqual(['processes', 'apps.uninstall', 'fiscalStack.uninstall']);
    expect(codes(report)).toEqual(['host.check_failed']);
    expect(report.checked).not.toContain('host.pos_app_not_running');
    expect(report.health).toBe('unknown');
  });

  it('ps hanging past its timeout: the process list is unchecked', async () => {
    const { report, pos } = await probe(withRuns(linux, { ...LINUX_PS, result: 'timeout' }));
    expect(pos.unchecked[0]).toEqual({ fact: 'processes', reason: 'ps did not finish within 15000 ms and was killed' });
    expect(pos.apps).toEqual([]);
    expect(report.health).toBe('unknown');
  });

  it('Russian Windows with PowerShell 2.0 (no ConvertTo-Json): the localized error is an exit code, not a parse', async () => {
    const stderr = 'Имя "ConvertTo-Json" не распознано как имя командлета, функции, файла сценария или выполняемой программы.\r\n';
    const { pos } = await probe(withRuns(win11ru, { ...WINDOWS_PROCESSES, exitCode: 1, stderr }));
    expect(pos.unchecked[0]?.fact).toBe('processes');
    expect(pos.unchecked[0]?.reason).toContain('exited with code 1: Имя "ConvertTo-Json" не распознано');
  });

  it('output changed between versions (a table instead of JSON, dpkg without tabs): unchecked, not "nothing installed"', async () => {
    const table = 'Handles  NPM(K)  ProcessName\r\n-------  ------  -----------\r\n    435      25  1cv8c\r\n';
    const windows = await probe(withRuns(win11ru, { ...WINDOWS_PROCESSES, exitCode: 0, stdout: table }));
    expect(windows.pos.unchecked[0]?.reason).toMatch(/^powershell\.exe printed output in a form not known \(Handles/);
    expect(windows.pos.apps[0]?.running).toBeNull();
    const debian = await probe(withRuns(linux, { ...LINUX_DPKG, exitCode: 0, stdout: 'cups 2.4.2 ii\n' }));
    expect(debian.pos.unchecked.map((u) => u.fact)).toEqual(['apps.dpkg', 'fiscalStack.dpkg']);
    expect(codes(debian.report)).toEqual(['host.check_failed']);
  });
});
