// host-os over recorded (Linux, this build machine) and transcribed (Windows 10/11) fixtures, and
// the ways reading can fail: a missing or hanging tool, another UI language, a changed output form.
import { DeviceReport, type OsSection } from '@tillscope/shared';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHostFixture, replayHostOs, withRuns, withSystem, type HostFixture } from '../../../os/host-os-replay';
import { fakeHostContext } from '../../../probe-loop/fake-host-probe';
import { HOST_OS_CODES } from './diagnosis';
import { hostOsProbe } from './index';
import { HostOsOptions } from './options';
import { POWERSHELL_ARGS } from './protocol';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const NOW = new Date('2026-11-30T12:00:00Z');

async function probe(fixture: HostFixture, options: Record<string, unknown> = {}) {
  const report = await hostOsProbe.probe({
    options: HostOsOptions.parse(options),
    memory: undefined,
    os: replayHostOs(fixture),
    host: fakeHostContext,
    now: () => NOW,
    signal: new AbortController().signal,
  });
  DeviceReport.parse(report); // what the console accepts
  for (const finding of report.findings) expect(HOST_OS_CODES).toContain(finding.code);
  return { report, os: report.host as OsSection };
}

const powershell = (run: Record<string, unknown>) => ({ file: 'powershell.exe', args: [...POWERSHELL_ARGS], ...run });

describe('host-os on Linux (recorded on the build machine)', () => {
  const linux = loadHostFixture(fixtures, 'linux-debian12');

  it('reads the OS, machine, memory and root volume; a pending reboot it cannot tell is "could not check", not "no"', async () => {
    const { report, os } = await probe(linux);
    expect(os).toMatchObject({
      platform: 'linux', name: 'Debian GNU/Linux', version: '12', build: '6.18.44-fc-v782', arch: 'x64', hostname: 'vm',
      machine: { manufacturer: '', model: 'Docker Container' },
      pendingReboot: null,
      volumes: [{ mount: '/', role: 'system', fsType: 'ext4', sizeBytes: 270553174016, freeBytes: 83229130752 }],
      runtime: { node: process.version, agent: '0.0.0-test' },
      unchecked: [{ fact: 'pendingReboot', reason: expect.stringContaining('neither update-notifier') }],
    });
    expect(os.uptimeSec).toBeCloseTo(35197.79);
    expect(os.lastBootAt).toBe(new Date(Math.floor((NOW.getTime() - 35197.79 * 1000) / 1000) * 1000).toISOString());
    expect(report).toMatchObject({ kind: 'host', driver: 'host-os', deviceId: 'host-os', health: 'unknown', evidence: { transport: 'os', target: 'localhost' } });
    expect(report.findings.map((f) => f.code)).toEqual(['host.check_failed']);
    expect(report.checked).toEqual(['host.disk_nearly_full', 'host.check_failed']);
  });

  it('tells a pending reboot from the Debian/Ubuntu flag file, and no reboot when update-notifier is there but no flag', async () => {
    const flagged = { ...linux, files: { '/var/run/reboot-required': { text: '*** System restart required ***\n' } } };
    const { report, os } = await probe(flagged);
    expect(os.pendingReboot).toBe(true);
    expect(report).toMatchObject({ health: 'ok', findings: [{ code: 'host.reboot_pending' }] });
    const notifier = { ...linux, files: { '/usr/share/update-notifier/notify-reboot-required': { text: '#!/bin/sh\n' } } };
    const clean = await probe(notifier);
    expect(clean.os.pendingReboot).toBe(false);
    expect(clean.report).toMatchObject({ health: 'ok', findings: [], checked: ['host.disk_nearly_full', 'host.reboot_pending', 'host.check_failed'] });
  });

  it('asks needs-restarting -r on the RHEL family: exit 1 is a pending reboot, 0 none', async () => {
    expect((await probe(withRuns(linux, { file: 'needs-restarting', args: ['-r'], exitCode: 1, stdout: 'Reboot is required to fully utilize these updates.\n' }))).os.pendingReboot).toBe(true);
    expect((await probe(withRuns(linux, { file: 'needs-restarting', args: ['-r'], exitCode: 0 }))).os.pendingReboot).toBe(false);
    const hung = await probe(withRuns(linux, { file: 'needs-restarting', args: ['-r'], result: 'timeout' }));
    expect(hung.os.pendingReboot).toBeNull();
    expect(hung.report.findings).toEqual([{ code: 'host.check_failed', detail: expect.stringContaining('pendingReboot (needs-restarting -r: timeout)') }]);
  });

  it('checks no pending reboot when turned off, and is then ok', async () => {
    const { report, os } = await probe(linux, { checkPendingReboot: false });
    expect(os.pendingReboot).toBeNull();
    expect(report).toMatchObject({ health: 'ok', findings: [], checked: ['host.disk_nearly_full', 'host.check_failed'] });
  });

  it('a systeminformation call that fails is "could not check" for its fact, the rest is still read', async () => {
    const { report, os } = await probe(withSystem(linux, { fsSize: { error: 'df did not answer' }, osInfo: { error: 'lsb_release: not found' } }), { checkPendingReboot: false });
    expect(os.volumes).toEqual([]);
    expect(os.name).toBe('');
    expect(os.memory.totalBytes).toBe(25276026880);
    expect(os.unchecked.map((u) => u.fact)).toEqual(['os', 'volumes']);
    expect(report.health).toBe('unknown');
    expect(report.checked).toEqual(['host.check_failed']); // the disk was not seen: neither full nor fine
  });
});

