// Records what host-print reads on Linux (systemctl show, lpstat -r/-v/-l -p/-o, the queues' PPD
// files) from a REAL CUPS scheduler into HostFixtures (agent/src/os/host-os-replay.ts) for its tests.
// It runs its own private cupsd (ServerRoot and socket in a temp folder) so the machine's CUPS and
// its queues are never touched; the PPD files it wrote there are filed under /etc/cups/ppd in the
// fixture, where a real register keeps them (lpstat itself names that path in "Interface:").
// Run as root on a machine with CUPS 2.x and cups-filters' PPDs:
//   tsx scripts/sim/cups/record-host-print.ts
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startPrivateCupsd, type PrivateCupsd } from './private-cupsd';
import { runRecorded } from './recorded-run';

const OUT = path.resolve(import.meta.dirname, '../../../agent/src/devices/host/host-print/fixtures');
const PPD_DIR = '/etc/cups/ppd';
const PPD_SOURCE = '/usr/share/ppd/cupsfilters';
const UNIT_PROPERTIES = 'LoadState,ActiveState,SubState,UnitFileState,NRestarts,Result';

function machine(cups: PrivateCupsd): string {
  const version = runRecorded('dpkg-query', ['-W', '-f', '${Package} ${Version}', 'cups-daemon'], cups.env).stdout;
  return `${execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim()}, ${version}, a private cupsd (ServerRoot in a temp folder; PPD paths filed under ${PPD_DIR}); systemctl runs but this container has no systemd`;
}

function ppdFiles(cups: PrivateCupsd): { files: Record<string, { text: string }>; dirs: Record<string, string[]> } {
  const names = readdirSync(cups.ppdDir).sort();
  const files = Object.fromEntries(names.map((n) => [`${PPD_DIR}/${n}`, { text: readFileSync(path.join(cups.ppdDir, n), 'utf8') }]));
  return { files, dirs: { [PPD_DIR]: names } };
}

function record(cups: PrivateCupsd, name: string, description: string, lpstatArgs: string[][]): void {
  const fixture = {
    origin: 'recorded',
    description,
    recordedAt: new Date().toISOString(),
    machine: machine(cups),
    platform: 'linux',
    runs: [runRecorded('systemctl', ['show', 'cups.service', '-p', UNIT_PROPERTIES], cups.env), ...lpstatArgs.map((args) => runRecorded('lpstat', args, cups.env))],
    ...ppdFiles(cups),
  };
  writeFileSync(path.join(OUT, `${name}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
  console.log(`recorded ${name}`);
}

const QUEUE_RUNS = [['-r'], ['-v'], ['-l', '-p'], ['-o']];

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const cups = await startPrivateCupsd();
  const admin = cups.admin;
  try {
    record(cups, 'linux-cups-no-queues', 'CUPS 2.4 scheduler running with no queue at all (lpstat: "No destinations added.")', QUEUE_RUNS);
    admin('lpadmin', '-p', 'receipt', '-v', 'socket://127.0.0.1:9', '-E');
    admin('lpadmin', '-p', 'office-pdf', '-v', 'file:///dev/null', '-P', `${PPD_SOURCE}/Generic-PDF_Printer-PDF.ppd`, '-E');
    admin('lpadmin', '-p', 'back-office-laser', '-v', 'socket://192.0.2.10:9100', '-P', `${PPD_SOURCE}/pxlmono.ppd`, '-E');
    admin('cupsdisable', '-r', 'Paused by Tillscope recording', 'back-office-laser');
    admin('lp', '-d', 'receipt', '-t', 'receipt 1', '/etc/hostname');
    await sleep(1000);
    admin('lp', '-d', 'receipt', '-t', 'receipt 2', '/etc/hostname');
    admin('lp', '-d', 'back-office-laser', '-t', 'report', '/etc/hostname');
    await sleep(3000);
    record(
      cups,
      'linux-cups-queues',
      'CUPS 2.4 running with three queues: "receipt" raw to socket://127.0.0.1:9 (nothing listens: its first job stays "now printing") with two jobs; "office-pdf" idle with the Generic PDF PPD; "back-office-laser" disabled (cupsdisable) with one job and the HP LaserJet PCL 6 PPD',
      QUEUE_RUNS,
    );
    admin('cancel', '-a', 'receipt');
    admin('cancel', '-a', 'back-office-laser');
    await cups.stop();
    record(cups, 'linux-cups-stopped', 'the CUPS scheduler is not running (cupsd stopped); the queues\' PPD files are still there', QUEUE_RUNS);
  } finally {
    await cups.close();
  }
}

await main();
