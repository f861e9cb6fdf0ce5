// host-print end to end on replayed fixtures (recorded CUPS, transcribed Windows and systemd),
// including a missing tool, a hanging one, a Russian Windows, output changed between versions,
// and a driver change seen across an agent restart through the real state file.
import { DeviceReport, type PrintSection } from '@tillscope/shared';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCupsDate } from '../../../os/print-queue/cups';
import { loadHostFixture, replayHostOs, withRuns, type HostFixture } from '../../../os/host-os-replay';
import { createHostStateStore } from '../../../os/host-state-store';
import type { HostProbeContext, HostProbeStateStore } from '../../host-probe';
import { hostPrintProbe } from './index';
import { HostPrintOptions } from './options';
import { createHostPrintMemory, type HostPrintMemory } from './probe';
import { powershellArgs, serviceScript, SPOOLER_SCRIPT } from './protocol-windows';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const load = (name: string) => loadHostFixture(FIXTURES, name);

interface Setup {
  now?: Date;
  options?: Partial<HostPrintOptions>;
  memory?: HostPrintMemory;
  state?: HostProbeStateStore;
  seen?: string[][];
}

async function probe(fixture: HostFixture, setup: Setup = {}) {
  const now = setup.now ?? new Date('2026-11-30T10:30:00Z');
  const ctx: HostProbeContext<HostPrintOptions, HostPrintMemory> = {
    options: HostPrintOptions.parse(setup.options ?? {}),
    memory: setup.memory ?? createHostPrintMemory(),
    os: replayHostOs(fixture, { seen: setup.seen ?? [] }),
    host: { isTradingHours: () => true, devices: [], fiscalAttached: false, agentVersion: 'test', configFiles: [] },
    now: () => now,
    signal: new AbortController().signal,
    ...(setup.state ? { state: setup.state } : {}),
  };
  const report = DeviceReport.parse(await hostPrintProbe.probe(ctx));
  expect(report).toMatchObject({ deviceId: 'host-print', driver: 'host-print', kind: 'host', evidence: { transport: 'os' } });
  for (const finding of report.findings) expect(hostPrintProbe.codes).toContain(finding.code);
  return { report, section: report.host as PrintSection, codes: report.findings.map((f) => f.code) };
}

const uncheckedFacts = (section: PrintSection) => section.unchecked.map((u) => u.fact);
const SYSTEMCTL = ['show', 'cups.service', '-p', 'LoadState,ActiveState,SubState,UnitFileState,NRestarts,Result'];
const ps = (script: string) => powershellArgs(script);

