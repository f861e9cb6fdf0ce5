import { DriftKind, type DriftDifference, type HostFacts, type ReferenceSpec } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { AREA_OF_KIND, carryForward, computeDrift, driftDetail, sameDifferences } from './drift';
import { FRONTOL_INI_SHA, referenceSpec, registerFacts } from './host-fixtures';

type Facts = ReturnType<typeof registerFacts>;

/** Each kind of difference: one change to the matching register, and the one difference it must give. */
const MATRIX: Record<DriftKind, { change: (facts: Facts, spec: ReferenceSpec) => void; expected: DriftDifference }> = {
  os_build: {
    change: (facts) => Object.assign(facts.os, { version: '10.0.22631', build: '22631.3447' }),
    expected: { kind: 'os_build', subject: 'Microsoft Windows 10 Pro', expected: '10.0.19045', actual: '10.0.22631 (22631.3447)' },
  },
  driver_missing: {
    change: (facts) => void (facts.print.drivers = facts.print.drivers.filter((driver) => !driver.name.startsWith('EPSON'))),
    expected: { kind: 'driver_missing', subject: 'EPSON TM-T20II Receipt5', expected: '5.12.0.0', actual: null },
  },
  driver_version: {
    change: (facts) => void (facts.print.drivers[0]!.version = '5.13.0.0'),
    expected: { kind: 'driver_version', subject: 'EPSON TM-T20II Receipt5', expected: '5.12.0.0', actual: '5.13.0.0' },
  },
  service_missing: {
    change: (facts) => void (facts.print.services = []),
    expected: { kind: 'service_missing', subject: 'Spooler', expected: 'running, auto', actual: null },
  },
  service_state: {
    change: (facts) => void (facts.print.services[0]!.state = 'stopped'),
    expected: { kind: 'service_state', subject: 'Spooler', expected: 'running', actual: 'stopped' },
  },
  service_start_mode: {
    change: (facts) => void (facts.print.services[0]!.startMode = 'disabled'),
    expected: { kind: 'service_start_mode', subject: 'Spooler', expected: 'auto', actual: 'disabled' },
  },
  pos_app_missing: {
    change: (facts) => Object.assign(facts.pos.apps[0]!, { installed: false, running: false }),
    expected: { kind: 'pos_app_missing', subject: 'frontol', expected: '6.21.1', actual: null },
  },
  pos_app_version: {
    change: (facts) => void (facts.pos.apps[0]!.version = '6.22.0'),
    expected: { kind: 'pos_app_version', subject: 'Frontol 6', expected: '6.21.1', actual: '6.22.0' },
  },
  pos_app_not_running: {
    change: (facts) => void (facts.pos.apps[0]!.running = false),
    expected: { kind: 'pos_app_not_running', subject: 'Frontol 6', expected: 'running', actual: 'not running' },
  },
  fiscal_stack_missing: {
    change: (facts) => void (facts.pos.fiscalStack = []),
    expected: { kind: 'fiscal_stack_missing', subject: 'atol-driver-10', expected: '10.10.4.0', actual: null },
  },
  fiscal_stack_version: {
    change: (facts) => void (facts.pos.fiscalStack[0]!.version = '10.9.0.0'),
    expected: { kind: 'fiscal_stack_version', subject: 'ATOL driver 10', expected: '10.10.4.0', actual: '10.9.0.0' },
  },
  peripheral_missing: {
    change: (facts) => void (facts.peripherals.usb = []),
    expected: { kind: 'peripheral_missing', subject: 'Epson TM-T20II', expected: '04b8:0e15', actual: null },
  },
  config_missing: {
    change: (facts) => Object.assign(facts.pos.configFiles[0]!, { sha256: null, error: 'missing' }),
    expected: { kind: 'config_missing', subject: 'frontol.ini', expected: FRONTOL_INI_SHA, actual: null },
  },
  config_changed: {
    change: (facts) => void (facts.pos.configFiles[0]!.sha256 = 'b'.repeat(64)),
    expected: { kind: 'config_changed', subject: 'frontol.ini', expected: FRONTOL_INI_SHA, actual: 'b'.repeat(64) },
  },
};

describe('drift from the reference (the matrix)', () => {
  it('finds nothing on a register that matches its reference', () => {
    expect(computeDrift(referenceSpec(), registerFacts())).toEqual({ differences: [], unchecked: [] });
  });

  it.each(DriftKind.options)('%s: one change gives exactly its difference', (kind) => {
    const facts = registerFacts();
    const spec = referenceSpec();
    MATRIX[kind].change(facts, spec);
    expect(computeDrift(spec, facts)).toEqual({ differences: [MATRIX[kind].expected], unchecked: [] });
  });

  it('covers every DriftKind', () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...DriftKind.options].sort());
  });

  it('does not count what the register has beyond the reference, nor fields the reference leaves out', () => {
    const facts = registerFacts();
    facts.print.drivers.push({ name: 'Generic / Text Only', version: '1.0', queues: [] });
    facts.print.services[0]!.startMode = 'manual';
    const spec = referenceSpec();
    spec.services = [{ name: 'spooler', state: 'running' }]; // no startMode: state only; names compared case-insensitively
    expect(computeDrift(spec, facts).differences).toEqual([]);
  });

  it('accepts the OS build pinned by its build number too', () => {
    const spec = { ...referenceSpec(), osBuild: '19045.4291' };
    expect(computeDrift(spec, registerFacts()).differences).toEqual([]);
  });

  it('does not call a POS application "not running" when the process list could not be read', () => {
    const facts = registerFacts();
    facts.pos.apps[0]!.running = null;
    expect(computeDrift(referenceSpec(), facts).differences).toEqual([]);
  });
});

