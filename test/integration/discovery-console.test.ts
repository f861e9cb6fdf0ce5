// Discovery from the console, end to end over a real stack (console server, agent, simulators):
// an engineer asks a register to discover its ports; the agent answers the "discover" command; the
// console keeps the latest result per register and serves it.
import { DiscoverAccepted, RegisterDiscovery, RegisterList } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { eventually, login } from './console-client';
import { useEndToEndStack } from './stack-fixture';

const STORE = 'msk-disc';
const REGISTER = 'pos-1';

describe('discovery requested from the console', () => {
  const e2e = useEndToEndStack('discovery', {
    registers: [{ storeId: STORE, registerId: REGISTER, printer: 'tcp', model: 'Epson TM-T20II', fiscal: { driver: 'shtrih-m', model: 'ШТРИХ-М-01Ф', link: 'pty' } }],
  });

  const call = async (cookie: string, method: 'GET' | 'POST', path: string) =>
    fetch(`${e2e.stack.consoleUrl()}${path}`, { method, headers: { cookie, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) }, ...(method === 'POST' ? { body: '{}' } : {}) });

  it('stores the agent answer: configured devices from their latest probe, never reopened, with problems listed', async () => {
    const cookie = await login(e2e.stack.consoleUrl());
    const agentId = await eventually('the register connected', async () => {
      const page = RegisterList.parse(await (await call(cookie, 'GET', `/api/registers?storeId=${STORE}`)).json());
      return page.registers.find((r) => r.registerId === REGISTER && r.connected && r.devices.length === 2)?.agentId;
    });

    const before = RegisterDiscovery.parse(await (await call(cookie, 'GET', `/api/registers/${agentId}/discovery`)).json());
    expect(before).toEqual({ agentId, latest: null, pending: null, failed: null });

    const accepted = await call(cookie, 'POST', `/api/registers/${agentId}/discover`);
    expect(accepted.status).toBe(202);
    const { commandId } = DiscoverAccepted.parse(await accepted.json());

    const discovery = await eventually('the discovery result', async () => {
      const d = RegisterDiscovery.parse(await (await call(cookie, 'GET', `/api/registers/${agentId}/discovery`)).json());
      return d.latest?.commandId === commandId ? d : undefined;
    });
    expect(discovery.pending).toBeNull();
    expect(discovery.latest?.requestedBy).toBe('engineer');
    const ports = discovery.latest!.result.ports;
    const printer = e2e.stack.register(`${STORE}/${REGISTER}`).simulator;
    expect(ports.find((p) => p.configuredAs === 'printer')).toMatchObject({ transport: 'tcp', target: `127.0.0.1:${printer.tcpPort}`, classification: 'escpos', probeHealth: 'ok' });
    expect(ports.find((p) => p.configuredAs === 'kkt')).toMatchObject({ classification: 'shtrih-m' });
    expect(ports.every((p) => p.proposedConfig === undefined || p.configuredAs === undefined)).toBe(true);
    expect(discovery.latest!.result.problems.some((p) => p.startsWith('usb:'))).toBe(true);
  });

  it('refuses an unknown register (404) and needs a session (401)', async () => {
    const cookie = await login(e2e.stack.consoleUrl());
    expect((await call(cookie, 'POST', '/api/registers/no-such-agent/discover')).status).toBe(404);
    expect((await call(cookie, 'GET', '/api/registers/no-such-agent/discovery')).status).toBe(404);
    expect((await fetch(`${e2e.stack.consoleUrl()}/api/registers/x/discovery`)).status).toBe(401);
  });
});