describe('host-print on Linux (CUPS 2.4.2, recorded)', () => {
  // lpstat prints local time without a zone: "now" is read the same way, so the test holds in any time zone
  const recordedJob = parseCupsDate('Mon Nov 30 17:54:23 2026')!;
  const after = (sec: number) => new Date(recordedJob.getTime() + sec * 1000);

  it('reads every queue with port, state and jobs, the PPD drivers, and says start mode is unchecked without systemd', async () => {
    const seen: string[][] = [];
    const { report, section, codes } = await probe(load('linux-cups-queues'), { now: after(60), seen });
    expect(section.system).toBe('cups');
    expect(section.services).toEqual([{ name: 'cups.service', displayName: 'CUPS Scheduler', state: 'running', startMode: 'unknown' }]);
    expect(section.drivers).toEqual([
      { name: 'HP LaserJet Series PCL 6 CUPS', version: '1.1', manufacturer: 'HP', queues: ['back-office-laser'] },
      { name: 'Generic PDF Printer', version: '1.1', manufacturer: 'Generic', queues: ['office-pdf'] },
    ]);
    expect(section.queues).toEqual([
      { name: 'back-office-laser', driver: 'HP LaserJet Series PCL 6 CUPS', port: 'socket://192.0.2.10:9100', paused: true, offline: false, jobCount: 1, oldestJobAt: parseCupsDate('Mon Nov 30 17:54:25 2026')!.toISOString() },
      { name: 'office-pdf', driver: 'Generic PDF Printer', port: '///dev/null', paused: false, offline: false, jobCount: 0 },
      { name: 'receipt', port: 'socket://127.0.0.1:9', paused: false, offline: false, jobCount: 2, oldestJobAt: recordedJob.toISOString() },
    ]);
    expect(uncheckedFacts(section)).toEqual(['services.cups.service']);
    expect(section.unchecked[0]?.reason).toContain('System has not been booted with systemd');
    expect(codes).toEqual(['host.check_failed']);
    expect(report.checked).toEqual(expect.arrayContaining(['host.print_service_stopped', 'host.print_queue_stuck', 'host.driver_changed']));
    expect(report.checked).not.toContain('host.print_service_crashing');
    expect(seen.map((s) => s.slice(1).join(' '))).toEqual([SYSTEMCTL.join(' '), '-r', '-v', '-l -p', '-o']);
    expect(report.checklist).toEqual([{ step: 'host.print_service', result: 'unknown', observed: expect.stringContaining('could not check: services.cups.service (systemctl exited with code 1') }]);
  });

  it('jobs waiting past stuckAfterSec make their queues stuck (both queues named in one finding)', async () => {
    const { report } = await probe(load('linux-cups-queues'), { now: after(310) });
    const stuck = report.findings.find((f) => f.code === 'host.print_queue_stuck');
    expect(stuck?.detail).toContain('"receipt": 2 job(s)');
    expect(stuck?.detail).toContain('"back-office-laser": 1 job(s)');
    expect(report.health).toBe('warning');
  });

  it('a scheduler with no queue: no queues, nothing stuck', async () => {
    const { section, codes, report } = await probe(load('linux-cups-no-queues'));
    expect(section.queues).toEqual([]);
    expect(section.drivers).toEqual([]);
    expect(codes).toEqual(['host.check_failed']);
    expect(report.checked).toContain('host.print_queue_stuck');
  });

  it('a stopped scheduler: print_service_stopped; the drivers are still read from the PPD files', async () => {
    const seen: string[][] = [];
    const { section, codes } = await probe(load('linux-cups-stopped'), { seen });
    expect(section.services[0]).toMatchObject({ state: 'stopped' });
    expect(section.drivers.map((d) => d.name)).toEqual(['HP LaserJet Series PCL 6 CUPS', 'Generic PDF Printer']);
    expect(codes).toEqual(['host.print_service_stopped', 'host.check_failed']);
    expect(seen.map((s) => s.slice(1).join(' '))).toEqual([SYSTEMCTL.join(' '), '-r']);
  });

  it('systemd restarting cupsd again and again (transcribed): stopped and crashing, with the restart count', async () => {
    const { section, codes } = await probe(load('linux-systemd-crash-loop'));
    expect(section.services).toEqual([{ name: 'cups.service', displayName: 'CUPS Scheduler', state: 'stopped', startMode: 'auto', restarts: 0 }]);
    expect(codes).toEqual(['host.print_service_stopped', 'host.print_service_crashing']);
  });

  it('NRestarts rising by crashRestarts between probes while cupsd runs: crashing (transcribed systemctl answers)', async () => {
    const unit = (restarts: number) => ({ file: 'systemctl', args: SYSTEMCTL, stdout: `LoadState=loaded\nActiveState=active\nSubState=running\nUnitFileState=enabled\nNRestarts=${restarts}\nResult=success\n` });
    const memory = createHostPrintMemory();
    const first = await probe(withRuns(load('linux-cups-no-queues'), unit(2)), { memory });
    expect(first.codes).toEqual([]);
    expect(first.report.health).toBe('ok');
    expect(first.report.checklist).toEqual([{ step: 'host.print_service', result: 'passed', observed: 'cups.service running; 0 queue(s), none stuck; 0 driver(s), none changed' }]);
    const second = await probe(withRuns(load('linux-cups-no-queues'), unit(5)), { memory, now: new Date('2026-11-30T10:35:00Z') });
    expect(second.section.services[0]).toMatchObject({ state: 'crashing', startMode: 'auto', restarts: 3 });
    expect(second.codes).toEqual(['host.print_service_crashing']);
  });

  it('lpstat missing (and no systemd): nothing vouched for, "could not check", never ok', async () => {
    const { report, section, codes } = await probe(withRuns(load('linux-cups-queues'), { file: 'lpstat', args: ['-r'], result: 'missing' }));
    expect(uncheckedFacts(section)).toEqual(['services.cups.service', 'services.cups.service']);
    expect(section.services).toEqual([]);
    expect(codes).toEqual(['host.check_failed']);
    expect(report.findings[0]?.detail).toContain('lpstat not found');
    expect(report.checked).toEqual(['host.driver_changed', 'host.check_failed']);
    expect(report.health).toBe('unknown');
  });

  it('lpstat -o hanging is killed at timeoutMs: the queues are unchecked, the rest still reported', async () => {
    const { report, section } = await probe(withRuns(load('linux-cups-queues'), { file: 'lpstat', args: ['-o'], result: 'hang' }), { options: { timeoutMs: 500 } });
    expect(uncheckedFacts(section)).toEqual(['services.cups.service', 'queues']);
    expect(section.unchecked[1]?.reason).toContain('did not finish within 500 ms');
    expect(section.queues).toEqual([]);
    expect(report.checked).not.toContain('host.print_queue_stuck');
    expect(section.services[0]?.state).toBe('running');
  });

  it('lpstat output changed between versions (another layout): queues unchecked, not "no queues"', async () => {
    const changed = withRuns(load('linux-cups-queues'), { file: 'lpstat', args: ['-l', '-p'], stdout: 'Drucker receipt ist frei. Aktiviert seit Mo 30 Nov 2026\n' });
    const { report, section } = await probe(changed);
    expect(uncheckedFacts(section)).toContain('queues');
    expect(report.checked).not.toContain('host.print_queue_stuck');
  });

  it('a PPD the agent may not read: that driver is unchecked and a change cannot be ruled out', async () => {
    const fixture = load('linux-cups-queues');
    const denied = { ...fixture, files: { ...fixture.files, '/etc/cups/ppd/office-pdf.ppd': { error: 'denied' as const } } };
    const { report, section } = await probe(denied);
    expect(section.drivers.map((d) => d.name)).toEqual(['HP LaserJet Series PCL 6 CUPS']);
    expect(section.unchecked.find((u) => u.fact === 'drivers')?.reason).toContain('office-pdf.ppd: denied');
    expect(report.checked).not.toContain('host.driver_changed');
  });
});

