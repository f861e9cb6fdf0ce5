// Real I/O for the Shtrih-M driver: the agent's probe over a real TCP socket and a real socat
// pseudo-terminal against the register simulator (busy port, silence, garbage, an unread answer,
// slow replies, line noise), then the never-fiscal check on what actually arrived at the
// simulators; and a fault matrix end to end into the console (agent → WebSocket → SQLite → REST).
import { DeviceReport, isStructuredExchange, type DiagnosisCode, type Exchange, type TicketSummary } from '@tillscope/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { probeContextFor } from '../../agent/src/devices/bind-device';
import type { DeviceConfig } from '../../agent/src/devices/driver';
import { shtrihDriver } from '../../agent/src/devices/fiscal/shtrih-m';
import { probeShtrih } from '../../agent/src/devices/fiscal/shtrih-m/probe';
import { ALLOWED_COMMANDS } from '../../agent/src/devices/fiscal/shtrih-m/protocol';
import { createOpenTransport } from '../../agent/src/transports/open-transport';
import type { CommandLogEntry } from '../../scripts/sim/shtrih-m/register-device';
import type { RegisterStatePatch } from '../../scripts/sim/shtrih-m/register-state';
import { ptyModeAvailable, startShtrihSimulator, type ShtrihSimulator } from '../../scripts/sim/shtrih-m/simulator';
import { eventually } from './console-client';
import { DAY, localIso } from './fiscal-clock';
import { useEndToEndStack } from './stack-fixture';

const hasSocat = ptyModeAvailable();
const LINKS = hasSocat ? (['tcp', 'pty'] as const) : (['tcp'] as const);
/** Every command frame any simulator in this file received, for the never-fiscal check. */
const arrived: CommandLogEntry[] = [];

const codes = (report: DeviceReport) => report.findings.map((f) => f.code);
/** The report's n-th exchange, which for this driver is always bytes. */
function bytesExchange(report: DeviceReport, n: number): Exchange {
  const exchange = report.evidence.exchanges[n];
  if (!exchange || isStructuredExchange(exchange)) throw new Error(`exchange ${n} is not a byte exchange`);
  return exchange;
}

