import {
  DeviceReport, HOST_PROBE_IDS, HOST_PROBE_SECTION, OsSection, PeripheralsSection, PosSection, PrintSection, ReferenceSpec,
  type Finding, type HostFacts, type HostSection,
} from '@tillscope/shared';

// A Windows 10 register with an Epson printer, Frontol and the ATOL driver, and the reference it
// matches exactly: the drift matrix, the drift ticket stage and the HTTP tests start from these and
// change one thing. Every builder parses its result with the wire schema, so a test can never
// compare something an agent could not send.

export const FRONTOL_INI_SHA = 'a'.repeat(64);

export function registerFacts(): Required<Pick<HostFacts, 'os' | 'print' | 'peripherals' | 'pos'>> {
  return {
    os: OsSection.parse({
      section: 'os', platform: 'win32', name: 'Microsoft Windows 10 Pro', version: '10.0.19045', build: '19045.4291', arch: 'x64',
      hostname: 'KASSA-02', machine: { manufacturer: 'ATOL', model: 'Jazz 2' }, uptimeSec: 3600, pendingReboot: false,
      memory: { totalBytes: 4e9, availableBytes: 2e9 }, volumes: [], runtime: { node: '20.11.1', agent: '0.10.0' },
    }),
    print: PrintSection.parse({
      section: 'print', system: 'windows-spooler',
      services: [{ name: 'Spooler', displayName: 'Print Spooler', state: 'running', startMode: 'auto' }],
      drivers: [
        { name: 'EPSON TM-T20II Receipt5', version: '5.12.0.0', manufacturer: 'EPSON', queues: ['EPSON TM-T20II'] },
        { name: 'Microsoft Print To PDF', version: '10.0.19041.1', queues: [] },
      ],
    }),
    peripherals: PeripheralsSection.parse({
      section: 'peripherals',
      usb: [{ key: '04b8:0e15:X5E1234', vendorId: '04b8', productId: '0e15', interfaceClasses: [7], kind: 'receipt-printer', knownAs: 'Epson TM-T20II' }],
      serial: [{ path: 'COM5', vendorId: '2912', productId: '0005', kind: 'fiscal', knownAs: 'АТОЛ ККТ' }],
    }),
    pos: PosSection.parse({
      section: 'pos',
      apps: [{ id: 'frontol', name: 'Frontol 6', version: '6.21.1', installed: true, running: true, source: 'registry Uninstall' }],
      fiscalStack: [{ id: 'atol-driver-10', name: 'ATOL driver 10', version: '10.10.4.0', installed: true, running: null, source: 'registry Uninstall' }],
      configFiles: [{ name: 'frontol.ini', path: 'C:\\Frontol\\frontol.ini', sha256: FRONTOL_INI_SHA }],
    }),
  };
}

/** The reference registerFacts() matches with no difference. */
export function referenceSpec(): ReferenceSpec {
  return ReferenceSpec.parse({
    osBuild: '10.0.19045',
    drivers: [{ name: 'EPSON TM-T20II Receipt5', version: '5.12.0.0' }],
    services: [{ name: 'Spooler', state: 'running', startMode: 'auto' }],
    posApps: [{ id: 'frontol', version: '6.21.1', running: true }],
    fiscalStack: [{ id: 'atol-driver-10', version: '10.10.4.0' }],
    peripherals: [{ vendorId: '04b8', productId: '0e15', name: 'Epson TM-T20II' }, { vendorId: '2912', productId: '0005', name: 'АТОЛ ККТ' }],
    configFiles: [{ name: 'frontol.ini', sha256: FRONTOL_INI_SHA }],
  });
}

/** The DeviceReport a host probe sends with this section (kind 'host', driver = deviceId = the probe id). */
export function hostReport(section: HostSection, { probedAt = '2026-11-22T10:00:00.000Z', findings = [] as Finding[] } = {}): DeviceReport {
  const probe = HOST_PROBE_IDS.find((id) => HOST_PROBE_SECTION[id] === section.section)!;
  return DeviceReport.parse({
    deviceId: probe, kind: 'host', driver: probe, health: findings.length > 0 ? 'warning' : 'ok', findings, checklist: [],
    evidence: { transport: 'os', target: 'localhost', exchanges: [] }, host: section, probedAt, durationMs: 150,
    checked: findings.map((finding) => finding.code),
  });
}

/** The four drift-relevant sections of `facts` as host reports. */
export function hostReports(facts: ReturnType<typeof registerFacts>, probedAt?: string): DeviceReport[] {
  return [facts.os, facts.print, facts.peripherals, facts.pos].map((section) => hostReport(section, { probedAt }));
}
