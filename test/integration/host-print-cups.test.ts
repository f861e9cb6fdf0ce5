import { DeviceReport, type PrintSection } from '@tillscope/shared';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPrintProbe } from '../../agent/src/devices/host/host-print';
import { HostPrintOptions } from '../../agent/src/devices/host/host-print/options';
import { createHostPrintMemory } from '../../agent/src/devices/host/host-print/probe';
import { createHostOs } from '../../agent/src/os/host-os-real';
import { createHostStateStore } from '../../agent/src/os/host-state-store';
import { createRunCommand } from '../../agent/src/os/run-command';
import { privateCupsdUnusable, startPrivateCupsd, type PrivateCupsd } from '../../scripts/sim/cups/private-cupsd';

// host-print against a REAL CUPS scheduler (a private cupsd in a temp folder: the machine's CUPS is
// untouched) through the real HostOs: execFile with LC_ALL=C, the PPD files read from disk, the
// driver versions saved in a real state file. Needs root and cups-daemon; elsewhere it is skipped
// and says why.
const unusable = privateCupsdUnusable();
const PPD_SOURCE = '/usr/share/ppd/cupsfilters/Generic-PDF_Printer-PDF.ppd';

describe.skipIf(unusable !== undefined)(`host-print on a live CUPS scheduler${unusable ? ` (skipped: ${unusable})` : ''}`, () => {
  let cups: PrivateCupsd;
  let dataDir: string;
  const memory = createHostPrintMemory();

  beforeAll(async () => {
    cups = await startPrivateCupsd();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'tillscope-host-print-it-'));
    cups.admin('lpadmin', '-p', 'receipt', '-v', 'socket://127.0.0.1:9', '-E');
    cups.admin('lpadmin', '-p', 'office', '-v', 'file:///dev/null', '-P', PPD_SOURCE, '-E');
    cups.admin('lp', '-d', 'receipt', '-t', 'receipt 1', '/etc/hostname');
  });
  afterAll(async () => {
    await cups?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function probe(minutesLater: number) {
    const hostOs = createHostOs({ run: createRunCommand({ baseEnv: cups.env }) });
    const report = await hostPrintProbe.probe({
      options: HostPrintOptions.parse({ ppdDir: cups.ppdDir, stuckAfterSec: 60 }),
      memory,
      os: hostOs,
      host: { isTradingHours: () => true, devices: [], fiscalAttached: false, agentVersion: 'test', configFiles: [] },
      // the clock is a parameter: "later" without waiting
      now: () => new Date(Date.now() + minutesLater * 60_000),
      signal: new AbortController().signal,
      state: createHostStateStore(dataDir, 'host-print'),
    });
    return { report: DeviceReport.parse(report), section: report.host as PrintSection, codes: report.findings.map((f) => f.code) };
  }

  it('sees the running scheduler, every queue with its port and jobs, the PPD driver; a job waiting past stuckAfterSec is stuck', async () => {
    const now = await probe(0);
    expect(now.section.services[0]).toMatchObject({ name: 'cups.service', state: 'running' });
    expect(now.section.drivers).toEqual([{ name: 'Generic PDF Printer', version: '1.1', manufacturer: 'Generic', queues: ['office'] }]);
    expect(now.section.queues.map((q) => [q.name, q.port, q.jobCount, q.driver])).toEqual([
      ['office', '///dev/null', 0, 'Generic PDF Printer'],
      ['receipt', 'socket://127.0.0.1:9', 1, undefined],
    ]);
    expect(now.codes).not.toContain('host.print_queue_stuck');
    const later = await probe(2);
    expect(later.report.findings.find((f) => f.code === 'host.print_queue_stuck')?.detail).toContain('"receipt": 1 job(s)');
  });

  it('a new version of the PPD installed on the queue is a driver change, kept in the state file', async () => {
    const updated = path.join(dataDir, 'Generic-PDF-1.2.ppd');
    copyFileSync(PPD_SOURCE, updated);
    writeFileSync(updated, readFileSync(updated, 'utf8').replace('*FileVersion:\t"1.1"', '*FileVersion:\t"1.2"'));
    cups.admin('lpadmin', '-p', 'office', '-P', updated);
    const { report, section } = await probe(3);
    expect(section.drivers[0]).toMatchObject({ name: 'Generic PDF Printer', version: '1.2' });
    expect(report.findings.find((f) => f.code === 'host.driver_changed')?.detail).toContain('Generic PDF Printer: 1.1 → 1.2');
    expect(JSON.parse(readFileSync(path.join(dataDir, 'host-state', 'host-print.json'), 'utf8'))).toMatchObject({ versions: { 'Generic PDF Printer': '1.2' } });
  });

  it('a stopped scheduler is print_service_stopped; the drivers are still read', async () => {
    await cups.stop();
    const { section, codes } = await probe(4);
    expect(section.services[0]).toMatchObject({ state: 'stopped' });
    expect(codes).toContain('host.print_service_stopped');
    expect(section.drivers.map((d) => d.version)).toEqual(['1.2']);
  });
});
