import { EventEmitter } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { tcpTestClient } from '../lib/tcp-test-client';
import { HEALTHY_PRINTER } from './printer-state';
import { SocatMissingError, startEscPosSimulator, type SimulatorDeps } from './simulator';

/**
 * Sends bytes to the simulator over TCP and collects what comes back: waits for `expected` bytes
 * (a busy machine may take long), then a little longer so that any extra byte shows too.
 */
async function exchange(port: number, bytes: number[], expected: number): Promise<number[]> {
  const socket = connect({ host: '127.0.0.1', port });
  const got: number[] = [];
  socket.on('data', (chunk) => got.push(...chunk));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(Uint8Array.from(bytes));
  await vi.waitFor(() => expect(got.length).toBeGreaterThanOrEqual(expected), { timeout: 5_000, interval: 5 });
  await new Promise((resolve) => setTimeout(resolve, 50));
  socket.destroy();
  return got;
}

describe('ESC/POS simulator over TCP', () => {
  it('answers DLE EOT per its faults and counts print data', async () => {
    const sim = await startEscPosSimulator({ tcp: { port: 0 }, faults: { coverOpen: true } });
    try {
      expect(await exchange(sim.tcpPort!, [0x1b, 0x40, 0x10, 0x04, 0x01, 0x10, 0x04, 0x02], 2)).toEqual([0x1a, 0x16]);
      sim.setFaults({ coverOpen: false, paperEnd: true });
      expect(await exchange(sim.tcpPort!, [0x10, 0x04, 0x04], 1)).toEqual([0x72]);
      expect(sim.stats()).toMatchObject({ bytesReceived: 11, statusQueries: 3, repliesSent: 3, tcpConnections: 2 });
    } finally {
      await sim.close();
    }
  });

  it('with asb on, sends a frame when a connection opens and when faults change', async () => {
    const sim = await startEscPosSimulator({ tcp: { port: 0 }, faults: { asb: true } });
    try {
      const socket = connect({ host: '127.0.0.1', port: sim.tcpPort! });
      const got: number[] = [];
      socket.on('data', (chunk) => got.push(...chunk));
      // The frame on connect first (waited for, not timed: a busy machine accepts late), then the change.
      await vi.waitFor(() => expect(got).toEqual([0x10, 0x00, 0x00, 0x00]), { timeout: 5_000, interval: 5 });
      sim.setFaults({ coverOpen: true });
      await vi.waitFor(() => expect(got.length).toBeGreaterThanOrEqual(8), { timeout: 5_000, interval: 5 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.destroy();
      expect(got).toEqual([0x10, 0x00, 0x00, 0x00, 0x38, 0x00, 0x00, 0x00]);
    } finally {
      await sim.close();
    }
  });
});

/** A simulator test client that can also sync: a DLE EOT round trip, after which every byte sent before its reply has arrived. */
async function client(port: number) {
  const c = await tcpTestClient(port);
  return {
    ...c,
    sync: async () => {
      const before = c.got.length;
      c.socket.write(Uint8Array.of(0x10, 0x04, 0x01));
      await vi.waitFor(() => expect(c.got.length).toBe(before + 1), { timeout: 5_000, interval: 5 });
      c.got.pop();
    },
  };
}

describe('Automatic Status Back over TCP (GS a n)', () => {
  it('GS a 0x0f: one frame on enabling, then one per change of an enabled item, none for other changes', async () => {
    const sim = await startEscPosSimulator({ tcp: { port: 0 } });
    const c = await client(sim.tcpPort!);
    try {
      c.send([0x1d, 0x61, 0x0f]);
      await c.until(4);
      expect(c.got.splice(0)).toEqual([0x10, 0x00, 0x00, 0x00]);

      sim.setFaults({ coverOpen: true });
      await c.until(4);
      expect(c.got.splice(0)).toEqual([0x38, 0x00, 0x00, 0x00]);
      sim.setFaults({ paperEnd: true, coverOpen: false });
      await c.until(4);
      expect(c.got.splice(0)).toEqual([0x18, 0x00, 0x0c, 0x00]);
      sim.setFaults({ paperEnd: false, cutterError: true });
      await c.until(4);
      expect(c.got.splice(0)).toEqual([0x18, 0x08, 0x00, 0x00]);
      sim.setFaults({ cutterError: false });
      await c.until(4);
      expect(c.got.splice(0)).toEqual([0x10, 0x00, 0x00, 0x00]);

      // not status items: no frame
      sim.setFaults({ slowReplyMs: 1 });
      sim.setFaults({ slowReplyMs: 0 });
      await c.sync();
      expect(c.got).toEqual([]);
      expect(sim.stats()).toMatchObject({ asbCommands: 1, asbMask: 0x0f, asbFramesSent: 5 });
    } finally {
      c.close();
      await sim.close();
    }
  });

  it('only enabled items send a frame: GS a 0x08 (roll paper) ignores the drawer and the cover', async () => {
    const sim = await startEscPosSimulator({ tcp: { port: 0 } });
    const c = await client(sim.tcpPort!);
    try {
      c.send([0x1d, 0x61, 0x08]);
      await c.until(4);
      c.got.splice(0);
      sim.setFaults({ drawerHigh: true });
      sim.setFaults({ coverOpen: true });
      await c.sync();
      expect(c.got).toEqual([]);
      sim.setFaults({ paperNearEnd: true });
      await c.until(4);
      // the frame carries the whole status, the cover and drawer bits too
      expect(c.got.splice(0)).toEqual([0x3c, 0x00, 0x03, 0x00]);
    } finally {
      c.close();
      await sim.close();
    }
  });

  it('GS a 0 stops the frames; the mask is the printer’s, so it holds for later connections too', async () => {
    const sim = await startEscPosSimulator({ tcp: { port: 0 } });
    const a = await client(sim.tcpPort!);
    try {
      a.send([0x1d, 0x61, 0x0f]);
      await a.until(4);
      const b = await client(sim.tcpPort!);
      sim.setFaults({ offline: true });
      await a.until(8);
      await b.until(4);
      expect(b.got).toEqual([0x18, 0x00, 0x00, 0x00]);
      b.close();
      a.got.splice(0);
      a.send([0x1d, 0x61, 0x00]);
      await a.sync();
      sim.setFaults({ offline: false });
      await a.sync();
      expect(a.got).toEqual([]);
      expect(sim.stats().asbMask).toBe(0);
    } finally {
      a.close();
      await sim.close();
    }
  });

  it('noAsb: GS a is ignored, DLE EOT is still answered', async () => {
    const sim = await startEscPosSimulator({ tcp: { port: 0 }, faults: { noAsb: true } });
    const c = await client(sim.tcpPort!);
    try {
      c.send([0x1d, 0x61, 0x0f]);
      sim.setFaults({ coverOpen: true });
      await c.sync();
      expect(c.got).toEqual([]);
      expect(sim.stats()).toMatchObject({ asbCommands: 1, asbMask: 0, asbFramesSent: 0 });
    } finally {
      c.close();
      await sim.close();
    }
  });
});

describe('fault control over HTTP', () => {
  it('GET, PUT (validated), POST reset', async () => {
    const sim = await startEscPosSimulator({ tcp: { port: 0 }, control: { port: 0 } });
    const base = `http://127.0.0.1:${sim.controlPort}`;
    try {
      expect(await (await fetch(`${base}/faults`)).json()).toEqual(HEALTHY_PRINTER);

      const put = await fetch(`${base}/faults`, { method: 'PUT', body: JSON.stringify({ paperEnd: true, slowReplyMs: 50 }) });
      expect(put.status).toBe(200);
      expect(await put.json()).toMatchObject({ paperEnd: true, slowReplyMs: 50 });
      expect(sim.getFaults().paperEnd).toBe(true);

      const bad = await fetch(`${base}/faults`, { method: 'PUT', body: JSON.stringify({ paperEnd: 'yes', lid: true }) });
      expect(bad.status).toBe(400);
      const badBody = (await bad.json()) as { error: string; issues: { path: string; message: string }[] };
      expect(badBody.error).toMatch(/invalid fault patch/);
      expect(badBody.issues.map((i) => i.path)).toContain('paperEnd');

      const notJson = await fetch(`${base}/faults`, { method: 'PUT', body: '{paperEnd' });
      expect(notJson.status).toBe(400);
      expect(await notJson.json()).toEqual({ error: 'body is not valid JSON' });

      const reset = await fetch(`${base}/faults/reset`, { method: 'POST' });
      expect(await reset.json()).toEqual(HEALTHY_PRINTER);
      expect(sim.getFaults()).toEqual(HEALTHY_PRINTER);
      expect((await fetch(`${base}/nope`)).status).toBe(404);
    } finally {
      await sim.close();
    }
  });
});

describe('pty mode without socat', () => {
  it('throws a clear error naming the Debian package, and leaves nothing behind', async () => {
    const removed: string[] = [];
    const spawnMissing = (() => {
      const child = Object.assign(new EventEmitter(), { stderr: new EventEmitter(), exitCode: null, signalCode: null, kill: () => true });
      process.nextTick(() => child.emit('error', Object.assign(new Error('spawn socat ENOENT'), { code: 'ENOENT' })));
      return child;
    }) as unknown as NonNullable<SimulatorDeps['spawn']>;
    const attempt = startEscPosSimulator({
      pty: true,
      deps: { spawn: spawnMissing, makeTempDir: () => '/tmp/never-made', removeDir: (dir) => removed.push(dir) },
    });
    await expect(attempt).rejects.toBeInstanceOf(SocatMissingError);
    await expect(attempt).rejects.toThrow(/Debian package `socat`/);
    expect(removed).toEqual(['/tmp/never-made']);
  });
});
