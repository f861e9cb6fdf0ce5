import { describe, expect, it, vi } from 'vitest';
import { tcpTestClient } from '../lib/tcp-test-client';
import { ptyModeAvailable, startStarSimulator } from './simulator';

const client = tcpTestClient;

describe('Star simulator', () => {
  it('answers ESC ACK SOH over TCP per its faults, ignores DLE EOT, counts connections', async () => {
    const sim = await startStarSimulator({ tcp: { port: 0 }, faults: { coverOpen: true } });
    try {
      const c = await client(sim.tcpPort!);
      c.send([0x10, 0x04, 0x01, 0x1b, 0x06, 0x01]);
      await c.until(9);
      expect(c.got).toEqual([0x23, 0x04, 0x28, 0, 0, 0, 0, 0, 0]);
      c.close();
      await vi.waitFor(() => expect(sim.stats().openTcpConnections).toBe(0));
      expect(sim.stats()).toMatchObject({ statusRequests: 1, dleEotIgnored: 1, tcpConnections: 1 });
    } finally {
      await sim.close();
    }
  });

  it('automatic status: a frame when a connection opens and when a fault changes', async () => {
    const sim = await startStarSimulator({ tcp: { port: 0 }, faults: { automaticStatus: true } });
    try {
      const c = await client(sim.tcpPort!);
      await c.until(9);
      sim.setFaults({ paperEnd: true });
      await c.until(18);
      sim.setFaults({ paperEnd: true });
      expect(c.got.slice(9)).toEqual([0x23, 0x04, 0x08, 0, 0, 0x08, 0, 0, 0]);
      expect(sim.stats().automaticFramesSent).toBe(2);
      c.close();
    } finally {
      await sim.close();
    }
  });

  it('the control server sets, validates and resets faults', async () => {
    const sim = await startStarSimulator({ control: { port: 0 } });
    try {
      const url = `http://127.0.0.1:${sim.controlPort}`;
      const put = await fetch(`${url}/faults`, { method: 'PUT', body: JSON.stringify({ headOverheat: true }) });
      expect(((await put.json()) as { headOverheat: boolean }).headOverheat).toBe(true);
      const bad = await fetch(`${url}/faults`, { method: 'PUT', body: JSON.stringify({ jam: true }) });
      expect(bad.status).toBe(400);
      await fetch(`${url}/faults/reset`, { method: 'POST' });
      expect(sim.getFaults().headOverheat).toBe(false);
    } finally {
      await sim.close();
    }
  });

  it.runIf(ptyModeAvailable())('serves a socat pseudo-terminal', async () => {
    const sim = await startStarSimulator({ pty: true });
    try {
      expect(sim.ptyPath).toMatch(/star-agent$/);
    } finally {
      await sim.close();
    }
  });
});