describe('what drift cannot see', () => {
  it('lists sections never reported as unchecked areas, never as missing things', () => {
    const { os, peripherals }: HostFacts = registerFacts();
    expect(computeDrift(referenceSpec(), { os, peripherals })).toEqual({
      differences: [],
      unchecked: ['print.drivers', 'print.services', 'pos.apps', 'pos.fiscalStack', 'pos.configFiles'],
    });
  });

  it('takes a probe\'s unchecked facts as "could not compare" (a hung tool is not a missing driver)', () => {
    const facts = registerFacts();
    facts.print.drivers = [];
    facts.print.unchecked = [{ fact: 'drivers', reason: 'Get-PrinterDriver: timed out after 10 s' }];
    facts.peripherals.usb = [];
    facts.peripherals.unchecked = [{ fact: 'usb.devices', reason: '/sys/bus/usb/devices: permission denied' }];
    expect(computeDrift(referenceSpec(), facts)).toEqual({ differences: [], unchecked: ['print.drivers', 'peripherals'] });
  });

  it('reads the unchecked facts as the probes name them, with or without their section in front', () => {
    const facts = registerFacts();
    facts.print.unchecked = [{ fact: 'print.drivers.saved', reason: 'could not save the driver versions seen' }, { fact: 'queues', reason: 'Get-Printer failed' }];
    expect(computeDrift(referenceSpec(), facts).unchecked).toEqual([]);
    facts.print.unchecked = [{ fact: 'print.drivers', reason: 'Get-PrinterDriver failed' }, { fact: 'services.Spooler', reason: 'systemctl: timed out' }];
    facts.pos.unchecked = [{ fact: 'apps.uninstall', reason: 'powershell: timed out' }, { fact: 'configFiles.frontol.ini', reason: 'permission denied' }];
    expect(computeDrift(referenceSpec(), facts).unchecked).toEqual(['print.drivers', 'print.services', 'pos.apps', 'pos.configFiles']);
    facts.print.unchecked = [];
    facts.pos.unchecked = [{ fact: 'processes', reason: 'tasklist: not installed' }]; // a program seen only running would vanish
    expect(computeDrift(referenceSpec(), facts).unchecked).toEqual(['pos.apps', 'pos.fiscalStack']);
  });

  it('counts a program seen running though no installer lists it as present', () => {
    const facts = registerFacts();
    Object.assign(facts.pos.apps[0]!, { installed: false, running: true });
    expect(computeDrift(referenceSpec(), facts).differences).toEqual([]);
  });

  it('does not call a service state or start mode the OS did not give ("unknown") a difference', () => {
    const facts = registerFacts();
    Object.assign(facts.print.services[0]!, { state: 'unknown', startMode: 'unknown' });
    expect(computeDrift(referenceSpec(), facts).differences).toEqual([]);
  });

  it('takes a config file it could not read (other than missing) as unchecked', () => {
    const facts = registerFacts();
    Object.assign(facts.pos.configFiles[0]!, { sha256: null, error: 'permission denied' });
    expect(computeDrift(referenceSpec(), facts)).toEqual({ differences: [], unchecked: ['pos.configFiles'] });
  });

  it('carries the last differences of an unchecked area forward, and only those', () => {
    const previous: DriftDifference[] = [
      { kind: 'driver_version', subject: 'EPSON TM-T20II Receipt5', expected: '5.12.0.0', actual: '5.13.0.0' },
      { kind: 'config_changed', subject: 'frontol.ini', expected: FRONTOL_INI_SHA, actual: 'b'.repeat(64) },
    ];
    const facts = registerFacts();
    facts.print.unchecked = [{ fact: 'drivers', reason: 'timed out' }];
    const outcome = computeDrift(referenceSpec(), facts);
    expect(carryForward(outcome, previous)).toEqual([previous[0]]);
    for (const kind of DriftKind.options) expect(AREA_OF_KIND[kind]).toBeDefined();
  });
});

describe('drift helpers', () => {
  it('compares difference sets in any order', () => {
    const a = MATRIX.driver_version.expected;
    const b = MATRIX.config_changed.expected;
    expect(sameDifferences([a, b], [b, a])).toBe(true);
    expect(sameDifferences([a, b], [a])).toBe(false);
    expect(sameDifferences([a], [{ ...a, actual: '5.14.0.0' }])).toBe(false);
  });

  it('summarises the differences in one bounded line', () => {
    expect(driftDetail('Jazz 2', [MATRIX.driver_version.expected])).toBe(
      '1 difference from reference "Jazz 2": driver version: EPSON TM-T20II Receipt5 (expected 5.12.0.0, actual 5.13.0.0)',
    );
    const many = Array.from({ length: 40 }, (_, index) => ({ ...MATRIX.driver_missing.expected, subject: `driver ${index}` }));
    const detail = driftDetail('Jazz 2', many);
    expect(detail.length).toBeLessThanOrEqual(500);
    expect(detail).toMatch(/^40 differences from reference "Jazz 2": driver missing: driver 0 .*; and \d+ more$/);
  });
});