describe('host-print on Windows (transcribed)', () => {
  it('Windows 10: the spooler, five drivers with decoded versions, queues with ports and a stuck receipt queue', async () => {
    const seen: string[][] = [];
    const { report, section, codes } = await probe(load('windows10-spooler-running'), { seen });
    expect(section.system).toBe('windows-spooler');
    expect(section.services).toEqual([{ name: 'Spooler', displayName: 'Print Spooler', state: 'running', startMode: 'auto', restarts: 0 }]);
    expect(section.drivers).toEqual([
      { name: 'EPSON TM-T(203dpi) Receipt6', version: '6.0.0.0', manufacturer: 'EPSON', queues: ['EPSON TM-T20X Receipt'] },
      { name: 'Microsoft Print To PDF', version: '10.0.19041.3636', manufacturer: 'Microsoft', queues: ['Microsoft Print to PDF'] },
      { name: 'Microsoft XPS Document Writer v4', version: '10.0.17134.1', manufacturer: 'Microsoft', queues: [] },
      { name: 'Samsung Universal Print Driver 3 [Windows x64]', version: '3.0.8.0', manufacturer: 'Samsung', queues: [] },
      { name: 'Samsung Universal Print Driver 3 [Windows NT x86]', version: '3.0.7.0', manufacturer: 'Samsung', queues: [] },
    ]);
    expect(section.queues[0]).toEqual({ name: 'EPSON TM-T20X Receipt', driver: 'EPSON TM-T(203dpi) Receipt6', port: 'TMUSB001', paused: false, offline: false, jobCount: 2, oldestJobAt: '2026-11-30T10:12:41.000Z' });
    expect(codes).toEqual(['host.print_queue_stuck']);
    expect(report.findings[0]?.detail).toContain('"EPSON TM-T20X Receipt": 2 job(s), the oldest waiting since 2026-11-30T10:12:41.000Z (17 min)');
    expect(section.unchecked).toEqual([]);
    expect(seen.map((s) => s[0])).toEqual(['powershell.exe', 'powershell.exe']);
  });

  it('Windows 11: Spooler stopped and disabled; printers not queried; drivers unchecked rather than "none"', async () => {
    const seen: string[][] = [];
    const { section, codes, report } = await probe(load('windows11-spooler-stopped-disabled'), { seen });
    expect(section.services[0]).toMatchObject({ state: 'stopped', startMode: 'disabled' });
    expect(codes).toEqual(['host.print_service_stopped', 'host.check_failed']);
    expect(report.findings[0]?.detail).toContain('is disabled');
    expect(report.checklist[0]).toMatchObject({ step: 'host.print_service', result: 'failed', observed: expect.stringContaining('is not running and is disabled') });
    expect(uncheckedFacts(section)).toEqual(['drivers']);
    expect(report.checked).not.toContain('host.driver_changed');
    expect(seen).toHaveLength(1);
  });

  it('Windows 11: four unexpected terminations of the spooler in the window make it crashing; another service\'s do not count', async () => {
    const { section, codes } = await probe(load('windows11-spooler-crashing'));
    expect(section.services[0]).toMatchObject({ state: 'crashing', restarts: 4 });
    expect(codes).toEqual(['host.print_service_crashing']);
  });

  it('Russian Windows: Russian display name and events still count, a Cyrillic printer offline with its job', async () => {
    const { section, codes } = await probe(load('windows10-ru-locale'));
    expect(section.services[0]).toEqual({ name: 'Spooler', displayName: 'Диспетчер печати', state: 'crashing', startMode: 'auto', restarts: 3 });
    expect(section.queues[0]).toMatchObject({ name: 'Чековый принтер', offline: true, jobCount: 1, oldestJobAt: '2026-11-30T09:50:00.000Z' });
    expect(codes).toEqual(['host.print_service_crashing', 'host.print_queue_stuck']);
  });

  it('powershell.exe missing: could not check, no false ok', async () => {
    const fixture = withRuns(load('windows10-spooler-running'), { file: 'powershell.exe', args: ps(serviceScript('Spooler', 24)), result: 'missing' });
    const { report, section, codes } = await probe(fixture);
    expect(codes).toEqual(['host.check_failed']);
    expect(uncheckedFacts(section)).toEqual(['services.Spooler']);
    expect(report.checked).toEqual(['host.check_failed']);
    expect(report.health).toBe('unknown');
  });

  it('Get-Printer hanging (a spooler stuck on a port) is killed: the service is still reported, queues and drivers unchecked', async () => {
    const fixture = withRuns(load('windows10-spooler-running'), { file: 'powershell.exe', args: ps(SPOOLER_SCRIPT), result: 'hang' });
    const { report, section } = await probe(fixture, { options: { timeoutMs: 500 } });
    expect(section.services[0]?.state).toBe('running');
    expect(uncheckedFacts(section)).toEqual(['drivers', 'queues']);
    expect(report.checked).toEqual(['host.print_service_stopped', 'host.print_service_crashing', 'host.check_failed']);
  });

  it('output changed between versions: a status name it does not know, a part missing, a part that failed', async () => {
    const service = (stdout: string) => withRuns(load('windows10-spooler-running'), { file: 'powershell.exe', args: ps(serviceScript('Spooler', 24)), stdout });
    const localized = await probe(service('{"Name":"Spooler","DisplayName":"Диспетчер печати","Status":"Работает","StartType":"Автоматически","Crashes":[]}'));
    expect(uncheckedFacts(localized.section)).toEqual(['services.Spooler']);
    expect(localized.report.health).toBe('unknown');
    const spooler = (stdout: string) => withRuns(load('windows10-spooler-running'), { file: 'powershell.exe', args: ps(SPOOLER_SCRIPT), stdout });
    const noJobs = await probe(spooler('{"Drivers":[],"Printers":[]}'));
    expect(uncheckedFacts(noJobs.section)).toEqual(['queues.jobs']);
    expect(noJobs.report.checked).not.toContain('host.print_queue_stuck');
    const failed = await probe(spooler('{"DriversError":"Доступ запрещен","Printers":[],"Jobs":[]}'));
    expect(failed.section.unchecked).toEqual([{ fact: 'drivers', reason: 'Get-PrinterDriver failed: Доступ запрещен' }]);
    expect(failed.report.checked).not.toContain('host.driver_changed');
  });
});

