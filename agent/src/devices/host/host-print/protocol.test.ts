// The parsers on the recorded (CUPS 2.4.2) and transcribed (systemd, Windows) outputs in fixtures/.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCupsDate } from '../../../os/print-queue/cups';
import { NO_DESTINATIONS, parseAllJobs, parseDevices, parsePpd, parseQueues, parseSystemctlShow, unitFacts, unitIsCrashLooping, unitState, withoutCredentials } from './protocol';
import { driverVersion, parseService, parseSpooler } from './protocol-windows';

interface RawFixture {
  runs: { file: string; args: string[]; stdout: string; stderr: string }[];
  files?: Record<string, { text: string }>;
}
const fixture = (name: string) => JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', `${name}.json`), 'utf8')) as RawFixture;
const out = (f: RawFixture, ...args: string[]) => {
  const run = f.runs.find((r) => r.args.join(' ') === args.join(' ') || (r.file === 'powershell.exe' && (r.args[3] ?? '').includes(args[0] ?? '\u0000')));
  if (!run) throw new Error(`no run ${args.join(' ')}`);
  return run;
};

describe('CUPS parsers on recorded lpstat output (CUPS 2.4.2, LC_ALL=C)', () => {
  const queues = fixture('linux-cups-queues');

  it('lpstat -v: every queue with its device URI', () => {
    expect(parseDevices(out(queues, '-v').stdout)).toEqual(
      new Map([
        ['back-office-laser', 'socket://192.0.2.10:9100'],
        ['office-pdf', '///dev/null'],
        ['receipt', 'socket://127.0.0.1:9'],
      ]),
    );
  });

  it('keeps credentials in a device URI out of the report', () => {
    expect(withoutCredentials('smb://shop:S3cret@fileserver/receipt')).toBe('smb://fileserver/receipt');
    expect(parseDevices('device for q: ipp://admin:pw@10.0.0.5/ipp/print\n')?.get('q')).toBe('ipp://10.0.0.5/ipp/print');
  });

  it('lpstat -l -p: each queue, disabled or printing, and its PPD (a raw queue has none)', () => {
    expect(parseQueues(out(queues, '-l', '-p').stdout)).toEqual([
      { name: 'back-office-laser', paused: true, printing: false, ppd: '/etc/cups/ppd/back-office-laser.ppd' },
      { name: 'office-pdf', paused: false, printing: false, ppd: '/etc/cups/ppd/office-pdf.ppd' },
      { name: 'receipt', paused: false, printing: true, ppd: undefined },
    ]);
  });

  it('lpstat -o: every job, to its queue (names with "-" matched whole), with its local submit time', () => {
    const jobs = parseAllJobs(out(queues, '-o').stdout, ['receipt', 'back-office-laser', 'office-pdf']);
    expect(jobs?.map((j) => [j.id, j.queue])).toEqual([
      ['receipt-1', 'receipt'],
      ['receipt-2', 'receipt'],
      ['back-office-laser-3', 'back-office-laser'],
    ]);
    expect(jobs?.[0]?.submittedAt).toEqual(parseCupsDate('Mon Nov 30 17:54:23 2026'));
    expect(parseAllJobs('back-office-3  root  1024  Mon Nov 30 17:54:25 2026\n', ['back-office', 'back-office-laser'])?.[0]?.queue).toBe('back-office');
  });

  it('refuses output it does not know rather than guessing (a changed lpstat)', () => {
    expect(parseAllJobs('receipt-1 root 1024 Mon Nov 30 17:54:23 2026\n', ['other'])).toBeUndefined();
    expect(parseQueues('Drucker receipt ist frei\n')).toBeUndefined();
    expect(parseDevices('Gerät für receipt: socket://x\n')).toBeUndefined();
  });

  it('"No destinations added." is how a scheduler with no queue answers', () => {
    const none = fixture('linux-cups-no-queues');
    expect(NO_DESTINATIONS.test(out(none, '-v').stderr)).toBe(true);
  });

  it('PPD: *NickName, *FileVersion, *Manufacturer from the recorded queue PPDs', () => {
    const files = queues.files ?? {};
    expect(parsePpd(files['/etc/cups/ppd/back-office-laser.ppd']?.text ?? '')).toEqual({ nickName: 'HP LaserJet Series PCL 6 CUPS', fileVersion: '1.1', manufacturer: 'HP' });
    expect(parsePpd(files['/etc/cups/ppd/office-pdf.ppd']?.text ?? '')).toEqual({ nickName: 'Generic PDF Printer', fileVersion: '1.1', manufacturer: 'Generic' });
    expect(parsePpd('<html>not a ppd</html>')).toBeUndefined();
  });
});

