import { CATALOGUE, DeviceKind, DiagnosisCode, DriverId, HOST_PROBE_IDS, type Category, type HostProbeId } from '@tillscope/shared';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { MIN_HOST_INTERVAL_SEC, SCHEDULE_KEYS } from '../host-config';
import { FIRST_PRINTER_ORDER } from './driver';
import { createDriverRegistry, createHostProbeRegistry } from './registry';

const devicesDir = import.meta.dirname;

/** The folder of shared helpers every driver may import; never a driver folder itself. */
const COMMON = 'common';

/** Which catalogue category a driver kind's findings belong to. */
const CATEGORY_OF_KIND: Record<DeviceKind, Category> = { 'receipt-printer': 'printer', fiscal: 'fiscal', host: 'os' };

/** Every devices/<kind>/<name>/ folder, with or without index.ts (a driver being written has none yet). */
function allDriverDirs(): string[] {
  return readdirSync(devicesDir)
    .filter((kind) => kind !== COMMON && statSync(join(devicesDir, kind)).isDirectory())
    .flatMap((kind) => readdirSync(join(devicesDir, kind)).map((name) => join(devicesDir, kind, name)))
    .filter((dir) => statSync(dir).isDirectory());
}

/** Every .ts file below `dir`, with the relative imports it makes, resolved to absolute paths. */
function relativeImports(dir: string): { file: string; spec: string; target: string }[] {
  const found: { file: string; spec: string; target: string }[] = [];
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = join(dir, name);
    if (!file.endsWith('.ts') || !statSync(file).isFile()) continue;
    for (const { fileName: spec } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (spec.startsWith('.')) found.push({ file, spec, target: resolve(dirname(file), spec) });
    }
  }
  return found;
}

const inside = (path: string, dir: string) => path === dir || path.startsWith(dir + sep);

/** Every devices/<kind>/<driver>/ folder with an index.ts (the glob devices/*\/*\/index.ts). */
function driverFolders(): { kind: string; driver: string; dir: string }[] {
  const folders: { kind: string; driver: string; dir: string }[] = [];
  for (const kind of readdirSync(devicesDir)) {
    const kindDir = join(devicesDir, kind);
    if (!statSync(kindDir).isDirectory()) continue;
    for (const driver of readdirSync(kindDir)) {
      const dir = join(kindDir, driver);
      if (statSync(dir).isDirectory() && existsSync(join(dir, 'index.ts'))) folders.push({ kind, driver, dir });
    }
  }
  return folders;
}

/** The folder of host probes (devices/host/<probe-id>/): registered in createHostProbeRegistry(), not createDriverRegistry(). */
const HOST = 'host';

/**
 * Host probes in DriverId whose folder has not landed yet (issue 10 is built by several people at
 * once). Whoever lands a probe removes its id here; the test fails while an id is both listed here
 * and registered, or neither.
 */
const HOST_PROBES_NOT_YET_WRITTEN: readonly HostProbeId[] = [];

/** The fixed files of a driver folder (devices/README.md "Adding a driver"). */
const REQUIRED_FILES = ['index.ts', 'protocol.ts', 'probe.ts', 'diagnosis.ts', 'options.ts', 'README.md', 'quality.yaml'];

