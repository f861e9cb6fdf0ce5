import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BuildResult } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAgent } from './build';

const repoRoot = resolve(import.meta.dirname, '..');

describe('the agent bundle (npm run build:agent)', () => {
  let dir: string;
  let bundle: string;
  let result: BuildResult;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tillscope-agent-build-'));
    bundle = join(dir, 'agent.cjs');
    result = await buildAgent(bundle);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Plain node on the bundle; external modules resolve from the repository's node_modules. */
  function runBundle(args: string[], env: NodeJS.ProcessEnv = {}) {
    const inherited = { ...process.env };
    delete inherited.NODE_OPTIONS;
    delete inherited.UV_THREADPOOL_SIZE;
    return spawnSync(process.execPath, args, {
      env: { ...inherited, NODE_PATH: join(repoRoot, 'node_modules'), ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
  }

  it('leaves native modules external and zod translations other than English out', () => {
    const inputs = Object.keys(result.metafile?.inputs ?? {}).map((file) => file.replaceAll('\\', '/'));
    expect(inputs.filter((file) => /node_modules\/(sqlite3|serialport|@serialport\/[^/]+|usb)\//.test(file))).toEqual([]);
    expect(inputs.filter((file) => /zod\/v4\/locales\/(?!en\.js$)/.test(file))).toEqual([]);
    expect(inputs).toContain('node_modules/zod/v4/locales/en.js');
  });

  it('is ASCII, so V8 keeps its source as a one-byte string', () => {
    expect(/[^\x00-\x7f]/.test(readFileSync(bundle, 'latin1'))).toBe(false);
  });

  it('runs with plain node: without --config it prints the usage and exits 2', () => {
    const run = runBundle([bundle]);
    expect(run.stderr).toMatch(/^usage: node agent\/dist\/agent\.cjs --config/);
    expect(run.status).toBe(2);
  });

  it('still has zod messages in English: a bad config field is named and explained', () => {
    const config = join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ server: 'http://127.0.0.1:1', storeId: 's', registerId: 'r', devices: [{ id: 'p', driver: 'escpos', transport: { kind: 'tcp', host: 'h', port: 70000 } }] }));
    const run = runBundle([bundle, '--config', config]);
    expect(run.stderr).toMatch(/config error: devices\.0\.transport\.port: Too big: expected number to be <=65535/);
    expect(run.status).toBe(1);
  });

  it('sizes the libuv threadpool before main runs, unless the operator did', () => {
    // -e loads the bundle as bin.ts would be loaded by `node agent.cjs`, then reports the variable.
    const probe = "process.on('exit', () => process.stdout.write(`pool=${process.env.UV_THREADPOOL_SIZE}`)); require(process.argv[1]);";
    expect(runBundle(['-e', probe, bundle]).stdout).toBe('pool=2');
    expect(runBundle(['-e', probe, bundle], { UV_THREADPOOL_SIZE: '6' }).stdout).toBe('pool=6');
  });
});