describe('systemctl show (transcribed from systemctl(1) and org.freedesktop.systemd1(5))', () => {
  it('a unit in a restart loop (SubState auto-restart) is crashing', () => {
    const properties = parseSystemctlShow(out(fixture('linux-systemd-crash-loop'), 'show', 'cups.service', '-p', 'LoadState,ActiveState,SubState,UnitFileState,NRestarts,Result').stdout);
    const unit = properties && unitFacts(properties);
    expect(unit).toMatchObject({ installed: true, startMode: 'auto', restarts: 4, result: 'exit-code' });
    expect(unit && unitIsCrashLooping(unit)).toBe(true);
    expect(unit && unitState(unit)).toBe('crashing');
  });

  it('start modes: enabled auto, indirect (socket activation) manual, masked disabled; an unknown unit is not installed', () => {
    const mode = (state: string) => unitFacts({ LoadState: 'loaded', ActiveState: 'active', SubState: 'running', UnitFileState: state })?.startMode;
    expect([mode('enabled'), mode('indirect'), mode('masked'), mode('something-new')]).toEqual(['auto', 'manual', 'disabled', 'unknown']);
    expect(unitFacts({ LoadState: 'not-found', ActiveState: 'inactive', SubState: 'dead' })?.installed).toBe(false);
    expect(unitFacts({ ActiveState: 'active' })).toBeUndefined();
    expect(parseSystemctlShow('System has not been booted with systemd\n')).toBeUndefined();
  });

  it('an inactive unit is not "stopped" by itself: socket activation starts cupsd on demand', () => {
    const unit = unitFacts({ LoadState: 'loaded', ActiveState: 'inactive', SubState: 'dead', UnitFileState: 'indirect' });
    expect(unit && unitState(unit)).toBe('unknown');
  });
});

describe('Windows parsers on transcribed ConvertTo-Json output', () => {
  it('DriverVersion: the UInt64 packs major.minor.build.revision (superuser 1380807 examples)', () => {
    expect(driverVersion('2814750890000385')).toBe('10.0.17134.1');
    expect(driverVersion('844424930656256')).toBe('3.0.8.0');
    expect(driverVersion(844424930656256)).toBe('3.0.8.0');
    expect(driverVersion('18446744073709551615')).toBe('65535.65535.65535.65535');
    expect([driverVersion('3.0.8.0'), driverVersion(''), driverVersion('0'), driverVersion('18446744073709551616')]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('the service, its start type and its crash events (Windows 11)', () => {
    const parsed = parseService(out(fixture('windows11-spooler-crashing'), 'Get-Service').stdout);
    expect(parsed?.facts).toEqual({ name: 'Spooler', displayName: 'Print Spooler', state: 'running', startMode: 'auto' });
    expect(parsed?.crashes.map((c) => c.service)).toEqual(['Print Spooler', 'Print Spooler', 'Print Spooler', 'Print Spooler', 'Windows Update']);
    expect(parsed?.crashes[0]?.at.toISOString()).toBe('2026-11-30T10:02:11.553Z');
  });

  it('a stopped, disabled service; numbers where an enum was not cast; a shape it does not know is undefined', () => {
    expect(parseService(out(fixture('windows11-spooler-stopped-disabled'), 'Get-Service').stdout)?.facts).toMatchObject({ state: 'stopped', startMode: 'disabled' });
    expect(parseService('{"Name":"Spooler","Status":4,"StartType":2,"Crashes":[]}')?.facts).toMatchObject({ state: 'running', startMode: 'auto' });
    expect(parseService('{"Name":"Spooler","Status":"Running"}')).toBeUndefined();
    expect(parseService('{"Name":"Spooler","Status":"Работает","Crashes":[]}')).toBeUndefined();
    expect(parseService('Get-Service : Cannot find any service with service name')).toBeUndefined();
  });

  it('drivers, printers and jobs in one answer (Windows 10)', () => {
    const answer = parseSpooler(out(fixture('windows10-spooler-running'), 'Get-PrinterDriver').stdout);
    expect(answer?.drivers).toContainEqual({ name: 'EPSON TM-T(203dpi) Receipt6', environment: 'Windows x64', manufacturer: 'EPSON', version: '6.0.0.0' });
    expect(answer?.printers).toContainEqual({ name: 'EPSON TM-T20X Receipt', driver: 'EPSON TM-T(203dpi) Receipt6', port: 'TMUSB001', status: 'Normal', jobCount: 2, workOffline: false });
    expect(answer?.jobs).toEqual([
      { printer: 'EPSON TM-T20X Receipt', id: '7', submittedAt: new Date('2026-11-30T10:12:41Z') },
      { printer: 'EPSON TM-T20X Receipt', id: '8', submittedAt: new Date('2026-11-30T10:13:02Z') },
    ]);
  });

  it('a part that failed keeps its error and leaves the others readable (Russian text passes through)', () => {
    const answer = parseSpooler('{"Drivers":[],"PrintersError":"Служба диспетчера очереди печати не запущена.","Jobs":[]}');
    expect(answer?.printers).toEqual({ error: 'Служба диспетчера очереди печати не запущена.' });
    expect(answer?.drivers).toEqual([]);
    expect(parseSpooler('{"Drivers":{"Name":"x"}}')?.drivers).toBeUndefined();
    expect(parseSpooler('[1,2]')).toBeUndefined();
  });
});
