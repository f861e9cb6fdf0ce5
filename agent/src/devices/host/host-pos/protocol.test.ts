import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHostFixture, type HostFixture } from '../../../os/host-os-replay';
import { LINUX_DPKG, LINUX_PS, parseDpkg, parseLinuxPs, parseUninstall, parseWindowsProcesses, parseWindowsServices, WINDOWS_PROCESSES, WINDOWS_UNINSTALL, type ToolCall } from './protocol';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const stdoutOf = (fixture: HostFixture, call: ToolCall) => {
  const run = fixture.runs.find((r) => r.file === call.file && r.args.join('\0') === call.args.join('\0'));
  if (!run) throw new Error(`no run of ${call.file} in ${fixture.description}`);
  return run.stdout;
};

describe('host-pos parsers on recorded Linux output (Debian 12)', () => {
  const linux = loadHostFixture(FIXTURES, 'linux-recorded');

  it('reads ps -e -o args=: executable names (path stripped) and whole command lines', () => {
    const list = parseLinuxPs(stdoutOf(linux, LINUX_PS));
    expect(list?.names.has('1cv8c')).toBe(true);
    expect(list?.names.has('java')).toBe(true);
    expect(list?.commandLines.some((line) => line.includes('AtolWebServer.jar'))).toBe(true);
  });

  it('reads dpkg-query: every installed package with its version, none missing', () => {
    const packages = parseDpkg(stdoutOf(linux, LINUX_DPKG));
    expect(packages).toHaveLength(768);
    expect(packages).toContainEqual({ name: 'cups', version: '2.4.2-3+deb12u9' });
  });

  it('keeps only packages in a working state: removed ones with config files left (rc) are not installed', () => {
    expect(parseDpkg('cups\t2.4.2\tii \nfrontol\t6.1\trc \nlibx\t1.0\tiW \n')).toEqual([
      { name: 'cups', version: '2.4.2' },
      { name: 'libx', version: '1.0' },
    ]);
  });

  it('refuses output in another form rather than read it as "nothing installed" or "nothing running"', () => {
    expect(parseDpkg('cups 2.4.2 ii\n')).toBeUndefined(); // spaces, not tabs: a different -f
    expect(parseDpkg('')).toBeUndefined();
    expect(parseLinuxPs('  PID USER       TIME  COMMAND\n    1 root       0:00 init\n')).toBeUndefined(); // busybox ps ignores -o args=
    expect(parseLinuxPs('')).toBeUndefined();
  });
});

describe('host-pos parsers on transcribed Windows output', () => {
  const win10 = loadHostFixture(FIXTURES, 'win10-frontol-transcribed');
  const win11ru = loadHostFixture(FIXTURES, 'win11-ru-1c-transcribed');

  it('reads Get-Process names case-insensitively, without .exe', () => {
    const list = parseWindowsProcesses(stdoutOf(win10, WINDOWS_PROCESSES));
    expect(list?.names.has('frontol')).toBe(true);
    expect(list?.names.size).toBe(5); // two svchost are one name
  });

  it('reads the Uninstall keys, Cyrillic names and a null InstallLocation included', () => {
    expect(parseUninstall(stdoutOf(win10, WINDOWS_UNINSTALL))).toContainEqual({ name: 'АТОЛ: Драйвер ККТ v.10', version: '10.10.4.0', publisher: 'АТОЛ' });
    expect(parseUninstall(stdoutOf(win11ru, WINDOWS_UNINSTALL))?.map((p) => p.name)).toEqual(['1С:Предприятие 8 (8.3.25.1257)', 'ШТРИХ-М: Драйвер ФР 5.18']);
  });

  it('reads Get-Service states and start types by name, and by number when the enum was not cast', () => {
    const services = parseWindowsServices('[{"Name":"A","DisplayName":"Служба А","Status":"Running","StartType":"Automatic"},{"Name":"B","Status":1,"StartType":4}]');
    expect(services).toEqual([
      { name: 'A', displayName: 'Служба А', state: 'running', startMode: 'auto' },
      { name: 'B', state: 'stopped', startMode: 'disabled' },
    ]);
  });

  it('refuses a table (Format-Table text), an error text or objects of another shape', () => {
    const table = 'Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\r\n-------  ------    -----      -----     ------     --  -- -----------\r\n    435      25    12345      23456       1.23   5312   1 frontol\r\n';
    expect(parseWindowsProcesses(table)).toBeUndefined();
    expect(parseWindowsProcesses('[]')).toBeUndefined(); // no process at all is not an answer
    expect(parseUninstall('[{"DisplayVersion":"1.0"}]')).toBeUndefined();
    expect(parseWindowsServices('[{"Name":"A","Status":{"value":4}}]')).toBeUndefined();
  });
});
