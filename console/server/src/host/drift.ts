import type { DriftDifference, DriftKind, HostFacts, HostSection, ReferenceSpec } from '@tillscope/shared';

/**
 * Drift: a register's host facts against its reference image (эталон). Pure: no clock, no database.
 *
 * Every list of the spec says "these must be present as stated"; what the register has beyond them
 * is not drift. A part of the spec is compared only where the register's facts can answer it: a
 * section never reported, or one whose probe lists the part among its `unchecked` facts (the tool
 * was missing, hung, or printed something the parser did not know), makes that part an unchecked
 * area, never a "missing" difference. The caller carries the last known differences of an
 * unchecked area forward (see carryForward), so a tool that hangs cannot make drift look fixed.
 */

/** The parts of a reference, each compared from one section. */
export const DRIFT_AREAS = ['os', 'print.drivers', 'print.services', 'pos.apps', 'pos.fiscalStack', 'pos.configFiles', 'peripherals'] as const;
export type DriftArea = (typeof DRIFT_AREAS)[number];

export const AREA_OF_KIND: Record<DriftKind, DriftArea> = {
  os_build: 'os',
  driver_missing: 'print.drivers',
  driver_version: 'print.drivers',
  service_missing: 'print.services',
  service_state: 'print.services',
  service_start_mode: 'print.services',
  pos_app_missing: 'pos.apps',
  pos_app_version: 'pos.apps',
  pos_app_not_running: 'pos.apps',
  fiscal_stack_missing: 'pos.fiscalStack',
  fiscal_stack_version: 'pos.fiscalStack',
  peripheral_missing: 'peripherals',
  config_missing: 'pos.configFiles',
  config_changed: 'pos.configFiles',
};

/**
 * The UncheckedFacts that make an area unchecked, by their `fact` path with the section's own name
 * taken off the front ("print.drivers" and "drivers" alike), lower-cased. As the probes name them
 * (their READMEs): host-print "drivers", "services.<name>" ("print.drivers.saved", its own state
 * file, is not about the register); host-pos "processes" (a program seen only running would vanish),
 * "apps.*", "fiscalStack.*", "configFiles.<name>"; host-peripherals "usb", "usb.<port>", "serial".
 * Facts of other names (the queues, the clock) do not touch drift.
 */
const UNCHECKED_FACTS: Record<DriftArea, RegExp> = {
  os: /^(os|name|version|build)(\.|$)/,
  'print.drivers': /^drivers?$/,
  'print.services': /^services?(\.|$)/,
  'pos.apps': /^(apps|programs|processes)(\.|$)/,
  'pos.fiscalStack': /^(fiscalstack|programs|processes)(\.|$)/,
  'pos.configFiles': /^configfiles(\.|$)/,
  peripherals: /^(usb|serial)(\.|$)/,
};

