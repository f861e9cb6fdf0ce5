// host-clock over recorded (Linux, this build machine) and transcribed (systemd/chrony docs,
// Windows 10/11 w32tm) fixtures, and the ways reading can fail.
import { DeviceReport, type ClockSection } from '@tillscope/shared';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHostFixture, replayHostOs, withRuns, type HostFixture } from '../../../os/host-os-replay';
import { fakeHostContext } from '../../../probe-loop/fake-host-probe';
import { HOST_CLOCK_CODES } from './diagnosis';
import { hostClockProbe } from './index';
import { HostClockOptions } from './options';
import { W32TM_ARGS } from './protocol';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const NOW = new Date('2026-11-30T12:00:00Z');

async function probe(fixture: HostFixture, options: Record<string, unknown> = {}, fiscalAttached = false) {
  const report = await hostClockProbe.probe({
    options: HostClockOptions.parse(options),
    memory: undefined,
    os: replayHostOs(fixture),
    host: { ...fakeHostContext, fiscalAttached },
    now: () => NOW,
    signal: new AbortController().signal,
  });
  DeviceReport.parse(report);
  for (const finding of report.findings) expect(HOST_CLOCK_CODES).toContain(finding.code);
  return { report, clock: report.host as ClockSection, codes: report.findings.map((f) => f.code) };
}

const w32tm = (run: Record<string, unknown>) => ({ file: 'w32tm', args: [...W32TM_ARGS], ...run });
const timedatectl = (run: Record<string, unknown>) => ({ file: 'timedatectl', args: ['show'], ...run });

describe('host-clock on Linux', () => {
  it('recorded here: timedatectl cannot reach timedated (no systemd): could not check, never "synced"', async () => {
    const { report, clock, codes } = await probe(loadHostFixture(fixtures, 'linux-no-systemd'));
    expect(clock).toMatchObject({ synced: null, offsetMs: null, source: null, tool: 'timedatectl' });
    expect(clock.unchecked).toEqual([{ fact: 'clock.synced', reason: expect.stringContaining("timedatectl exited with code 1: System has not been booted with systemd") }]);
    expect(codes).toEqual(['host.check_failed']);
    expect(report.health).toBe('unknown');
    expect(report.checked).toEqual(['host.check_failed']);
    expect(report.evidence.exchanges.map((e) => [e.label, 'status' in e ? e.status : ''])).toEqual([['timedatectl show', 'exit 1'], ['chronyc -c tracking', 'missing']]);
  });

  it('timesyncd synchronised: ok, the zone read, no offset (and no drift verdict) without chrony', async () => {
    const { report, clock } = await probe(loadHostFixture(fixtures, 'linux-timesyncd-synced'));
    expect(clock).toMatchObject({ synced: true, offsetMs: null, timezone: 'Europe/Moscow', tool: 'timedatectl', unchecked: [] });
    expect(report).toMatchObject({ health: 'ok', findings: [], checked: ['host.clock_not_synced', 'host.check_failed'] });
  });

  it('chrony: the offset and source from chronyc -c tracking; beyond maxOffsetMs it is drift', async () => {
    const chrony = loadHostFixture(fixtures, 'linux-chrony-synced');
    const { report, clock } = await probe(chrony);
    expect(clock).toMatchObject({ synced: true, offsetMs: 0.012, source: 'ntp1.example.ru', tool: 'timedatectl, chronyc' });
    expect(report).toMatchObject({ health: 'ok', checked: ['host.clock_not_synced', 'host.clock_drift', 'host.check_failed'] });
    const off = withRuns(chrony, { file: 'chronyc', args: ['-c', 'tracking'], stdout: 'A29FC87B,ntp1.example.ru,3,1764514800.1,-4.250000000,0,0,0,0,0,0,0,64,Normal\n' });
    const drifting = await probe(off);
    expect(drifting.codes).toEqual(['host.clock_drift']);
    expect(drifting.report.findings[0]!.detail).toBe('the clock is 4250 ms off ntp1.example.ru (more than 2000 ms)');
    expect(drifting.report.health).toBe('fault');
    expect((await probe(off, { maxOffsetMs: 5000 })).codes).toEqual([]);
  });

  it('not synchronised: minor, major when a fiscal register is attached', async () => {
    const unsynced = withRuns(loadHostFixture(fixtures, 'linux-timesyncd-synced'), timedatectl({ stdout: 'Timezone=Europe/Moscow\nNTP=no\nNTPSynchronized=no\n' }));
    const plain = await probe(unsynced);
    expect(plain.report.findings).toEqual([{ code: 'host.clock_not_synced', detail: 'timedatectl: NTPSynchronized=no; no time sync service is enabled (NTP=no)' }]);
    expect(plain.report.health).toBe('warning');
    const fiscal = await probe(unsynced, {}, true);
    expect(fiscal.report.findings).toMatchObject([{ code: 'host.clock_not_synced', severity: 'major', detail: expect.stringContaining('a fiscal register is attached') }]);
    expect(fiscal.report.health).toBe('fault');
  });

  it('a hanging timedatectl, systemd older than 239 (no "show") and a changed form: could not check', async () => {
    const base = loadHostFixture(fixtures, 'linux-timesyncd-synced');
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ result: 'timeout' }, /timedatectl did not finish within 10000 ms/],
      [{ exitCode: 1, stderr: 'Unknown operation show.\n' }, /exited with code 1: Unknown operation show/],
      [{ stdout: 'Timezone=Europe/Moscow\nNTPSynced=yes\n' }, /gave no NTPSynchronized=yes\|no/],
    ];
    for (const [run, reason] of cases) {
      const { clock, codes, report } = await probe(withRuns(base, timedatectl(run)));
      expect(clock.synced).toBeNull();
      expect(clock.unchecked).toEqual([{ fact: 'clock.synced', reason: expect.stringMatching(reason) }]);
      expect(codes).toEqual(['host.check_failed']);
      expect(report.health).toBe('unknown');
    }
    const garbled = await probe(withRuns(loadHostFixture(fixtures, 'linux-chrony-synced'), { file: 'chronyc', args: ['-c', 'tracking'], stdout: 'Reference ID : A29FC87B\n' }));
    expect(garbled.clock.offsetMs).toBeNull();
    expect(garbled.clock.unchecked.map((u) => u.fact)).toEqual(['clock.offset']);
  });
});

