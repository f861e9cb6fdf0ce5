// Real I/O: discovery over socat pseudo-terminals and TCP against the device simulators (Shtrih-M,
// ESC/POS, ATOL web requests), a port held by another program, and the CLI as a child process.
import { DiscoveryResult, type DiscoveredPort } from '@tillscope/shared';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../agent/src/config';
import { createDriverRegistry } from '../../agent/src/devices/registry';
import { discover } from '../../agent/src/discovery/discover';
import { createOpenTransport } from '../../agent/src/transports/open-transport';
import { startAtolSimulator, type AtolSimulator } from '../../scripts/sim/atol/simulator';
import { ptyModeAvailable, startEscPosSimulator, type EscPosSimulator } from '../../scripts/sim/escpos/simulator';
import { startShtrihSimulator, type ShtrihSimulator } from '../../scripts/sim/shtrih-m/simulator';

const hasSocat = ptyModeAvailable();
const root = join(import.meta.dirname, '..', '..');

let shtrih: ShtrihSimulator;
let printer: EscPosSimulator;
let heldPrinter: EscPosSimulator;
let atol: AtolSimulator;
let holder: SerialPort | undefined;

/** Holds `path` the way the POS would: serialport with lock: true (flock), as in serial-busy.test.ts. */
async function holdPort(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 9600, lock: true, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  return port;
}

const devicesJson = () => [
  { id: 'net-printer', driver: 'escpos', transport: { kind: 'tcp', host: '127.0.0.1', port: printer.tcpPort } },
  { id: 'kkt', driver: 'atol', options: { url: atol.baseUrl } },
];

const configText = () => JSON.stringify({ server: 'http://127.0.0.1:1', storeId: 'store-1', registerId: 'till-1', dataDir: '/tmp/tillscope-discovery-unused', devices: devicesJson() });

const byTarget = (ports: readonly DiscoveredPort[], target: string) => ports.find((p) => p.target === target);

describe.skipIf(!hasSocat)('discovery against the simulators (socat ptys, TCP, HTTP)', () => {
  beforeAll(async () => {
    shtrih = await startShtrihSimulator({ pty: true });
    printer = await startEscPosSimulator({ pty: true, tcp: { port: 0 } });
    heldPrinter = await startEscPosSimulator({ pty: true });
    atol = await startAtolSimulator({ port: 0 });
    holder = await holdPort(heldPrinter.ptyPath!);
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (holder?.isOpen ? holder.close(() => resolve()) : resolve()));
    await Promise.all([shtrih?.close(), printer?.close(), heldPrinter?.close(), atol?.close()]);
  });

  it('classifies the register, the printers and the ATOL service, proposes probed entries and leaves the held port alone', async () => {
    const config = parseConfig(configText(), 'agent.json');
    const result = await discover({
      drivers: createDriverRegistry(),
      devices: config.devices,
      openTransport: createOpenTransport(),
      listSerial: async () => ({ ports: [] }),
      extraSerialPaths: [shtrih.ptyPath!, printer.ptyPath!, heldPrinter.ptyPath!],
    });
    expect(DiscoveryResult.safeParse(result).success).toBe(true);

    const register = byTarget(result.ports, shtrih.ptyPath!);
    expect(register).toMatchObject({ classification: 'shtrih-m', model: 'ШТРИХ-М-01Ф', probeHealth: 'ok' });
    expect(register?.proposedConfig).toEqual({ id: 'shtrih-m-1', driver: 'shtrih-m', transport: { kind: 'serial', path: shtrih.ptyPath, baudRate: 115200 }, model: 'ШТРИХ-М-01Ф' });
    // The register heard the identification's 0xFC and the probe's read-only commands, nothing else.
    const commands = shtrih.commandLog().map((entry) => entry.command);
    expect(commands[0]).toBe('0xFC');
    expect(new Set(commands)).toEqual(new Set(['0xFC', '0x10', '0x11', '0xFF01', '0xFF03', '0xFF39', '0xFF3F', '0xFF40']));

    const serialPrinter = byTarget(result.ports, printer.ptyPath!);
    expect(serialPrinter).toMatchObject({ classification: 'escpos', probeHealth: 'ok', proposedConfig: { id: 'escpos-1', driver: 'escpos', transport: { kind: 'serial', path: printer.ptyPath, baudRate: 9600 } } });
    // The fiscal handshake went first, at each of its rates, and got nothing from the printer.
    expect(serialPrinter?.steps.slice(0, 4).join('\n')).toMatch(/^@ 115200: .*sent 05 05 → nothing[\s\S]*@ 4800: .*→ nothing/);

    const held = byTarget(result.ports, heldPrinter.ptyPath!);
    expect(held).toMatchObject({ classification: 'busy' });
    expect(held?.proposedConfig).toBeUndefined();
    expect(holder?.isOpen).toBe(true);

    expect(byTarget(result.ports, `127.0.0.1:${printer.tcpPort}`)).toMatchObject({ configuredAs: 'net-printer', classification: 'escpos' });
    expect(byTarget(result.ports, atol.baseUrl)).toMatchObject({ configuredAs: 'kkt', classification: 'atol', probeHealth: 'ok' });
    expect(result.ports.filter((p) => p.proposedConfig !== undefined).map((p) => p.target).sort()).toEqual([printer.ptyPath, shtrih.ptyPath].sort());
  });

  it('npm run agent -- --discover: the CLI prints the result and the proposed entries, and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tillscope-discover-'));
    try {
      const file = join(dir, 'agent.json');
      writeFileSync(file, configText());
      const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'agent/src/main.ts'), '--discover', '--json', '--config', file, '--port', printer.ptyPath!], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(0);
      const result = DiscoveryResult.parse(JSON.parse(stdout));
      expect(byTarget(result.ports, printer.ptyPath!)).toMatchObject({ classification: 'escpos', proposedConfig: { id: 'escpos-1', driver: 'escpos' } });
      expect(byTarget(result.ports, `127.0.0.1:${printer.tcpPort}`)).toMatchObject({ configuredAs: 'net-printer' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
