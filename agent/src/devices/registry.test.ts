import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDriverRegistry } from './registry';

const devicesDir = import.meta.dirname;

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

const REQUIRED_FILES = ['protocol.ts', 'probe.ts', 'diagnosis.ts', 'README.md', 'quality.yaml'];

describe('driver registry', () => {
  const registry = createDriverRegistry();
  const folders = driverFolders();

  it('finds driver folders at all (the glob is not silently empty)', () => {
    expect(folders.map((f) => `${f.kind}/${f.driver}`)).toContain('receipt-printer/escpos');
  });

  it('registers every driver folder, under its folder name and kind', async () => {
    for (const { kind, driver, dir } of folders) {
      const where = relative(devicesDir, dir);
      const registered = [...registry.values()].find((d) => d.id === driver);
      expect(registered, `${where} has an index.ts but is not in createDriverRegistry()`).toBeDefined();
      expect(registered?.kind, `${where}: kind`).toBe(kind);
      const module = (await import(join(dir, 'index.ts'))) as Record<string, unknown>;
      expect(Object.values(module), `${where}/index.ts must export the registered driver object`).toContain(registered);
    }
  });

  it('has no registered driver without a folder', () => {
    const folderIds = folders.map((f) => f.driver);
    for (const id of registry.keys()) expect(folderIds, `driver ${id} is registered but has no devices/<kind>/${id}/index.ts`).toContain(id);
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
