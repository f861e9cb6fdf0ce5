import { DeviceReport, type HostProbeId, type HostSection, type StructuredExchange } from '@tillscope/shared';
import { prng } from '../lib/prng';

// A virtual register's host reports (issue 10): the six host probes' sections as a Windows 10
// register with Frontol, the ATOL driver v10 and a USB Epson reports them, for the fleet simulator,
// the demo and the ingest bench. Each report is parsed by the shared schema, so the fleet can never
// send what the real agent could not. A profile may carry a printer driver update (the driver
// version differs from its store's reference: drift) and a detached printer.

/** One register's host, fixed when the fleet is laid out. */
export interface HostProfile {
  hostname: string;
  /** Windows build with revision */
  build: string;
  /** the Epson receipt printer driver version: "3.0.0.0" as the reference has it, else an update */
  printerDriverVersion: string;
  frontolVersion: string;
  atolDriverVersion: string;
  /** the USB printer is unplugged (a detach event and host.device_detached) */
  printerDetached: boolean;
  bootedAt: string;
}

export const REFERENCE_DRIVER_VERSION = '3.0.0.0';
const DAY_MS = 86_400_000;

/** Register `index`'s host: 2 % run an updated printer driver, 0.5 % have their printer unplugged. */
export function hostProfile(index: number, hostname: string, nowMs: number): HostProfile {
  const random = prng(index + 7_001);
  return {
    hostname,
    build: random() < 0.9 ? '19045.4291' : '19045.4412',
    printerDriverVersion: random() < 0.02 ? '3.1.0.0' : REFERENCE_DRIVER_VERSION,
    frontolVersion: '6.22.0.1',
    atolDriverVersion: '10.10.4.0',
    printerDetached: random() < 0.005,
    bootedAt: new Date(nowMs - Math.floor(random() * 20 * DAY_MS)).toISOString(),
  };
}

function run(label: string, reply: unknown, elapsedMs: number): StructuredExchange {
  return { type: 'structured', label, request: { file: 'powershell.exe', command: label }, reply: reply as never, status: 'ok', valid: true, decoded: [], elapsedMs };
}

function report(id: HostProbeId, section: HostSection, extra: Partial<DeviceReport>, exchanges: StructuredExchange[], atIso: string): DeviceReport {
  return DeviceReport.parse({
    deviceId: id,
    kind: 'host',
    driver: id,
    health: 'ok',
    findings: [],
    checklist: [],
    evidence: { transport: 'os', target: 'localhost', exchanges },
    probedAt: atIso,
    durationMs: 180,
    host: section,
    ...extra,
  });
}

const GIB = 1024 ** 3;

function osReport(p: HostProfile, atIso: string, nowMs: number): DeviceReport {
  const section: HostSection = {
    section: 'os', platform: 'win32', name: 'Microsoft Windows 10 Pro', version: '10.0.19045', build: p.build, arch: 'x64',
    hostname: p.hostname, machine: { manufacturer: 'POScenter', model: 'POS-X EVO' },
    uptimeSec: Math.round((nowMs - Date.parse(p.bootedAt)) / 1000), lastBootAt: p.bootedAt, pendingReboot: false,
    memory: { totalBytes: 4 * GIB, availableBytes: Math.round(1.6 * GIB) },
    volumes: [{ mount: 'C:', role: 'system', fsType: 'NTFS', sizeBytes: 119 * GIB, freeBytes: 41 * GIB }],
    runtime: { node: 'v24.11.1', agent: '0.1.0-fleet' }, unchecked: [],
  };
  return report('host-os', section, { checked: ['host.disk_nearly_full', 'host.reboot_pending'], checklist: [{ step: 'host.disk', result: 'passed', observed: 'C: 41 GiB free of 119 GiB' }] },
    [run('Get-CimInstance Win32_OperatingSystem', { Caption: 'Microsoft Windows 10 Pro', Version: '10.0.19045' }, 140)], atIso);
}

function clockReport(atIso: string, nowMs: number): DeviceReport {
  const lastSync = new Date(nowMs - 40 * 60_000).toISOString();
  const section: HostSection = { section: 'clock', synced: true, offsetMs: 12, source: 'ntp.store.local', lastSyncAt: lastSync, timezone: 'Europe/Moscow', tool: 'w32tm', unchecked: [] };
  return report('host-clock', section, { checked: ['host.clock_not_synced', 'host.clock_drift'], checklist: [{ step: 'host.clock', result: 'passed', observed: 'synchronised with ntp.store.local, offset 12 ms' }] },
    [run('w32tm /query /status', 'Source: ntp.store.local\nPhase Offset: 0.0120000s', 60)], atIso);
}

function printReport(p: HostProfile, atIso: string): DeviceReport {
  const section: HostSection = {
    section: 'print', system: 'windows-spooler',
    services: [{ name: 'Spooler', displayName: 'Диспетчер печати', state: 'running', startMode: 'auto' }],
    drivers: [
      { name: 'EPSON TM-T20II Receipt5', version: p.printerDriverVersion, manufacturer: 'EPSON', queues: ['Чековый принтер'] },
      { name: 'Microsoft Print To PDF', version: '10.0.19041.1', manufacturer: 'Microsoft', queues: ['Microsoft Print to PDF'] },
    ],
    queues: [{ name: 'Чековый принтер', driver: 'EPSON TM-T20II Receipt5', port: 'ESDPRT001', paused: false, offline: false, jobCount: 0 }],
    unchecked: [],
  };
  return report('host-print', section, {
    checked: ['host.print_service_stopped', 'host.print_service_crashing', 'host.print_queue_stuck', 'host.driver_changed'],
    checklist: [{ step: 'host.print_service', result: 'passed', observed: 'Spooler running (auto); 2 drivers; 1 queue, no waiting jobs' }],
  }, [run('Get-Service Spooler | ConvertTo-Json', { Name: 'Spooler', Status: 4, StartType: 2 }, 210), run('Get-PrinterDriver | ConvertTo-Json', [{ Name: 'EPSON TM-T20II Receipt5', DriverVersion: p.printerDriverVersion }], 480)], atIso);
}