describe('host-clock on Windows (w32tm, transcribed)', () => {
  const synced = loadHostFixture(fixtures, 'win10-synced');

  it('Windows 10 synchronised: source without flags, phase offset, last good sync, zone', async () => {
    const { report, clock } = await probe(synced);
    expect(clock).toEqual({
      section: 'clock', synced: true, offsetMs: 1.235, source: 'time.windows.com',
      lastSyncAt: new Date(NOW.getTime() - 1_800_500).toISOString(), timezone: 'GMT+0300', tool: 'w32tm', unchecked: [],
    });
    expect(report).toMatchObject({ health: 'ok', findings: [], checked: ['host.clock_not_synced', 'host.clock_drift', 'host.check_failed'] });
  });

  it('Windows 11 on the Local CMOS Clock: not synchronised, with why; its phase offset is not drift', async () => {
    const { report, clock } = await probe(loadHostFixture(fixtures, 'win11-local-cmos'));
    expect(clock).toMatchObject({ synced: false, offsetMs: null, source: 'Local CMOS Clock' });
    expect(report.findings).toEqual([{
      code: 'host.clock_not_synced',
      detail: "the time source is the machine's own clock (Local CMOS Clock); w32tm leap indicator 3: not synchronised; never synchronised since the time service started",
    }]);
    expect(report.checked).toEqual(['host.clock_not_synced', 'host.check_failed']);
  });

  it('a sync older than maxSyncAgeHours is not synchronised; a phase offset beyond maxOffsetMs is drift', async () => {
    const old = withRuns(synced, w32tm({ stdout: synced.runs[0]!.stdout.replace('1800.5000000s', '259200.0000000s').replace('0.0012345s', '-3.5000000s') }));
    const { codes, report } = await probe(old);
    expect(codes).toEqual(['host.clock_not_synced', 'host.clock_drift']);
    expect(report.findings[0]!.detail).toBe('last good sync 72 h ago (more than 48 h)');
  });

  it('the Windows Time service stopped: not synchronised, told by its error code in any language', async () => {
    const stopped = withRuns(synced, w32tm({ exitCode: -2147023838, stdout: 'Произошла следующая ошибка: Служба не запущена. (0x80070426)\r\n' }));
    const { clock, report } = await probe(stopped, {}, true);
    expect(clock.synced).toBe(false);
    expect(report.findings).toMatchObject([{ code: 'host.clock_not_synced', severity: 'major', detail: expect.stringContaining('Windows Time service is not running') }]);
  });

  it('w32tm missing or hanging: could not check', async () => {
    for (const [run, reason] of [[{ result: 'missing' }, /w32tm not found/], [{ result: 'hang' }, /w32tm did not finish within 1000 ms/]] as const) {
      const { clock, codes } = await probe(withRuns(synced, w32tm(run)), { toolTimeoutMs: 1000 });
      expect(clock.synced).toBeNull();
      expect(clock.unchecked).toEqual([{ fact: 'clock.synced', reason: expect.stringMatching(reason) }]);
      expect(codes).toEqual(['host.check_failed']);
    }
  });

  // w32tm prints its labels in the Windows UI language. These stand-in labels are not claimed to be
  // Windows' own translation: they show that unknown labels are "could not check", and that labels
  // copied into the config are read.
  const localized = [
    'Индикатор: 0(предупреждений нет)',
    'Время последней синхронизации: 30.11.2026 14:30:00',
    'Источник: ntp.example.ru,0x9',
    'Смещение: 0,0012345s',
    'Прошло с последней синхронизации: 1800,5000000s',
  ].join('\r\n');

  it('a non-English Windows: could not check, unless its labels are configured', async () => {
    const russian = withRuns(synced, w32tm({ stdout: localized }));
    const unread = await probe(russian);
    expect(unread.clock.synced).toBeNull();
    expect(unread.clock.unchecked).toEqual([{ fact: 'clock.synced', reason: expect.stringContaining('w32tm output is in a language the agent does not read') }]);
    expect(unread.codes).toEqual(['host.check_failed']);
    const labels = { leapIndicator: 'Индикатор', lastSync: 'Время последней синхронизации', source: 'Источник', phaseOffset: 'Смещение', sinceLastSync: 'Прошло с последней синхронизации', unspecified: 'не задано' };
    const read = await probe(russian, { w32tmLabels: labels });
    expect(read.clock).toMatchObject({ synced: true, source: 'ntp.example.ru', offsetMs: 1.235, unchecked: [] });
  });

  it('output of another form (a newer w32tm without Source): could not check rather than "synced"', async () => {
    const { clock, codes } = await probe(withRuns(synced, w32tm({ stdout: 'Leap Indicator: 0(no warning)\r\nStratum: 3\r\n' })));
    expect(clock.synced).toBeNull();
    expect(clock.unchecked).toEqual([{ fact: 'clock.synced', reason: 'w32tm named no time source' }]);
    expect(codes).toEqual(['host.check_failed']);
  });
});