describe('host.driver_changed across an agent restart (the real state file)', () => {
  let dataDir: string | undefined;
  afterEach(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('a new Epson driver version after a restart is a change for 24 h, then clears', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tillscope-host-print-'));
    const before = load('windows10-spooler-running');
    const spoolerRun = before.runs.find((r) => r.args[3] === ps(SPOOLER_SCRIPT)[3])!;
    const updated = withRuns(before, { ...spoolerRun, stdout: spoolerRun.stdout.replace(`"DriverVersion":"${String(6n << 48n)}"`, `"DriverVersion":"${String((6n << 48n) | (1n << 32n))}"`) });
    expect(updated).not.toEqual(before);

    const baseline = await probe(before, { state: createHostStateStore(dataDir, 'host-print') });
    expect(baseline.codes).not.toContain('host.driver_changed');

    // the agent restarts: new memory, new store on the same dataDir
    const t = new Date('2026-11-30T11:00:00Z');
    const changed = await probe(updated, { state: createHostStateStore(dataDir, 'host-print'), now: t });
    expect(changed.report.findings.find((f) => f.code === 'host.driver_changed')?.detail).toBe(`printer driver version changed: EPSON TM-T(203dpi) Receipt6: 6.0.0.0 → 6.1.0.0 (seen ${t.toISOString()})`);

    const restarted = () => createHostStateStore(dataDir!, 'host-print');
    expect((await probe(updated, { state: restarted(), now: new Date(t.getTime() + 23 * 3600_000) })).codes).toContain('host.driver_changed');
    const dayLater = await probe(updated, { state: restarted(), now: new Date(t.getTime() + 25 * 3600_000) });
    expect(dayLater.codes).not.toContain('host.driver_changed');
    expect(dayLater.report.checked).toContain('host.driver_changed');
  });

  it('a state store that cannot save: the change is still reported now, and the failure is unchecked', async () => {
    const memory = createHostPrintMemory();
    const broken: HostProbeStateStore = { load: () => Promise.resolve(undefined), save: () => Promise.reject(new Error('EROFS: read-only file system')) };
    const { section } = await probe(load('windows10-spooler-running'), { memory, state: broken });
    expect(section.unchecked.map((u) => u.reason).join()).toContain('EROFS');
  });
});