function peripheralsReport(p: HostProfile, atIso: string, nowMs: number): DeviceReport {
  const printer = { key: '04b8:0e15:TM20II-55123', vendorId: '04b8', productId: '0e15', manufacturer: 'EPSON', product: 'TM-T20II', serial: 'TM20II-55123', interfaceClasses: [7], kind: 'receipt-printer' as const, knownAs: 'Epson TM-T20II' };
  const section: HostSection = {
    section: 'peripherals',
    usb: [
      ...(p.printerDetached ? [] : [printer]),
      { key: '1a86:7523@1-2', vendorId: '1a86', productId: '7523', product: 'USB-Serial', interfaceClasses: [255], kind: 'usb-serial', knownAs: 'CH340 USB-serial', devicePath: 'COM3' },
    ],
    serial: [{ path: 'COM3', vendorId: '1a86', productId: '7523', kind: 'usb-serial', knownAs: 'CH340 USB-serial' }],
    events: p.printerDetached ? [{ at: new Date(nowMs - 5 * 60_000).toISOString(), action: 'detached', key: printer.key, name: 'Epson TM-T20II (04b8:0e15)', kind: 'receipt-printer', via: 'hotplug' }] : [],
    unchecked: [],
  };
  return report('host-peripherals', section, {
    health: p.printerDetached ? 'fault' : 'ok',
    findings: p.printerDetached ? [{ code: 'host.device_detached', detail: 'Epson TM-T20II (04b8:0e15) detached from USB', severity: 'critical' }] : [],
    checked: ['host.device_detached'],
    checklist: [{ step: 'host.peripherals', result: p.printerDetached ? 'failed' : 'passed', observed: p.printerDetached ? 'Epson TM-T20II detached' : '2 USB devices, 1 serial port' }],
  }, [run('Get-PnpDevice -PresentOnly | ConvertTo-Json', [{ InstanceId: 'USB\\VID_04B8&PID_0E15\\TM20II-55123' }], 650)], atIso);
}

function posReport(p: HostProfile, atIso: string): DeviceReport {
  const section: HostSection = {
    section: 'pos',
    apps: [{ id: 'frontol', name: 'Frontol 6', version: p.frontolVersion, installed: true, running: true, source: 'process frontol.exe; registry Uninstall' }],
    fiscalStack: [
      { id: 'atol-driver-10', name: 'АТОЛ: Драйвер ККТ v.10', version: p.atolDriverVersion, installed: true, running: null, source: 'registry Uninstall' },
      { id: 'atol-web-server', name: 'АТОЛ Web-сервер', version: p.atolDriverVersion, installed: true, running: true, source: 'service fptr10_web' },
    ],
    configFiles: [{ name: 'frontol.ini', path: 'C:\\ProgramData\\Frontol\\frontol.ini', sha256: 'a3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778', sizeBytes: 4_812 }],
    expectedApp: 'frontol',
    unchecked: [],
  };
  return report('host-pos', section, { checked: ['host.pos_app_not_running'], checklist: [{ step: 'host.pos_app', result: 'passed', observed: 'Frontol 6 running' }] },
    [run('Get-ItemProperty HKLM:\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\* | ConvertTo-Json', [{ DisplayName: 'Frontol 6', DisplayVersion: p.frontolVersion }], 900)], atIso);
}

function eventsReport(atIso: string, nowMs: number): DeviceReport {
  const random = prng(Math.floor(nowMs / 3_600_000));
  const entries = Array.from({ length: 8 }, (_, i) => ({
    at: new Date(nowMs - (i + 1) * 3_600_000 * (1 + random())).toISOString(),
    log: i % 2 ? 'Application' : 'Microsoft-Windows-PrintService/Admin',
    source: i % 2 ? 'Frontol' : 'PrintService',
    level: i === 0 ? ('error' as const) : ('warning' as const),
    eventId: i % 2 ? 1000 : 372,
    message: i % 2 ? 'Ошибка обмена с ККТ: таймаут ответа (код 2)' : 'The document owned by [redacted] failed to print on printer Чековый принтер.',
  }));
  const section: HostSection = { section: 'events', entries, unchecked: [] };
  return report('host-events', section, { checked: [] }, [run('Get-WinEvent -LogName Microsoft-Windows-PrintService/Admin -MaxEvents 20 | ConvertTo-Json', null, 1_200)], atIso);
}

/** The six host reports of a register with this profile, as of `nowMs`. */
export function hostReports(profile: HostProfile, nowMs: number): DeviceReport[] {
  const atIso = new Date(nowMs).toISOString();
  return [
    osReport(profile, atIso, nowMs), clockReport(atIso, nowMs), printReport(profile, atIso),
    peripheralsReport(profile, atIso, nowMs), posReport(profile, atIso), eventsReport(atIso, nowMs),
  ];
}
