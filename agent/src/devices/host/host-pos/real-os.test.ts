// host-pos against this machine's real OS (ps, dpkg-query, the file system), not a fixture: a
// process named like the 1C thin client is started from a temp folder and must be found running,
// and a config file hashed. Linux with procps and dpkg only (the build machines are Debian).
import { DeviceReport } from '@tillscope/shared';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostOs } from '../../../os/host-os-real';
import { HostPosOptions } from './options';
import { probeHostPos } from './probe';

const hasTools = process.platform === 'linux' && ['ps', 'dpkg-query', 'sleep'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);

describe.runIf(hasTools)('host-pos on this machine (real ps and dpkg-query)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tillscope-host-pos-'));
  const sleeper = path.join(dir, '1cv8c');
  const config = path.join(dir, 'pos.conf');
  let child: ReturnType<typeof spawn> | undefined;

  beforeAll(async () => {
    copyFileSync(spawnSync('sh', ['-c', 'command -v sleep'], { encoding: 'utf8' }).stdout.trim(), sleeper);
    writeFileSync(config, 'Port=/dev/ttyACM0\n');
    child = spawn(sleeper, ['60'], { stdio: 'ignore' });
    await new Promise((resolve) => child?.once('spawn', resolve));
  });
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the planted 1cv8c running, reads the real package list, hashes the config file', async () => {
    const report = DeviceReport.parse(
      await probeHostPos({
        options: HostPosOptions.parse({}),
        memory: undefined,
        os: createHostOs(),
        host: { isTradingHours: () => true, devices: [], fiscalAttached: false, agentVersion: 'test', posApp: '1c', configFiles: [{ name: 'pos.conf', path: config }] },
        now: () => new Date(),
        signal: new AbortController().signal,
      }),
    );
    if (report.host?.section !== 'pos') throw new Error('no pos section');
    expect(report.host.unchecked).toEqual([]);
    expect(report.host.apps.find((app) => app.id === '1c')).toMatchObject({ installed: true, running: true, source: expect.stringContaining('process 1cv8c') as string });
    expect(report.host.configFiles).toEqual([expect.objectContaining({ name: 'pos.conf', sha256: createHash('sha256').update('Port=/dev/ttyACM0\n').digest('hex'), sizeBytes: 18 })]);
    expect(report.findings).toEqual([]);
    const dpkg = report.evidence.exchanges.find((e) => e.label.startsWith('dpkg-query'));
    expect(dpkg).toMatchObject({ type: 'structured', status: 'ok' });
    expect((dpkg?.reply as { programs: number }).programs).toBeGreaterThan(100);
  });
});