export interface DriftOutcome {
  differences: DriftDifference[];
  /** areas the spec asks about that the register's facts could not answer, in DRIFT_AREAS order */
  unchecked: DriftArea[];
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const absent = (kind: DriftKind, subject: string, expected: string): DriftDifference => ({ kind, subject, expected, actual: null });

function blocked(area: DriftArea, section: HostSection | undefined): boolean {
  if (!section) return true;
  const own = `${section.section}.`;
  return section.unchecked.some(({ fact }) => {
    const lower = fact.toLowerCase();
    return UNCHECKED_FACTS[area].test(lower.startsWith(own) ? lower.slice(own.length) : lower);
  });
}

/** The areas the spec asks about. */
export function areasOf(spec: ReferenceSpec): DriftArea[] {
  const asked: Record<DriftArea, boolean> = {
    os: spec.osBuild !== undefined,
    'print.drivers': spec.drivers.length > 0,
    'print.services': spec.services.length > 0,
    'pos.apps': spec.posApps.length > 0,
    'pos.fiscalStack': spec.fiscalStack.length > 0,
    'pos.configFiles': spec.configFiles.length > 0,
    peripherals: spec.peripherals.length > 0,
  };
  return DRIFT_AREAS.filter((area) => asked[area]);
}

/** Whether the facts can answer an asked area. */
function answerable(area: DriftArea, facts: HostFacts): boolean {
  const section = { os: facts.os, print: facts.print, pos: facts.pos, peripherals: facts.peripherals }[area.split('.', 1)[0] as 'os' | 'print' | 'pos' | 'peripherals'];
  return !blocked(area, section);
}

function osDrift(spec: ReferenceSpec, facts: HostFacts): DriftDifference[] {
  const os = facts.os;
  if (spec.osBuild === undefined || !os) return [];
  // The spec's build is compared with the version ("22.04", "10.0.19045") and with the build
  // ("19045.4291", a kernel release): a reference may pin either.
  if (same(spec.osBuild, os.version) || (os.build !== undefined && same(spec.osBuild, os.build))) return [];
  return [{ kind: 'os_build', subject: os.name || 'OS', expected: spec.osBuild, actual: os.build ? `${os.version} (${os.build})` : os.version }];
}

function driverDrift(spec: ReferenceSpec, facts: HostFacts): DriftDifference[] {
  const drivers = facts.print?.drivers ?? [];
  return spec.drivers.flatMap((want): DriftDifference[] => {
    const have = drivers.find((driver) => same(driver.name, want.name));
    if (!have) return [absent('driver_missing', want.name, want.version ?? 'installed')];
    if (want.version !== undefined && (have.version === undefined || !same(have.version, want.version))) {
      return [{ kind: 'driver_version', subject: want.name, expected: want.version, actual: have.version ?? null }];
    }
    return [];
  });
}

function serviceDrift(spec: ReferenceSpec, facts: HostFacts): DriftDifference[] {
  const services = facts.print?.services ?? [];
  return spec.services.flatMap((want): DriftDifference[] => {
    const have = services.find((service) => same(service.name, want.name));
    if (!have) return [absent('service_missing', want.name, [want.state, want.startMode].filter(Boolean).join(', ') || 'installed')];
    const out: DriftDifference[] = [];
    // 'unknown' on the register: the OS did not say, which is not a difference.
    if (want.state !== undefined && have.state !== 'unknown' && have.state !== want.state) out.push({ kind: 'service_state', subject: want.name, expected: want.state, actual: have.state });
    if (want.startMode !== undefined && have.startMode !== 'unknown' && have.startMode !== want.startMode) {
      out.push({ kind: 'service_start_mode', subject: want.name, expected: want.startMode, actual: have.startMode });
    }
    return out;
  });
}

/** A program is on the register if it is installed or seen running (a copy run from a folder no installer knows). */
export const isPresent = (program: { installed: boolean; running: boolean | null }) => program.installed || program.running === true;

function posAppDrift(spec: ReferenceSpec, facts: HostFacts): DriftDifference[] {
  const apps = (facts.pos?.apps ?? []).filter(isPresent);
  return spec.posApps.flatMap((want): DriftDifference[] => {
    const have = apps.find((app) => app.id === want.id);
    if (!have) return [absent('pos_app_missing', want.id, want.version ?? 'installed')];
    const out: DriftDifference[] = [];
    if (want.version !== undefined && (have.version === undefined || !same(have.version, want.version))) {
      out.push({ kind: 'pos_app_version', subject: have.name || want.id, expected: want.version, actual: have.version ?? null });
    }
    // running null: the process list could not be read, which is not "not running".
    if (want.running === true && have.running === false) out.push({ kind: 'pos_app_not_running', subject: have.name || want.id, expected: 'running', actual: 'not running' });
    return out;
  });
}

function fiscalStackDrift(spec: ReferenceSpec, facts: HostFacts): DriftDifference[] {
  const stack = (facts.pos?.fiscalStack ?? []).filter(isPresent);
  return spec.fiscalStack.flatMap((want): DriftDifference[] => {
    const have = stack.find((part) => part.id === want.id);
    if (!have) return [absent('fiscal_stack_missing', want.id, want.version ?? 'installed')];
    if (want.version !== undefined && (have.version === undefined || !same(have.version, want.version))) {
      return [{ kind: 'fiscal_stack_version', subject: have.name || want.id, expected: want.version, actual: have.version ?? null }];
    }
    return [];
  });
}

function peripheralDrift(spec: ReferenceSpec, facts: HostFacts): DriftDifference[] {
  const seen = new Set<string>();
  for (const usb of facts.peripherals?.usb ?? []) seen.add(`${usb.vendorId}:${usb.productId}`);
  for (const port of facts.peripherals?.serial ?? []) if (port.vendorId && port.productId) seen.add(`${port.vendorId}:${port.productId}`);
  return spec.peripherals
    .filter((want) => !seen.has(`${want.vendorId}:${want.productId}`))
    .map((want) => absent('peripheral_missing', want.name, `${want.vendorId}:${want.productId}`));
}

/** Files the agent could not read for another reason than their absence: the area is unchecked. */
const FILE_ABSENT = /missing|not found|no such|enoent/i;

function configDrift(spec: ReferenceSpec, facts: HostFacts): { differences: DriftDifference[]; unreadable: boolean } {
  const files = facts.pos?.configFiles ?? [];
  let unreadable = false;
  const differences = spec.configFiles.flatMap((want): DriftDifference[] => {
    const have = files.find((file) => file.name === want.name);
    if (!have) return [absent('config_missing', want.name, want.sha256)];
    if (have.sha256 === null) {
      if (have.error !== undefined && !FILE_ABSENT.test(have.error)) {
        unreadable = true;
        return [];
      }
      return [absent('config_missing', want.name, want.sha256)];
    }
    return have.sha256 === want.sha256 ? [] : [{ kind: 'config_changed', subject: want.name, expected: want.sha256, actual: have.sha256 }];
  });
  return { differences, unreadable };
}

/** Compares the register's facts with the spec: each difference with both values, and the areas it could not compare. */
export function computeDrift(spec: ReferenceSpec, facts: HostFacts): DriftOutcome {
  const unchecked = new Set(areasOf(spec).filter((area) => !answerable(area, facts)));
  const config = unchecked.has('pos.configFiles') ? { differences: [], unreadable: false } : configDrift(spec, facts);
  if (config.unreadable) unchecked.add('pos.configFiles');
  const byArea: Record<DriftArea, () => DriftDifference[]> = {
    os: () => osDrift(spec, facts),
    'print.drivers': () => driverDrift(spec, facts),
    'print.services': () => serviceDrift(spec, facts),
    'pos.apps': () => posAppDrift(spec, facts),
    'pos.fiscalStack': () => fiscalStackDrift(spec, facts),
    'pos.configFiles': () => config.differences,
    peripherals: () => peripheralDrift(spec, facts),
  };
  const differences = DRIFT_AREAS.filter((area) => !unchecked.has(area)).flatMap((area) => byArea[area]());
  return { differences, unchecked: DRIFT_AREAS.filter((area) => unchecked.has(area)) };
}

/**
 * The outcome with the previous comparison's differences of each area now unchecked carried over
 * (same reference only): what could not be looked at this time stands as it was last seen.
 */
export function carryForward(outcome: DriftOutcome, previous: readonly DriftDifference[]): DriftDifference[] {
  const carried = previous.filter((difference) => outcome.unchecked.includes(AREA_OF_KIND[difference.kind]));
  return [...outcome.differences, ...carried];
}

/** Whether two lists hold the same differences, in any order. */
export function sameDifferences(a: readonly DriftDifference[], b: readonly DriftDifference[]): boolean {
  const keyOf = (d: DriftDifference) => JSON.stringify([d.kind, d.subject, d.expected, d.actual]);
  const left = a.map(keyOf).sort();
  const right = b.map(keyOf).sort();
  return left.length === right.length && left.every((key, index) => key === right[index]);
}

/** One line for the ticket's detail: how many differences and the first ones that fit, in plain English. */
export function driftDetail(referenceName: string, differences: readonly DriftDifference[], maxLength = 500): string {
  const head = `${differences.length} difference${differences.length === 1 ? '' : 's'} from reference "${referenceName}"`;
  const parts = differences.map((d) => `${d.kind.replaceAll('_', ' ')}: ${d.subject} (expected ${d.expected}, actual ${d.actual ?? 'absent'})`);
  const kept: string[] = [];
  for (const part of parts) {
    // room for "; and N more" after the ones kept
    if (head.length + 2 + [...kept, part].join('; ').length > maxLength - 20) break;
    kept.push(part);
  }
  const more = parts.length - kept.length;
  return `${head}: ${kept.join('; ')}${more > 0 ? `${kept.length > 0 ? '; ' : ''}and ${more} more` : ''}`.slice(0, maxLength);
}