describe('host-os on Windows (transcribed)', () => {
  const win10 = loadHostFixture(fixtures, 'win10-22h2');
  const win11 = loadHostFixture(fixtures, 'win11-23h2');

  it('Windows 10: the build with its update revision, a reboot Windows Update waits for, a nearly full data drive', async () => {
    const { report, os } = await probe(win10);
    expect(os).toMatchObject({
      platform: 'win32', name: 'Microsoft Windows 10 Pro', version: '10.0.19045', build: '19045.4291', hostname: 'KASSA-01',
      machine: { manufacturer: 'HP', model: 'HP ProDesk 400 G6 SFF' }, pendingReboot: true, unchecked: [],
    });
    expect(os.volumes.map((v) => [v.mount, v.role])).toEqual([['C:', 'system'], ['D:', 'data']]); // the UDF disc is not a disk
    expect(report.health).toBe('fault');
    expect(report.findings.map((f) => f.code)).toEqual(['host.disk_nearly_full', 'host.reboot_pending']);
    expect(report.findings[0]!.detail).toBe('nearly full: D: (data): 1.5 GiB free of 237.0 GiB (0.6 %)');
    expect(report.evidence.exchanges).toMatchObject([{ type: 'structured', status: 'ok', valid: true, request: { file: 'powershell.exe' } }]);
  });

  it('Windows 11: all well is ok, with every code vouched for', async () => {
    const { report, os } = await probe(win11);
    expect(os).toMatchObject({ name: 'Microsoft Windows 11 Pro', build: '22631.2861', pendingReboot: false });
    expect(report).toMatchObject({ health: 'ok', findings: [], checked: ['host.disk_nearly_full', 'host.reboot_pending', 'host.check_failed'] });
  });

  it('honours the disk thresholds and ignored drives from the options', async () => {
    expect((await probe(win10, { ignoreMounts: ['d:'] })).os.volumes.map((v) => v.mount)).toEqual(['C:']);
    expect((await probe(win11, { minFreePercent: 80 })).report.findings.map((f) => f.code)).toEqual(['host.disk_nearly_full']);
  });

  const couldNotCheck = async (fixture: HostFixture, reason: RegExp) => {
    const { report, os } = await probe(fixture);
    expect(os.pendingReboot).toBeNull();
    expect(os.build).toBe('19045'); // systeminformation's build, without the revision
    expect(os.unchecked).toEqual([{ fact: 'os.build', reason: expect.stringMatching(reason) }]);
    expect(report.findings.map((f) => f.code)).toContain('host.check_failed');
    expect(report.findings.map((f) => f.code)).not.toContain('host.reboot_pending');
    expect(report.checked).not.toContain('host.reboot_pending');
    expect(report.health).not.toBe('ok');
  };

  it('PowerShell missing: could not check', () => couldNotCheck(withRuns(win10, powershell({ result: 'missing' })), /powershell\.exe not found/));

  it('PowerShell hanging: could not check', () => couldNotCheck(withRuns(win10, powershell({ result: 'timeout' })), /did not finish within 20000 ms/));

  it('a Russian Windows whose PowerShell refuses (policy, rights): could not check, with its own words', () =>
    couldNotCheck(
      withRuns(win10, powershell({ exitCode: 1, stderr: 'Get-ItemProperty : Отказано в доступе к разделу реестра.\r\n' })),
      /exited with code 1: Get-ItemProperty : Отказано в доступе/,
    ));

  it('Windows PowerShell 2.0 (no ConvertTo-Json) and a changed output form: could not check, never a false "no reboot"', async () => {
    await couldNotCheck(
      withRuns(win10, powershell({ exitCode: 1, stderr: "The term 'ConvertTo-Json' is not recognized as the name of a cmdlet, function, script file, or operable program.\r\n" })),
      /The term 'ConvertTo-Json' is not recognized/,
    );
    await couldNotCheck(withRuns(win10, powershell({ stdout: 'CurrentBuild : 19045\r\nUBR : 4291\r\n' })), /PowerShell output is not JSON/);
    await couldNotCheck(withRuns(win10, powershell({ stdout: '{"CurrentBuild":"19045","UBR":4291,"RebootPending":"yes"}' })), /not understood: CbsRebootPending/);
  });
});
