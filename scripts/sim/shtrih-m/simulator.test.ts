// The simulator over real I/O: a TCP socket and a socat pseudo-terminal, driven by the agent's own
// transports and handshake; the control interface over HTTP.
import { connect } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { runExchange } from '../../../agent/src/devices/fiscal/shtrih-m/exchange';
import { portLink } from '../../../agent/src/devices/fiscal/shtrih-m/link';
import type { AllowedCommand } from '../../../agent/src/devices/fiscal/shtrih-m/protocol';
import { openSerialTransport } from '../../../agent/src/transports/serial/serial-transport';
import { openTcpTransport } from '../../../agent/src/transports/tcp/tcp-transport';
import type { TransportPort } from '../../../agent/src/transports/transport';
import { ptyModeAvailable, startShtrihSimulator } from './simulator';

async function exchangeOver(port: TransportPort, command: AllowedCommand, replyTimeoutMs?: number) {
  const link = portLink(port);
  try {
    return await runExchange(link, command, replyTimeoutMs === undefined ? {} : { limits: { replyTimeoutMs } });
  } finally {
    link.dispose();
  }
}

const tcp = (port: number) => openTcpTransport({ kind: 'tcp', host: '127.0.0.1', port, connectTimeoutMs: 1_000 });

describe('Shtrih-M simulator over TCP', () => {
  it('answers the agent\'s exchanges and logs every command frame that arrived', async () => {
    const sim = await startShtrihSimulator({ tcp: { port: 0 }, state: { paperOut: true } });
    const port = await tcp(sim.tcpPort!);
    try {
      const status = await exchangeOver(port, 0x10);
      expect(status.outcome.kind).toBe('reply');
      expect(await exchangeOver(port, 0xff01)).toMatchObject({ outcome: { kind: 'reply' } });
      expect(sim.commandLog().map((e) => [e.command, e.answer])).toEqual([
        ['0x10', { error: 0 }],
        ['0xFF01', { error: 0 }],
      ]);
      expect(sim.stats()).toMatchObject({ framesReceived: 2, repliesSent: 2, enqReceived: 2, tcpConnections: 1, openTcpConnections: 1 });
    } finally {
      await port.close();
      await sim.close();
    }
  });

  it('a slow reply: late for a short reply timeout, in time for a long one', async () => {
    const sim = await startShtrihSimulator({ tcp: { port: 0 }, state: { slowReplyMs: 300 } });
    const port = await tcp(sim.tcpPort!);
    try {
      expect((await exchangeOver(port, 0x10, 100)).outcome).toEqual({ kind: 'no_reply' });
      await new Promise((resolve) => setTimeout(resolve, 400)); // the late reply arrives and waits, unread
      const next = await exchangeOver(port, 0x10, 1_000);
      expect(next.outcome.kind).toBe('reply');
      expect(next.counts.unreadAnswers).toBeGreaterThanOrEqual(1); // the late answer was read, acknowledged and set aside
    } finally {
      await port.close();
      await sim.close();
    }
  });

  it('port busy over TCP: a new connection is accepted and dropped without a byte', async () => {
    const sim = await startShtrihSimulator({ tcp: { port: 0 }, state: { portBusy: true } });
    try {
      const socket = connect({ host: '127.0.0.1', port: sim.tcpPort! });
      const got: number[] = [];
      socket.on('data', (chunk) => got.push(...chunk));
      await new Promise<void>((resolve) => socket.once('close', () => resolve()));
      expect(got).toEqual([]);
      expect(sim.stats()).toMatchObject({ droppedBusy: 1 });
      await sim.setState({ portBusy: false });
      const port = await tcp(sim.tcpPort!);
      expect((await exchangeOver(port, 0x10)).outcome.kind).toBe('reply');
      await port.close();
    } finally {
      await sim.close();
    }
  });
});

