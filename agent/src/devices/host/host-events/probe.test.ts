import { DeviceReport } from '@tillscope/shared';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHostFixture, replayHostOs, withRuns, type HostFixture } from '../../../os/host-os-replay';
import { redactText } from '../../../os/redact';
import type { HostProbeContext } from '../../host-probe';
import { HostEventsOptions } from './options';
import { probeHostEvents } from './probe';
import { journalCall, windowsEventsCall } from './protocol';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const journal = loadHostFixture(FIXTURES, 'linux-journal-recorded');
const emptyJournal = loadHostFixture(FIXTURES, 'linux-journal-empty-recorded');
const win10 = loadHostFixture(FIXTURES, 'win10-print-transcribed');
const win11ru = loadHostFixture(FIXTURES, 'win11-ru-print-transcribed');
const defaults = HostEventsOptions.parse({});
const cupsCall = journalCall(defaults.linuxUnits[0]!, defaults.maxEntriesPerLog);
const [adminCall, operationalCall] = defaults.windowsLogs.map((log) => windowsEventsCall(log, defaults.maxEntriesPerLog));

async function probe(fixture: HostFixture, options: unknown = {}) {
  const ctx: HostProbeContext<HostEventsOptions> = {
    options: HostEventsOptions.parse(options),
    memory: undefined,
    os: replayHostOs(fixture),
    host: { isTradingHours: () => true, devices: [], fiscalAttached: false, agentVersion: 'test', configFiles: [] },
    now: () => new Date('2026-11-30T12:00:00Z'),
    signal: new AbortController().signal,
  };
  const report = DeviceReport.parse(await probeHostEvents(ctx, (text) => redactText(text).text)); // the wire schema holds
  if (report.host?.section !== 'events') throw new Error('no events section');
  return { report, events: report.host };
}

describe('host-events on the recorded journal (Debian 12, journald in a namespace)', () => {
  it('reads the cups.service entries newest first, levels from the syslog priority, source from SYSLOG_IDENTIFIER', async () => {
    const { report, events } = await probe(journal);
    expect(events.entries.map((e) => [e.level, e.log, e.source])).toEqual([
      ['critical', 'cups.service', 'cupsd'],
      ['warning', 'cups.service', 'cupsd'],
      ['error', 'cups.service', 'cupsd'],
      ['info', 'cups.service', 'cupsd'],
    ]);
    expect(events.entries[2]?.message).toBe('[Job 17] Unable to open device "usb://EPSON/TM-T20II": No such device (planted)');
    // __REALTIME_TIMESTAMP is microseconds since the epoch
    expect(events.entries.map((e) => e.at)).toEqual(['2026-11-30T17:52:24.773Z', '2026-11-30T17:52:24.751Z', '2026-11-30T17:52:24.711Z', '2026-11-30T17:52:24.644Z']);
    expect(report.health).toBe('ok');
  });

  it('decodes a message journalctl gives as bytes (not UTF-8) with replacement characters', async () => {
    const { events } = await probe(journal);
    expect(events.entries[0]?.message).toBe('bad bytes \uFFFD\uFFFD here (planted non-UTF-8)');
  });

  it('redacts planted secrets before the section leaves the register, and keeps messages out of the evidence', async () => {
    const { report, events } = await probe(journal);
    const text = JSON.stringify(report);
    expect(text).not.toContain('Secr3t!');
    expect(text).not.toContain('4111 1111 1111 1111');
    expect(events.entries[1]?.message).toBe('auth failed for user admin password=[redacted:password] card [redacted:card_number] (planted secrets)');
    expect(report.evidence.exchanges[0]?.reply).toEqual({ entries: 4, levels: ['critical', 'warning', 'error', 'info'] });
  });

  it('an empty journal is an empty list, checked (recorded: no journal on this machine)', async () => {
    const { report, events } = await probe(emptyJournal);
    expect(events.entries).toEqual([]);
    expect(report.findings).toEqual([]);
    expect(report.health).toBe('ok');
  });
});