describe('Shtrih-M probe over real TCP and a real pseudo-terminal', () => {
  const sims: Partial<Record<(typeof LINKS)[number], ShtrihSimulator>> = {};
  beforeAll(async () => {
    sims.tcp = await startShtrihSimulator({ tcp: { port: 0 } });
    if (hasSocat) sims.pty = await startShtrihSimulator({ pty: true });
  });
  afterAll(async () => {
    for (const sim of Object.values(sims)) {
      arrived.push(...sim.commandLog());
      await sim.close();
    }
  });

  async function probe(link: (typeof LINKS)[number], state: RegisterStatePatch, options: Record<string, unknown> = {}) {
    const sim = sims[link]!;
    await sim.resetState();
    await sim.setState(state);
    const transport = link === 'tcp' ? { kind: 'tcp' as const, host: '127.0.0.1', port: sim.tcpPort!, connectTimeoutMs: 1000 } : { kind: 'serial' as const, path: sim.ptyPath!, baudRate: 115200 };
    // A generous byte timeout: two cores shared by parallel test files can stall a reply past 100 ms.
    const device: DeviceConfig = { id: 'kkt', driver: 'shtrih-m', transport, options: { byteTimeoutMs: 400, ...options } };
    const ctx = probeContextFor(shtrihDriver, device, { openTransport: createOpenTransport(), now: () => new Date(), signal: new AbortController().signal });
    const before = sim.commandLog().length;
    const report = await probeShtrih(ctx);
    expect(DeviceReport.safeParse(report).success).toBe(true);
    if (link === 'tcp') await vi.waitFor(() => expect(sim.stats().openTcpConnections).toBe(0));
    return { report, commands: sim.commandLog().slice(before).map((e) => e.command) };
  }

  describe.each(LINKS)('over %s', (link) => {
    it('a healthy register: all eight reads, ok, identity and facts', async () => {
      const { report, commands } = await probe(link, {});
      expect(commands).toEqual(['0x10', '0x11', '0xFC', '0xFF01', '0xFF03', '0xFF39', '0xFF3F', '0xFF40']);
      expect(report.health).toBe('ok');
      expect(report.evidence.transport).toBe(link === 'tcp' ? 'tcp' : 'serial');
      expect(report.identity).toMatchObject({ model: 'ШТРИХ-М-01Ф', serial: '12345678', fnSerial: '9999078900012345' });
      expect(report.fiscal).toMatchObject({ documentOpen: false, shift: { state: 'closed' }, ofd: { unsentCount: 0 } });
      expect(Math.abs(report.fiscal?.clockDriftSeconds ?? 99)).toBeLessThanOrEqual(2);
    });

    it('port busy: a finding, nothing sent', async () => {
      const { report, commands } = await probe(link, { portBusy: true });
      expect(codes(report)).toEqual(['fiscal.port_busy']);
      expect(commands).toEqual([]);
    });

    it('silence and garbage are "no reply", after one status read', async () => {
      const silent = await probe(link, { silent: true });
      expect(codes(silent.report)).toEqual(['fiscal.no_reply']);
      expect(silent.report.findings[0]?.detail).toContain('no answer to ENQ');
      const garbage = await probe(link, { garbage: true });
      expect(codes(garbage.report)).toEqual(['fiscal.no_reply']);
      expect(bytesExchange(garbage.report, 0).discarded).toContain('3f 00 7e');
    });

    it('an answer the register still holds is read, acknowledged and set aside', async () => {
      const { report } = await probe(link, { pendingAnswer: true });
      expect(report.health).toBe('ok');
      expect(bytesExchange(report, 0).discarded).toMatch(/^06 02 10 10 00 1e 92 02 04/);
    });

    it('line noise: fillers, a NAKed command, a reply with a bad LRC; all recovered', async () => {
      const { report, commands } = await probe(link, { fillers: true, nakCommands: 1, badLrcReplies: 1 });
      expect(report.health).toBe('ok');
      expect(commands.slice(0, 2)).toEqual(['0x10', '0x10']);
    });

    it('slow replies: past the reply timeout is "no reply"; within it, ok', async () => {
      expect(codes((await probe(link, { slowReplyMs: 800 }, { replyTimeoutMs: 150, byteTimeoutMs: 100 })).report)).toEqual(['fiscal.no_reply']);
      await vi.waitFor(() => expect(sims[link]!.stats().busy).toBe(false)); // the late reply went out to nobody
      expect((await probe(link, { slowReplyMs: 150 }, { replyTimeoutMs: 1000 })).report.health).toBe('ok');
    });

    it('a document open (mode 8): one status read only', async () => {
      const { report, commands } = await probe(link, { mode: 8 });
      expect(commands).toEqual(['0x10']);
      expect(report).toMatchObject({ health: 'unknown', findings: [], fiscal: { documentOpen: true } });
    });

    it('faults read through every command: paper, cover, shift, FN, OFD, clock, errors', async () => {
      const { report } = await probe(link, {
        paperOut: true,
        coverOpen: true,
        shiftOpenedAt: localIso(Date.now() - 25 * 3_600_000),
        fnValidUntil: localIso(Date.now() + 20 * DAY).slice(0, 10),
        fnArchiveNearlyFull: true,
        fnCriticalError: true,
        fnOfdTimeout: true,
        ofdUnsentCount: 4,
        ofdFirstUnsentNumber: 900,
        ofdFirstUnsentAt: localIso(Date.now() - 6 * DAY),
        clockOffsetSeconds: 900,
      });
      expect(codes(report).sort()).toEqual(
        ['fiscal.paper_end', 'fiscal.cover_open', 'fiscal.shift_expired', 'fiscal.fn_expires_30d', 'fiscal.fn_archive_90', 'fiscal.fn_critical_error', 'fiscal.ofd_unsent_warning', 'fiscal.ofd_connection_error', 'fiscal.clock_drift'].sort(),
      );
      const errors = await probe(link, { commandErrors: { '0x11': 0x71, '0xFF01': 0x03, '0xFF40': 0x76 } });
      expect(codes(errors.report).sort()).toEqual(['fiscal.cutter_error', 'fiscal.fn_critical_error', 'fiscal.printer_error']);
      expect(errors.report.health).toBe('unknown');
    });
  });
});

// ---------------------------------------------------------------------------------------------
// End to end: each finding a ticket with its code, evidence and group; clearing it resolves it.

interface Batch {
  name: string;
  register: string;
  state: () => RegisterStatePatch;
  codes: DiagnosisCode[];
}


// shift_over_23h needs 23 h of observation (the agent sees the shift open itself): unit-tested only.
const BATCHES: Batch[] = [
  {
    name: 'printer and FN warnings, OFD backlog, clock',
    register: 'msk-001/pos-1',
    state: () => ({ paperOut: true, coverOpen: true, fnValidUntil: localIso(Date.now() + 20 * DAY).slice(0, 10), fnArchiveNearlyFull: true, fnCriticalError: true, fnOfdTimeout: true, ofdUnsentCount: 3, ofdFirstUnsentNumber: 700, ofdFirstUnsentAt: localIso(Date.now() - 6 * DAY), clockOffsetSeconds: 900 }),
    codes: ['fiscal.paper_end', 'fiscal.cover_open', 'fiscal.fn_expires_30d', 'fiscal.fn_archive_90', 'fiscal.fn_critical_error', 'fiscal.ofd_unsent_warning', 'fiscal.ofd_connection_error', 'fiscal.clock_drift'],
  },
  {
    name: 'shift expired, FN in 2 days, OFD backlog 26 days',
    register: 'msk-001/pos-1',
    state: () => ({ shiftOpenedAt: localIso(Date.now() - 25 * 3_600_000), fnValidUntil: localIso(Date.now() + 2 * DAY).slice(0, 10), ofdUnsentCount: 9, ofdFirstUnsentNumber: 650, ofdFirstUnsentAt: localIso(Date.now() - 26 * DAY) }),
    codes: ['fiscal.shift_expired', 'fiscal.fn_expires_3d', 'fiscal.ofd_unsent_critical'],
  },
  {
    name: 'FN expired, OFD lock passed',
    register: 'msk-001/pos-1',
    state: () => ({ fnValidUntil: localIso(Date.now() - 2 * DAY).slice(0, 10), ofdUnsentCount: 40, ofdFirstUnsentNumber: 600, ofdFirstUnsentAt: localIso(Date.now() - 31 * DAY) }),
    codes: ['fiscal.fn_expired', 'fiscal.ofd_unsent_blocked'],
  },
  { name: 'cutter and printer errors', register: 'msk-001/pos-2', state: () => ({ commandErrors: { '0x11': 0x71, '0xFF40': 0x76 } }), codes: ['fiscal.cutter_error', 'fiscal.printer_error'] },
  { name: 'no reply', register: 'msk-001/pos-2', state: () => ({ silent: true }), codes: ['fiscal.no_reply'] },
  { name: 'port busy', register: 'msk-001/pos-2', state: () => ({ portBusy: true }), codes: ['fiscal.port_busy'] },
];

