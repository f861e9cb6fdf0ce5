import { ReferenceDetail, RegisterHost, type ReferenceSummary } from '@tillscope/shared';
import { iso, T0 } from './fixtures';

const GB = 1024 ** 3;
const seen = { reportedAt: iso(T0 - 60_000) };

/**
 * A Windows 10 register as GET /api/registers/:agentId/host answers, parsed with the shared schema so
 * a fixture that drifts from host-api.ts fails here rather than in a screen: the system disk nearly
 * full, the clock 2.5 s off, the spooler crashing, a printer unplugged and plugged back, Frontol
 * installed but not running, two unchecked facts, and three differences from its reference.
 */
export function makeRegisterHost(patch: Partial<RegisterHost> = {}): RegisterHost {
  return RegisterHost.parse({
    agentId: 'agt-1',
    os: {
      ...seen,
      driver: 'host-os',
      facts: {
        section: 'os', platform: 'win32', name: 'Microsoft Windows 10 Pro', version: '10.0.19045', build: '19045.4291', arch: 'x64', hostname: 'POS-02',
        machine: { manufacturer: 'Pioneer', model: 'POS-M15' },
        uptimeSec: 3 * 86_400 + 2 * 3600, lastBootAt: iso(T0 - (3 * 86_400 + 2 * 3600) * 1000), pendingReboot: true,
        memory: { totalBytes: 8 * GB, availableBytes: 3 * GB },
        volumes: [
          { mount: 'C:', role: 'system', fsType: 'NTFS', sizeBytes: 120 * GB, freeBytes: 6 * GB },
          { mount: 'D:', role: 'data', fsType: 'NTFS', sizeBytes: 500 * GB, freeBytes: 400 * GB },
        ],
        runtime: { node: '20.19.0', agent: '0.1.0' },
        unchecked: [{ fact: 'os.pendingReboot.cbs', reason: 'reg query: access denied' }],
      },
    },
    clock: {
      ...seen,
      driver: 'host-clock',
      facts: { section: 'clock', synced: false, offsetMs: 2512.4, source: 'Local CMOS Clock', timezone: 'Europe/Moscow', tool: 'w32tm', unchecked: [] },
    },
    print: {
      ...seen,
      driver: 'host-print',
      facts: {
        section: 'print', system: 'windows-spooler',
        services: [{ name: 'Spooler', displayName: 'Диспетчер печати', state: 'crashing', startMode: 'auto', restarts: 7 }],
        drivers: [{ name: 'EPSON TM-T20II Receipt5', version: '5.12.0.0', manufacturer: 'EPSON', queues: ['EPSON TM-T20II'] }],
        queues: [{ name: 'EPSON TM-T20II', driver: 'EPSON TM-T20II Receipt5', port: 'USB001', paused: false, offline: false, jobCount: 3, oldestJobAt: iso(T0 - 3_600_000) }],
        unchecked: [],
      },
    },
    peripherals: {
      ...seen,
      driver: 'host-peripherals',
      facts: {
        section: 'peripherals',
        usb: [
          { key: '04b8:0e15:X5E1234567', vendorId: '04b8', productId: '0e15', manufacturer: 'EPSON', product: 'TM-T20II', serial: 'X5E1234567', interfaceClasses: [7], kind: 'receipt-printer', knownAs: 'Epson TM-T20II', devicePath: 'USB001' },
        ],
        serial: [{ path: 'COM5', vendorId: '2912', productId: '0005', kind: 'fiscal', knownAs: 'АТОЛ 30Ф' }],
        events: [
          { at: iso(T0 - 20 * 60_000), action: 'detached', key: '04b8:0e15:X5E1234567', name: 'Epson TM-T20II (04b8:0e15)', kind: 'receipt-printer', via: 'diff' },
          { at: iso(T0 - 10 * 60_000), action: 'attached', key: '04b8:0e15:X5E1234567', name: 'Epson TM-T20II (04b8:0e15)', kind: 'receipt-printer', via: 'diff' },
        ],
        unchecked: [],
      },
    },
    pos: {
      ...seen,
      driver: 'host-pos',
      facts: {
        section: 'pos',
        apps: [{ id: 'frontol', name: 'Frontol 6', version: '6.21.0', installed: true, running: false, source: 'registry Uninstall\\Frontol 6' }],
        fiscalStack: [{ id: 'atol-driver-10', name: 'АТОЛ: Драйвер ККТ v10', version: '10.9.5.0', installed: true, running: null, source: 'registry Uninstall\\ATOL' }],
        configFiles: [
          { name: 'frontol.ini', path: 'C:\\Frontol\\frontol.ini', sha256: 'a'.repeat(64), sizeBytes: 2048, modifiedAt: iso(T0 - 86_400_000) },
          { name: 'fptr10.json', path: 'C:\\ATOL\\fptr10.json', sha256: null, error: 'permission denied' },
        ],
        expectedApp: 'frontol',
        unchecked: [{ fact: 'processes', reason: 'Get-Process: timed out after 10 s' }],
      },
    },
    events: {
      ...seen,
      driver: 'host-events',
      facts: {
        section: 'events',
        entries: [
          { at: iso(T0 - 5 * 60_000), log: 'Microsoft-Windows-PrintService/Admin', source: 'PrintService', level: 'error', eventId: 372, message: 'The document Receipt owned by [redacted:cashier_name] failed to print on printer EPSON TM-T20II.' },
          { at: null, log: 'Application', level: 'warning', message: 'Frontol: license check delayed' },
        ],
        unchecked: [],
      },
    },
    drift: {
      referenceId: 3,
      referenceName: 'Pioneer POS-M15, Windows 10',
      comparedAt: iso(T0 - 30_000),
      differences: [
        { kind: 'driver_version', subject: 'EPSON TM-T20II Receipt5', expected: '5.10.0.0', actual: '5.12.0.0' },
        { kind: 'pos_app_not_running', subject: 'frontol', expected: 'running', actual: 'not running' },
        { kind: 'config_missing', subject: 'fptr10.json', expected: 'b'.repeat(64), actual: null },
      ],
      unchecked: [],
    },
    ...patch,
  });
}