describe('driver registry', () => {
  const registry = createDriverRegistry();
  const hostProbes = createHostProbeRegistry();
  const folders = driverFolders();

  it('finds driver folders at all (the glob is not silently empty)', () => {
    expect(folders.map((f) => `${f.kind}/${f.driver}`)).toContain('receipt-printer/escpos');
  });

  it('registers every driver folder, under its folder name and kind', async () => {
    for (const { kind, driver, dir } of folders) {
      const where = relative(devicesDir, dir);
      const registered = kind === HOST ? [...hostProbes.values()].find((p) => p.id === driver) : [...registry.values()].find((d) => d.id === driver);
      expect(registered, `${where} has an index.ts but is not in ${kind === HOST ? 'createHostProbeRegistry()' : 'createDriverRegistry()'}`).toBeDefined();
      expect(registered?.kind, `${where}: kind`).toBe(kind);
      const module = (await import(join(dir, 'index.ts'))) as Record<string, unknown>;
      expect(Object.values(module), `${where}/index.ts must export the registered driver object`).toContain(registered);
    }
  });

  it('has no registered driver or host probe without a folder', () => {
    const folderIds = folders.map((f) => f.driver);
    for (const id of registry.keys()) expect(folderIds, `driver ${id} is registered but has no devices/<kind>/${id}/index.ts`).toContain(id);
    const hostFolderIds = folders.filter((f) => f.kind === HOST).map((f) => f.driver);
    for (const id of hostProbes.keys()) expect(hostFolderIds, `host probe ${id} is registered but has no devices/host/${id}/index.ts`).toContain(id);
  });

  it('every driver folder has the fixed file vocabulary', () => {
    for (const { dir } of folders) {
      const where = relative(devicesDir, dir);
      const files = readdirSync(dir);
      for (const required of REQUIRED_FILES) expect(files, `${where} lacks ${required}`).toContain(required);
      expect(files.some((f) => f.endsWith('.test.ts')), `${where} lacks a *.test.ts`).toBe(true);
      const fixtures = join(dir, 'fixtures');
      expect(existsSync(fixtures) && statSync(fixtures).isDirectory(), `${where} lacks fixtures/`).toBe(true);
      expect(readdirSync(fixtures).length, `${where}/fixtures is empty`).toBeGreaterThan(0);
    }
  });

  it("is the wire's DriverId: drivers and host probes together, the host probes' ids being HOST_PROBE_IDS", () => {
    const registered = [...registry.keys(), ...hostProbes.keys(), ...HOST_PROBES_NOT_YET_WRITTEN];
    expect(registered.sort()).toEqual([...DriverId.options].sort());
    expect([...hostProbes.keys(), ...HOST_PROBES_NOT_YET_WRITTEN].sort()).toEqual([...HOST_PROBE_IDS].sort());
    for (const id of HOST_PROBES_NOT_YET_WRITTEN) expect(hostProbes.has(id), `${id} is registered: remove it from HOST_PROBES_NOT_YET_WRITTEN`).toBe(false);
    for (const driver of registry.values()) expect(DeviceKind.options.filter((k) => k !== 'host'), `${driver.id}: kind`).toContain(driver.kind);
    for (const [id, driver] of registry) expect(driver.id, `registered under ${id}`).toBe(id);
    for (const [id, probe] of hostProbes) {
      expect(probe.id, `registered under ${id}`).toBe(id);
      expect(probe.kind, `${id}: kind`).toBe('host');
    }
  });

  it("host probes declare only catalogued 'os' codes, run at most every MIN_HOST_INTERVAL_SEC, and have strict options with defaults", () => {
    for (const probe of hostProbes.values()) {
      expect(probe.codes.length, `${probe.id} declares no codes`).toBeGreaterThan(0);
      expect(probe.codes, `${probe.id}: every host probe may fail to check`).toContain('host.check_failed');
      expect(new Set(probe.codes).size, `${probe.id}: codes repeat`).toBe(probe.codes.length);
      for (const code of probe.codes) {
        expect(DiagnosisCode.options, `${probe.id}: ${code} is not a DiagnosisCode`).toContain(code);
        expect(CATALOGUE[code].category, `${probe.id}: ${code}`).toBe(CATEGORY_OF_KIND.host);
      }
      expect(probe.defaultIntervalSec, `${probe.id}: defaultIntervalSec`).toBeGreaterThanOrEqual(MIN_HOST_INTERVAL_SEC);
      expect(probe.options.safeParse({}).success, `${probe.id}: options without any key must parse (defaults)`).toBe(true);
      expect(probe.options.safeParse({ noSuchOption: 1 }).success, `${probe.id}: options must be a strict object`).toBe(false);
      for (const key of SCHEDULE_KEYS) expect(probe.options.safeParse({ [key]: 60 }).success, `${probe.id}: "${key}" is the scheduler's key, not an option`).toBe(false);
    }
  });

  it("declares only catalogued codes, each in its kind's category", () => {
    for (const driver of registry.values()) {
      expect(driver.codes.length, `${driver.id} declares no codes`).toBeGreaterThan(0);
      expect(new Set(driver.codes).size, `${driver.id}: codes repeat`).toBe(driver.codes.length);
      for (const code of driver.codes) {
        expect(DiagnosisCode.options, `${driver.id}: ${code} is not a DiagnosisCode`).toContain(code);
        expect(CATALOGUE[code].category, `${driver.id}: ${code}`).toBe(CATEGORY_OF_KIND[driver.kind]);
      }
    }
  });

  it('identifies fiscal registers before printers (discovery never sends printer bytes to a register first), in distinct orders', () => {
    const identifying = [...registry.values()].filter((d) => d.identification);
    expect(identifying.map((d) => d.id)).toEqual(expect.arrayContaining(['shtrih-m', 'escpos']));
    for (const driver of identifying) {
      const { order, serialBaudRates } = driver.identification!;
      if (driver.kind === 'fiscal') expect(order, `${driver.id}: a fiscal identifier's order`).toBeLessThan(FIRST_PRINTER_ORDER);
      else expect(order, `${driver.id}: a printer identifier's order`).toBeGreaterThanOrEqual(FIRST_PRINTER_ORDER);
      if (driver.transports.includes('serial')) expect(serialBaudRates.length, `${driver.id}: serial baud rates`).toBeGreaterThan(0);
    }
    const orders = identifying.map((d) => d.identification!.order);
    expect(new Set(orders).size, 'identifier orders repeat').toBe(orders.length);
  });

  it('declares its transports, and a driver without a byte transport names its service URL', () => {
    for (const driver of registry.values()) {
      expect(driver.transports.length, `${driver.id}: transports`).toBeGreaterThan(0);
      if (driver.transports.includes('http')) expect(driver.serviceUrl, `${driver.id} is reached over http but has no serviceUrl`).toBeTypeOf('function');
    }
  });

  it('no driver imports from another driver folder (shared helpers live in devices/common/)', () => {
    const dirs = allDriverDirs();
    expect(dirs.length).toBeGreaterThan(0);
    const violations: string[] = [];
    for (const dir of dirs) {
      for (const { file, spec, target } of relativeImports(dir)) {
        const other = dirs.find((d) => d !== dir && inside(target, d));
        if (other) violations.push(`${relative(devicesDir, file)} imports "${spec}" from ${relative(devicesDir, other)}`);
      }
    }
    for (const { file, spec, target } of relativeImports(join(devicesDir, COMMON))) {
      const driverDir = dirs.find((d) => inside(target, d));
      if (driverDir) violations.push(`${relative(devicesDir, file)} (common) imports "${spec}" from ${relative(devicesDir, driverDir)}`);
    }
    expect(violations).toEqual([]);
  });

  it('every quality.yaml rule is done, or exempt with a reason', () => {
    for (const { dir } of folders) {
      const where = relative(devicesDir, dir);
      const rules = readFileSync(join(dir, 'quality.yaml'), 'utf8')
        .split('\n')
        .filter((line) => line.trim() && !line.trimStart().startsWith('#'));
      expect(rules.length, `${where}/quality.yaml has no rules`).toBeGreaterThan(0);
      for (const line of rules) {
        const match = /^([a-z0-9-]+):\s*(done|exempt)\b\s*(#\s*\S.*)?$/.exec(line.trim());
        expect(match, `${where}/quality.yaml: "${line}" is not "rule: done|exempt # reason"`).not.toBeNull();
        if (match?.[2] === 'exempt') expect(match[3], `${where}/quality.yaml: ${match[1]} is exempt without a reason`).toBeTruthy();
      }
    }
  });
});