describe('Shtrih-M simulator control over HTTP', () => {
  it('GET, PUT (validated), reset, the command log and stats', async () => {
    const sim = await startShtrihSimulator({ tcp: { port: 0 }, control: { port: 0 } });
    const base = `http://127.0.0.1:${sim.controlPort}`;
    try {
      expect(await (await fetch(`${base}/state`)).json()).toMatchObject({ paperOut: false, shiftOpenedAt: null });
      const put = await fetch(`${base}/state`, { method: 'PUT', body: JSON.stringify({ coverOpen: true, commandErrors: { '0xFF01': 3 } }) });
      expect(await put.json()).toMatchObject({ coverOpen: true, commandErrors: { '0xFF01': 3 } });
      expect(sim.getState().coverOpen).toBe(true);

      const bad = await fetch(`${base}/state`, { method: 'PUT', body: JSON.stringify({ coverOpen: 'yes', lid: 1 }) });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain('coverOpen');

      const port = await tcp(sim.tcpPort!);
      await exchangeOver(port, 0xff01);
      await port.close();
      expect(await (await fetch(`${base}/log`)).json()).toEqual([expect.objectContaining({ command: '0xFF01', answer: { error: 3 }, frame: '02 06 ff 01 1e 00 00 00 e6' })]);
      expect(await (await fetch(`${base}/log`, { method: 'DELETE' })).json()).toEqual({ cleared: 1 });
      expect(sim.commandLog()).toEqual([]);
      expect(await (await fetch(`${base}/stats`)).json()).toMatchObject({ framesReceived: 1 });

      expect(await (await fetch(`${base}/state/reset`, { method: 'POST' })).json()).toMatchObject({ coverOpen: false, commandErrors: {} });
      expect((await fetch(`${base}/nope`)).status).toBe(404);
      expect((await fetch(`${base}/log`, { method: 'PUT' })).status).toBe(405);
    } finally {
      await sim.close();
    }
  });
});

describe.skipIf(!ptyModeAvailable())('Shtrih-M simulator over a socat pseudo-terminal', () => {
  const serial = (path: string) => openSerialTransport({ kind: 'serial', path, baudRate: 115200 });

  it('answers over the agent\'s serial transport', async () => {
    const sim = await startShtrihSimulator({ pty: true });
    try {
      const port = await serial(sim.ptyPath!);
      expect((await exchangeOver(port, 0xff39)).outcome.kind).toBe('reply');
      await port.close();
      expect(sim.commandLog().map((e) => e.command)).toEqual(['0xFF39']);
    } finally {
      await sim.close();
    }
  });

  it('port busy: a holder locks the pty, the agent\'s open fails; released, it opens', async () => {
    const sim = await startShtrihSimulator({ pty: true, state: { portBusy: true } });
    try {
      await expect(serial(sim.ptyPath!)).rejects.toMatchObject({ code: 'busy' });
      await sim.setState({ portBusy: false });
      const port = await serial(sim.ptyPath!);
      expect((await exchangeOver(port, 0x10)).outcome.kind).toBe('reply');
      await port.close();
    } finally {
      await sim.close();
    }
  });
});

describe('npm run sim:shtrih', () => {
  it('starts with the state given, says where it listens, and stops', async () => {
    const { runCli } = await import('./cli');
    const lines: string[] = [];
    let stop = () => {};
    const running = runCli(['--tcp-port', '0', '--control-port', '0', '--state', '{"paperOut":true}'], { log: (line) => lines.push(line), onStop: (fn) => (stop = fn) });
    await vi.waitFor(() => expect(lines.some((l) => l.startsWith('state:'))).toBe(true));
    expect(lines[0]).toMatch(/^Shtrih-M register on tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(lines.find((l) => l.startsWith('state:'))).toContain('"paperOut":true');
    stop();
    await running;
    expect(lines.at(-1)).toBe('simulator stopped');
    await expect(runCli(['--state', '{"lid":1}'], { log: () => {}, onStop: () => {} })).rejects.toThrow();
  });
});