/** A register that has reported nothing about its host yet, and has no reference. */
export function emptyRegisterHost(agentId = 'agt-1'): RegisterHost {
  return { agentId, os: null, clock: null, print: null, peripherals: null, pos: null, events: null, drift: null };
}

export function makeReferenceSummary(id: number, patch: Partial<ReferenceSummary> = {}): ReferenceSummary {
  return {
    id,
    name: 'Pioneer POS-M15, Windows 10',
    scope: { machineModel: 'POS-M15', storeIds: [] },
    createdBy: 'admin',
    updatedAt: iso(T0 - 86_400_000),
    matching: 12,
    differing: 2,
    unknown: 1,
    ...patch,
  };
}

/** GET /api/references/:id: one register matching, one differing, one not reported. */
export function makeReferenceDetail(id: number, patch: Partial<ReferenceDetail> = {}): ReferenceDetail {
  return ReferenceDetail.parse({
    ...makeReferenceSummary(id, { matching: 1, differing: 1, unknown: 1 }),
    spec: {
      osBuild: '19045.4291',
      drivers: [{ name: 'EPSON TM-T20II Receipt5', version: '5.10.0.0' }],
      services: [{ name: 'Spooler', state: 'running', startMode: 'auto' }],
      posApps: [{ id: 'frontol', version: '6.21.0', running: true }],
      fiscalStack: [{ id: 'atol-driver-10' }],
      peripherals: [{ vendorId: '04b8', productId: '0e15', name: 'Epson TM-T20II' }],
      configFiles: [{ name: 'frontol.ini', sha256: 'a'.repeat(64) }],
    },
    registers: [
      { agentId: 'agt-1', storeId: 'msk-014', registerId: 'pos-02', differences: makeRegisterHost().drift!.differences, comparedAt: iso(T0 - 30_000) },
      { agentId: 'agt-2', storeId: 'msk-014', registerId: 'pos-03', differences: [], comparedAt: iso(T0 - 30_000) },
      { agentId: 'agt-3', storeId: 'msk-020', registerId: 'pos-01', differences: null, comparedAt: null },
    ],
    ...patch,
  });
}