describe('Shtrih-M fault matrix, end to end into the console', () => {
  const e2e = useEndToEndStack(
    'shtrih',
    {
      ptyAvailable: hasSocat,
      registers: [
        { storeId: 'msk-001', registerId: 'pos-1', printer: 'tcp', model: 'Epson TM-T20II', fiscal: { driver: 'shtrih-m', model: 'Штрих-М-01Ф', link: 'tcp' } },
        { storeId: 'msk-001', registerId: 'pos-2', printer: 'tcp', model: 'Epson TM-T20II', fiscal: { driver: 'shtrih-m', model: 'Штрих-М-01Ф', link: 'pty' } },
      ],
    },
    (stack) => {
      for (const register of stack.registers.values()) if (register.fiscal?.driver === 'shtrih-m') arrived.push(...register.fiscal.simulator.commandLog());
    },
  );

  const fiscalTickets = async (key: string) => {
    const [storeId, registerId] = key.split('/');
    return (await e2e.api.tickets('all')).filter((t) => t.storeId === storeId && t.registerId === registerId && t.deviceId === 'kkt');
  };
  const simulatorOf = (key: string) => {
    const fiscal = e2e.stack.register(key).fiscal;
    if (fiscal?.driver !== 'shtrih-m') throw new Error(`${key} has no Shtrih-M register`);
    return fiscal.simulator;
  };

  it.each(BATCHES.map((b) => [b.name, b] as const))('%s: a ticket per finding, resolved once cleared', async (_name, batch) => {
    const sim = simulatorOf(batch.register);
    await sim.setState(batch.state());
    const opened = await eventually(`tickets ${batch.codes.join(', ')}`, async () => {
      const open = (await fiscalTickets(batch.register)).filter((t) => t.status === 'open' && t.active);
      return batch.codes.every((code) => open.some((t) => t.code === code)) ? open.filter((t) => batch.codes.includes(t.code)) : null;
    });
    for (const ticket of opened) expect(ticket).toMatchObject({ group: 'fiscal', deviceId: 'kkt' } satisfies Partial<TicketSummary>);
    const detail = await e2e.api.ticket(opened[0]!.id);
    if (batch.codes[0] === 'fiscal.port_busy') expect(detail.evidence?.transportError).toMatch(/held by another program|lock/i);
    else expect(detail.evidence?.exchanges[0]).toMatchObject({ label: expect.stringMatching(/^0x10 short status/) });
    expect(detail.checklist.map((a) => a.step)).toContain('fiscal.answers');

    await sim.resetState();
    await eventually(`resolution of ${batch.codes.join(', ')}`, async () => {
      const tickets = await fiscalTickets(batch.register);
      return opened.every((o) => tickets.find((t) => t.id === o.id)?.status === 'resolved') || null;
    });
  });

  it('a fiscal ticket is due before the register\'s blocking date', async () => {
    const sim = simulatorOf('msk-001/pos-1');
    await sim.setState({ fnValidUntil: localIso(Date.now() + 10 * DAY).slice(0, 10) });
    const ticket = await eventually('an FN-expiry ticket with a blocking date', async () => (await fiscalTickets('msk-001/pos-1')).find((t) => t.code === 'fiscal.fn_expires_30d' && t.status === 'open' && t.blockingAt !== null));
    expect(Date.parse(ticket.resolveBy)).toBeLessThanOrEqual(Date.parse(ticket.blockingAt!));
    await sim.resetState();
  });
});

describe('never a fiscal operation', () => {
  it('every command frame that arrived at the simulators is on the read-only allow-list', () => {
    const allowed = new Set<number>(ALLOWED_COMMANDS);
    const outside = arrived.filter((entry) => entry.code === null || !allowed.has(entry.code));
    expect(outside).toEqual([]);
    expect(arrived.length).toBeGreaterThan(100);
    expect(new Set(arrived.map((e) => e.command))).toEqual(new Set(['0x10', '0x11', '0xFC', '0xFF01', '0xFF03', '0xFF39', '0xFF3F', '0xFF40']));
  });
});
