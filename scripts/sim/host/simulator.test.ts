import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SIM_PRINTER_QUEUE, startHostSimulator, type HostSimulator } from './simulator';

describe('host simulator', () => {
  let sim: HostSimulator | undefined;
  let dir = '';
  afterEach(async () => {
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function start(): Promise<HostSimulator> {
    dir = await mkdtemp(path.join(tmpdir(), 'host-sim-'));
    sim = await startHostSimulator({ dir });
    return sim;
  }

  it('lays out a usblp printer and a CH340 as sysfs does, and takes the printer away and back over HTTP', async () => {
    const host = await start();
    expect((await readdir(host.usbDevicesDir)).sort()).toEqual(['1-1', '1-1:1.0', '1-2', '1-2:1.0', 'usb1']);
    expect(await readFile(path.join(host.usbDevicesDir, '1-1', 'idVendor'), 'utf8')).toBe('04b8\n');
    expect(await readFile(path.join(host.usbDevicesDir, '1-1:1.0', 'bInterfaceClass'), 'utf8')).toBe('07\n');
    expect(await readdir(path.join(host.usbDevicesDir, '1-1:1.0', 'usbmisc'))).toEqual(['lp0']);

    const detach = await fetch(`${host.url}/usb`, { method: 'PUT', body: JSON.stringify({ device: 'printer', attached: false }) });
    expect(detach.status).toBe(200);
    expect((await readdir(host.usbDevicesDir)).sort()).toEqual(['1-2', '1-2:1.0', 'usb1']);
    await fetch(`${host.url}/usb`, { method: 'PUT', body: JSON.stringify({ device: 'printer', attached: true }) });
    expect(await readdir(host.usbDevicesDir)).toContain('1-1');
  });

  it('rewrites the PPD FileVersion and the config file on request, and refuses what it does not know', async () => {
    const host = await start();
    const ppd = path.join(host.ppdDir, `${SIM_PRINTER_QUEUE}.ppd`);
    expect(await readFile(ppd, 'utf8')).toContain('*FileVersion: "3.0.0"');
    expect((await fetch(`${host.url}/driver`, { method: 'PUT', body: JSON.stringify({ version: '3.1.0' }) })).status).toBe(200);
    expect(await readFile(ppd, 'utf8')).toContain('*FileVersion: "3.1.0"');
    const before = await readFile(host.configFile, 'utf8');
    await fetch(`${host.url}/config`, { method: 'PUT', body: JSON.stringify({ version: '2' }) });
    expect(await readFile(host.configFile, 'utf8')).not.toBe(before);

    expect((await fetch(`${host.url}/usb`, { method: 'PUT', body: JSON.stringify({ device: 'scanner', attached: false }) })).status).toBe(400);
    expect((await fetch(`${host.url}/driver`, { method: 'PUT', body: JSON.stringify({ version: '$(reboot)' }) })).status).toBe(400);
    const state = (await (await fetch(`${host.url}/state`)).json()) as { driver: { version: string } };
    expect(state.driver.version).toBe('3.1.0');
  });
});

describe('host simulator: CUPS stand-ins', () => {
  it('answers lpstat and systemctl as a running scheduler with one idle queue, and as a stopped one', async () => {
    const { execFileSync, spawnSync } = await import('node:child_process');
    const dir = await mkdtemp(path.join(tmpdir(), 'host-sim-'));
    const host = await startHostSimulator({ dir });
    try {
      expect(execFileSync(host.lpstatPath, ['-r'], { encoding: 'utf8' })).toBe('scheduler is running\n');
      expect(execFileSync(host.lpstatPath, ['-l', '-p'], { encoding: 'utf8' })).toMatch(/^printer receipt is idle\. {2}enabled since .*\n\tForm mounted:\n/);
      expect(execFileSync(host.systemctlPath, ['show', 'cups.service', '-p', 'ActiveState'], { encoding: 'utf8' })).toContain('ActiveState=active\n');
      await fetch(`${host.url}/cups`, { method: 'PUT', body: JSON.stringify({ running: false }) });
      const stopped = spawnSync(host.lpstatPath, ['-r'], { encoding: 'utf8' });
      expect([stopped.status, stopped.stdout]).toEqual([0, 'scheduler is not running\n']); // exit 0, as CUPS 2.4.2's lpstat -r does
      expect(execFileSync(host.systemctlPath, ['show', 'cups.service'], { encoding: 'utf8' })).toContain('ActiveState=inactive\n');
      const queues = spawnSync(host.lpstatPath, ['-v'], { encoding: 'utf8' });
      expect([queues.status, queues.stderr]).toEqual([1, 'lpstat: Scheduler is not running.\n']);
    } finally {
      await host.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