describe('host-events on transcribed Windows', () => {
  it('Windows 10: Admin (one object, not an array), Operational off ([]), Application; merged newest first, the connection-string password redacted', async () => {
    const { report, events } = await probe(win10);
    expect(events.entries.map((e) => [e.at, e.log, e.eventId, e.level])).toEqual([
      ['2026-11-30T09:02:10.500Z', 'Application', 1000, 'error'],
      ['2026-11-30T08:14:55.123Z', 'Microsoft-Windows-PrintService/Admin', 808, 'error'],
      ['2026-11-30T07:40:00.000Z', 'Application', 1026, 'error'],
    ]);
    expect(events.entries[1]?.message).toBe('The print spooler failed to load a plug-in module C:\\Windows\\system32\\spool\\DRIVERS\\x64\\3\\example.dll, error code 0x7e. See the event user data for context information.');
    expect(events.entries[2]?.message).toContain('Password=[redacted:password]');
    expect(JSON.stringify(report)).not.toContain('Qwerty123');
    expect(report.health).toBe('ok');
  });

  it('Russian Windows 11: Russian text kept, a null message marked, the cashier and card redacted, a missing channel unchecked by its untranslated error id', async () => {
    const { report, events } = await probe(win11ru);
    expect(events.entries.map((e) => [e.eventId, e.level])).toEqual([[1000, 'critical'], [808, 'error'], [372, 'warning']]);
    expect(events.entries[1]?.message).toMatch(/^Диспетчеру очереди печати не удалось загрузить/);
    expect(events.entries[2]?.message).toBe('(no message text)');
    expect(events.entries[0]?.message).not.toMatch(/Иванова|5555/);
    expect(events.unchecked).toEqual([{ fact: 'events.Microsoft-Windows-PrintService/Operational', reason: 'Get-WinEvent failed: NoMatchingLogsFound,Microsoft.PowerShell.Commands.GetWinEventCommand' }]);
    expect(report.findings.map((f) => f.code)).toEqual(['host.check_failed']);
    expect(report.health).toBe('unknown');
  });

  it('keeps the newest 50 of all logs and each message within 500 characters', async () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ TimeCreated: new Date(Date.UTC(2026, 10, 30, 0, i)).toISOString(), Id: 1, Level: 2, ProviderName: 'P', LogName: 'Microsoft-Windows-PrintService/Admin', Message: 'x'.repeat(900) }));
    const options = { maxEntriesPerLog: 50, windowsLogs: [defaults.windowsLogs[0]] };
    const call = windowsEventsCall(defaults.windowsLogs[0]!, 50);
    const { events } = await probe(withRuns(win10, { ...call, exitCode: 0, stdout: JSON.stringify(many) }), options);
    expect(events.entries).toHaveLength(50);
    expect(events.entries[0]?.at).toBe('2026-11-30T00:59:00.000Z');
    expect(events.entries.every((e) => e.message.length <= 500)).toBe(true);
  });
});

describe('host-events when a tool fails: "could not check", never a crash or a false OK', () => {
  it('journalctl missing', async () => {
    const { report, events } = await probe(withRuns(journal, { ...cupsCall, result: 'missing' }));
    expect(events.unchecked).toEqual([{ fact: 'events.cups.service', reason: 'journalctl not found (is it installed and on PATH?)' }]);
    expect(report.health).toBe('unknown');
  });

  it('PowerShell hanging past its timeout: that log unchecked, the others read', async () => {
    const { events } = await probe(withRuns(win10, { ...operationalCall!, result: 'timeout' }));
    expect(events.unchecked.map((u) => u.fact)).toEqual(['events.Microsoft-Windows-PrintService/Operational']);
    expect(events.entries).toHaveLength(3);
  });

  it('output changed between versions (short text instead of JSON; an entry without a numeric Level)', async () => {
    const text = await probe(withRuns(journal, { ...cupsCall, exitCode: 0, stdout: 'Nov 30 17:52:27 vm cupsd[1]: Started CUPS Scheduler.\n' }));
    expect(text.events.unchecked[0]?.reason).toMatch(/^journalctl printed output in a form not known/);
    expect(text.events.entries).toEqual([]);
    const level = await probe(withRuns(win11ru, { ...adminCall!, exitCode: 0, stdout: '[{"TimeCreated":"2026-11-30T10:20:00Z","Id":808,"Level":"Ошибка","Message":"x"}]' }));
    expect(level.events.unchecked.map((u) => u.fact)).toContain('events.Microsoft-Windows-PrintService/Admin');
  });
});
